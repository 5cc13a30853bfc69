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
  /** LEDGER_WORKER_HEAP_MB: V8 heap limit of the worker process (default 384). */
  workerHeapMb: number;
  /** LEDGER_SIGNING_KEY: the checkpoint signing key (note signer format); absent → <dataDir>/checkpoint-signing-key. */
  signingKey?: string;
  /** LEDGER_LOG_ORIGIN: the log's name, first line of every checkpoint (default okayama-handling-ledger/log). */
  logOrigin?: string;
  /** LEDGER_CHECKPOINT_INTERVAL_MS: how often the signer signs a checkpoint while the log grows (default 2000). */
  checkpointIntervalMs?: number;
  /** What one client may take of the HTTP server (README "Limits and timeouts"). */
  limits: HttpLimits;
  /** When /health turns `degraded`. */
  health: HealthThresholds;
  /** The pace of the integrity scrubber. */
  scrubber: ScrubberPace;
}

export interface HttpLimits {
  /** LEDGER_HEADERS_TIMEOUT_MS: the request line and headers must have arrived within this (default 10 s). */
  headersTimeoutMs: number;
  /** LEDGER_BODY_TIMEOUT_MS: the whole request, body included, must have arrived within this (default 30 s). */
  bodyTimeoutMs: number;
  /** LEDGER_IDLE_TIMEOUT_MS: a kept-alive connection without a request is closed after this (default 5 s). */
  idleTimeoutMs: number;
  /** LEDGER_MAX_CONNECTIONS_PER_SOURCE: open connections from one IP address (default 256). */
  maxConnectionsPerSource: number;
  /** LEDGER_INFLIGHT_BODY_BYTES: request bodies being received or processed at once, in bytes (default 24 MiB: the largest body and 8 MiB of others). */
  inflightBodyBytes: number;
}

export interface HealthThresholds {
  /** LEDGER_HEALTH_MAX_LAG_EVENTS: a worker further behind the log than this is reported (default 100,000). */
  maxLagEvents: number;
  /** LEDGER_HEALTH_MAX_LAG_SECONDS: a worker whose oldest unapplied event is older is reported (default 300). */
  maxLagSeconds: number;
  /** LEDGER_HEALTH_CRASH_LOOP_RESTARTS: restarts in a row (without a healthy run between) that make a crash loop (default 3). */
  crashLoopRestarts: number;
}

export interface ScrubberPace {
  /** LEDGER_SCRUB_EVENTS_PER_SECOND: stored events re-verified per second (default 2,000; 0 turns the scrubber off). */
  eventsPerSecond: number;
  /** LEDGER_SCRUB_PAUSE_MS: pause between two passes over the whole log (default 60 s). */
  pauseMs: number;
}

/** An integer setting from the environment, its default when absent, an error naming the bounds otherwise. */
export function integerSetting(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be an integer from ${min} to ${max}, got ${text}`);
  return n;
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
    workerHeapMb: integerSetting(env, 'LEDGER_WORKER_HEAP_MB', 384, 8, 65_536),
    signingKey: env.LEDGER_SIGNING_KEY || undefined,
    logOrigin: env.LEDGER_LOG_ORIGIN || undefined,
    checkpointIntervalMs: checkpointInterval(env.LEDGER_CHECKPOINT_INTERVAL_MS),
    limits: {
      headersTimeoutMs: integerSetting(env, 'LEDGER_HEADERS_TIMEOUT_MS', 10_000, 100, 600_000),
      bodyTimeoutMs: integerSetting(env, 'LEDGER_BODY_TIMEOUT_MS', 30_000, 100, 3_600_000),
      idleTimeoutMs: integerSetting(env, 'LEDGER_IDLE_TIMEOUT_MS', 5_000, 100, 600_000),
      maxConnectionsPerSource: integerSetting(env, 'LEDGER_MAX_CONNECTIONS_PER_SOURCE', 256, 1, 100_000),
      inflightBodyBytes: integerSetting(env, 'LEDGER_INFLIGHT_BODY_BYTES', 24 * 1024 * 1024, 1024, 4 * 1024 ** 3),
    },
    health: {
      maxLagEvents: integerSetting(env, 'LEDGER_HEALTH_MAX_LAG_EVENTS', 100_000, 1, Number.MAX_SAFE_INTEGER),
      maxLagSeconds: integerSetting(env, 'LEDGER_HEALTH_MAX_LAG_SECONDS', 300, 1, 31_536_000),
      crashLoopRestarts: integerSetting(env, 'LEDGER_HEALTH_CRASH_LOOP_RESTARTS', 3, 1, 1_000),
    },
    scrubber: {
      eventsPerSecond: integerSetting(env, 'LEDGER_SCRUB_EVENTS_PER_SECOND', 2_000, 0, 10_000_000),
      pauseMs: integerSetting(env, 'LEDGER_SCRUB_PAUSE_MS', 60_000, 0, 86_400_000),
    },
  };
}

function checkpointInterval(text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;
  const ms = Number(text);
  if (!Number.isInteger(ms) || ms < 50 || ms > 3_600_000) throw new Error(`LEDGER_CHECKPOINT_INTERVAL_MS must be an integer from 50 to 3600000, got ${text}`);
  return ms;
}
