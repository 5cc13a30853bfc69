import { DataSource, type DataSourceOptions, type MixedList, type EntitySchema } from 'typeorm';
import { MIGRATIONS } from './migrations/index.js';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type Entities = MixedList<Function | string | EntitySchema>;

/** The TypeORM DataSource for read models and migrations (never `synchronize`). */
export function ledgerDataSource(url: string, entities: Entities = [], extra: Partial<DataSourceOptions> = {}): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: ['error'],
    connectTimeoutMS: 5_000,
    extra: { max: 10, keepAlive: true },
    ...extra,
  } as DataSourceOptions);
}

/** Applies pending migrations; safe to call from several processes at once (advisory lock). */
export async function migrate(url: string): Promise<string[]> {
  // One connection, so the session advisory lock and the migrations share it.
  const ds = ledgerDataSource(url, [], { extra: { max: 1 } } as Partial<DataSourceOptions>);
  await ds.initialize();
  try {
    await ds.query('SELECT pg_advisory_lock(7311001)');
    try {
      const done = await ds.runMigrations();
      return done.map((m) => m.name);
    } finally {
      await ds.query('SELECT pg_advisory_unlock(7311001)');
    }
  } finally {
    await ds.destroy();
  }
}
