import { CompactRange, hashToHex, leafHash } from '@ledger/integrity';
import type { LogRow } from './log-rows.js';
import type { LogProblem } from './problems.js';

/** An aligned range of positions verified on its own (in a worker thread or inline). */
export interface ChunkTask {
  /** First position; (first − 1) is a multiple of the chunk width, so the chunk is a subtree. */
  readonly first: number;
  readonly last: number;
  /** Checkpoint tree sizes within first … last whose roots must be recomputed. */
  readonly checkpointSizes: readonly number[];
  /** Leaves integrated by the Merkle log (tiles exist below it). */
  readonly integrated: number;
  readonly maxProblems: number;
}

/** The first and last event of a stream inside a chunk, for stitching chains across chunks. */
export type StreamEnds = [streamId: string, firstVersion: number, firstPrevHash: string | null, firstPosition: number, lastVersion: number, lastHash: string];

export interface ChunkResult {
  readonly first: number;
  readonly last: number;
  readonly rows: number;
  readonly problems: LogProblem[];
  /** First position of the chunk with no row, or null when every position first … last is stored. */
  readonly firstMissing: number | null;
  /** Hex root of the chunk's subtree, when every position is stored. */
  readonly root: string | null;
  /** Hex right-edge hashes (largest first) of positions first … size, per checkpoint size. */
  readonly frontiers: Array<{ size: number; hashes: string[] | null }>;
  readonly streams: StreamEnds[];
}

export interface ChunkSource {
  rows(after: number, until: number, limit: number): Promise<LogRow[]>;
  leafHashes(firstLeaf: number, lastLeaf: number): Promise<Map<number, Buffer>>;
}

const PAGE = 8_192;

/** Verifies one chunk: every row's hash, columns, position and chain links inside the chunk. */
export async function verifyChunk(source: ChunkSource, task: ChunkTask, onRows?: (rows: number) => void): Promise<ChunkResult> {
  const checker = new ChunkChecker(task);
  let after = task.first - 1;
  let next = fetchPage(source, after, task);
  for (;;) {
    const { rows, leaves } = await next;
    if (rows.length === 0) break;
    after = Number(rows[rows.length - 1]![0]);
    const more = rows.length === PAGE && after < task.last;
    // The next page is on its way from PostgreSQL while this one is checked.
    if (more) next = fetchPage(source, after, task);
    for (const row of rows) checker.accept(row, leaves);
    onRows?.(rows.length);
    if (!more) break;
  }
  return checker.finish();
}

async function fetchPage(source: ChunkSource, after: number, task: ChunkTask): Promise<{ rows: LogRow[]; leaves: Map<number, Buffer> }> {
  const until = Math.min(task.last, after + PAGE);
  const [rows, leaves] = await Promise.all([
    source.rows(after, task.last, PAGE),
    // Leaf index = position − 1; tiles exist only for integrated leaves.
    source.leafHashes(after, Math.min(until, task.integrated) - 1),
  ]);
  return { rows, leaves };
}

interface StreamState {
  firstVersion: number;
  firstPrevHash: string | null;
  firstPosition: number;
  lastVersion: number;
  lastHash: string;
}

class ChunkChecker {
  private readonly range = CompactRange.empty();
  private readonly problems: LogProblem[] = [];
  private readonly streams = new Map<string, StreamState>();
  private readonly frontiers: Array<{ size: number; hashes: string[] | null }> = [];
  private readonly pendingSizes: number[];
  private expected: number;
  private firstMissing: number | null = null;
  private rows = 0;

  constructor(private readonly task: ChunkTask) {
    this.expected = task.first;
    this.pendingSizes = [...task.checkpointSizes].sort((a, b) => a - b);
  }

  accept(row: LogRow, leaves: Map<number, Buffer>): void {
    const position = Number(row[0]);
    const canonical = row[1];
    this.rows++;
    if (position !== this.expected) {
      this.missing(this.expected, position - 1, `the next stored row is position ${position}`);
      this.expected = position;
    }
    this.expected++;

    const leaf = leafHash(canonical);
    const leafHex = hashToHex(leaf);
    const storedHash = row[2];
    let event: Record<string, unknown> | null = null;
    try {
      const parsed: unknown = JSON.parse(canonical);
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) event = parsed as Record<string, unknown>;
    } catch {
      // reported below
    }
    const eventId = typeof event?.eventId === 'string' ? event.eventId : row[4];
    if (storedHash !== leafHex) {
      this.problem(position, 'hash-mismatch', `the stored text of event ${eventId} does not hash to its stored hash: the event was changed after it was recorded`);
    }
    if (event === null) {
      this.problem(position, 'unreadable-event', 'the stored text is not a JSON object');
    } else {
      if (event.position !== position) {
        this.problem(position, 'moved-event', `the row at position ${position} holds the event recorded at position ${String(event.position)} (event ${eventId}): events were moved, swapped, inserted or deleted`);
      }
      this.checkColumns(position, row, event);
      this.checkChain(position, event, leafHex);
    }
    const integrated = leaves.get(position - 1);
    if (integrated !== undefined && !integrated.equals(leaf)) {
      this.problem(position, 'leaf-mismatch', `the event's hash differs from leaf ${position - 1} that the Merkle log integrated: the event was replaced after it was logged`);
    }

