import type pg from 'pg';
import { isDatabaseUnavailable } from '@ledger/database';
import type { RecordedEvent } from '@ledger/domain';
import { encodeStoredEvent, Follower, sleep, type EventStore, type LogFollower } from '@ledger/event-store';
import { checkpointName, CompactRange, TILE_WIDTH, hashFromHex, tileKey, type TileRequest } from '@ledger/integrity';
import { PostgresCheckpointStore } from './checkpoint-store.js';
import { PostgresTileStore } from './postgres-tile-store.js';
import { readTreeState } from './tree-state.js';
import type { IntegrityFinding, IntegrityStatus } from './integrity-report.js';

export interface IntegrityScrubberOptions {
  /** PostgreSQL holding the tiles and the checkpoints. */
  pool: pg.Pool;
  store: EventStore;
  /** Events re-verified per second (the pace; the scrubber sleeps to keep it). */
  eventsPerSecond: number;
  /** Pause between two passes over the log (ms). */
  pauseMs: number;
  /** Bytes of stored events per read, default 8 MiB. */
  batchBytes?: number;
  log?: (line: string) => void;
}

/** Slices per second: the pace is kept in slices of 1/50 s of its events (a 20 ms sleep between them). */
const SLICES_PER_SECOND = 50;

/**
 * Events checked per slice. Each costs ≈ 20 µs of the worker's CPU (read, decode, canonical form,
 * hash) and PostgreSQL's reading: a slice of a quarter second's events (500 at the default pace)
 * held a core ≈ 10 ms at a time, and answers that met one waited for it (bench:compliance: the
 * contract view's p99 fell from 22 to 13–17 ms with the scrubber off). Slices of 1/50 s (40 events)
 * hold it under a millisecond; the pace, and so the scrubber's share of the machine, is unchanged.
 */
export function scrubSliceSize(eventsPerSecond: number): number {
  return Math.max(1, Math.min(2_000, Math.ceil(eventsPerSecond / SLICES_PER_SECOND)));
}

/** Findings kept at most (a log rewritten wholesale is reported by its first positions and the count). */
const MAX_FINDINGS = 10_000;

/**
 * Continuous verification (docs/operations.md "Integrity scrubber"): passes over the log again and
 * again at a set pace, and for every stored event checks that its content hashes to its stored
 * leaf hash, that this hash is the leaf of the Merkle tiles at its position, and that positions have
 * no gap; at the end of a pass, that the tree rebuilt from the recomputed leaves has the root of the
 * latest signed checkpoint. So a change made behind the ledger's back (a superuser's UPDATE with
 * the triggers disabled, a restored backup, a bad disk) is reported on /health within one pass,
 * not only when someone runs `verify`. Memory is bounded: one batch and O(log n) hashes.
 */
export class IntegrityScrubber implements LogFollower {
  readonly name = 'integrity-scrubber';
  private position = 0;
  private target = 0;
  private checked = 0;
  private passes = 0;
  private readonly findings = new Map<number, string>();
  private seenThisPass = new Set<number>();
  private readonly follower: Follower;
  private readonly batchSize: number;
  private readonly log: (line: string) => void;

  constructor(private readonly options: IntegrityScrubberOptions) {
    this.batchSize = scrubSliceSize(options.eventsPerSecond);
    this.log = options.log ?? (() => undefined);
    // The follower runtime restarts it with backoff when the database fails; each run starts a pass.
    this.follower = new Follower(
      {
        name: this.name,
        resume: async () => 0,
        follow: async (_after, context) => {
          while (!context.signal.aborted) {
            await this.pass(context.signal, true, (position) => context.progress(position));
            await sleep(this.options.pauseMs, context.signal);
          }
        },
        details: async () => this.report(),
      },
      { store: options.store, log: options.log },
    );
  }

  start(): Promise<void> {
    return this.follower.start();
  }

  stop(): Promise<void> {
    return this.follower.stop();
  }

  async status(): Promise<IntegrityStatus> {
    return this.follower.status();
  }

  /** Its position in the current pass; no lag (it re-reads old events rather than following the head); what it found. */
  private async report(): Promise<Partial<IntegrityStatus>> {
    const first = [...this.findings.entries()].sort((a, b) => a[0] - b[0])[0];
    return {
      position: this.position,
      lagEvents: 0,
      lagSeconds: 0,
      integrity: {
        mismatches: this.findings.size,
        checked: this.checked,
        passes: this.passes,
        remaining: Math.max(0, this.target - this.position),
        ...(first ? { first: { position: first[0], reason: first[1] } } : {}),
      },
    };
  }

  /** One whole pass now (tests, the CLI): every finding of it. */
  async scrubOnce(signal: AbortSignal = new AbortController().signal): Promise<IntegrityFinding[]> {
    await this.pass(signal, false, () => undefined);
    return [...this.seenThisPass].sort((a, b) => a - b).map((position) => ({ position, reason: this.findings.get(position)! }));
  }

