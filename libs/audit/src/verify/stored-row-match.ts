/**
 * How the verifier reads a stored row without parsing it: the fast paths that check, in place,
 * that the hashed canonical text says exactly what the row's columns say (on the decoded text, and
 * on the bytes PostgreSQL sends), the row decoding for the exact path, and timestamp readers.
 * verify-chunk.ts.spec holds them equal to the exact parse (differential tests); anything they do
 * not recognise falls to the exact path.
 */
import { rememberLast } from '@ledger/domain';
import { canonicalize } from '@ledger/integrity';
import type { LogRow } from './log-rows.js';

/** The members a stored event ends with, after `data`, in the order both fast paths read them. */
const TAIL = ['eventId', 'occurredAt', 'position', 'prevHash', 'recordId', 'recordedAt', 'signature', 'source', 'streamId', 'streamVersion', 'type'] as const;
type TailMember = (typeof TAIL)[number];

/**
 * The order canonical JSON (RFC 8785, as the encoder writes a stored event) gives those members,
 * computed rather than assumed: if the stored event ever gains a member that sorts among them, the
 * verifier refuses to load instead of sending every row down the slow path unnoticed.
 */
const encoded = Object.keys(JSON.parse(canonicalize(Object.fromEntries(['actor', 'contractId', 'data', ...TAIL].map((k) => [k, 0])))) as object);
if (encoded.slice(encoded.indexOf('eventId')).join() !== TAIL.join()) {
  throw new Error(`the verifier reads a stored event's last members as ${TAIL.join(', ')}; canonical JSON orders them ${encoded.join(', ')}: update stored-row-match.ts`);
}

/** `,"name":` as it appears between members: after a string value when `closes`, before a string value when `opens` is '"'. */
function member(name: TailMember, { closes = false, opens = '"' }: { closes?: boolean; opens?: string } = {}): string {
  return `${closes ? '"' : ''},"${name}":${opens}`;
}

/** The member texts the fast paths look for, from the member names above. */
const T = {
  contractKey: '"contractId":"',
  eventId: member('eventId'),
  occurredAt: member('occurredAt', { closes: true }),
  position: member('position', { closes: true, opens: '' }),
  prevHashKey: member('prevHash', { opens: '' }),
  recordId: member('recordId'),
  recordedAt: member('recordedAt'),
  signature: member('signature', { opens: '{' }),
  source: member('source'),
  streamId: member('streamId'),
  streamVersion: member('streamVersion', { closes: true, opens: '' }),
  type: member('type'),
} as const;

