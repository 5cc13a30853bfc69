import type { RecordedEvent } from '@ledger/domain';
import type { LogFollowerStatus, Subscription } from '@ledger/event-store';
import { applyBatch, type ProjectionSet } from './apply-batch.js';
import {
  ensureActiveGeneration,
  findGeneration,
  generationPosition,
  GenerationChangedError,
} from './generations.js';

export interface ProjectorOptions {
  /** Events per transaction (default 2,000). */
  batchSize?: number;
  clock?: () => number;
  log?: (line: string) => void;
  /** First wait after a failure; doubles up to 30 s (default 500 ms). */
  retryDelayMs?: number;
}

/** A log follower's status, with the read-model generation it serves. */
export interface ProjectorStatus extends LogFollowerStatus {
  generation?: number;
}

/**
 * The projector: catches up from the serving generation's checkpoints (`readAll`, the next batch
 * read while one is applied), then follows the log (`subscribe`), applying every registered
 * projection batch by batch (read models and checkpoints in one transaction), and resumes from
 * the checkpoints after a stop, a crash or a failed batch. It reads only through the EventStore
 * port, so it works with any adapter.
 */
export class Projector {
  readonly name = 'projector';
  private state: ProjectorStatus['state'] = 'stopped';
  private error: string | undefined;
  private abort: AbortController | null = null;
  private loop: Promise<void> | null = null;
  private subscription: Subscription | null = null;
  private readonly batchSize: number;
  private readonly clock: () => number;
  private readonly log: (line: string) => void;
  private readonly retryDelayMs: number;
  private readonly waiters = new Set<() => void>();
  private position = 0;

  constructor(private readonly set: ProjectionSet, options: ProjectorOptions = {}) {
    this.batchSize = options.batchSize ?? 2_000;
    this.clock = options.clock ?? Date.now;
    this.log = options.log ?? (() => undefined);
    this.retryDelayMs = options.retryDelayMs ?? 500;
  }

  async start(): Promise<void> {
    if (this.loop) return;
    this.state = 'starting';
    this.abort = new AbortController();
    this.loop = this.run(this.abort.signal);
  }

  async stop(): Promise<void> {
    if (!this.loop) return;
    this.abort?.abort();
    await this.subscription?.stop();
    await this.loop;
    this.loop = null;
    this.state = 'stopped';
    this.wake();
  }

  private async run(signal: AbortSignal): Promise<void> {
    let delay = this.retryDelayMs;
    while (!signal.aborted) {
      try {
        const generation = await ensureActiveGeneration(this.set.dataSource, this.set.projections);
        const after = await generationPosition(this.set.dataSource, generation, this.set.projections);
        if (signal.aborted) break;
        this.position = after;
        this.state = 'running';
        this.error = undefined;
        this.wake();
        // Catching up: read the next batch while this one is applied (readAll), then follow (subscribe).
        let position = after;
        let next: Promise<RecordedEvent[]> | null = this.set.eventStore.readAll({ after: position, limit: this.batchSize });
        while (next && !signal.aborted) {
          const events: RecordedEvent[] = await next;
          next = null;
          if (events.length === 0) break;
          const last = events[events.length - 1]!.position;
          if (events.length === this.batchSize) {
            next = this.set.eventStore.readAll({ after: last, limit: this.batchSize });
            next.catch(() => undefined);
          }
          position = this.position = await applyBatch(this.set, generation, events, { status: 'active' });
          delay = this.retryDelayMs;
          this.wake();
        }
        if (signal.aborted) break;
        this.subscription = this.set.eventStore.subscribe({ after: position, batchSize: this.batchSize, signal }, async (events) => {
          this.position = await applyBatch(this.set, generation, events, { status: 'active' });
          delay = this.retryDelayMs;
          this.wake();
        });
        await this.subscription.done;
      } catch (error) {
        if (signal.aborted) break;
        if (error instanceof GenerationChangedError) {
          this.log(`projector: ${error.message}; following the new generation`);
          continue;
        }
        this.state = 'failed';
        this.error = error instanceof Error ? error.message : String(error);
        this.log(`projector failed (retrying in ${delay} ms): ${this.error}`);
        this.wake();
        await sleep(delay, signal);
        delay = Math.min(delay * 2, 30_000);
      } finally {
        this.subscription = null;
      }
    }
  }

  /** Where the serving generation's projections are, and how far behind the log. */
  async status(): Promise<ProjectorStatus> {
    const store = this.set.eventStore;
    // The serving generation, from the database: a rebuild may have switched it since this projector's last batch.
    const generation = await findGeneration(this.set.dataSource, 'active');
    const position = generation ? await generationPosition(this.set.dataSource, generation, this.set.projections) : 0;
    const head = await store.headPosition();
    let lagSeconds = 0;
    if (head > position) {
      const [next] = await store.readAll({ after: position, limit: 1 });
      if (next) lagSeconds = Math.max(0, (this.clock() - Date.parse(next.recordedAt)) / 1000);
    }
    return {
      name: this.name,
      state: this.state,
      position,
      lagEvents: Math.max(0, head - position),
      lagSeconds,
      ...(this.error ? { error: this.error } : {}),
      ...(generation ? { generation: generation.generation } : {}),
    };
  }

  /** Resolves once the projections have applied the log up to `position` (tests, benchmarks). */
  async waitFor(position: number, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.position < position || this.state !== 'running') {
      if (Date.now() > deadline) {
        throw new Error(`projector did not reach position ${position} within ${timeoutMs} ms (at ${this.position}, ${this.state}${this.error ? `: ${this.error}` : ''})`);
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

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(finish, ms);
    function finish(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', finish);
      resolve();
    }
    signal.addEventListener('abort', finish, { once: true });
  });
}
