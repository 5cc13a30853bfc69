import type pg from 'pg';
import type { DataSource } from 'typeorm';
import { guardPoolErrors, ledgerDataSource, openDatabase, openPool, type DatabaseHandle } from '@ledger/database';
import { createEventStore, type EventStore } from '@ledger/event-store';
import { PROJECTION_ENTITIES } from '@ledger/projections';
import { AccessLogEntryEntity } from './access-log.entity.js';
import { ReadReplica } from './read-replica.js';
import { migrateLedger } from './workers/projections.js';
import type { LedgerConfig } from './ledger-config.js';

export const LEDGER_RUNTIME = Symbol('LEDGER_RUNTIME');

/**
 * The resources one process holds (database, pools, event store), opened before Nest so that the
 * service, the CLI and the tests compose the same parts the same way.
 */
export interface LedgerRuntime {
  readonly config: LedgerConfig;
  readonly database: DatabaseHandle;
  readonly pool: pg.Pool;
  readonly dataSource: DataSource;
  readonly eventStore: EventStore;
  /** The streaming standby of DATABASE_READ_URL that read endpoints may answer from; null: none. */
  readonly readReplica: ReadReplica | null;
  readonly clock: () => number;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  log?: (line: string) => void;
  clock?: () => number;
}

export async function openRuntime(config: LedgerConfig, options: RuntimeOptions = {}): Promise<LedgerRuntime> {
  const log = options.log ?? (() => undefined);
  const clock = options.clock ?? Date.now;
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, defaultDataDir: config.defaultDataDir, log });
  try {
    const applied = await migrateLedger(database.url);
    if (applied.length > 0) log(`applied migrations: ${applied.join(', ')}`);
    const pool = openPool(database.url, { max: 10, log });
    const dataSource = ledgerDataSource(database.url, [...PROJECTION_ENTITIES, AccessLogEntryEntity]);
    await dataSource.initialize();
    guardPoolErrors((dataSource.driver as unknown as { master: pg.Pool }).master, log);
    const eventStore = await createEventStore({ eventStoreUrl: config.eventStoreUrl, pool, clock });
    // Opened lazily: a standby that is down at start-up only sends reads to the primary.
    const readReplica = config.databaseReadUrl ? new ReadReplica(config.databaseReadUrl, log) : null;
    return {
      config,
      database,
      pool,
      dataSource,
      eventStore,
      readReplica,
      clock,
      async close() {
        await readReplica?.close();
        await eventStore.close();
        await dataSource.destroy();
        await pool.end();
        await database.release();
      },
    };
  } catch (error) {
    await database.release();
    throw error;
  }
}
