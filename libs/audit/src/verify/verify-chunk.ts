import crypto from 'node:crypto';
import { hashToHex, leafHash, nodeHash } from '@ledger/integrity';
import type { LedgerEvent } from '@ledger/domain';
import { PartyKeyring, type PartyKey } from '../signatures/party-keys.js';
import type { TupleHandler } from './copy-rows.js';
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
  /** The parties' signing keys every signed event is checked with (none: no event may be signed). */
  readonly partyKeys?: readonly PartyKey[];
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
  /** Events carrying a party's signature. */
  readonly signedEvents: number;
  /** The contractors the chunk's ContractRegistered events name, flattened: contractId, contractorId, … */
  readonly contractors: string[];
  /**
   * Signatures by a contractor's key on the contractor's facts, once per contract and party,
   * flattened: contractId, party, position, eventId, …; verifyLog checks each party is the
   * contract's contractor (its registration may lie in another chunk).
   */
  readonly contractorSignatures: Array<string | number>;
}

export interface ChunkSource {
  /** Streams the rows first … last in position order (binary COPY), calling onTuple for each. */
  copyRows(first: number, last: number, onTuple: TupleHandler): Promise<number>;
  /** Level-0 tiles by tile index, covering leaf indexes firstLeaf … lastLeaf. */
  leafTiles(firstLeaf: number, lastLeaf: number): Promise<Map<number, Buffer>>;
}

const PROGRESS_EVERY = 8_192;

/** Verifies one chunk: every row's hash, columns, position and chain links inside the chunk. */
export async function verifyChunk(source: ChunkSource, task: ChunkTask, onRows?: (rows: number) => void): Promise<ChunkResult> {
  const checker = new ChunkChecker(task);
  // Leaf index = position − 1; tiles exist only for integrated leaves.
  const tiles = await source.leafTiles(task.first - 1, Math.min(task.last, task.integrated) - 1);
  let unreported = 0;
  await source.copyRows(task.first, task.last, (bytes, offsets, lengths) => {
    checker.acceptBinary(bytes, offsets, lengths, tiles);
    if (++unreported === PROGRESS_EVERY) {
      onRows?.(unreported);
      unreported = 0;
    }
  });
  if (unreported > 0) onRows?.(unreported);
  return checker.finish();
}

interface StreamState {
  firstVersion: number;
  /** Hex, as the event says. */
  firstPrevHash: string | null;
  firstPosition: number;
  lastVersion: number;
  lastHash: Buffer;
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
  private readonly keyring: PartyKeyring;
  private signedEvents = 0;
  private readonly contractors: string[] = [];
  private readonly contractorSignatures = new Map<string, [string, string, number, string]>();

  constructor(private readonly task: ChunkTask) {
    this.expected = task.first;
    this.pendingSizes = [...task.checkpointSizes].sort((a, b) => a - b);
    this.keyring = new PartyKeyring(task.partyKeys ?? []);
  }

  /**
   * The fast path, on the row's bytes as PostgreSQL sent them: the leaf hash of the canonical
   * bytes, the stored hash, every column against the hashed text read in place, the chain link.
   * Anything unexpected goes to accept(), which decodes the row and names each problem.
   */
  acceptBinary(bytes: Buffer, offsets: Int32Array, lengths: Int32Array, tiles: Map<number, Buffer>): void {
    if (lengths[0] !== 8 || lengths[1]! < 0 || lengths[2] !== 32 || (lengths[3] !== 32 && lengths[3] !== -1) || lengths[6] !== 4 ||
        lengths[10] !== 8 || lengths[11] !== 8 || lengths[4]! < 0 || lengths[5]! < 0 || lengths[7]! < 0 || lengths[8]! < 0) {
      this.accept(decodeRow(bytes, offsets, lengths), tiles);
      return;
    }
    const position = int64(bytes, offsets[0]!);
    const leaf = leafOfBytes(bytes, offsets[1]!, lengths[1]!);
    if (!equal32(leaf, 0, bytes, offsets[2]!) || !matchesBinary(bytes, offsets, lengths, position)) {
      this.accept(decodeRow(bytes, offsets, lengths), tiles);
      return;
    }
    this.advance(position);
    if (signatureSeen || isContractRegistered(bytes, offsets[7]!, lengths[7]!)) this.authorship(position, bytes.toString('utf8', offsets[1]!, offsets[1]! + lengths[1]!));
    const streamId = bytes.toString('latin1', offsets[5]!, offsets[5]! + lengths[5]!);
    const version = bytes.readInt32BE(offsets[6]!);
    const state = this.streams.get(streamId);
    if (state === undefined) {
      const prevHash = lengths[3] === -1 ? null : bytes.toString('hex', offsets[3]!, offsets[3]! + 32);
      this.streams.set(streamId, { firstVersion: version, firstPrevHash: prevHash, firstPosition: position, lastVersion: version, lastHash: leaf });
    } else {
      if (version !== state.lastVersion + 1 || lengths[3] === -1 || !equal32(state.lastHash, 0, bytes, offsets[3]!)) {
        this.chainProblem(position, streamId, version, lengths[3] === -1 ? null : bytes.toString('hex', offsets[3]!, offsets[3]! + 32), state);
      }
      state.lastVersion = version;
      state.lastHash = leaf;
    }
    this.leafAndTree(position, leaf, tiles);
  }

