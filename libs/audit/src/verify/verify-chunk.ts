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
    let event = scanStored(canonical);
    // The scanner only confirms; when anything disagrees, the exact parse decides what to report.
    if (event === null || !this.looksRight(position, row, event)) event = parseStored(canonical);
    const eventId = typeof event?.eventId === 'string' ? event.eventId : row[4];
    if (row[2] !== leafHex) {
      this.problem(position, 'hash-mismatch', `the stored text of event ${eventId} does not hash to its stored hash: the event was changed after it was recorded`);
    }
    if (event === null) {
      this.problem(position, 'unreadable-event', 'the stored text is not a JSON object');
    } else {
      if (event.position !== position) {
        this.problem(position, 'moved-event', `the row at position ${position} holds the event recorded at position ${String(event.position)} (event ${eventId}): events were moved, swapped, inserted or deleted`);
      }
      if (!columnsAgree(row, event)) this.reportColumns(position, row, event);
      this.checkChain(position, event, leafHex);
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

  private looksRight(position: number, row: LogRow, event: StoredFields): boolean {
    if (event.position !== position || !columnsAgree(row, event)) return false;
    const state = this.streams.get(event.streamId as string);
    return state === undefined || (event.streamVersion === state.lastVersion + 1 && event.prevHash === state.lastHash);
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

  private checkChain(position: number, event: StoredFields, leafHex: string): void {
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
 * The fast path: reads the fields after `data` in their canonical order with plain string
 * searches (IDs, hex, numbers and timestamps never contain a quote or a backslash). Returns null
 * when the text is not laid out so; a wrong reading can only make looksRight fail, and then the
 * exact JSON parse decides.
 */
export function scanStored(canonical: string): StoredFields | null {
  const contract = canonical.indexOf('"contractId":"');
  let at = canonical.lastIndexOf(',"eventId":"');
  if (contract < 0 || at < contract) return null;
  const contractEnd = canonical.indexOf('"', contract + 14);
  const text = (key: string): string | undefined => {
    if (!canonical.startsWith(key, at)) return undefined;
    const start = at + key.length;
    const end = canonical.indexOf('"', start);
    if (end < 0) return undefined;
    at = end + 1;
    return canonical.slice(start, end);
  };
  const number = (key: string): number | undefined => {
    if (!canonical.startsWith(key, at)) return undefined;
    const start = at + key.length;
    let end = start;
    while (end < canonical.length && canonical.charCodeAt(end) >= 48 && canonical.charCodeAt(end) <= 57) end++;
    if (end === start) return undefined;
    at = end;
    return Number(canonical.slice(start, end));
  };
  const eventId = text(',"eventId":"');
  const occurredAt = text(',"occurredAt":"');
  const position = number(',"position":');
  let prevHash: string | null | undefined = null;
  if (canonical.startsWith(',"prevHash":null', at)) at += 16;
  else prevHash = text(',"prevHash":"');
  const recordId = canonical.startsWith(',"recordId":"', at) ? text(',"recordId":"') : undefined;
  const recordedAt = text(',"recordedAt":"');
  if (canonical.startsWith(',"source":"', at)) text(',"source":"');
  const streamId = text(',"streamId":"');
  const streamVersion = number(',"streamVersion":');
  const type = text(',"type":"');
  if (
    eventId === undefined || occurredAt === undefined || position === undefined || prevHash === undefined || recordedAt === undefined ||
    streamId === undefined || streamVersion === undefined || type === undefined || at !== canonical.length - 1 || canonical[at] !== '}'
  ) {
    return null;
  }
  const fields: StoredFields = { eventId, contractId: canonical.slice(contract + 14, contractEnd), occurredAt, position, prevHash, recordedAt, streamId, streamVersion, type };
  if (recordId !== undefined) fields.recordId = recordId;
  return fields;
}

function expectedStreamId(event: StoredFields): string {
  return typeof event.recordId === 'string' ? `record-${String(event.contractId)}-${event.recordId}` : `contract-${String(event.contractId)}`;
}

/** The fast path: every stored column equals what the hashed text says. */
function columnsAgree(row: LogRow, event: StoredFields): boolean {
  return (
    row[5] === event.streamId &&
    event.streamId === expectedStreamId(event) &&
    row[3] === (event.prevHash ?? null) &&
    row[7] === event.type &&
    row[8] === event.contractId &&
    row[9] === (typeof event.recordId === 'string' ? event.recordId : null) &&
    Number(row[6]) === event.streamVersion &&
    row[4] === (typeof event.eventId === 'string' ? event.eventId.toLowerCase() : event.eventId) &&
    sameInstant(row[10], event.occurredAt) &&
    sameInstant(row[11], event.recordedAt)
  );
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
    for (let index = this.count; index % 2 === 1; index = (index - 1) / 2) hash = nodeHash(this.stack.pop()!, hash);
    this.stack.push(hash);
    this.count++;
  }

  /** Right-edge perfect subtree hashes, largest first. */
  hashes(): Buffer[] {
    return [...this.stack];
  }

  root(): Buffer {
    let root = this.stack[this.stack.length - 1]!;
    for (let i = this.stack.length - 2; i >= 0; i--) root = nodeHash(this.stack[i]!, root);
    return root;
  }
}
