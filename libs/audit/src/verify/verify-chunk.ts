import crypto from 'node:crypto';
import { isFullStoredForm, leafHash, nodeHash, spliceMetadata } from '@ledger/integrity';
import type { LedgerEvent } from '@ledger/domain';
import { PartyKeyring, type PartyKey } from '../signatures/party-keys.js';
import type { TupleHandler } from './copy-rows.js';
import type { LogRow } from './log-rows.js';
import type { LogProblem } from './problems.js';
import { COMPACT, decodeRow, FULL, FULL_FORM_EXTRA, int64, parseStored, RowMatcher, writeFullForm, type StoredFields } from './stored-row-match.js';

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
  lastHash: Hash;
}

class ChunkChecker {
  private readonly range = new Frontier();
  private readonly matcher = new RowMatcher();
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
    const form = this.matcher.binary(bytes, offsets, lengths, position);
    let leaf: Hash | null = null;
    if (form === FULL) leaf = leafOfBytes(bytes, offsets[1]!, lengths[1]!);
    else if (form === COMPACT) leaf = leafOfCompact(bytes, offsets, lengths, position, this.matcher.cuts);
    if (leaf === null || !equal32(leaf, bytes, offsets[2]!)) {
      this.accept(decodeRow(bytes, offsets, lengths), tiles);
      return;
    }
    this.advance(position);
    if (this.matcher.signatureSeen || isContractRegistered(bytes, offsets[7]!, lengths[7]!)) {
      this.authorship(position, form === FULL ? bytes.toString('utf8', offsets[1]!, offsets[1]! + lengths[1]!) : leafScratch.buffer.toString('utf8', 1, leafScratch.end));
    }
    const streamId = bytes.toString('latin1', offsets[5]!, offsets[5]! + lengths[5]!);
    const version = bytes.readInt32BE(offsets[6]!);
    const state = this.streams.get(streamId);
    if (state === undefined) {
      const prevHash = lengths[3] === -1 ? null : bytes.toString('hex', offsets[3]!, offsets[3]! + 32);
      this.streams.set(streamId, { firstVersion: version, firstPrevHash: prevHash, firstPosition: position, lastVersion: version, lastHash: leaf });
    } else {
      if (version !== state.lastVersion + 1 || lengths[3] === -1 || !equal32(state.lastHash, bytes, offsets[3]!)) {
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
    const { canonical, compact } = this.fullForm(position, row);
    this.advance(position);
    if (canonical.includes('"signature":') || canonical.includes('"ContractRegistered"')) this.authorship(position, canonical);
    const leaf = leafHash(canonical).toString('latin1');
    const leafHex = hex(leaf);
    if (this.matcher.columns(canonical, row)) {
      // The hashed text says exactly what the columns say, position included.
      if (row[2] !== leafHex) this.problem(position, 'hash-mismatch', hashMismatch(String(row[4]), compact));
      this.link(position, row[5], Number(row[6]), row[3], leaf);
    } else {
      this.checkParsed(position, row, parseStored(canonical), leaf, compact);
    }
    this.leafAndTree(position, leaf, tiles);
  }

  /**
   * The hashed text of a row on the exact path: the stored text when it is the full stored form,
   * else the stored text with the metadata columns spliced in (spliceMetadata). A compact row's
   * recorded_at must be a whole millisecond (the ledger stores only such rows compactly): one that
   * is not is named, and the text rebuilt with its millisecond, so the hash still says whether
   * the text is intact.
   */
  private fullForm(position: number, row: LogRow): { canonical: string; compact: boolean } {
    const text = row[1];
    const asStored = { canonical: text, compact: false };
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return asStored;
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed) || isFullStoredForm(parsed as Record<string, unknown>)) return asStored;
    const recordedMs = Number(row[11]);
    if (!Number.isInteger(recordedMs)) {
      this.problem(position, 'column-mismatch', `column recorded_at is ${instantText(row[11])} with digits below the millisecond, which the ledger never stores with a compact text: it was changed`);
    }
    const recordedAt = Number.isFinite(recordedMs) ? new Date(Math.floor(recordedMs)).toISOString() : '';
    const full = spliceMetadata(text, { position, prevHash: row[3], recordedAt, streamId: row[5], streamVersion: Number(row[6]) });
    return full === null ? asStored : { canonical: full, compact: true };
  }

  private advance(position: number): void {
    this.rows++;
    if (position !== this.expected) {
      this.missing(this.expected, position - 1, `the next stored row is position ${position}`);
      this.expected = position;
    }
    this.expected++;
  }

  private leafAndTree(position: number, leaf: Hash, tiles: Map<number, Buffer>): void {
    const tile = tiles.get(Math.floor((position - 1) / 256));
    const offset = ((position - 1) % 256) * 32;
    if (tile !== undefined && tile.length >= offset + 32 && !equal32(leaf, tile, offset)) {
      this.problem(position, 'leaf-mismatch', `the event's hash differs from leaf ${position - 1} that the Merkle log integrated: the event was replaced after it was logged`);
    }
    if (this.firstMissing === null) {
      this.range.append(leaf);
      while (this.pendingSizes.length > 0 && this.pendingSizes[0]! <= position) {
        const size = this.pendingSizes.shift()!;
        this.frontiers.push({ size, hashes: size === position ? this.range.hashes().map(hex) : null });
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
    for (const [id, s] of this.streams) streams.push(id, s.firstVersion, s.firstPrevHash, s.firstPosition, s.lastVersion, hex(s.lastHash));
    return {
      first: this.task.first,
      last: this.task.last,
      rows: this.rows,
      problems: this.problems,
      firstMissing: this.firstMissing,
      root: complete ? hex(this.range.root()) : null,
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
  private checkParsed(position: number, row: LogRow, event: StoredFields | null, leaf: Hash, compact: boolean): void {
    const eventId = typeof event?.eventId === 'string' ? event.eventId : row[4];
    if (row[2] !== hex(leaf)) this.problem(position, 'hash-mismatch', hashMismatch(String(eventId), compact));
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
  private link(position: number, streamId: string, version: number, prevHash: string | null, leaf: Hash): void {
    const state = this.streams.get(streamId);
    if (state === undefined) {
      this.streams.set(streamId, { firstVersion: version, firstPrevHash: prevHash, firstPosition: position, lastVersion: version, lastHash: leaf });
      return;
    }
    if (version !== state.lastVersion + 1 || prevHash !== hex(state.lastHash)) this.chainProblem(position, streamId, version, prevHash, state);
    state.lastVersion = version;
    state.lastHash = leaf;
  }

  private chainProblem(position: number, streamId: string, version: number, prevHash: string | null, state: StreamState): void {
    if (version !== state.lastVersion + 1) {
      this.problem(position, 'stream-chain', `stream ${streamId}: version ${version} follows version ${state.lastVersion}`);
    } else {
      this.problem(position, 'stream-chain', `stream ${streamId} version ${version}: prevHash ${String(prevHash)} is not the hash of version ${state.lastVersion} (${hex(state.lastHash)})`);
    }
  }

  private problem(position: number, kind: LogProblem['kind'], message: string): void {
    if (this.problems.length < this.task.maxProblems) this.problems.push({ position, kind, message });
  }
}

/** A row whose hashed text does not hash to its stored hash; a compact row's hashed text includes five of its columns. */
function hashMismatch(eventId: string, compact: boolean): string {
  return compact
    ? `the stored text of event ${eventId}, with its position, prevHash, recordedAt, stream and version columns, does not hash to its stored hash: the event or one of those columns was changed after it was recorded`
    : `the stored text of event ${eventId} does not hash to its stored hash: the event was changed after it was recorded`;
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
  private readonly stack: Hash[] = [];
  private count = 0;

  append(leaf: Hash): void {
    let hash = leaf;
    for (let index = this.count; index % 2 === 1; index = (index - 1) / 2) hash = interiorHash(this.stack.pop()!, hash);
    this.stack.push(hash);
    this.count++;
  }

  /** Right-edge perfect subtree hashes, largest first. */
  hashes(): Hash[] {
    return [...this.stack];
  }

  root(): Hash {
    let root = this.stack[this.stack.length - 1]!;
    for (let i = this.stack.length - 2; i >= 0; i--) root = interiorHash(this.stack[i]!, root);
    return root;
  }
}

/**
 * A SHA-256 value on the fast path: its 32 bytes as a 32-character latin1 string. The one-shot
 * hash (Node ≥ 20.12) answers a string for about half the cost of a Buffer ('buffer' output takes
 * a slower path in node:crypto and allocates an ArrayBuffer per call: ≈ 0.85 against 0.3 µs for
 * a 65-byte input here), and the verifier hashes twice per event: the leaf and, on average, one
 * interior node.
 */
export type Hash = string;

/** The hash in lowercase hex, as results and messages give it. */
function hex(hash: Hash): string {
  return Buffer.from(hash, 'latin1').toString('hex');
}

const oneShot = (crypto as unknown as { hash?: (algorithm: string, data: Uint8Array, encoding: 'latin1') => string }).hash;
const scratch = Buffer.alloc(65, 1);

/**
 * RFC 6962 SHA-256(0x01 ‖ left ‖ right) through one reused 65-byte buffer and the one-shot hash:
 * the same bytes as nodeHash of libs/integrity, which the tests compare it with.
 */
export function interiorHash(left: Hash, right: Hash): Hash {
  if (oneShot === undefined) return nodeHash(Buffer.from(left, 'latin1'), Buffer.from(right, 'latin1')).toString('latin1');
  for (let i = 0; i < 32; i++) {
    scratch[1 + i] = left.charCodeAt(i);
    scratch[33 + i] = right.charCodeAt(i);
  }
  return oneShot('sha256', scratch, 'latin1');
}

/** Whether the hash equals the 32 bytes at b[bStart] (a loop: cheaper than a native call here). */
function equal32(a: Hash, b: Buffer, bStart: number): boolean {
  for (let i = 0; i < 32; i++) if (a.charCodeAt(i) !== b[bStart + i]) return false;
  return true;
}

/**
 * The leaf hash's input, 0x00 then the stored text's bytes, is copied into one reused buffer;
 * `views[n]` is the view of its first n bytes, kept so that no view is allocated per row (the
 * texts are a few hundred lengths).
 */
const leafScratch = { buffer: Buffer.alloc(4_096), views: [] as Buffer[], end: 0 };

/** The view of leafScratch's first n bytes (one per length, kept). */
function scratchView(n: number): Buffer {
  return (leafScratch.views[n] ??= leafScratch.buffer.subarray(0, n));
}

function growScratch(length: number): void {
  if (leafScratch.buffer.length < length) {
    leafScratch.buffer = Buffer.alloc(2 * length);
    leafScratch.views = [];
  }
}

/** SHA-256(0x00 ‖ bytes[start, start + length)): the leaf hash of the stored text's UTF-8 bytes. */
function leafOfBytes(bytes: Buffer, start: number, length: number): Hash {
  if (oneShot === undefined) return leafHash(bytes.subarray(start, start + length)).toString('latin1');
  growScratch(length + 1);
  const scratchBuffer = leafScratch.buffer;
  scratchBuffer[0] = 0;
  bytes.copy(scratchBuffer, 1, start, start + length);
  leafScratch.end = length + 1;
  return oneShot('sha256', scratchView(length + 1), 'latin1');
}

/**
 * The leaf hash of a compact row: its full stored form written into the scratch buffer from the
 * stored text and the columns (writeFullForm), then hashed; null when the columns cannot be a
 * compact row's (the exact path then names what is wrong).
 */
function leafOfCompact(bytes: Buffer, offsets: Int32Array, lengths: Int32Array, position: number, cuts: Int32Array): Hash | null {
  growScratch(lengths[1]! + lengths[5]! + FULL_FORM_EXTRA);
  const out = leafScratch.buffer;
  out[0] = 0;
  const end = writeFullForm(bytes, offsets, lengths, position, cuts, out);
  if (end < 0) return null;
  leafScratch.end = end;
  if (oneShot === undefined) return leafHash(out.subarray(1, end)).toString('latin1');
  return oneShot('sha256', scratchView(end), 'latin1');
}

const CONTRACT_REGISTERED = Buffer.from('ContractRegistered');

function isContractRegistered(bytes: Buffer, at: number, length: number): boolean {
  if (length !== CONTRACT_REGISTERED.length) return false;
  for (let i = 0; i < length; i++) if (bytes[at + i] !== CONTRACT_REGISTERED[i]) return false;
  return true;
}
