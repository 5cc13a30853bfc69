/**
 * One runtime for every background worker that follows the log (the Merkle integrator, the
 * checkpoint signer, the projector, and any later one), after Tessera's `Follower`: a worker is a
 * small task — where it resumes, how it follows — and this runtime owns the rest, once: start,
 * stop, retries with backoff, crash-loop detection, status and lag.
 */
import { instant } from '@ledger/domain';
import type { EventStore } from './event-store.port.js';

/** What a follower reports on /health and /metrics. */
export interface LogFollowerStatus {
  name: string;
  /**
   * `retrying`: the last attempt failed and the runtime waits before the next one; `failed`: a
   * failure that retrying cannot mend (e.g. an integrity failure), the follower stopped.
   */
  state: 'starting' | 'running' | 'retrying' | 'stopped' | 'failed';
  /** Position up to which the follower has applied the log. */
  position: number;
  /** Events committed to the log but not yet applied. */
  lagEvents: number;
  /** Seconds between the oldest unapplied event's recordedAt and now, to 0.1 s (0 when caught up). */
  lagSeconds: number;
  /** Failures since the follower last made progress (a crash loop shows here). */
  failures?: number;
  error?: string;
  /** Worker-specific facts (e.g. the projector's read-model generation). */
  generation?: number;
}

/** The common shape of every background worker, whatever runs it. */
export interface LogFollower {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  status(): Promise<LogFollowerStatus>;
}

export interface FollowContext {
  readonly signal: AbortSignal;
  /** Report that everything up to `position` is applied and durable (resets the backoff). */
  progress(position: number): void;
}

/** What a worker does; `Follower` does the rest. */
export interface FollowerTask {
  readonly name: string;
  /** The position to continue after, from the worker's own durable state; called on every (re)start. */
  resume(): Promise<number>;
  /**
   * Follows from `after` until `context.signal` aborts (then resolves). Throws on a failure: the
   * runtime waits (backoff) and calls `resume` then `follow` again.
   */
  follow(after: number, context: FollowContext): Promise<void>;
  /** A failure retrying cannot mend: the follower stops in state `failed`. */
  isFatal?(error: unknown): boolean;
  /** A failure that is not one: restart at once (e.g. the projector's generation was switched). */
  isRestart?(error: unknown): boolean;
  /** The position to report when it is not only what `progress` said (e.g. read from the database). */
  reportedPosition?(): Promise<number>;
  /** Extra status fields. */
  details?(): Promise<Partial<LogFollowerStatus>>;
}

export interface FollowerOptions {
  /** The log whose head the lag is measured against. */
  store: EventStore;
  clock?: () => number;
  log?: (line: string) => void;
  /** First wait after a failure (default 500 ms); doubles up to `maxRetryDelayMs` (default 30 s). */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
}

/** Runs a `FollowerTask`: the one lifecycle of every background worker. */
export class Follower implements LogFollower {
  private state: LogFollowerStatus['state'] = 'stopped';
  private error: string | undefined;
  private failures = 0;
  private position = 0;
  private abort: AbortController | null = null;
  private loop: Promise<void> | null = null;
  private readonly waiters = new Set<() => void>();
  private readonly clock: () => number;
  private readonly log: (line: string) => void;
  private readonly retryDelayMs: number;
  private readonly maxRetryDelayMs: number;

  constructor(private readonly task: FollowerTask, private readonly options: FollowerOptions) {
    this.clock = options.clock ?? Date.now;
    this.log = options.log ?? (() => undefined);
    this.retryDelayMs = options.retryDelayMs ?? 500;
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? 30_000;
  }

  get name(): string {
    return this.task.name;
  }

  /** The last position the task reported in this process. */
  get applied(): number {
    return this.position;
  }

  async start(): Promise<void> {
    if (this.loop) return;
    this.state = 'starting';
    this.error = undefined;
    this.failures = 0;
    this.abort = new AbortController();
    this.loop = this.run(this.abort.signal);
  }

  async stop(): Promise<void> {
    if (!this.loop) return;
    this.abort?.abort();
    await this.loop;
    this.loop = null;
    if (this.state !== 'failed') this.state = 'stopped';
    this.wake();
  }

