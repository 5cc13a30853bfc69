import path from 'node:path';
import { EmbeddedPostgres } from './embedded-postgres.js';

export interface DatabaseConfig {
  /** DATABASE_URL; when absent, the embedded server in dataDir. */
  url?: string;
  /** LEDGER_DATA_DIR, default ./.ledger-data */
  dataDir: string;
  /** LEDGER_DATA_DIR was left to its default (see EmbeddedPostgresOptions.relocateUnreachableCluster). */
  defaultDataDir?: boolean;
  log?: (line: string) => void;
}

export interface DatabaseHandle {
  readonly url: string;
  readonly embedded: boolean;
  /** Stops the embedded server if this process owns it. */
  release(): Promise<void>;
}

export function databaseConfigFromEnv(env: NodeJS.ProcessEnv = process.env, log?: (line: string) => void): DatabaseConfig {
  return {
    url: env.DATABASE_URL || undefined,
    dataDir: path.resolve(env.LEDGER_DATA_DIR || './.ledger-data'),
    defaultDataDir: !env.LEDGER_DATA_DIR,
    log,
  };
}

/** The PostgreSQL the service and the CLI share: DATABASE_URL, or the embedded one. */
export async function openDatabase(config: DatabaseConfig): Promise<DatabaseHandle> {
  if (config.url) return { url: config.url, embedded: false, release: async () => undefined };
  const server = await EmbeddedPostgres.start({
    dataDir: config.dataDir,
    log: config.log,
    relocateUnreachableCluster: config.defaultDataDir ?? false,
  });
  // A killed or crashed server comes back on its port and data directory (docs/operations.md).
  server.supervise();
  return { url: server.url, embedded: true, release: () => server.stop() };
}