  private async pass(signal: AbortSignal, paced: boolean, progress: (position: number) => void): Promise<void> {
    const checkpoint = await new PostgresCheckpointStore(this.options.pool).latest();
    const integrated = (await readTreeState(this.options.pool)).size;
    // Up to the latest signed checkpoint, whose root the pass checks; the integrated tree when none is signed yet.
    this.target = checkpoint ? Math.min(checkpoint.treeSize, integrated) : integrated;
    this.seenThisPass = new Set();
    this.position = 0;
    const range = CompactRange.empty();
    const tiles = new PostgresTileStore(this.options.pool);
    while (this.position < this.target && !signal.aborted) {
      const started = Date.now();
      const limit = Math.min(this.batchSize, this.target - this.position);
      const events = await this.read(this.position, limit);
      if (events === null) {
        // Position + 1 cannot even be read back (its stored text is not an event): report it, go on.
        this.position += 1;
        this.found(this.position, 'the stored event cannot be read (its stored text is not a ledger event)');
        range.append(Buffer.alloc(32));
        continue;
      }
      if (events.length === 0) {
        this.found(this.position + 1, 'the log has no event at this position, though the Merkle log has a leaf for it');
        break;
      }
      const leaves = await this.tileLeaves(tiles, events[0]!.position, events[events.length - 1]!.position);
      for (const recorded of events) {
        const expected = this.position + 1;
        if (recorded.position !== expected) {
          this.found(expected, `the log has no event at this position (the next one is at ${recorded.position})`);
          break;
        }
        const hash = encodeStoredEvent(recorded.event, recorded).hash;
        if (!hash.equals(hashFromHex(recorded.hash))) {
          this.found(expected, 'the stored event does not hash to its stored leaf hash (its content was changed)');
        } else {
          const leaf = leaves.get(expected);
          if (leaf && !leaf.equals(hash)) this.found(expected, 'the leaf hash differs from the Merkle log tile at this position');
        }
        range.append(hash);
        this.position = expected;
        this.checked += 1;
      }
      progress(this.position);
      if (this.position < lastPosition(events)) break;
      if (paced) {
        const budgetMs = (events.length / Math.max(1, this.options.eventsPerSecond)) * 1000;
        await sleep(Math.max(0, budgetMs - (Date.now() - started)), signal);
      }
    }
    if (signal.aborted) return;
    if (checkpoint && this.position === checkpoint.treeSize && !range.root().equals(checkpoint.rootHash)) {
      const first = [...this.seenThisPass].sort((a, b) => a - b)[0];
      if (first === undefined) this.found(checkpoint.treeSize, `the log's events up to here do not give the root of signed ${checkpointName(checkpoint.treeSize, checkpoint.seq)}`);
    }
    // A position that a whole pass found sound again is no longer reported.
    for (const position of [...this.findings.keys()]) if (!this.seenThisPass.has(position)) this.findings.delete(position);
    this.passes += 1;
  }

  /** A batch after `after`, cut by bytes; null when its first event cannot be decoded. */
  private async read(after: number, limit: number): Promise<RecordedEvent[] | null> {
    try {
      return await this.options.store.readAll({ after, limit, maxBytes: this.options.batchBytes ?? 8 * 1024 * 1024 });
    } catch (error) {
      if (isDatabaseUnavailable(error) || limit === 1) {
        if (limit === 1 && !isDatabaseUnavailable(error)) return null;
        throw error;
      }
      // Some event of the batch does not decode: go one by one to name it.
      return this.read(after, 1);
    }
  }

  /** The level-0 tile hashes (leaves) of positions first..last, by position. */
  private async tileLeaves(tiles: PostgresTileStore, first: number, last: number): Promise<Map<number, Buffer>> {
    const requests: TileRequest[] = [];
    for (let index = Math.floor((first - 1) / TILE_WIDTH); index <= Math.floor((last - 1) / TILE_WIDTH); index++) requests.push({ level: 0, index, width: 1 });
    const found = await tiles.readTiles(requests);
    const leaves = new Map<number, Buffer>();
    for (const request of requests) {
      const hashes = found.get(tileKey(request.level, request.index)) ?? [];
      hashes.forEach((hash, i) => leaves.set(request.index * TILE_WIDTH + i + 1, hash));
    }
    return leaves;
  }

  private found(position: number, reason: string): void {
    this.seenThisPass.add(position);
    if (!this.findings.has(position)) {
      if (this.findings.size >= MAX_FINDINGS) return;
      this.findings.set(position, reason);
      this.log(`integrity scrubber: position ${position}: ${reason}`);
    }
  }
}

function lastPosition(events: readonly RecordedEvent[]): number {
  return events[events.length - 1]!.position;
}
