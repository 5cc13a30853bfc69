import path from 'node:path';

/** Everything the service reads from its environment, in one place (README "Configuration"). */
export interface LedgerConfig {
  port: number;
  host: string;
  /** DATABASE_URL; absent → embedded PostgreSQL in dataDir. */
  databaseUrl?: string;
  /** EVENTSTORE_URL; present → the event log lives in EventStoreDB. */
  eventStoreUrl?: string;
  dataDir: string;
  /** LEDGER_DATA_DIR was not set: as root, an unreachable default may move the cluster elsewhere. */
  defaultDataDir: boolean;
  /** LEDGER_API_KEYS: `secret:role` pairs, comma-separated. */
  apiKeys?: string;
  /** Largest request body accepted (bytes); beyond it: 413. */
  bodyLimitBytes: number;
  /**
   * LEDGER_WORKERS: `process` (default) — the API supervises the background workers in a child
   * process; `inline` — in the API process; `off` — none (another process runs `cli workers`).
   */
  workers: 'process' | 'inline' | 'off';
  /** LEDGER_WORKER_NAMES: only these workers (comma-separated names); all when absent. */
  workerNames?: string[];
  /** LEDGER_SIGNING_KEY: the checkpoint signing key (note signer format); absent → <dataDir>/checkpoint-signing-key. */
  signingKey?: string;
  /** LEDGER_LOG_ORIGIN: the log's name, first line of every checkpoint (default okayama-handling-ledger/log). */
  logOrigin?: string;
  /** LEDGER_CHECKPOINT_INTERVAL_MS: how often the signer signs a checkpoint while the log grows (default 2000). */
  checkpointIntervalMs?: number;
}

function workersMode(value: string | undefined): LedgerConfig['workers'] {
  const mode = value || 'process';
  if (mode === 'process' || mode === 'inline' || mode === 'off') return mode;
  throw new Error(`LEDGER_WORKERS must be process, inline or off, got ${value}`);
}

export function ledgerConfigFromEnv(env: NodeJS.ProcessEnv = process.env): LedgerConfig {
  const port = Number.parseInt(env.PORT ?? '3000', 10);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`PORT must be a port number, got ${env.PORT}`);
  return {
    port,
    host: env.HOST || '127.0.0.1',
    databaseUrl: env.DATABASE_URL || undefined,
    eventStoreUrl: env.EVENTSTORE_URL || undefined,
    dataDir: path.resolve(env.LEDGER_DATA_DIR || './.ledger-data'),
    defaultDataDir: !env.LEDGER_DATA_DIR,
    apiKeys: env.LEDGER_API_KEYS || undefined,
    bodyLimitBytes: Number.parseInt(env.LEDGER_BODY_LIMIT_BYTES ?? String(16 * 1024 * 1024), 10),
    workers: workersMode(env.LEDGER_WORKERS),
    workerNames: env.LEDGER_WORKER_NAMES ? env.LEDGER_WORKER_NAMES.split(',').map((n) => n.trim()).filter(Boolean) : undefined,
    signingKey: env.LEDGER_SIGNING_KEY || undefined,
    logOrigin: env.LEDGER_LOG_ORIGIN || undefined,
    checkpointIntervalMs: checkpointInterval(env.LEDGER_CHECKPOINT_INTERVAL_MS),
  };
}

function checkpointInterval(text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;
  const ms = Number(text);
  if (!Number.isInteger(ms) || ms < 50 || ms > 3_600_000) throw new Error(`LEDGER_CHECKPOINT_INTERVAL_MS must be an integer from 50 to 3600000, got ${text}`);
  return ms;
}
