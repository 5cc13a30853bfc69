import crypto from 'node:crypto';
import { hashToHex, leafHash, nodeHash } from '@ledger/integrity';
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
/**
 * The first and last event of each stream inside a chunk, flattened (six entries per stream:
 * streamId, firstVersion, firstPrevHash, firstPosition, lastVersion, lastHash) so that a chunk's
 * tens of thousands of streams cross from a worker thread as one array of primitives.
 */
export type StreamEnds = Array<string | number | null>;

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
  readonly streams: StreamEnds;
}

export interface ChunkSource {
  rows(after: number, until: number, limit: number): Promise<LogRow[]>;
  /** Level-0 tiles by tile index, covering leaf indexes firstLeaf … lastLeaf. */
  leafTiles(firstLeaf: number, lastLeaf: number): Promise<Map<number, Buffer>>;
}

const PAGE = 8_192;

/** Verifies one chunk: every row's hash, columns, position and chain links inside the chunk. */
export async function verifyChunk(source: ChunkSource, task: ChunkTask, onRows?: (rows: number) => void): Promise<ChunkResult> {
  const checker = new ChunkChecker(task);
  let after = task.first - 1;
  let next = fetchPage(source, after, task);
  for (;;) {
    const { rows, tiles } = await next;
    if (rows.length === 0) break;
    after = Number(rows[rows.length - 1]![0]);
    const more = rows.length === PAGE && after < task.last;
    // The next page is on its way from PostgreSQL while this one is checked.
    if (more) next = fetchPage(source, after, task);
    for (const row of rows) checker.accept(row, tiles);
    onRows?.(rows.length);
    if (!more) break;
  }
  return checker.finish();
}

async function fetchPage(source: ChunkSource, after: number, task: ChunkTask): Promise<{ rows: LogRow[]; tiles: Map<number, Buffer> }> {
  const until = Math.min(task.last, after + PAGE);
  const [rows, tiles] = await Promise.all([
    source.rows(after, task.last, PAGE),
    // Leaf index = position − 1; tiles exist only for integrated leaves.
    source.leafTiles(after, Math.min(until, task.integrated) - 1),
  ]);
  return { rows, tiles };
}

interface StreamState {
  firstVersion: number;
  firstPrevHash: string | null;
  firstPosition: number;
  lastVersion: number;
  lastHash: string;
}

class ChunkChecker {
  private readonly range = new Frontier();
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

