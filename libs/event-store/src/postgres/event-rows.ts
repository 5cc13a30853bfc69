import { isRecordEvent, rememberLast } from '@ledger/domain';
import type { PlannedRow } from '../append-plan.js';
import { storedText } from '../stored-event.js';

/** The columns of ledger_events an append fills, in the order of the encoded rows. */
export const EVENT_ROW_COLUMNS =
  'position, event_id, stream_id, stream_version, type, contract_id, record_id, occurred_at, recorded_at, canonical, prev_hash, hash';
const FIELDS = 12;

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
/** 2000-01-01T00:00:00Z, PostgreSQL's epoch, in ms since 1970. */
const PG_EPOCH_MS = 946_684_800_000;

/**
 * Bytes of COPY data per buffer: a group of 16 MiB of events goes as several CopyData messages of
 * this size rather than one buffer of three times its size (the bound INSERT chunks kept before).
 */
const CHUNK_BYTES = 2 * 1024 * 1024;

/**
 * A value this encoder cannot give PostgreSQL, with the SQLSTATE PostgreSQL would have answered
 * for its text (22008 datetime field overflow, 22P02 invalid text representation, 22021 character
 * not in repertoire), so the writer treats it as a refused value: only the request holding it fails.
 */
export class UnstorableValueError extends RangeError {
  constructor(
    message: string,
    readonly code: '22008' | '22P02' | '22021',
  ) {
    super(message);
    this.name = 'UnstorableValueError';
  }
}

/**
 * The planned rows as `COPY ledger_events (…) FROM STDIN (FORMAT binary)` takes them, in buffers of
 * about CHUNK_BYTES (a row is never split): no SQL text to build or parse, hashes and UUIDs as their
 * bytes, the stored text (storedText: the producer's event alone, or the full hashed form) as UTF-8. Timestamps are converted here
 * exactly as PostgreSQL converts their text (`postgresMicros`), so the column holds what an INSERT of
 * the same text would.
 */
export function encodeEventRows(rows: readonly PlannedRow[]): Buffer[] {
  const chunks: Buffer[] = [];
  let buf = Buffer.allocUnsafe(0);
  let at = 0;
  // A buffer is sized to what is left to write (at most), not always to CHUNK_BYTES: a group of one
  // event took 2 MiB, and under single-event load those buffers' external memory made V8 run a full
  // mark-compact every ~120 ms (28 % of the API's CPU in a profile). Small groups now fit Node's pool.
  const bounds = rows.map(rowBound);
  let left = 19 + 2 + bounds.reduce((sum, b) => sum + b, 0);
  const ensure = (bytes: number): void => {
    if (at + bytes <= buf.length) return;
    if (at > 0) chunks.push(buf.subarray(0, at));
    buf = Buffer.allocUnsafe(Math.max(bytes, Math.min(CHUNK_BYTES, left)));
    at = 0;
  };
  const int8 = (value: bigint | number): void => {
    buf.writeInt32BE(8, at);
    buf.writeBigInt64BE(BigInt(value), at + 4);
    at += 12;
  };
  const text = (value: string): void => {
    const length = buf.write(value, at + 4, 'utf8');
    buf.writeInt32BE(length, at);
    at += 4 + length;
  };
  const bytes = (value: Buffer | null): void => {
    if (value === null) {
      buf.writeInt32BE(-1, at);
      at += 4;
      return;
    }
    buf.writeInt32BE(value.length, at);
    value.copy(buf, at + 4);
    at += 4 + value.length;
  };
  ensure(19);
  SIGNATURE.copy(buf, 0);
  buf.writeInt32BE(0, 11); // flags
  buf.writeInt32BE(0, 15); // header extension length
  at = 19;
  left -= 19;
  // A group's events share one recordedAt, and a feed's batch often one occurredAt: each text is
  // converted once while it repeats.
  const occurred = rememberLast(postgresMicros);
  const recorded = rememberLast(postgresMicros);
  rows.forEach((row, i) => {
    const event = row.event;
    const recordId = isRecordEvent(event) ? event.recordId : null;
    // Made row by row and let go: the group holds each event's full text (row.canonical) already.
    const stored = storedText(row.prepared, row, row.canonical);
    // PostgreSQL text holds no NUL character (it would refuse the INSERT of such a text).
    for (const value of [row.streamId, event.type, event.contractId, recordId ?? '', stored]) {
      if (value.includes('\0')) throw new UnstorableValueError('a text holds a NUL character', '22021');
    }
    const occurredAt = occurred(event.occurredAt);
    const recordedAt = recorded(row.recordedAt);
    ensure(bounds[i]!);
    buf.writeInt16BE(FIELDS, at);
    at += 2;
    int8(row.position);
    buf.writeInt32BE(16, at);
    writeUuid(buf, at + 4, row.eventId);
    at += 20;
    text(row.streamId);
    buf.writeInt32BE(4, at);
    buf.writeInt32BE(row.streamVersion, at + 4);
    at += 8;
    text(event.type);
    text(event.contractId);
    if (recordId !== null) text(recordId);
    else bytes(null);
    int8(occurredAt);
    int8(recordedAt);
    text(stored);
    bytes(row.prevHash === null ? null : Buffer.from(row.prevHash, 'hex'));
    bytes(row.leaf);
    left -= bounds[i]!;
  });
  ensure(2);
  buf.writeInt16BE(-1, at);
  chunks.push(buf.subarray(0, at + 2));
  return chunks;
}

