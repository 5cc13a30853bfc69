/**
 * Integration-test harness for projections: a fresh migrated database on the shared test
 * PostgreSQL, the real event store and a TypeORM DataSource with the read-model entities.
 */
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { ledgerDataSource } from '@ledger/database';
import type { LedgerEvent, RecordedEvent } from '@ledger/domain';
import { PostgresEventStore, type EventStore } from '@ledger/event-store';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js';
import type { ProjectionSet } from '../runner/apply-batch.js';
import { findGeneration, quoteSchema, type Generation } from '../runner/generations.js';
import type { Projection } from '../runner/projection.js';
import { Projector, type ProjectorOptions } from '../runner/projector.js';
import { PROJECTION_ENTITIES } from '../entities.js';

export interface Harness {
  readonly db: TestDatabase;
  readonly dataSource: DataSource;
  readonly pool: pg.Pool;
  readonly store: EventStore;
  set(projections: readonly Projection[]): ProjectionSet;
  append(events: readonly LedgerEvent[]): Promise<number>;
  /** Starts a projector, waits until it has applied the whole log, and returns it (running). */
  catchUp(projections: readonly Projection[], options?: ProjectorOptions): Promise<Projector>;
  active(): Promise<Generation>;
  /** Every row of the tables in a generation, as sorted JSON texts per table. */
  dump(tables: readonly string[], generation?: Generation): Promise<Record<string, string[]>>;
  close(): Promise<void>;
}

export async function openHarness(label: string, options: { clock?: () => number } = {}): Promise<Harness> {
  const db = await createTestDatabase(label);
  const pool = new pg.Pool({ connectionString: db.url, max: 6 });
  const store = new PostgresEventStore(pool, { clock: options.clock, pollIntervalMs: 100 });
  const dataSource = ledgerDataSource(db.url, PROJECTION_ENTITIES, { extra: { max: 6 } } as never);
  await dataSource.initialize();
  const projectors: Projector[] = [];
  const harness: Harness = {
    db,
    dataSource,
    pool,
    store,
    set: (projections) => ({ dataSource, eventStore: store, projections }),
    async append(events) {
      const appended = await store.append(events);
      return appended[appended.length - 1]?.position ?? (await store.headPosition());
    },
    async catchUp(projections, projectorOptions = {}) {
      const projector = new Projector(harness.set(projections), { retryDelayMs: 50, ...projectorOptions });
      projectors.push(projector);
      await projector.start();
      await projector.waitFor(await store.headPosition());
      return projector;
    },
    async active() {
      const generation = await findGeneration(dataSource, 'active');
      if (!generation) throw new Error('no active generation');
      return generation;
    },
    async dump(tables, generation) {
      const g = generation ?? (await harness.active());
      const out: Record<string, string[]> = {};
      for (const table of tables) {
        const rows = (await dataSource.query(
          `SELECT to_jsonb(t)::text AS row FROM ${quoteSchema(g.schema)}."${table}" t ORDER BY 1`,
        )) as Array<{ row: string }>;
        out[table] = rows.map((r) => r.row);
      }
      return out;
    },
    async close() {
      for (const p of projectors) await p.stop();
      await store.close();
      await dataSource.destroy();
      await pool.end();
      await db.drop();
    },
  };
  return harness;
}

/**
 * A harness opened before the calling describe's tests and closed after them: the describe holds
 * the returned object from the start, and it stands for the opened harness once beforeAll has run
 * (reading it earlier throws).
 */
export function useHarness(label: string, options: { clock?: () => number } = {}): Harness {
  let opened: Harness | null = null;
  beforeAll(async () => {
    opened = await openHarness(label, options);
  });
  afterAll(async () => {
    await opened?.close();
  });
  return new Proxy({} as Harness, {
    get: (_, key) => {
      if (opened === null) throw new Error(`the harness ${label} is used before its beforeAll opened it`);
      return Reflect.get(opened, key) as unknown;
    },
  });
}

/** Positions of recorded events by eventId, for readable assertions. */
export function byEventId(events: readonly RecordedEvent[]): Map<string, RecordedEvent> {
  return new Map(events.map((e) => [e.event.eventId, e]));
}