  accept(row: LogRow, tiles: Map<number, Buffer>): void {
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
    if (matchesColumns(canonical, row)) {
      // Fast path: the hashed text says exactly what the columns say, position included.
      if (row[2] !== leafHex) {
        this.problem(position, 'hash-mismatch', `the stored text of event ${row[4]} does not hash to its stored hash: the event was changed after it was recorded`);
      }
      this.link(position, row[5], Number(row[6]), row[3], leafHex);
    } else {
      this.checkParsed(position, row, parseStored(canonical), leafHex);
    }
    const tile = tiles.get(Math.floor((position - 1) / 256));
    const offset = ((position - 1) % 256) * 32;
    if (tile !== undefined && tile.length >= offset + 32 && leaf.compare(tile, offset, offset + 32) !== 0) {
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
    const streams: StreamEnds = [];
    for (const [id, s] of this.streams) streams.push(id, s.firstVersion, s.firstPrevHash, s.firstPosition, s.lastVersion, s.lastHash);
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

  /** The slow path: the text is parsed whole and each disagreement is named. */
  private checkParsed(position: number, row: LogRow, event: StoredFields | null, leafHex: string): void {
    const eventId = typeof event?.eventId === 'string' ? event.eventId : row[4];
    if (row[2] !== leafHex) {
      this.problem(position, 'hash-mismatch', `the stored text of event ${eventId} does not hash to its stored hash: the event was changed after it was recorded`);
    }
    if (event === null) {
      this.problem(position, 'unreadable-event', 'the stored text is not a JSON object');
      return;
    }
    if (event.position !== position) {
      this.problem(position, 'moved-event', `the row at position ${position} holds the event recorded at position ${String(event.position)} (event ${eventId}): events were moved, swapped, inserted or deleted`);
    }
    this.reportColumns(position, row, event);
    if (typeof event.streamVersion === 'number') {
      this.link(position, String(event.streamId), event.streamVersion, typeof event.prevHash === 'string' ? event.prevHash : null, leafHex);
    }
  }

  /** The slow path, only for a row whose columns differ: says which. */
  private reportColumns(position: number, row: LogRow, event: StoredFields): void {
    const recordId = typeof event.recordId === 'string' ? event.recordId : null;
    const streamId = expectedStreamId(event);
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
    compare('contract_id', row[8], event.contractId);
    compare('record_id', row[9], recordId);
    compare('prev_hash', row[3], event.prevHash ?? null);
    if (!sameInstant(row[10], event.occurredAt)) differs.push(`occurred_at is ${instantText(row[10])} but the hashed event says ${JSON.stringify(event.occurredAt)}`);
    if (!sameInstant(row[11], event.recordedAt)) differs.push(`recorded_at is ${instantText(row[11])} but the hashed event says ${JSON.stringify(event.recordedAt)}`);
    for (const difference of differs) this.problem(position, 'column-mismatch', `column ${difference}`);
  }

  /** Links the event to the previous one of its stream (within the chunk; across chunks, verifyLog does). */
  private link(position: number, streamId: string, version: number, prevHash: string | null, leafHex: string): void {
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

/** The top-level fields of a stored event the verifier checks (actor and data are not needed). */
export interface StoredFields {
  eventId?: unknown;
  type?: unknown;
  contractId?: unknown;
  recordId?: unknown;
  occurredAt?: unknown;
  recordedAt?: unknown;
  position?: unknown;
  streamId?: unknown;
  streamVersion?: unknown;
  prevHash?: unknown;
}

/**
 * The fields of a stored event. Canonical JSON sorts keys, so every field after `data` is a plain
 * value: parse only from `"eventId"` on (about half the text, and neither actor nor data), and
 * contractId (which precedes data) directly. A text that does not look so is parsed whole; one that
 * is not what the ledger wrote fails its hash check anyway.
 */
export function parseStored(canonical: string): StoredFields | null {
  const tail = canonical.lastIndexOf(',"eventId":"');
  const contract = canonical.indexOf('"contractId":"');
  if (tail > 0 && contract > 0 && contract < tail) {
    const end = canonical.indexOf('"', contract + 14);
    const contractId = canonical.slice(contract + 14, end);
    if (end > 0 && !contractId.includes('\\')) {
      try {
        const fields = JSON.parse(`{${canonical.slice(tail + 1)}`) as StoredFields;
        if (fields !== null && typeof fields === 'object') {
          fields.contractId = contractId;
          return fields;
        }
      } catch {
        // fall through to the whole text
      }
    }
  }
  try {
    const parsed: unknown = JSON.parse(canonical);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as StoredFields) : null;
  } catch {
    return null;
  }
}

/**
 * The fast path: whether the hashed text says exactly what the row's columns say, read in place
 * (canonical JSON sorts keys, so every field after `data` comes in a known order, as plain
 * values). No allocation: string comparisons at offsets and a digit-by-digit timestamp reader.
 * False for anything else, and then the exact JSON parse decides what to report.
 */
export function matchesColumns(canonical: string, row: LogRow): boolean {
  const contractId = row[8];
  const recordId = row[9];
  const streamId = row[5];
  // stream_id must be the stream of contract_id and record_id.
  if (recordId === null) {
    if (streamId.length !== 9 + contractId.length || !streamId.startsWith('contract-') || !streamId.endsWith(contractId)) return false;
  } else if (
    streamId.length !== 8 + contractId.length + recordId.length || !streamId.startsWith('record-') ||
    !streamId.startsWith(contractId, 7) || streamId.charCodeAt(7 + contractId.length) !== 45 || !streamId.endsWith(recordId)
  ) {
    return false;
  }
  const contract = canonical.indexOf('"contractId":"');
  if (contract < 0 || !canonical.startsWith(contractId, contract + 14) || canonical.charCodeAt(contract + 14 + contractId.length) !== 34) return false;
  text = canonical;
  at = canonical.lastIndexOf(',"eventId":"');
  if (at < contract) return false;
  if (!(expect(',"eventId":"') && expect(row[4]) && expect('","occurredAt":"') && instant(row[10]))) return false;
  if (!(expect('","position":') && expect(row[0]) && expect(',"prevHash":'))) return false;
  if (!(row[3] === null ? expect('null') : expect('"') && expect(row[3]) && expect('"'))) return false;
  if (recordId !== null && !(expect(',"recordId":"') && expect(recordId) && expect('"'))) return false;
  if (!(expect(',"recordedAt":"') && instant(row[11]) && expect('"'))) return false;
  if (canonical.startsWith(',"source":"', at)) {
    const end = canonical.indexOf('"', at + 11);
    if (end < 0) return false;
    at = end + 1;
  }
  return (
    expect(',"streamId":"') && expect(streamId) && expect('","streamVersion":') && expect(row[6]) &&
    expect(',"type":"') && expect(row[7]) && expect('"}') && at === canonical.length
  );
}

// The cursor of matchesColumns (module state rather than closures: nothing allocated per row).
let text = '';
let at = 0;

function expect(piece: string): boolean {
  if (!text.startsWith(piece, at)) return false;
  at += piece.length;
  return true;
}

function instant(storedMs: string): boolean {
  const end = text.indexOf('"', at);
  if (end < 0) return false;
  const ms = readInstant(text, at, end);
  at = end;
  return ms !== null && Math.abs(Number(storedMs) - ms) <= 1;
}

/**
 * Epoch milliseconds of an RFC 3339 timestamp with offset in text[start, end), fraction truncated
 * to milliseconds as Date.parse does; null for any other shape.
 */
export function readInstant(text: string, start: number, end: number): number | null {
  const digits = (from: number, count: number): number => {
    let value = 0;
    for (let i = from; i < from + count; i++) {
      const d = text.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return Number.NaN;
      value = value * 10 + d;
    }
    return value;
  };
  if (end - start < 20 || text.charCodeAt(start + 4) !== 45 || text.charCodeAt(start + 7) !== 45 || text.charCodeAt(start + 10) !== 84 ||
      text.charCodeAt(start + 13) !== 58 || text.charCodeAt(start + 16) !== 58) {
    return null;
  }
  let at = start + 19;
  let ms = 0;
  if (text.charCodeAt(at) === 46) {
    let scale = 100;
    at++;
    const first = at;
    while (at < end && text.charCodeAt(at) >= 48 && text.charCodeAt(at) <= 57) {
      if (scale >= 1) ms += (text.charCodeAt(at) - 48) * scale;
      scale /= 10;
      at++;
    }
    if (at === first) return null;
  }
  let offset: number;
  const sign = text.charCodeAt(at);
  if (sign === 90 && at + 1 === end) {
    offset = 0;
  } else if ((sign === 43 || sign === 45) && at + 6 === end && text.charCodeAt(at + 3) === 58) {
    offset = (digits(at + 1, 2) * 60 + digits(at + 4, 2)) * 60_000 * (sign === 43 ? 1 : -1);
  } else {
    return null;
  }
  const utc = Date.UTC(digits(start, 4), digits(start + 5, 2) - 1, digits(start + 8, 2), digits(start + 11, 2), digits(start + 14, 2), digits(start + 17, 2));
  const result = utc + ms - offset;
  return Number.isFinite(result) ? result : null;
}

function expectedStreamId(event: StoredFields): string {
  return typeof event.recordId === 'string' ? `record-${String(event.contractId)}-${event.recordId}` : `contract-${String(event.contractId)}`;
}

/** PostgreSQL keeps microseconds, Date.parse milliseconds: equal within one millisecond. */
function sameInstant(storedMs: string, hashed: unknown): boolean {
  return typeof hashed === 'string' && Math.abs(Number(storedMs) - Date.parse(hashed)) <= 1;
}

function instantText(storedMs: string): string {
  const ms = Number(storedMs);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : storedMs;
}

/**
 * The right edge of the chunk's tree: CompactRange's algorithm without the completed-node list it
 * returns per append (the verifier only needs roots), so a million appends allocate nothing else.
 */
class Frontier {
  private readonly stack: Buffer[] = [];
  private count = 0;

  append(leaf: Buffer): void {
    let hash = leaf;
    for (let index = this.count; index % 2 === 1; index = (index - 1) / 2) hash = interiorHash(this.stack.pop()!, hash);
    this.stack.push(hash);
    this.count++;
  }

  /** Right-edge perfect subtree hashes, largest first. */
  hashes(): Buffer[] {
    return [...this.stack];
  }

  root(): Buffer {
    let root = this.stack[this.stack.length - 1]!;
    for (let i = this.stack.length - 2; i >= 0; i--) root = interiorHash(this.stack[i]!, root);
    return root;
  }
}

// RFC 6962 SHA-256(0x01 ‖ left ‖ right) through one reused 65-byte buffer and the one-shot hash
// (Node ≥ 20.12), a million times cheaper in garbage than a Hash object per node. Same bytes as
// nodeHash of libs/integrity, which the tests compare it with.
const oneShot = (crypto as { hash?: (algorithm: string, data: Uint8Array, encoding: 'buffer') => Buffer }).hash;
const scratch = Buffer.alloc(65, 1);

export function interiorHash(left: Buffer, right: Buffer): Buffer {
  if (oneShot === undefined) return nodeHash(left, right);
  left.copy(scratch, 1);
  right.copy(scratch, 33);
  return oneShot('sha256', scratch, 'buffer');
}
