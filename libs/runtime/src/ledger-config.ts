import path from 'node:path';
import { DEFAULT_TIME_ZONE, isTimeZone } from '@ledger/domain';
import { DEFAULT_LOG_ORIGIN, parseWitnesses, type WitnessEndpoint } from '@ledger/merkle-log';

/** Everything the service reads from its environment, in one place (README "Configuration"). */
export interface LedgerConfig {
  port: number;
  host: string;
  /** DATABASE_URL; absent → embedded PostgreSQL in dataDir. */
  databaseUrl?: string;
  /** EVENTSTORE_URL; present → the event log lives in EventStoreDB. */
  eventStoreUrl?: string;
  /**
   * DATABASE_READ_URL: a streaming hot standby of the primary that read endpoints may answer
   * from (docs/replicas.md); absent → every read on the primary.
   */
  databaseReadUrl?: string;
  /** LEDGER_REPLICA_WAIT_MS: how long a read waits for the standby to replay the client's position before the primary answers (default 2000). */
  replicaWaitMs: number;
  dataDir: string;
  /** LEDGER_DATA_DIR was not set: as root, an unreachable default may move the cluster elsewhere. */
  defaultDataDir: boolean;
  /** LEDGER_API_KEYS: `secret:role[;party=…][;contracts=…][;label=…]` entries, comma-separated (docs/security.md). */
  apiKeys?: string;
  /** Per-key budgets and the failed-authentication brake; null: LEDGER_RATE_LIMITS=off. */
  rateLimits: RateLimits | null;
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
  /** What one client may take of the HTTP server (README "Limits and timeouts"). */
  limits: HttpLimits;
  /** When /health turns `degraded`. */
  health: HealthThresholds;
  /** The pace of the integrity scrubber. */
  scrubber: ScrubberPace;
  /** LEDGER_TIME_ZONE: the zone every time in an answer is written in (default Asia/Tokyo). */
  timeZone: string;
  /** LEDGER_CONSOLE_SESSION_MINUTES: a console session ends after this many minutes without a request (default 30; docs/console.md). */
  consoleSessionMinutes: number;
  /** LEDGER_PUBLIC_URL starts with https: the console's cookie is marked Secure even behind a proxy that ends TLS. */
  publicHttps: boolean;
}

