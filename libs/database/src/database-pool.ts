import pg from 'pg';

/**
 * What a lost or restarting PostgreSQL looks like to a client: the connection refused or cut,
 * the server shutting down or starting up (57P01 admin_shutdown, 57P02 crash_shutdown, 57P03
 * cannot_connect_now), any connection exception (class 08), or the pool giving up waiting.
 * These are worth a retry later (503 + Retry-After), never a 500 and never a crash.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') {
      if (code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03' || code === '53300') return true;
      if (['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTCONN', 'ECONNABORTED'].includes(code)) return true;
    }
    const message = (e as { message?: unknown }).message;
    if (typeof message === 'string' && UNAVAILABLE_MESSAGES.some((m) => message.includes(m))) return true;
    // TypeORM wraps the driver's error.
    e = (e as { driverError?: unknown; cause?: unknown }).driverError ?? (e as { cause?: unknown }).cause;
  }
  return false;
}

const UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
  'Client was closed and is not queryable',
  'Cannot use a pool after calling end',
  'terminating connection',
  'the database system is',
];

/**
 * A query runner TypeORM released by itself: PostgresQueryRunner listens for its connection's
 * 'error' and releases the runner when the connection fails, so the owner's next query throws
 * QueryRunnerAlreadyReleasedError, which names no cause (and so answered 500 when PostgreSQL died
 * between two queries of a read). Class 08 (connection_failure): a retry later, like any lost connection.
 */
export class ConnectionLostError extends Error {
  readonly code = '08006';

  constructor(cause: unknown) {
    super('the database connection was lost during the transaction', { cause });
    this.name = 'ConnectionLostError';
  }
}

/**
 * What to throw for an error met while holding `runner`: a QueryRunnerAlreadyReleasedError from a
 * runner its owner has not released yet (call this before releasing it) is the connection lost
 * (ConnectionLostError); anything else as it is. A release by the owner's own mistake is not
 * hidden: that error comes after the owner released the runner, outside this check.
 */
export function connectionLostIfReleased(runner: { readonly isReleased: boolean }, error: unknown): unknown {
  return runner.isReleased && (error as { name?: unknown } | null)?.name === 'QueryRunnerAlreadyReleasedError' ? new ConnectionLostError(error) : error;
}

/**
 * PostgreSQL refused a value (class 22 data_exception: a time it cannot store, a NUL byte, bad
 * encoding; class 54 program_limit_exceeded): the input's fault, not the server's.
 */
export function isRefusedValue(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code ?? (error as { driverError?: { code?: unknown } } | null)?.driverError?.code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('54'));
}

export interface PoolOptions {
  max: number;
  /** Where connection errors of idle or checked-out clients are reported (they never crash the process). */
  log?: (line: string) => void;
}

/**
 * A pg pool that survives its server going away: every client gets an `error` listener (pg
 * emits `error` on a checked-out client whose server died between queries, and an unhandled
 * `error` event ends the process), connecting gives up after 5 s instead of hanging, and TCP
 * keep-alive notices a dead peer. A later query simply reconnects: that is the backoff-free half
 * of recovery; callers retry with their own backoff.
 */
export function openPool(url: string, options: PoolOptions): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: options.max, connectionTimeoutMillis: 5_000, keepAlive: true });
  guardPoolErrors(pool, options.log);
  return pool;
}

/** Adds the error listeners of `openPool` to a pool made elsewhere (TypeORM's). */
export function guardPoolErrors(pool: pg.Pool, log: ((line: string) => void) | undefined): void {
  let reported = 0;
  const report = (error: Error): void => {
    // One line per burst is enough: a restart cuts every connection at once.
    const now = Date.now();
    if (now - reported > 5_000) log?.(`database connection lost: ${error.message}`);
    reported = now;
  };
  pool.on('error', report);
  pool.on('connect', (client) => {
    client.on('error', report);
  });
}
