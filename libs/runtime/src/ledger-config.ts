import path from 'node:path';
import { DEFAULT_LOG_ORIGIN, parseWitnesses, type WitnessEndpoint } from '@ledger/merkle-log';

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
  /** LEDGER_NEXT_SIGNING_KEY: the key the signer rotates to at its next checkpoint (docs/log-format.md "Key rotation"). */
  nextSigningKey?: string;
  /**
   * The log's name, first line of every checkpoint: LEDGER_LOG_ORIGIN, else derived from
   * LEDGER_PUBLIC_URL (`https://ledger.city.example` → `ledger.city.example/v1/log`, the log's URL
   * prefix without its scheme, as C2SP tlog-tiles recommends); undefined → the default origin,
   * which NODE_ENV=production refuses.
   */
  logOrigin?: string;
  /** LEDGER_WITNESSES: the witnesses asked to cosign every checkpoint (`<url> <witness public key>`, comma-separated). */
  witnesses: WitnessEndpoint[];
  /** LEDGER_PUBLIC_RATE_LIMIT: requests per minute one client address may make to the public log endpoints (default 600). */
  publicRateLimit: number;
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
    nextSigningKey: env.LEDGER_NEXT_SIGNING_KEY || undefined,
    logOrigin: logOrigin(env),
    witnesses: parseWitnesses(env.LEDGER_WITNESSES),
    publicRateLimit: boundedInt(env.LEDGER_PUBLIC_RATE_LIMIT, 'LEDGER_PUBLIC_RATE_LIMIT', 600, 1, 1_000_000),
    checkpointIntervalMs: checkpointInterval(env.LEDGER_CHECKPOINT_INTERVAL_MS),
  };
}

function checkpointInterval(text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;
  const ms = Number(text);
  if (!Number.isInteger(ms) || ms < 50 || ms > 3_600_000) throw new Error(`LEDGER_CHECKPOINT_INTERVAL_MS must be an integer from 50 to 3600000, got ${text}`);
  return ms;
}

/**
 * A log's origin must be unique per deployment: witnesses and auditors tell logs apart by it. In
 * production (NODE_ENV=production) the default is refused.
 */
function logOrigin(env: NodeJS.ProcessEnv): string | undefined {
  if (env.LEDGER_LOG_ORIGIN) return env.LEDGER_LOG_ORIGIN;
  if (env.LEDGER_PUBLIC_URL) {
    let url: URL;
    try {
      url = new URL(env.LEDGER_PUBLIC_URL);
    } catch {
      throw new Error(`LEDGER_PUBLIC_URL must be a URL, got ${env.LEDGER_PUBLIC_URL}`);
    }
    return `${url.host}${url.pathname.replace(/\/+$/, '')}/v1/log`;
  }
  if (env.NODE_ENV === 'production') {
    throw new Error(
      `NODE_ENV=production needs a log origin unique to this deployment: set LEDGER_LOG_ORIGIN (e.g. ledger.kaigo.city.okayama.example/2025) ` +
        `or LEDGER_PUBLIC_URL; the default "${DEFAULT_LOG_ORIGIN}" is for development only`,
    );
  }
  return undefined;
}

function boundedInt(text: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (text === undefined || text === '') return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be an integer from ${min} to ${max}, got ${text}`);
  return n;
}