  private async run(signal: AbortSignal): Promise<void> {
    let delay = this.retryDelayMs;
    const context: FollowContext = {
      signal,
      progress: (position) => {
        this.position = position;
        if (this.state !== 'running' || this.failures > 0) {
          this.state = 'running';
          this.error = undefined;
          this.failures = 0;
        }
        delay = this.retryDelayMs;
        this.wake();
      },
    };
    while (!signal.aborted) {
      try {
        const after = await this.task.resume();
        if (signal.aborted) break;
        this.position = after;
        this.state = 'running';
        this.wake();
        await this.task.follow(after, context);
        // It ended without being stopped (e.g. the store closed under it): follow again, not in a busy loop.
        if (!signal.aborted) await sleep(this.retryDelayMs, signal);
      } catch (error) {
        if (signal.aborted) break;
        const message = error instanceof Error ? error.message : String(error);
        if (this.task.isRestart?.(error)) {
          this.log(`${this.name}: ${message}; restarting`);
          continue;
        }
        this.error = message;
        if (this.task.isFatal?.(error)) {
          this.state = 'failed';
          this.log(`${this.name} stopped: ${message}`);
          this.wake();
          return;
        }
        this.failures += 1;
        this.state = 'retrying';
        this.log(`${this.name} failed (attempt ${this.failures}, retrying in ${delay} ms): ${message}`);
        this.wake();
        await sleep(delay, signal);
        delay = Math.min(delay * 2, this.maxRetryDelayMs);
      }
    }
  }

  async status(): Promise<LogFollowerStatus> {
    const position = this.task.reportedPosition ? await this.task.reportedPosition() : this.position;
    const lag = await logLag(this.options.store, position, this.clock());
    const status: LogFollowerStatus = { name: this.name, state: this.state, position, ...lag };
    if (this.failures > 0) status.failures = this.failures;
    if (this.error !== undefined) status.error = this.error;
    return { ...status, ...(await this.task.details?.()) };
  }

  /** Resolves once the task reported `position` and runs (tests, benchmarks, the CLI). */
  async waitFor(position: number, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.position < position || this.state !== 'running') {
      if (this.state === 'failed') throw new Error(`${this.name} failed at ${this.position}: ${this.error}`);
      if (Date.now() > deadline) {
        throw new Error(`${this.name} did not reach position ${position} within ${timeoutMs} ms (at ${this.position}, ${this.state}${this.error ? `: ${this.error}` : ''})`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, 50);
        function done(): void {
          clearTimeout(timer);
          resolve();
        }
        this.waiters.add(done);
      });
    }
  }

  private wake(): void {
    for (const w of this.waiters) w();
    this.waiters.clear();
  }
}

/**
 * How far `position` is behind the log: events, and seconds since the oldest unapplied event was
 * recorded (0.1 s resolution). A store that does not answer reports no lag here: its own health
 * is reported beside the followers.
 */
export async function logLag(store: EventStore, position: number, now: number): Promise<{ lagEvents: number; lagSeconds: number }> {
  try {
    const head = await store.headPosition();
    const lagEvents = Math.max(0, head - position);
    let lagSeconds = 0;
    if (lagEvents > 0) {
      const [oldest] = await store.readAll({ after: position, limit: 1 });
      if (oldest) lagSeconds = Math.max(0, Math.round((now - instant(oldest.recordedAt)) / 100) / 10);
    }
    return { lagEvents, lagSeconds };
  } catch {
    return { lagEvents: Number.NaN, lagSeconds: Number.NaN };
  }
}

export interface FollowLogOptions {
  after: number;
  batchSize: number;
  /** Bytes of stored events per batch (ReadAllOptions.maxBytes): large events make smaller batches. */
  maxBytes?: number;
  signal: AbortSignal;
}

/**
 * Applies the log after `after` in batches, in position order, until the signal aborts: catching
 * up with `readAll` (the next batch read while one is applied), then following with `subscribe`.
 * `apply` returns the position it applied up to. Throws what `apply` or the store throws.
 */
export async function followLog(
  store: EventStore,
  options: FollowLogOptions,
  apply: (events: Parameters<Parameters<EventStore['subscribe']>[1]>[0]) => Promise<number>,
): Promise<void> {
  const { batchSize, maxBytes, signal } = options;
  let position = options.after;
  let next: ReturnType<EventStore['readAll']> | null = store.readAll({ after: position, limit: batchSize, maxBytes });
  while (next && !signal.aborted) {
    const events = await next;
    next = null;
    if (events.length === 0) break;
    // A full batch (by count or by bytes) means more may be stored: read the next one meanwhile.
    if (events.length === batchSize || maxBytes !== undefined) {
      next = store.readAll({ after: events[events.length - 1]!.position, limit: batchSize, maxBytes });
      next.catch(() => undefined);
    }
    position = await apply(events);
  }
  if (signal.aborted) return;
  const subscription = store.subscribe({ after: position, batchSize, maxBytes, signal }, async (events) => {
    await apply(events);
  });
  const stop = (): void => void subscription.stop();
  signal.addEventListener('abort', stop, { once: true });
  try {
    await subscription.done;
  } finally {
    signal.removeEventListener('abort', stop);
  }
}

/** Resolves after `ms`, or at once when the signal aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(finish, ms);
    function finish(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', finish);
      resolve();
    }
    if (signal.aborted) finish();
    else signal.addEventListener('abort', finish, { once: true });
  });
}