    if (this.firstMissing === null) {
      this.range.append(leaf);
      while (this.pendingSizes.length > 0 && this.pendingSizes[0]! <= position) {
        const size = this.pendingSizes.shift()!;
        this.frontiers.push({ size, hashes: size === position ? this.range.hashes().map(hashToHex) : null });
      }
    }
  }

  finish(): ChunkResult {
    if (this.expected <= this.task.last) this.missing(this.expected, this.task.last, 'the log ends before it');
    for (const size of this.pendingSizes) this.frontiers.push({ size, hashes: null });
    const complete = this.firstMissing === null;
    const streams: StreamEnds[] = [];
    for (const [id, s] of this.streams) streams.push([id, s.firstVersion, s.firstPrevHash, s.firstPosition, s.lastVersion, s.lastHash]);
    return {
      first: this.task.first,
      last: this.task.last,
      rows: this.rows,
      problems: this.problems,
      firstMissing: this.firstMissing,
      root: complete ? hashToHex(this.range.root()) : null,
      frontiers: this.frontiers,
      streams,
    };
  }

  private missing(from: number, to: number, why: string): void {
    this.firstMissing ??= from;
    const which = from === to ? `position ${from} is missing` : `positions ${from}–${to} are missing`;
    this.problem(from, 'missing-position', `${which} (${why}): events were deleted or the log was cut`);
  }

  private checkColumns(position: number, row: LogRow, event: Record<string, unknown>): void {
    const recordId = typeof event.recordId === 'string' ? event.recordId : null;
    const contractId = event.contractId;
    const streamId = recordId === null ? `contract-${String(contractId)}` : `record-${String(contractId)}-${recordId}`;
    if (event.streamId !== streamId) {
      this.problem(position, 'column-mismatch', `the event's streamId ${JSON.stringify(event.streamId)} is not the stream of its contract and record (${streamId})`);
    }
    const differs: string[] = [];
    const compare = (column: string, stored: unknown, hashed: unknown): void => {
      if (stored !== hashed) differs.push(`${column} is ${JSON.stringify(stored)} but the hashed event says ${JSON.stringify(hashed)}`);
    };
    compare('event_id', row[4], typeof event.eventId === 'string' ? event.eventId.toLowerCase() : event.eventId);
    compare('stream_id', row[5], event.streamId);
    compare('stream_version', Number(row[6]), event.streamVersion);
    compare('type', row[7], event.type);
    compare('contract_id', row[8], contractId);
    compare('record_id', row[9], recordId);
    compare('prev_hash', row[3], event.prevHash ?? null);
    compareTime('occurred_at', row[10], event.occurredAt, differs);
    compareTime('recorded_at', row[11], event.recordedAt, differs);
    for (const difference of differs) this.problem(position, 'column-mismatch', `column ${difference}`);
  }

  private checkChain(position: number, event: Record<string, unknown>, leafHex: string): void {
    const streamId = String(event.streamId);
    const version = event.streamVersion;
    const prevHash = (event.prevHash ?? null) as string | null;
    if (typeof version !== 'number') return;
    const state = this.streams.get(streamId);
    if (state === undefined) {
      this.streams.set(streamId, { firstVersion: version, firstPrevHash: prevHash, firstPosition: position, lastVersion: version, lastHash: leafHex });
      return;
    }
    if (version !== state.lastVersion + 1) {
      this.problem(position, 'stream-chain', `stream ${streamId}: version ${version} follows version ${state.lastVersion}`);
    } else if (prevHash !== state.lastHash) {
      this.problem(position, 'stream-chain', `stream ${streamId} version ${version}: prevHash ${String(prevHash)} is not the hash of version ${state.lastVersion} (${state.lastHash})`);
    }
    state.lastVersion = version;
    state.lastHash = leafHex;
  }

  private problem(position: number, kind: LogProblem['kind'], message: string): void {
    if (this.problems.length < this.task.maxProblems) this.problems.push({ position, kind, message });
  }
}

function compareTime(column: string, storedMs: string, hashed: unknown, differs: string[]): void {
  const hashedMs = typeof hashed === 'string' ? Date.parse(hashed) : Number.NaN;
  const stored = Number(storedMs);
  if (!(Math.abs(stored - hashedMs) <= 1)) {
    differs.push(`${column} is ${Number.isFinite(stored) ? new Date(stored).toISOString() : storedMs} but the hashed event says ${JSON.stringify(hashed)}`);
  }
}