export interface HttpLimits {
  /** LEDGER_HEADERS_TIMEOUT_MS: the request line and headers must have arrived within this (default 10 s). */
  headersTimeoutMs: number;
  /** LEDGER_BODY_TIMEOUT_MS: the body must have arrived within this after its headers (default 30 s; not for a streamed NDJSON body). */
  bodyTimeoutMs: number;
  /** LEDGER_IDLE_TIMEOUT_MS: a kept-alive connection without a request is closed after this (default 5 s). */
  idleTimeoutMs: number;
  /** LEDGER_MAX_CONNECTIONS_PER_SOURCE: open connections from one IP address (default 256). */
  maxConnectionsPerSource: number;
  /** LEDGER_INFLIGHT_BODY_BYTES: request bodies being received or processed at once, in bytes (default 20 MiB: the largest body and 4 MiB of others). */
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

/** Budgets of docs/security.md "Rate limits": token buckets refilled continuously. */
export interface RateLimits {
  /** Requests of one key per second (LEDGER_KEY_REQUESTS_PER_SECOND, default 100) … */
  requestsPerSecond: number;
  /** … with bursts of up to this many (LEDGER_KEY_REQUEST_BURST, default 1000). */
  requestBurst: number;
  /** Events one key may append per second (LEDGER_KEY_EVENTS_PER_SECOND, default 50000) … */
  eventsPerSecond: number;
  /** … with bursts of up to this many (LEDGER_KEY_EVENT_BURST, default 200000; at least one full batch, 10000). */
  eventBurst: number;
  /** Failed authentications one source address may make per minute (LEDGER_AUTH_FAILURES_PER_MINUTE, default 6) … */
  authFailuresPerMinute: number;
  /** … after a first burst of this many (LEDGER_AUTH_FAILURE_BURST, default 20). */
  authFailureBurst: number;
}

export const DEFAULT_RATE_LIMITS: Readonly<RateLimits> = Object.freeze({
  requestsPerSecond: 100,
  requestBurst: 1_000,
  eventsPerSecond: 50_000,
  eventBurst: 200_000,
  authFailuresPerMinute: 6,
  authFailureBurst: 20,
});

function rateLimits(env: NodeJS.ProcessEnv): RateLimits | null {
  if (env.LEDGER_RATE_LIMITS === 'off') return null;
  if (env.LEDGER_RATE_LIMITS !== undefined && env.LEDGER_RATE_LIMITS !== '' && env.LEDGER_RATE_LIMITS !== 'on') {
    throw new Error(`LEDGER_RATE_LIMITS must be on or off, got ${env.LEDGER_RATE_LIMITS}`);
  }
  const read = (name: string, fallback: number, min: number): number => {
    const text = env[name];
    if (text === undefined || text === '') return fallback;
    const n = Number(text);
    if (!Number.isFinite(n) || n < min || n > 1e9) throw new Error(`${name} must be a number from ${min} to 1000000000, got ${text}`);
    return n;
  };
  return {
    requestsPerSecond: read('LEDGER_KEY_REQUESTS_PER_SECOND', DEFAULT_RATE_LIMITS.requestsPerSecond, 0.001),
    requestBurst: read('LEDGER_KEY_REQUEST_BURST', DEFAULT_RATE_LIMITS.requestBurst, 1),
    eventsPerSecond: read('LEDGER_KEY_EVENTS_PER_SECOND', DEFAULT_RATE_LIMITS.eventsPerSecond, 0.001),
    // A batch is charged whole before it is written, so a burst must hold the largest batch.
    eventBurst: read('LEDGER_KEY_EVENT_BURST', DEFAULT_RATE_LIMITS.eventBurst, 10_000),
    authFailuresPerMinute: read('LEDGER_AUTH_FAILURES_PER_MINUTE', DEFAULT_RATE_LIMITS.authFailuresPerMinute, 0.001),
    authFailureBurst: read('LEDGER_AUTH_FAILURE_BURST', DEFAULT_RATE_LIMITS.authFailureBurst, 1),
  };
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
    databaseReadUrl: databaseReadUrl(env),
    replicaWaitMs: integerSetting(env, 'LEDGER_REPLICA_WAIT_MS', 2_000, 0, 10_000),
    dataDir: path.resolve(env.LEDGER_DATA_DIR || './.ledger-data'),
    defaultDataDir: !env.LEDGER_DATA_DIR,
    apiKeys: env.LEDGER_API_KEYS || undefined,
    rateLimits: rateLimits(env),
    bodyLimitBytes: Number.parseInt(env.LEDGER_BODY_LIMIT_BYTES ?? String(16 * 1024 * 1024), 10),
    workers: workersMode(env.LEDGER_WORKERS),
    workerNames: env.LEDGER_WORKER_NAMES ? env.LEDGER_WORKER_NAMES.split(',').map((n) => n.trim()).filter(Boolean) : undefined,
    workerHeapMb: integerSetting(env, 'LEDGER_WORKER_HEAP_MB', 384, 8, 65_536),
    signingKey: env.LEDGER_SIGNING_KEY || undefined,
    nextSigningKey: env.LEDGER_NEXT_SIGNING_KEY || undefined,
    logOrigin: logOrigin(env),
    witnesses: parseWitnesses(env.LEDGER_WITNESSES),
    publicRateLimit: integerSetting(env, 'LEDGER_PUBLIC_RATE_LIMIT', 600, 1, 1_000_000),
    checkpointIntervalMs: checkpointInterval(env.LEDGER_CHECKPOINT_INTERVAL_MS),
    limits: {
      headersTimeoutMs: integerSetting(env, 'LEDGER_HEADERS_TIMEOUT_MS', 10_000, 100, 600_000),
      bodyTimeoutMs: integerSetting(env, 'LEDGER_BODY_TIMEOUT_MS', 30_000, 100, 3_600_000),
      idleTimeoutMs: integerSetting(env, 'LEDGER_IDLE_TIMEOUT_MS', 5_000, 100, 600_000),
      maxConnectionsPerSource: integerSetting(env, 'LEDGER_MAX_CONNECTIONS_PER_SOURCE', 256, 1, 100_000),
      inflightBodyBytes: integerSetting(env, 'LEDGER_INFLIGHT_BODY_BYTES', 20 * 1024 * 1024, 1024, 4 * 1024 ** 3),
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
    timeZone: timeZone(env.LEDGER_TIME_ZONE),
    consoleSessionMinutes: integerSetting(env, 'LEDGER_CONSOLE_SESSION_MINUTES', 30, 1, 480),
    publicHttps: /^https:/i.test(env.LEDGER_PUBLIC_URL ?? ''),
  };
}

/** A standby of the PostgreSQL log; with EVENTSTORE_URL the log is not in PostgreSQL (scale reads with EventStoreDB's followers instead). */
function databaseReadUrl(env: NodeJS.ProcessEnv): string | undefined {
  const url = env.DATABASE_READ_URL || undefined;
  if (url === undefined) return undefined;
  if (env.EVENTSTORE_URL) throw new Error('DATABASE_READ_URL serves reads of the PostgreSQL log; with EVENTSTORE_URL read from EventStoreDB\'s cluster instead (docs/replicas.md)');
  if (!/^postgres(ql)?:\/\//.test(url)) throw new Error('DATABASE_READ_URL must be a postgres:// URL');
  return url;
}

function checkpointInterval(text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;
  const ms = Number(text);
  if (!Number.isInteger(ms) || ms < 50 || ms > 3_600_000) throw new Error(`LEDGER_CHECKPOINT_INTERVAL_MS must be an integer from 50 to 3600000, got ${text}`);
  return ms;
}

function timeZone(text: string | undefined): string {
  if (text === undefined || text === '') return DEFAULT_TIME_ZONE;
  if (!isTimeZone(text)) throw new Error(`LEDGER_TIME_ZONE must be an IANA time zone such as Asia/Tokyo, got ${text}`);
  return text;
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