/** At most the bytes a row takes: its stored text is at most its canonical JSON, at most 3 bytes per UTF-16 unit; every other field is small and bounded. */
function rowBound(row: PlannedRow): number {
  const event = row.event;
  const recordId = isRecordEvent(event) ? event.recordId : null;
  return 2 + FIELDS * 4 + 8 + 16 + 4 + 8 + 8 + 32 + 32 + 2 +
    3 * (row.streamId.length + event.type.length + event.contractId.length + (recordId?.length ?? 0) + row.canonical.length);
}

function writeUuid(buf: Buffer, at: number, uuid: string): void {
  const hex = uuid.replace(/-/g, '');
  if (hex.length !== 32 || buf.write(hex, at, 'hex') !== 16) throw new UnstorableValueError(`not a UUID: ${uuid}`, '22P02');
}

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|([+-])(\d{2}):(\d{2}))$/;

/**
 * PostgreSQL's timestamptz of an RFC 3339 text (one the edge accepted): microseconds since
 * 2000-01-01 UTC, the fraction rounded as PostgreSQL rounds it (`rint(fraction × 10⁶)`, so half to
 * even). As a bigint: a timestamp's microseconds exceed 2⁵³ in the year 2255.
 */
export function postgresMicros(text: string): bigint {
  const m = TIMESTAMP.exec(text);
  if (!m) throw new UnstorableValueError(`not an RFC 3339 timestamp with offset: ${text}`, '22008');
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (year < 1) throw new UnstorableValueError(`year ${year} is out of range (PostgreSQL has no year 0): ${text}`, '22008');
  // Fields out of their range are refused (PostgreSQL refuses them too; its 24:00:00 and leap
  // second :60 are refused here as well: the edge never lets them through).
  const days = new Date(Date.UTC(2000, month, 0)).getUTCDate() - (month === 2 && !leapYear(year) ? 1 : 0);
  if (month < 1 || month > 12 || day < 1 || day > days || hour > 23 || minute > 59 || second > 59 || (m[8] !== 'Z' && (Number(m[10]) > 15 || Number(m[11]) > 59))) {
    throw new UnstorableValueError(`a field of the timestamp is out of range: ${text}`, '22008');
  }
  const offsetMinutes = m[8] === 'Z' ? 0 : (m[9] === '-' ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11]));
  // Date.UTC reads years 0–99 as 1900–1999: shift those by 400 years (146,097 days, whole cycles).
  const shifted = year < 100;
  const ms = Date.UTC(shifted ? year + 400 : year, month - 1, day, hour, minute, second) - (shifted ? 146_097 * 86_400_000 : 0) - offsetMinutes * 60_000 - PG_EPOCH_MS;
  const micros = m[7] === undefined ? 0 : roundHalfEven(Number(`0.${m[7]}`) * 1_000_000);
  return BigInt(ms) * 1000n + BigInt(micros);
}

function leapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** C's rint() in the default rounding mode: to the nearest integer, ties to even. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