  /** The exact path, on decoded text: every check, each disagreement named. */
  accept(row: LogRow, tiles: Map<number, Buffer>): void {
    const position = Number(row[0]);
    const canonical = row[1];
    this.advance(position);
    if (canonical.includes('"signature":') || canonical.includes('"ContractRegistered"')) this.authorship(position, canonical);
    const leaf = leafHash(canonical);
    const leafHex = hashToHex(leaf);
    if (matchesColumns(canonical, row)) {
      // The hashed text says exactly what the columns say, position included.
      if (row[2] !== leafHex) {
        this.problem(position, 'hash-mismatch', `the stored text of event ${row[4]} does not hash to its stored hash: the event was changed after it was recorded`);
      }
      this.link(position, row[5], Number(row[6]), row[3], leaf);
    } else {
      this.checkParsed(position, row, parseStored(canonical), leaf);
    }
    this.leafAndTree(position, leaf, tiles);
  }

  private advance(position: number): void {
    this.rows++;
    if (position !== this.expected) {
      this.missing(this.expected, position - 1, `the next stored row is position ${position}`);
      this.expected = position;
    }
    this.expected++;
  }

  private leafAndTree(position: number, leaf: Buffer, tiles: Map<number, Buffer>): void {
    const tile = tiles.get(Math.floor((position - 1) / 256));
    const offset = ((position - 1) % 256) * 32;
    if (tile !== undefined && tile.length >= offset + 32 && !equal32(leaf, 0, tile, offset)) {
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

  /**
   * Who stated the event: a ContractRegistered names the contract's contractor; a signed event's
   * signature must verify with its key, valid at its recordedAt, of its acting party (the city for
   * the city's facts; for the contractor's, a contractor key whose party verifyLog matches against
   * the contract's registration).
   */
  private authorship(position: number, canonical: string): void {
    let stored: Record<string, unknown>;
    try {
      stored = JSON.parse(canonical) as Record<string, unknown>;
    } catch {
      return; // the hash and column checks name what is wrong with it
    }
    if (stored === null || typeof stored !== 'object') return;
    const { streamId: _s, streamVersion: _v, position: _p, recordedAt, prevHash: _h, ...event } = stored;
    const e = event as unknown as LedgerEvent;
    if (e.type === 'ContractRegistered' && typeof e.data?.contractorId === 'string' && typeof e.contractId === 'string') this.contractors.push(e.contractId, e.data.contractorId);
    if (e.signature === undefined) return;
    this.signedEvents++;
    const where = `event ${String(e.eventId)} (${String(e.type)})`;
    if (e.signature === null || typeof e.signature !== 'object' || typeof e.signature.keyId !== 'string') {
      this.problem(position, 'event-signature', `${where} has a malformed signature`);
      return;
    }
    const org = typeof e.actor?.org === 'string' ? e.actor.org : '';
    const key = this.keyring.get(e.signature.keyId);
    const acting = org === 'city' ? 'city' : key !== undefined && key.party !== 'city' ? key.party : null;
    const verdict = this.keyring.check(e, acting, typeof recordedAt === 'string' ? Date.parse(recordedAt) : Number.NaN);
    if (!verdict.ok) {
      this.problem(position, 'event-signature', `${where}: ${verdict.message}`);
      return;
    }
    if (org !== 'city') {
      const id = `${e.contractId}\u0000${verdict.key.party}`;
      if (!this.contractorSignatures.has(id)) this.contractorSignatures.set(id, [String(e.contractId), verdict.key.party, position, String(e.eventId)]);
    }
  }

  finish(): ChunkResult {
    if (this.expected <= this.task.last) this.missing(this.expected, this.task.last, 'the log ends before it');
    for (const size of this.pendingSizes) this.frontiers.push({ size, hashes: null });
    const complete = this.firstMissing === null;
    const streams: StreamEnds = [];
    for (const [id, s] of this.streams) streams.push(id, s.firstVersion, s.firstPrevHash, s.firstPosition, s.lastVersion, hashToHex(s.lastHash));
    return {
      first: this.task.first,
      last: this.task.last,
      rows: this.rows,
      problems: this.problems,
      firstMissing: this.firstMissing,
      root: complete ? hashToHex(this.range.root()) : null,
      frontiers: this.frontiers,
      streams,
      signedEvents: this.signedEvents,
      contractors: this.contractors,
      contractorSignatures: [...this.contractorSignatures.values()].flat(),
    };
  }

  private missing(from: number, to: number, why: string): void {
    this.firstMissing ??= from;
    const which = from === to ? `position ${from} is missing` : `positions ${from}–${to} are missing`;
    this.problem(from, 'missing-position', `${which} (${why}): events were deleted or the log was cut`);
  }

  /** The slow path: the text is parsed whole and each disagreement is named. */
  private checkParsed(position: number, row: LogRow, event: StoredFields | null, leaf: Buffer): void {
    const eventId = typeof event?.eventId === 'string' ? event.eventId : row[4];
    if (row[2] !== hashToHex(leaf)) {
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
      this.link(position, String(event.streamId), event.streamVersion, typeof event.prevHash === 'string' ? event.prevHash : null, leaf);
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
  private link(position: number, streamId: string, version: number, prevHash: string | null, leaf: Buffer): void {
    const state = this.streams.get(streamId);
    if (state === undefined) {
      this.streams.set(streamId, { firstVersion: version, firstPrevHash: prevHash, firstPosition: position, lastVersion: version, lastHash: leaf });
      return;
    }
    if (version !== state.lastVersion + 1 || prevHash !== hashToHex(state.lastHash)) this.chainProblem(position, streamId, version, prevHash, state);
    state.lastVersion = version;
    state.lastHash = leaf;
  }

  private chainProblem(position: number, streamId: string, version: number, prevHash: string | null, state: StreamState): void {
    if (version !== state.lastVersion + 1) {
      this.problem(position, 'stream-chain', `stream ${streamId}: version ${version} follows version ${state.lastVersion}`);
    } else {
      this.problem(position, 'stream-chain', `stream ${streamId} version ${version}: prevHash ${String(prevHash)} is not the hash of version ${state.lastVersion} (${hashToHex(state.lastHash)})`);
    }
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
  if (canonical.startsWith(',"signature":{', at)) {
    const end = canonical.indexOf('}', at);
    if (end < 0) return false;
    at = end + 1;
  }
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

// ---- The binary fast path ---------------------------------------------------------------------

/** PostgreSQL's timestamptz epoch (2000-01-01T00:00:00Z) in Unix milliseconds. */
const PG_EPOCH_MS = 946_684_800_000;

/** Whether the 32 bytes at a[aStart] and b[bStart] are equal (a loop: cheaper than a native call here). */
function equal32(a: Buffer, aStart: number, b: Buffer, bStart: number): boolean {
  for (let i = 0; i < 32; i++) if (a[aStart + i] !== b[bStart + i]) return false;
  return true;
}

function int64(bytes: Buffer, offset: number): number {
  return bytes.readInt32BE(offset) * 4_294_967_296 + bytes.readUInt32BE(offset + 4);
}

/** A timestamptz field (int64 microseconds since 2000) as Unix milliseconds, fraction kept. */
function pgMillis(bytes: Buffer, offset: number): number {
  return int64(bytes, offset) / 1000 + PG_EPOCH_MS;
}

const leafScratch = { buffer: Buffer.alloc(4_096) };

/** SHA-256(0x00 ‖ bytes[start, start + length)): the leaf hash of the stored text's UTF-8 bytes. */
function leafOfBytes(bytes: Buffer, start: number, length: number): Buffer {
  if (oneShot === undefined) return leafHash(bytes.subarray(start, start + length));
  if (leafScratch.buffer.length < length + 1) leafScratch.buffer = Buffer.alloc(2 * (length + 1));
  const scratchBuffer = leafScratch.buffer;
  scratchBuffer[0] = 0;
  bytes.copy(scratchBuffer, 1, start, start + length);
  return oneShot('sha256', scratchBuffer.subarray(0, length + 1), 'buffer');
}

/** The row as the exact path reads it (the text each column has in SQL). */
export function decodeRow(bytes: Buffer, offsets: Int32Array, lengths: Int32Array): LogRow {
  const text = (i: number): string | null => (lengths[i] === -1 ? null : bytes.toString('utf8', offsets[i]!, offsets[i]! + lengths[i]!));
  const hex = (i: number): string | null => (lengths[i] === -1 ? null : bytes.toString('hex', offsets[i]!, offsets[i]! + lengths[i]!));
  const number = (i: number, size: number, read: (at: number) => number): string =>
    lengths[i] === size ? String(read(offsets[i]!)) : String(Number.NaN);
  return [
    number(0, 8, (at) => int64(bytes, at)),
    text(1) ?? '',
    hex(2),
    hex(3),
    text(4) ?? '',
    text(5) ?? '',
    number(6, 4, (at) => bytes.readInt32BE(at)),
    text(7) ?? '',
    text(8) ?? '',
    text(9),
    number(10, 8, (at) => pgMillis(bytes, at)),
    number(11, 8, (at) => pgMillis(bytes, at)),
  ];
}

const KEY_CONTRACT = Buffer.from('"contractId":"');
const KEY_EVENT = Buffer.from(',"eventId":"');
const LIT = {
  occurredAt: Buffer.from('","occurredAt":"'),
  position: Buffer.from('","position":'),
  prevHashNull: Buffer.from(',"prevHash":null'),
  prevHash: Buffer.from(',"prevHash":"'),
  recordId: Buffer.from(',"recordId":"'),
  recordedAt: Buffer.from(',"recordedAt":"'),
  signature: Buffer.from(',"signature":{'),
  source: Buffer.from(',"source":"'),
  streamId: Buffer.from(',"streamId":"'),
  streamVersion: Buffer.from('","streamVersion":'),
  type: Buffer.from(',"type":"'),
  contract: Buffer.from('contract-'),
  record: Buffer.from('record-'),
};

// The cursor of matchesBinary (module state: nothing allocated per row).
let bin: Buffer = Buffer.alloc(0);
let pos = 0;
/** Whether the last row matchesBinary accepted carries a signature (a signed event is checked further). */
let signatureSeen = false;

const CONTRACT_REGISTERED = Buffer.from('ContractRegistered');

function isContractRegistered(bytes: Buffer, at: number, length: number): boolean {
  if (length !== CONTRACT_REGISTERED.length) return false;
  for (let i = 0; i < length; i++) if (bytes[at + i] !== CONTRACT_REGISTERED[i]) return false;
  return true;
}

// Plain loops: for the few dozen bytes compared here, cheaper than Buffer#compare's native call.
function literal(piece: Buffer): boolean {
  const length = piece.length;
  if (pos + length > bin.length) return false;
  for (let i = 0; i < length; i++) if (bin[pos + i] !== piece[i]) return false;
  pos += length;
  return true;
}

function sameBytes(start: number, length: number): boolean {
  if (pos + length > bin.length) return false;
  for (let i = 0; i < length; i++) if (bin[pos + i] !== bin[start + i]) return false;
  pos += length;
  return true;
}

function quote(): boolean {
  if (bin[pos] !== 34) return false;
  pos++;
  return true;
}

/** Decimal digits at the cursor equal to `value` (canonical JSON: no sign, no leading zero). */
function decimal(value: number, end: number): boolean {
  let n = 0;
  const start = pos;
  while (pos < end && bin[pos]! >= 48 && bin[pos]! <= 57) n = n * 10 + (bin[pos++]! - 48);
  return pos > start && n === value;
}

/** A quoted timestamp at the cursor within `ms` ± 1 (PostgreSQL keeps microseconds). */
function instantNear(ms: number, end: number): boolean {
  const close = bin.indexOf(34, pos);
  if (close < 0 || close >= end) return false;
  const parsed = readInstantBytes(bin, pos, close);
  pos = close;
  return parsed !== null && Math.abs(parsed - ms) <= 1;
}

/** 64 lowercase hex digits at the cursor spelling the 32 bytes at `start`. */
function hexOf(start: number): boolean {
  for (let i = 0; i < 32; i++) {
    const high = hexValue(bin[pos + 2 * i]!);
    const low = hexValue(bin[pos + 2 * i + 1]!);
    if (high < 0 || low < 0 || high * 16 + low !== bin[start + i]) return false;
  }
  pos += 64;
  return true;
}

function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  return -1;
}

/**
 * matchesColumns on the row's bytes: whether the canonical text says exactly what the other
 * columns say, read in place. False for anything else; the exact path then decides.
 */
export function matchesBinary(bytes: Buffer, offsets: Int32Array, lengths: Int32Array, position: number): boolean {
  const c0 = offsets[1]!;
  const c1 = c0 + lengths[1]!;
  const prevAt = offsets[3]!;
  const eventAt = offsets[4]!;
  const streamAt = offsets[5]!;
  const versionAt = offsets[6]!;
  const typeAt = offsets[7]!;
  const contractAt = offsets[8]!;
  const recordAt = offsets[9]!;
  const contractLength = lengths[8]!;
  const recordLength = lengths[9]!;
  const streamLength = lengths[5]!;
  bin = bytes;
  // stream_id must be the stream of contract_id and record_id.
  if (recordLength === -1) {
    pos = streamAt;
    if (streamLength !== 9 + contractLength || !literal(LIT.contract) || !sameBytes(contractAt, contractLength)) return false;
  } else {
    pos = streamAt;
    if (streamLength !== 8 + contractLength + recordLength || !literal(LIT.record) || !sameBytes(contractAt, contractLength) || bytes[pos++] !== 45 ||
        !sameBytes(recordAt, recordLength)) {
      return false;
    }
  }
  const contract = bytes.indexOf(KEY_CONTRACT, c0);
  if (contract < 0 || contract + KEY_CONTRACT.length + contractLength >= c1) return false;
  pos = contract + KEY_CONTRACT.length;
  if (!sameBytes(contractAt, contractLength) || !quote()) return false;
  const event = bytes.lastIndexOf(KEY_EVENT, c1 - KEY_EVENT.length);
  if (event < contract) return false;
  pos = event + KEY_EVENT.length;
  if (!sameBytes(eventAt, lengths[4]!) || !literal(LIT.occurredAt) || !instantNear(pgMillis(bytes, offsets[10]!), c1)) return false;
  if (!literal(LIT.position) || !decimal(position, c1)) return false;
  if (lengths[3] === -1 ? !literal(LIT.prevHashNull) : !(literal(LIT.prevHash) && hexOf(prevAt) && quote())) return false;
  if (recordLength !== -1 && !(literal(LIT.recordId) && sameBytes(recordAt, recordLength) && quote())) return false;
  if (!literal(LIT.recordedAt) || !instantNear(pgMillis(bytes, offsets[11]!), c1) || !quote()) return false;
  signatureSeen = false;
  if (literal(LIT.signature)) {
    const close = bytes.indexOf(125, pos);
    if (close < 0 || close >= c1) return false;
    pos = close + 1;
    signatureSeen = true;
  }
  if (literal(LIT.source)) {
    const close = bytes.indexOf(34, pos);
    if (close < 0 || close >= c1) return false;
    pos = close + 1;
  }
  if (!literal(LIT.streamId) || !sameBytes(streamAt, streamLength) || !literal(LIT.streamVersion) || !decimal(bytes.readInt32BE(versionAt), c1)) return false;
  if (!literal(LIT.type) || !sameBytes(typeAt, lengths[7]!) || !quote()) return false;
  return bytes[pos] === 125 && pos + 1 === c1;
}

/** readInstant on bytes. */
export function readInstantBytes(bytes: Buffer, start: number, end: number): number | null {
  const digits = (from: number, count: number): number => {
    let value = 0;
    for (let i = from; i < from + count; i++) {
      const d = bytes[i]! - 48;
      if (d < 0 || d > 9) return Number.NaN;
      value = value * 10 + d;
    }
    return value;
  };
  if (end - start < 20 || bytes[start + 4] !== 45 || bytes[start + 7] !== 45 || bytes[start + 10] !== 84 || bytes[start + 13] !== 58 || bytes[start + 16] !== 58) {
    return null;
  }
  let at = start + 19;
  let ms = 0;
  if (bytes[at] === 46) {
    let scale = 100;
    at++;
    const first = at;
    while (at < end && bytes[at]! >= 48 && bytes[at]! <= 57) {
      if (scale >= 1) ms += (bytes[at]! - 48) * scale;
      scale /= 10;
      at++;
    }
    if (at === first) return null;
  }
  let offset: number;
  const sign = bytes[at];
  if (sign === 90 && at + 1 === end) {
    offset = 0;
  } else if ((sign === 43 || sign === 45) && at + 6 === end && bytes[at + 3] === 58) {
    offset = (digits(at + 1, 2) * 60 + digits(at + 4, 2)) * 60_000 * (sign === 43 ? 1 : -1);
  } else {
    return null;
  }
  const utc = Date.UTC(digits(start, 4), digits(start + 5, 2) - 1, digits(start + 8, 2), digits(start + 11, 2), digits(start + 14, 2), digits(start + 17, 2));
  const result = utc + ms - offset;
  return Number.isFinite(result) ? result : null;
}