/** The same as bytes, for the binary path. */
const B = {
  contractKey: Buffer.from(T.contractKey),
  eventId: Buffer.from(T.eventId),
  occurredAt: Buffer.from(T.occurredAt),
  position: Buffer.from(T.position),
  prevHashNull: Buffer.from(`${T.prevHashKey}null`),
  prevHash: Buffer.from(`${T.prevHashKey}"`),
  recordId: Buffer.from(T.recordId),
  recordedAt: Buffer.from(T.recordedAt),
  signature: Buffer.from(T.signature),
  source: Buffer.from(T.source),
  streamId: Buffer.from(T.streamId),
  streamVersion: Buffer.from(T.streamVersion),
  type: Buffer.from(T.type),
  contract: Buffer.from('contract-'),
  record: Buffer.from('record-'),
} as const;

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
  const tail = canonical.lastIndexOf(T.eventId);
  const contract = canonical.indexOf(T.contractKey);
  if (tail > 0 && contract > 0 && contract < tail) {
    const end = canonical.indexOf('"', contract + T.contractKey.length);
    const contractId = canonical.slice(contract + T.contractKey.length, end);
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
 * The fast paths' cursor over one row at a time: one matcher per chunk checker, its fields reused
 * from row to row, so nothing is allocated per row and nothing is shared between checkers.
 */
export class RowMatcher {
  private text = '';
  private at = 0;
  private bin: Buffer = Buffer.alloc(0);
  private pos = 0;
  /** Whether the last row binary() accepted carries a signature (a signed event is checked further). */
  signatureSeen = false;

  /**
   * The fast path: whether the hashed text says exactly what the row's columns say, read in place
   * (canonical JSON sorts keys, so every field after `data` comes in a known order, as plain
   * values). No allocation: string comparisons at offsets and a digit-by-digit timestamp reader.
   * False for anything else, and then the exact JSON parse decides what to report.
   */
  columns(canonical: string, row: LogRow): boolean {
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
    const contract = canonical.indexOf(T.contractKey);
    if (contract < 0 || !canonical.startsWith(contractId, contract + T.contractKey.length) || canonical.charCodeAt(contract + T.contractKey.length + contractId.length) !== 34) return false;
    this.text = canonical;
    this.at = canonical.lastIndexOf(T.eventId);
    if (this.at < contract) return false;
    if (!(this.expect(T.eventId) && this.expect(row[4]) && this.expect(T.occurredAt) && this.instant(row[10]))) return false;
    if (!(this.expect(T.position) && this.expect(row[0]) && this.expect(T.prevHashKey))) return false;
    if (!(row[3] === null ? this.expect('null') : this.expect('"') && this.expect(row[3]) && this.expect('"'))) return false;
    if (recordId !== null && !(this.expect(T.recordId) && this.expect(recordId) && this.expect('"'))) return false;
    if (!(this.expect(T.recordedAt) && this.instant(row[11]) && this.expect('"'))) return false;
    if (canonical.startsWith(T.signature, this.at)) {
      const end = canonical.indexOf('}', this.at);
      if (end < 0) return false;
      this.at = end + 1;
    }
    if (canonical.startsWith(T.source, this.at)) {
      const end = canonical.indexOf('"', this.at + T.source.length);
      if (end < 0) return false;
      this.at = end + 1;
    }
    return (
      this.expect(T.streamId) && this.expect(streamId) && this.expect(T.streamVersion) && this.expect(row[6]) &&
      this.expect(T.type) && this.expect(row[7]) && this.expect('"}') && this.at === canonical.length
    );
  }

  private expect(piece: string): boolean {
    if (!this.text.startsWith(piece, this.at)) return false;
    this.at += piece.length;
    return true;
  }

  private instant(storedMs: string): boolean {
    const end = this.text.indexOf('"', this.at);
    if (end < 0) return false;
    const ms = readInstant(this.text, this.at, end);
    this.at = end;
    return ms !== null && Math.abs(Number(storedMs) - ms) <= 1;
  }

  // Plain loops: for the few dozen bytes compared here, cheaper than Buffer#compare's native call.
  private literal(piece: Buffer): boolean {
    const length = piece.length;
    if (this.pos + length > this.bin.length) return false;
    for (let i = 0; i < length; i++) if (this.bin[this.pos + i] !== piece[i]) return false;
    this.pos += length;
    return true;
  }

  private sameBytes(start: number, length: number): boolean {
    if (this.pos + length > this.bin.length) return false;
    for (let i = 0; i < length; i++) if (this.bin[this.pos + i] !== this.bin[start + i]) return false;
    this.pos += length;
    return true;
  }

  private quote(): boolean {
    if (this.bin[this.pos] !== 34) return false;
    this.pos++;
    return true;
  }

  /** Decimal digits at the cursor equal to `value` (canonical JSON: no sign, no leading zero). */
  private decimal(value: number, end: number): boolean {
    let n = 0;
    const start = this.pos;
    while (this.pos < end && this.bin[this.pos]! >= 48 && this.bin[this.pos]! <= 57) n = n * 10 + (this.bin[this.pos++]! - 48);
    return this.pos > start && n === value;
  }

  /** A quoted timestamp at the cursor within `ms` ± 1 (PostgreSQL keeps microseconds). */
  private instantNear(ms: number, end: number): boolean {
    const close = byteAt(this.bin, 34, this.pos, end);
    if (close < 0) return false;
    const parsed = readInstantBytes(this.bin, this.pos, close);
    this.pos = close;
    return parsed !== null && Math.abs(parsed - ms) <= 1;
  }

  /** 64 lowercase hex digits at the cursor spelling the 32 bytes at `start`. */
  private hexOf(start: number): boolean {
    if (this.pos + 64 > this.bin.length) return false;
    for (let i = 0; i < 32; i++) {
      const high = HEX[this.bin[this.pos + 2 * i]!]!;
      const low = HEX[this.bin[this.pos + 2 * i + 1]!]!;
      if (high < 0 || low < 0 || high * 16 + low !== this.bin[start + i]) return false;
    }
    this.pos += 64;
    return true;
  }

  /**
   * Where a compact stored text (the producer's event alone, see storedText in libs/event-store)
   * takes the metadata members back, as offsets into the row's bytes: position and prevHash at
   * `cuts[0]`, recordedAt at `cuts[1]`, streamId and streamVersion at `cuts[2]`. Set by binary()
   * when it answers COMPACT.
   */
  readonly cuts = new Int32Array(3);

  /**
   * matchesColumns on the row's bytes: whether the stored text says exactly what the other
   * columns say, read in place. FULL for a text holding the ledger's metadata members (each then
   * compared with its column), COMPACT for the producer's event alone (its metadata comes from the
   * columns, spliced at `cuts`), NO_MATCH for anything else; the exact path then decides.
   */
  binary(bytes: Buffer, offsets: Int32Array, lengths: Int32Array, position: number): StoredForm {
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
    this.bin = bytes;
    // stream_id must be the stream of contract_id and record_id.
    if (recordLength === -1) {
      this.pos = streamAt;
      if (streamLength !== 9 + contractLength || !this.literal(B.contract) || !this.sameBytes(contractAt, contractLength)) return NO_MATCH;
    } else {
      this.pos = streamAt;
      if (streamLength !== 8 + contractLength + recordLength || !this.literal(B.record) || !this.sameBytes(contractAt, contractLength) || bytes[this.pos++] !== 45 ||
          !this.sameBytes(recordAt, recordLength)) {
        return NO_MATCH;
      }
    }
    const contract = firstAt(bytes, B.contractKey, c0, c1);
    if (contract < 0 || contract + B.contractKey.length + contractLength >= c1) return NO_MATCH;
    this.pos = contract + B.contractKey.length;
    if (!this.sameBytes(contractAt, contractLength) || !this.quote()) return NO_MATCH;
    const event = lastAt(bytes, B.eventId, contract, c1);
    if (event < contract) return NO_MATCH;
    this.pos = event + B.eventId.length;
    if (!this.sameBytes(eventAt, lengths[4]!) || !this.literal(B.occurredAt) || !this.instantNear(pgMillis(bytes, offsets[10]!), c1)) return NO_MATCH;
    const full = this.literal(B.position);
    if (full) {
      if (!this.decimal(position, c1)) return NO_MATCH;
      if (lengths[3] === -1 ? !this.literal(B.prevHashNull) : !(this.literal(B.prevHash) && this.hexOf(prevAt) && this.quote())) return NO_MATCH;
    } else {
      if (!this.quote()) return NO_MATCH;
      this.cuts[0] = this.pos;
    }
    if (recordLength !== -1 && !(this.literal(B.recordId) && this.sameBytes(recordAt, recordLength) && this.quote())) return NO_MATCH;
    if (full) {
      if (!this.literal(B.recordedAt) || !this.instantNear(pgMillis(bytes, offsets[11]!), c1) || !this.quote()) return NO_MATCH;
    } else {
      this.cuts[1] = this.pos;
    }
    this.signatureSeen = false;
    if (this.literal(B.signature)) {
      const close = byteAt(bytes, 125, this.pos, c1);
      if (close < 0) return NO_MATCH;
      this.pos = close + 1;
      this.signatureSeen = true;
    }
    if (this.literal(B.source)) {
      const close = byteAt(bytes, 34, this.pos, c1);
      if (close < 0) return NO_MATCH;
      this.pos = close + 1;
    }
    if (full) {
      if (!this.literal(B.streamId) || !this.sameBytes(streamAt, streamLength) || !this.literal(B.streamVersion) || !this.decimal(bytes.readInt32BE(versionAt), c1)) return NO_MATCH;
    } else {
      this.cuts[2] = this.pos;
    }
    if (!this.literal(B.type) || !this.sameBytes(typeAt, lengths[7]!) || !this.quote()) return NO_MATCH;
    return bytes[this.pos] === 125 && this.pos + 1 === c1 ? (full ? FULL : COMPACT) : NO_MATCH;
  }
}

/** What RowMatcher.binary found: see there. */
export type StoredForm = 0 | 1 | 2;
export const NO_MATCH = 0;
export const FULL = 1;
export const COMPACT = 2;

/**
 * The full stored form of a compact row, written into `out` from offset 1 (the caller puts the
 * leaf prefix at 0): the stored text cut at `cuts` (RowMatcher.binary) with the metadata members
 * from the row's columns, the same bytes as spliceMetadata of libs/event-store (tests hold them
 * equal). Answers the end offset, or −1 when the columns cannot be what the ledger wrote for a
 * compact row (a recorded_at with sub-millisecond digits or outside years 0–9999), or `out` is
 * too small. For a compact row the metadata is not compared with anything: it is hashed, so a
 * changed column changes the leaf.
 */
export function writeFullForm(bytes: Buffer, offsets: Int32Array, lengths: Int32Array, position: number, cuts: Int32Array, out: Buffer): number {
  const c0 = offsets[1]!;
  const c1 = c0 + lengths[1]!;
  const streamLength = lengths[5]!;
  if (out.length < lengths[1]! + streamLength + FULL_FORM_EXTRA) return -1;
  const micros = int64(bytes, offsets[11]!);
  if (micros % 1000 !== 0) return -1;
  let at = copyBytes(out, 1, bytes, c0, cuts[0]!);
  at = putBytes(out, at, POSITION_MEMBER);
  at = putDecimal(out, at, position);
  at = putBytes(out, at, PREV_HASH_MEMBER);
  if (lengths[3] === -1) {
    at = putBytes(out, at, NULL);
  } else {
    out[at++] = 34;
    const prevAt = offsets[3]!;
    for (let i = 0; i < 32; i++) {
      const b = bytes[prevAt + i]!;
      out[at++] = HEX_DIGITS[b >> 4]!;
      out[at++] = HEX_DIGITS[b & 15]!;
    }
    out[at++] = 34;
  }
  at = copyBytes(out, at, bytes, cuts[0]!, cuts[1]!);
  at = putBytes(out, at, RECORDED_AT_MEMBER);
  const iso = recordedIso(micros / 1000 + PG_EPOCH_MS);
  if (iso === null) return -1;
  at = copyBytes(out, at, iso, 0, 24);
  out[at++] = 34;
  at = copyBytes(out, at, bytes, cuts[1]!, cuts[2]!);
  at = putBytes(out, at, STREAM_ID_MEMBER);
  at = copyBytes(out, at, bytes, offsets[5]!, offsets[5]! + streamLength);
  at = putBytes(out, at, STREAM_VERSION_MEMBER);
  at = putDecimal(out, at, bytes.readInt32BE(offsets[6]!));
  at = copyBytes(out, at, bytes, cuts[2]!, c1);
  return at;
}

/**
 * At most the bytes writeFullForm adds besides the stream name (and its leading 0x00): the member
 * names and punctuation (71), a position of 16 digits, a prevHash of 66 (quoted), a time of 24, a version of 10.
 */
export const FULL_FORM_EXTRA = 1 + 71 + 16 + 66 + 24 + 10;

const HEX_DIGITS = Buffer.from('0123456789abcdef', 'latin1');

const POSITION_MEMBER = Buffer.from(',"position":', 'latin1');
const PREV_HASH_MEMBER = Buffer.from(',"prevHash":', 'latin1');
const NULL = Buffer.from('null', 'latin1');
const RECORDED_AT_MEMBER = Buffer.from(',"recordedAt":"', 'latin1');
const STREAM_ID_MEMBER = Buffer.from(',"streamId":"', 'latin1');
const STREAM_VERSION_MEMBER = Buffer.from('","streamVersion":', 'latin1');

// Byte loops for the few bytes of a member name or a short member: a native Buffer#copy per piece
// cost more than the copy (docs/performance.md, eighth session: the row loop in paired rounds).

function putBytes(out: Buffer, at: number, piece: Buffer): number {
  const length = piece.length;
  for (let i = 0; i < length; i++) out[at + i] = piece[i]!;
  return at + length;
}

/** bytes[from, to) written at `at`; answers the end. */
function copyBytes(out: Buffer, at: number, bytes: Buffer, from: number, to: number): number {
  const length = to - from;
  if (length > 64) return at + bytes.copy(out, at, from, to);
  for (let i = 0; i < length; i++) out[at + i] = bytes[from + i]!;
  return at + length;
}

/** A non-negative safe integer's decimal digits (canonical JSON: no sign, no leading zero). */
function putDecimal(out: Buffer, at: number, value: number): number {
  let digits = 1;
  for (let v = value; v >= 10; v = Math.floor(v / 10)) digits++;
  let v = value;
  for (let i = digits - 1; i >= 0; i--) {
    out[at + i] = 48 + (v % 10);
    v = Math.floor(v / 10);
  }
  return at + digits;
}

function putDigits(out: Buffer, at: number, value: number, count: number): void {
  for (let i = count - 1; i >= 0; i--) {
    out[at + i] = 48 + (value % 10);
    value = Math.floor(value / 10);
  }
}

/**
 * Date#toISOString's 24 characters for epoch milliseconds `ms` (years 0–9999; −1 otherwise), without a Date:
 * the civil date of the day number by H. Hinnant's algorithm.
 */
export function putIso(out: Buffer, at: number, ms: number): number {
  if (!Number.isSafeInteger(ms)) return -1;
  const days = Math.floor(ms / 86_400_000);
  let rest = ms - days * 86_400_000;
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  if (year < 0 || year > 9999) return -1;
  putDigits(out, at, year, 4);
  out[at + 4] = 45;
  putDigits(out, at + 5, month, 2);
  out[at + 7] = 45;
  putDigits(out, at + 8, day, 2);
  out[at + 10] = 84;
  const hour = Math.floor(rest / 3_600_000);
  rest -= hour * 3_600_000;
  const minute = Math.floor(rest / 60_000);
  rest -= minute * 60_000;
  const second = Math.floor(rest / 1000);
  putDigits(out, at + 11, hour, 2);
  out[at + 13] = 58;
  putDigits(out, at + 14, minute, 2);
  out[at + 16] = 58;
  putDigits(out, at + 17, second, 2);
  out[at + 19] = 46;
  putDigits(out, at + 20, rest - second * 1000, 3);
  out[at + 23] = 90;
  return at + 24;
}

/** putIso's 24 bytes of a recordedAt (null outside years 0–9999), made once while it repeats: a group commit gives all its events one. */
const recordedIso = rememberLast((ms: number): Buffer | null => {
  const text = Buffer.alloc(24);
  return putIso(text, 0, ms) < 0 ? null : text;
});

/** The value of each lowercase hex digit by character code, −1 for any other byte. */
const HEX = new Int8Array(256).fill(-1);
for (let d = 0; d < 16; d++) HEX['0123456789abcdef'.charCodeAt(d)] = d;

// Searches within one field as plain loops: the distances are tens to a few hundred bytes, where
// Buffer#indexOf's argument handling and native call cost more than the scan.

/** The first index in [from, end) holding `byte`, or −1. */
function byteAt(bytes: Buffer, byte: number, from: number, end: number): number {
  for (let i = from; i < end; i++) if (bytes[i] === byte) return i;
  return -1;
}

/** The first index in [from, end) where `needle` lies wholly inside [from, end), or −1. */
function firstAt(bytes: Buffer, needle: Buffer, from: number, end: number): number {
  const first = needle[0]!;
  const length = needle.length;
  search: for (let i = from; i + length <= end; i++) {
    if (bytes[i] !== first) continue;
    for (let j = 1; j < length; j++) if (bytes[i + j] !== needle[j]) continue search;
    return i;
  }
  return -1;
}

/** The last index in [from, end) where `needle` lies wholly inside [from, end), or −1. */
function lastAt(bytes: Buffer, needle: Buffer, from: number, end: number): number {
  const first = needle[0]!;
  const length = needle.length;
  search: for (let i = end - length; i >= from; i--) {
    if (bytes[i] !== first) continue;
    for (let j = 1; j < length; j++) if (bytes[i + j] !== needle[j]) continue search;
    return i;
  }
  return -1;
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
  const sign = text.charCodeAt(at);
  return instantOf(
    sign, at, end, text.charCodeAt(at + 3), digits(at + 1, 2), digits(at + 4, 2),
    digits(start, 4), digits(start + 5, 2), digits(start + 8, 2), digits(start + 11, 2), digits(start + 14, 2), digits(start + 17, 2), ms,
  );
}

/**
 * The end both timestamp readers share, once they have read the characters: the offset (`Z`, or
 * `±hh:mm` ending the text at `end`; null for anything else) and the UTC epoch milliseconds of the
 * date and time fields less that offset (null when they make no finite time, e.g. a digit was not one).
 * `sign` is the character code at `signAt`, `colon` the one three after it; `offsetHours` and
 * `offsetMinutes` the two-digit numbers after the sign (only read for a `+` or `-`).
 */
function instantOf(
  sign: number, signAt: number, end: number, colon: number, offsetHours: number, offsetMinutes: number,
  year: number, month: number, day: number, hour: number, minute: number, second: number, ms: number,
): number | null {
  let offset: number;
  if (sign === 90 && signAt + 1 === end) {
    offset = 0;
  } else if ((sign === 43 || sign === 45) && signAt + 6 === end && colon === 58) {
    offset = (offsetHours * 60 + offsetMinutes) * 60_000 * (sign === 43 ? 1 : -1);
  } else {
    return null;
  }
  const utc = Date.UTC(year, month - 1, day, hour, minute, second);
  const result = utc + ms - offset;
  return Number.isFinite(result) ? result : null;
}

/** PostgreSQL's timestamptz epoch (2000-01-01T00:00:00Z) in Unix milliseconds. */
const PG_EPOCH_MS = 946_684_800_000;

export function int64(bytes: Buffer, offset: number): number {
  return bytes.readInt32BE(offset) * 4_294_967_296 + bytes.readUInt32BE(offset + 4);
}

/** A timestamptz field (int64 microseconds since 2000) as Unix milliseconds, fraction kept. */
export function pgMillis(bytes: Buffer, offset: number): number {
  return int64(bytes, offset) / 1000 + PG_EPOCH_MS;
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


/** The decimal number of `count` digits at bytes[from]; NaN when one is not a digit (or lies beyond the end). */
function digitsOf(bytes: Buffer, from: number, count: number): number {
  let value = 0;
  for (let i = from; i < from + count; i++) {
    const d = bytes[i]! - 48;
    if (d < 0 || d > 9) return Number.NaN;
    value = value * 10 + d;
  }
  return value;
}

/** readInstant on bytes. */
export function readInstantBytes(bytes: Buffer, start: number, end: number): number | null {
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
  return instantOf(
    bytes[at] ?? -1, at, end, bytes[at + 3] ?? -1, digitsOf(bytes, at + 1, 2), digitsOf(bytes, at + 4, 2),
    digitsOf(bytes, start, 4), digitsOf(bytes, start + 5, 2), digitsOf(bytes, start + 8, 2), digitsOf(bytes, start + 11, 2), digitsOf(bytes, start + 14, 2), digitsOf(bytes, start + 17, 2), ms,
  );
}
