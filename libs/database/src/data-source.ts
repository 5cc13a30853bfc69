import { DataSource, type DataSourceOptions, type MixedList, type EntitySchema, type MigrationInterface } from 'typeorm';

export type MigrationClass = new () => MigrationInterface;
import { MIGRATIONS } from './migrations/index.js';
import { ADVISORY_LOCKS } from './advisory-locks.js';
import { BoundedQueryLogger } from './bounded-query-logger.js';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type Entities = MixedList<Function | string | EntitySchema>;

/** The TypeORM DataSource for read models and migrations (never `synchronize`). */
export function ledgerDataSource(
  url: string,
  entities: Entities = [],
  extra: Partial<DataSourceOptions> = {},
  migrations: readonly MigrationClass[] = MIGRATIONS,
): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities,
    migrations: [...migrations],
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: ['error'],
    logger: new BoundedQueryLogger(),
    connectTimeoutMS: 5_000,
    extra: { max: 10, keepAlive: true },
    ...extra,
  } as DataSourceOptions);
}

/**
 * Applies pending migrations: the ledger's own, and those a caller adds (each projection keeps
 * its migrations beside it; libs/runtime passes them all). Safe to call from several processes at
 * once (advisory lock).
 */
export async function migrate(url: string, extra: readonly MigrationClass[] = []): Promise<string[]> {
  // One connection, so the session advisory lock and the migrations share it.
  const ds = ledgerDataSource(url, [], { extra: { max: 1 } } as Partial<DataSourceOptions>, [...MIGRATIONS, ...extra]);
  await ds.initialize();
  try {
    await ds.query(`SELECT pg_advisory_lock(${ADVISORY_LOCKS.migrations})`);
    try {
      const done = await ds.runMigrations();
      return done.map((m) => m.name);
    } finally {
      await ds.query(`SELECT pg_advisory_unlock(${ADVISORY_LOCKS.migrations})`);
    }
  } finally {
    await ds.destroy();
  }
}
