import type pg from 'pg';
import { instant, type RecordedEvent } from '@ledger/domain';
import { encodeStoredEvent, type EventStore, type Subscription, type LogFollowerStatus } from '@ledger/event-store';
import { changedTiles, hashFromHex, type CompactRange } from '@ledger/integrity';
import { LogIntegrityError } from './errors.js';
import { PostgresTileStore } from './postgres-tile-store.js';
import { inTransaction } from './queryable.js';
import { readTreeState, writeTreeState } from './tree-state.js';
import type { IntegrityStatus } from './integrity-report.js';

/** Serializes integrators across processes (two API processes may both run workers). */
const INTEGRATE_LOCK = 7311003;

export interface MerkleIntegratorOptions {
  /** PostgreSQL holding the tiles and the tree state (the log itself may live elsewhere). */
  pool: pg.Pool;
  /** The event log, read in position order through the port (PostgreSQL or EventStoreDB adapter). */
  store: EventStore;
  /** Events per transaction, default 5,000. */
  batchSize?: number;
  /** Bytes of stored events per transaction, default 16 MiB: large events make smaller batches, so memory stays bounded. */
  batchBytes?: number;
  clock?: () => number;
  log?: (line: string) => void;
  /** Wait before resubscribing after a transient failure (ms), default 1,000. */
  retryDelayMs?: number;
}

/**
 * Appends every event of the log, in position order, as a leaf of the RFC 6962 tree: leaf index =
 * position − 1, leaf hash = the event's stored hash, which it recomputes from the event first (it
 * never integrates an event whose content does not hash to its hash). Each batch's changed tiles
 * and the new tree state are written in one transaction, so after a crash it resumes exactly
 * where the last committed batch ended.
 */
export class MerkleIntegrator {
  readonly name = 'merkle-integrator';
  private state: LogFollowerStatus['state'] = 'stopped';
  private range: CompactRange | null = null;
  private subscription: Subscription | null = null;
  private running: Promise<void> | null = null;
  private stopping = false;
  private lastError: string | undefined;
  /** The position the integrator refused, when it stopped on one. */
  private refused: { position: number; reason: string } | null = null;
  private readonly batchSize: number;
  private readonly batchBytes: number;
  private readonly clock: () => number;
  private readonly log: (line: string) => void;
  private readonly retryDelayMs: number;

  constructor(private readonly options: MerkleIntegratorOptions) {
    this.batchSize = options.batchSize ?? 5_000;
    this.batchBytes = options.batchBytes ?? 16 * 1024 * 1024;
    this.clock = options.clock ?? Date.now;
    this.log = options.log ?? (() => undefined);
    this.retryDelayMs = options.retryDelayMs ?? 1_000;
  }

  /** Leaves integrated so far (as known to this process). */
  get size(): number {
    return this.range?.size ?? 0;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.stopping = false;
    this.state = 'starting';
    this.range = (await readTreeState(this.options.pool)).range;
    this.state = 'running';
    this.running = this.supervise();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.subscription?.stop();
    await this.running;
    this.running = null;
    if (this.state !== 'failed') this.state = 'stopped';
  }

  async status(): Promise<IntegrityStatus> {
    const position = this.size;
    let lagEvents = 0;
    let lagSeconds = 0;
    try {
      const head = await this.options.store.headPosition();
      lagEvents = Math.max(0, head - position);
      if (lagEvents > 0) {
        const [oldest] = await this.options.store.readAll({ after: position, limit: 1 });
        if (oldest) lagSeconds = Math.max(0, Math.round((this.clock() - instant(oldest.recordedAt)) / 1000));
      }
    } catch {
      // the store's own health is reported next to this
    }
    const status: IntegrityStatus = { name: this.name, state: this.state, position, lagEvents, lagSeconds };
    if (this.lastError !== undefined) status.error = this.lastError;
    if (this.refused) status.integrity = { mismatches: 1, first: this.refused };
    return status;
  }

  /**
   * Integrates everything committed up to now and returns the tree size (for the CLI and tests;
   * the worker does the same continuously). Safe next to a running integrator.
   */
  async catchUp(): Promise<number> {
    if (this.range === null) this.range = (await readTreeState(this.options.pool)).range;
    for (;;) {
      const events = await this.options.store.readAll({ after: this.range.size, limit: this.batchSize, maxBytes: this.batchBytes });
      if (events.length === 0) return this.range.size;
      await this.integrate(events);
    }
  }

  private async supervise(): Promise<void> {
    while (!this.stopping) {
      const subscription = this.options.store.subscribe(
        { after: this.size, batchSize: this.batchSize, maxBytes: this.batchBytes },
        (events) => this.integrate(events),
      );
      this.subscription = subscription;
      try {
        await subscription.done;
        return;
      } catch (error) {
        if (error instanceof LogIntegrityError) {
          this.state = 'failed';
          this.lastError = error.message;
          const position = (error.details as { position?: number } | undefined)?.position;
          if (position !== undefined) this.refused = { position, reason: error.message };
          this.log(`merkle integrator stopped: ${error.message}`);
          return;
        }
        this.lastError = `retrying after: ${error instanceof Error ? error.message : String(error)}`;
        this.log(`merkle integrator: ${this.lastError}`);
        await new Promise((resolve) => setTimeout(resolve, this.retryDelayMs));
        try {
          this.range = (await readTreeState(this.options.pool)).range;
        } catch {
          // still unavailable: the next round retries
        }
      }
    }
  }

  private async integrate(events: readonly RecordedEvent[]): Promise<void> {
    await inTransaction(this.options.pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [INTEGRATE_LOCK]);
      const stored = await readTreeState(client, true);
      // Another integrator may have gone further: continue from the stored state, skipping what it did.
      const range = stored.range.clone();
      const fresh = events.filter((e) => e.position > range.size);
      if (fresh.length === 0) {
        this.range = range;
        return;
      }
      const leaves: Buffer[] = [];
      let expected = range.size + 1;
      for (const recorded of fresh) {
        if (recorded.position !== expected) {
          throw new LogIntegrityError(`the log has no event at position ${expected} (next is ${recorded.position}): positions must be contiguous`, { position: expected });
        }
        leaves.push(checkedLeaf(recorded));
        expected++;
      }
      const previousSize = range.size;
      const nodes = range.appendAll(leaves);
      await new PostgresTileStore(client).writeTiles(changedTiles(nodes));
      await writeTreeState(client, previousSize, range, new Date(this.clock()));
      this.range = range;
    });
    this.lastError = undefined;
  }
}

/** The event's leaf hash, after checking that its content hashes to it. */
function checkedLeaf(recorded: RecordedEvent): Buffer {
  const { hash } = encodeStoredEvent(recorded.event, {
    streamId: recorded.streamId,
    streamVersion: recorded.streamVersion,
    position: recorded.position,
    recordedAt: recorded.recordedAt,
    prevHash: recorded.prevHash,
  });
  const stored = hashFromHex(recorded.hash);
  if (!hash.equals(stored)) {
    throw new LogIntegrityError(
      `refusing to integrate position ${recorded.position} (event ${recorded.event.eventId}): its content hashes to ` +
        `${hash.toString('hex')}, not to its stored hash ${recorded.hash}`,
      { position: recorded.position },
    );
  }
  return stored;
}
