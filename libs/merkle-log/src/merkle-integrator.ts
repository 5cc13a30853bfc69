import type pg from 'pg';
import { ADVISORY_LOCKS } from '@ledger/database';
import type { RecordedEvent } from '@ledger/domain';
import { encodeStoredEvent, Follower, followLog, type EventStore, type LogFollower } from '@ledger/event-store';
import { changedTiles, hashFromHex, type CompactRange } from '@ledger/integrity';
import { LogIntegrityError } from './errors.js';
import { PostgresTileStore } from './postgres-tile-store.js';
import { inTransaction } from './queryable.js';
import { readTreeState, writeTreeState } from './tree-state.js';
import type { IntegrityStatus } from './integrity-report.js';

/** Serializes integrators across processes (two API processes may both run workers). */
const INTEGRATE_LOCK = ADVISORY_LOCKS.merkleIntegrate;

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
export class MerkleIntegrator implements LogFollower {
  readonly name = 'merkle-integrator';
  private range: CompactRange | null = null;
  /** The position the integrator refused, when it stopped on one (/health names it). */
  private refused: { position: number; reason: string } | null = null;
  private readonly follower: Follower;
  private readonly batchSize: number;
  private readonly batchBytes: number;
  private readonly clock: () => number;

  constructor(private readonly options: MerkleIntegratorOptions) {
    this.batchSize = options.batchSize ?? 5_000;
    this.batchBytes = options.batchBytes ?? 16 * 1024 * 1024;
    this.clock = options.clock ?? Date.now;
    this.follower = new Follower(
      {
        name: this.name,
        resume: async () => {
          this.range = (await readTreeState(this.options.pool)).range;
          return this.range.size;
        },
        follow: (after, context) =>
          followLog(this.options.store, { after, batchSize: this.batchSize, maxBytes: this.batchBytes, signal: context.signal }, async (events) => {
            await this.integrate(events);
            context.progress(this.size);
            return this.size;
          }),
        isFatal: (error) => {
          if (!(error instanceof LogIntegrityError)) return false;
          const position = (error.details as { position?: number } | undefined)?.position;
          if (position !== undefined) this.refused = { position, reason: error.message };
          return true;
        },
        details: async () => (this.refused ? ({ integrity: { mismatches: 1, first: this.refused } } as Partial<IntegrityStatus>) : {}),
      },
      { store: options.store, clock: this.clock, log: options.log, retryDelayMs: options.retryDelayMs ?? 1_000 },
    );
  }

  /** Leaves integrated so far (as known to this process). */
  get size(): number {
    return this.range?.size ?? 0;
  }

  start(): Promise<void> {
    return this.follower.start();
  }

  stop(): Promise<void> {
    return this.follower.stop();
  }

  status(): Promise<IntegrityStatus> {
    return this.follower.status();
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
