import { encodeStoredEvent, streamIdOf } from '@ledger/event-store';
import { isRecordEvent } from '@ledger/domain';
import { canonicalize, hashToHex, leafHash, nodeHash, spliceMetadata } from '@ledger/integrity';
import fc from 'fast-check';
import { generateHistory } from '../../../../test/generators/care-insurance-history.js';
import type { LogRow } from './log-rows.js';
import { interiorHash } from './verify-chunk.js';
import { COMPACT, decodeRow, FULL, FULL_FORM_EXTRA, NO_MATCH, parseStored, putIso, readInstant, readInstantBytes, RowMatcher, writeFullForm } from './stored-row-match.js';

const matcher = new RowMatcher();
const matchesColumns = (canonical: string, row: Parameters<RowMatcher['columns']>[1]): boolean => matcher.columns(canonical, row);
const matchesBinary = (...args: Parameters<RowMatcher['binary']>): boolean => matcher.binary(...args) === FULL;

/**
 * Rows as PostgreSQL answers the verifier's query, for realistic events of every type: with the
 * full stored form in the text column, or (compact) the producer's event alone, as the store keeps it.
 */
function storedRows(compact = false): LogRow[] {
  const rows: LogRow[] = [];
  const heads = new Map<string, { version: number; hash: string }>();
  let position = 0;
  for (const batch of generateHistory({ seed: 7, contracts: 2, recordsPerContract: 150, batchSize: 1000 })) {
    for (const event of batch) {
      const streamId = streamIdOf(event);
      const head = heads.get(streamId);
      position++;
      const recordedAt = new Date(Date.parse('2026-05-01T00:00:00.000Z') + position * 7).toISOString();
      const meta = { streamId, streamVersion: head ? head.version + 1 : 0, position, recordedAt, prevHash: head?.hash ?? null };
      const { canonical, hash } = encodeStoredEvent(event, meta);
      heads.set(streamId, { version: meta.streamVersion, hash: hash.toString('hex') });
      rows.push([
        String(position), compact ? canonicalize(event) : canonical, hash.toString('hex'), meta.prevHash, event.eventId.toLowerCase(), streamId, String(meta.streamVersion),
        event.type, event.contractId, isRecordEvent(event) ? event.recordId : null, String(Date.parse(event.occurredAt)), String(Date.parse(recordedAt)),
      ]);
    }
  }
  return rows;
}

describe("the verifier's fast reading of stored events", () => {
  const rows = storedRows();

  it('confirms every column of every stored event type, read in place from the hashed text', () => {
    expect(new Set(rows.map((r) => r[7])).size).toBeGreaterThan(20);
    expect(rows.filter((row) => !matchesColumns(row[1], row)).map((row) => row[0])).toEqual([]);
    expect(hashToHex(leafHash(rows[0]![1]))).toBe(rows[0]![2]);
  });

  it('declines when any column differs from the text, so that the exact parse names the difference', () => {
    const row = rows.find((r) => r[9] !== null && r[3] !== null)!;
    const changed = (index: number, value: string | null): LogRow => Object.assign([...row], { [index]: value }) as LogRow;
    const variants: LogRow[] = [
      changed(0, String(Number(row[0]) + 1)),
      changed(3, 'ab'.repeat(32)),
      changed(3, null),
      changed(4, '00000000-0000-4000-8000-000000000000'),
      changed(5, `${row[5]}x`),
      changed(6, String(Number(row[6]) + 1)),
      changed(7, 'RecordUsedX'),
      changed(8, 'another-contract'),
      changed(9, 'R-OTHER'),
      changed(9, null),
      changed(10, String(Number(row[10]) + 60_000)),
      changed(11, String(Number(row[11]) - 5)),
      changed(1, row[1].replace('"type":"', '"type":"X')),
      changed(1, `${row[1]} `),
    ];
    expect(variants.map((v) => matchesColumns(v[1], v))).toEqual(variants.map(() => false));
    expect(parseStored(row[1])).toMatchObject({ position: Number(row[0]), streamId: row[5] });
    expect(parseStored('not json')).toBeNull();
    expect(parseStored('[1]')).toBeNull();
  });

  it('reads timestamps as Date.parse does: offsets, Z, fractions of any length truncated to milliseconds', () => {
    for (const text of [
      '2026-04-01T09:00:00+09:00', '2026-04-01T09:00:00Z', '2026-04-01T09:00:00.1Z', '2026-04-01T09:00:00.123456789+09:00',
      '2026-12-31T23:59:59.9999999-05:30', '2024-02-29T00:00:00.000Z', '1999-01-01T00:00:00+00:00',
    ]) {
      expect({ text, ms: readInstant(text, 0, text.length) }).toEqual({ text, ms: Date.parse(text) });
    }
    for (const text of ['2026-04-01 09:00:00Z', '2026-04-01T09:00:00', '2026-04-01T09:00:00+0900', '2026-04-01T09:00:00.Z', 'x026-04-01T09:00:00Z']) {
      expect({ text, ms: readInstant(text, 0, text.length) }).toEqual({ text, ms: null });
    }
  });

  it('hashes interior nodes exactly as RFC 6962 (nodeHash) does, call after call', () => {
    const hashes = Array.from({ length: 6 }, (_, i) => leafHash(`leaf ${i}`));
    // The verifier carries a hash as its 32 bytes in a latin1 string.
    const h = hashes.map((hash) => hash.toString('latin1'));
    const results = [interiorHash(h[0]!, h[1]!), interiorHash(h[2]!, h[3]!), interiorHash(h[4]!, h[5]!)];
    expect(results.map((r) => hashToHex(Buffer.from(r, 'latin1')))).toEqual([nodeHash(hashes[0]!, hashes[1]!), nodeHash(hashes[2]!, hashes[3]!), nodeHash(hashes[4]!, hashes[5]!)].map(hashToHex));
    expect(results.map((r) => r.length)).toEqual([32, 32, 32]);
  });

  it('reads the binary COPY row exactly as the text row: the same verdict, the same decoded columns', () => {
    for (const row of rows) {
      const { bytes, offsets, lengths } = binaryRow(row);
      expect({ position: row[0], fast: matchesBinary(bytes, offsets, lengths, Number(row[0])) }).toEqual({ position: row[0], fast: true });
      expect(decodeRow(bytes, offsets, lengths)).toEqual(row);
    }
  });

  it('declines a binary row when any column differs from the hashed text', () => {
    const row = rows.find((r) => r[9] !== null && r[3] !== null)!;
    const changed = (index: number, value: string | null): LogRow => Object.assign([...row], { [index]: value }) as LogRow;
    const variants: LogRow[] = [
      changed(3, 'cd'.repeat(32)),
      changed(3, null),
      changed(4, '00000000-0000-4000-8000-000000000000'),
      changed(5, `record-${row[8]}-R-OTHER`),
      changed(6, String(Number(row[6]) + 1)),
      changed(7, 'RecordUsedX'),
      changed(8, 'another-contract'),
      changed(9, null),
      changed(10, String(Number(row[10]) + 2)),
      changed(11, String(Number(row[11]) - 2)),
      changed(1, row[1].replace('"type":"', '"type":"X')),
      changed(1, `${row[1]} `),
    ];
    for (const variant of variants) {
      const { bytes, offsets, lengths } = binaryRow(variant);
      expect(matchesBinary(bytes, offsets, lengths, Number(variant[0]))).toBe(false);
    }
    const { bytes, offsets, lengths } = binaryRow(row);
    expect(matchesBinary(bytes, offsets, lengths, Number(row[0]) + 1)).toBe(false);
  });

  it('reads a compact binary row (the producer event alone) and writes its full stored form back byte for byte from the columns', () => {
    const full = rows;
    const compact = storedRows(true);
    const out = Buffer.alloc(8_192);
    compact.forEach((row, i) => {
      const { bytes, offsets, lengths } = binaryRow(row);
      expect({ position: row[0], form: matcher.binary(bytes, offsets, lengths, Number(row[0])) }).toEqual({ position: row[0], form: COMPACT });
      const end = writeFullForm(bytes, offsets, lengths, Number(row[0]), matcher.cuts, out);
      expect(out.toString('utf8', 1, end)).toBe(full[i]![1]);
    });
  });

  it('declines a compact binary row whose event columns differ from its text, and rebuilds a different hashed text when a metadata column changed', () => {
    const row = storedRows(true).find((r) => r[9] !== null && r[3] !== null)!;
    const changed = (index: number, value: string | null): LogRow => Object.assign([...row], { [index]: value }) as LogRow;
    for (const variant of [
      changed(4, '00000000-0000-4000-8000-000000000000'), changed(5, `record-${row[8]}-R-OTHER`), changed(7, 'RecordUsedX'),
      changed(8, 'another-contract'), changed(9, null), changed(10, String(Number(row[10]) + 2)), changed(1, `${row[1]} `),
    ]) {
      const { bytes, offsets, lengths } = binaryRow(variant);
      expect(matcher.binary(bytes, offsets, lengths, Number(variant[0]))).toBe(NO_MATCH);
    }
    const rebuilt = (variant: LogRow): string | null => {
      const { bytes, offsets, lengths } = binaryRow(variant);
      expect(matcher.binary(bytes, offsets, lengths, Number(variant[0]))).toBe(COMPACT);
      const out = Buffer.alloc(8_192);
      const end = writeFullForm(bytes, offsets, lengths, Number(variant[0]), matcher.cuts, out);
      return end < 0 ? null : out.toString('utf8', 1, end);
    };
    const original = rebuilt(row);
    expect(original).not.toBeNull();
    for (const variant of [changed(0, String(Number(row[0]) + 1)), changed(3, 'cd'.repeat(32)), changed(3, null), changed(6, String(Number(row[6]) + 1)), changed(11, String(Number(row[11]) - 1))]) {
      const text = rebuilt(variant);
      expect(text).not.toBeNull();
      expect(text).not.toBe(original);
    }
    // The largest metadata (a 16-digit position, a prevHash, the largest version) fits the room writeFullForm asks for.
    const largest = Object.assign([...row], { 0: String(2 ** 53 - 1), 6: String(2 ** 31 - 1) }) as LogRow;
    const big = binaryRow(largest);
    expect(matcher.binary(big.bytes, big.offsets, big.lengths, 2 ** 53 - 1)).toBe(COMPACT);
    const exact = Buffer.alloc(big.lengths[1]! + big.lengths[5]! + FULL_FORM_EXTRA);
    const end = writeFullForm(big.bytes, big.offsets, big.lengths, 2 ** 53 - 1, matcher.cuts, exact);
    expect(end).toBeLessThanOrEqual(exact.length);
    expect(exact.toString('utf8', 1, end)).toBe(spliceMetadata(row[1], {
      position: 2 ** 53 - 1, prevHash: row[3], recordedAt: new Date(Number(row[11])).toISOString(), streamId: row[5], streamVersion: 2 ** 31 - 1,
    }));
    // A recorded_at with digits below the millisecond cannot be a compact row's: no text is rebuilt, the exact path names it.
    expect(rebuilt(changed(11, String(Number(row[11]) + 0.001)))).toBeNull();
  });

  it('writes a time as Date#toISOString does, for any millisecond of years 0–9999, and refuses the others', () => {
    const out = Buffer.alloc(32);
    fc.assert(
      fc.property(fc.integer({ min: -62_167_219_200_000, max: 253_402_300_799_999 }), (ms) => {
        const end = putIso(out, 0, ms);
        expect(out.toString('latin1', 0, end)).toBe(new Date(ms).toISOString());
      }),
      { numRuns: 2_000 },
    );
    for (const ms of [-62_167_219_200_000, 0, 951_782_400_000, 253_402_300_799_999]) expect(out.toString('latin1', 0, putIso(out, 0, ms))).toBe(new Date(ms).toISOString());
    expect(putIso(out, 0, -62_167_219_200_001)).toBe(-1);
    expect(putIso(out, 0, 253_402_300_800_000)).toBe(-1);
  });

  it('writes a time at any offset, the same time again or a new one, over what the buffer held', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 20 }), fc.integer({ min: 0, max: 253_402_300_799_990 }), (picks, base) => {
        const out = Buffer.alloc(64);
        for (const [i, pick] of picks.entries()) {
          const at = i % 8;
          out.fill(0);
          const end = putIso(out, at, base + pick);
          expect({ end, text: out.toString('latin1', at, end) }).toEqual({ end: at + 24, text: new Date(base + pick).toISOString() });
        }
      }),
      { numRuns: 500 },
    );
  });

  it('reads timestamps from bytes as from text', () => {
    for (const text of ['2026-04-01T09:00:00+09:00', '2026-12-31T23:59:59.9999999-05:30', '2026-04-01T09:00:00.1Z', '2026-04-01T09:00:00']) {
      expect(readInstantBytes(Buffer.from(text), 0, text.length)).toEqual(readInstant(text, 0, text.length));
    }
  });
});

/** A row as binary COPY sends it: int8, text, bytea, bytea, text × 3, int4, text × 3, timestamptz × 2. */
function binaryRow(row: LogRow): { bytes: Buffer; offsets: Int32Array; lengths: Int32Array } {
  const int64 = (n: number): Buffer => {
    const b = Buffer.alloc(8);
    b.writeBigInt64BE(BigInt(Math.round(n)));
    return b;
  };
  const micros = (ms: string): Buffer => int64((Number(ms) - 946_684_800_000) * 1000);
  const int32 = (n: number): Buffer => {
    const b = Buffer.alloc(4);
    b.writeInt32BE(n);
    return b;
  };
  const fields: Array<Buffer | null> = [
    int64(Number(row[0])), Buffer.from(row[1]), row[2] === null ? null : Buffer.from(row[2], 'hex'), row[3] === null ? null : Buffer.from(row[3], 'hex'),
    Buffer.from(row[4]), Buffer.from(row[5]), int32(Number(row[6])), Buffer.from(row[7]), Buffer.from(row[8]), row[9] === null ? null : Buffer.from(row[9]),
    micros(row[10]), micros(row[11]),
  ];
  const parts: Buffer[] = [int32(0).subarray(0, 2)];
  const offsets = new Int32Array(12);
  const lengths = new Int32Array(12);
  let at = 2;
  fields.forEach((field, i) => {
    parts.push(int32(field === null ? -1 : field.length));
    at += 4;
    offsets[i] = at;
    lengths[i] = field === null ? -1 : field.length;
    if (field !== null) {
      parts.push(field);
      at += field.length;
    }
  });
  return { bytes: Buffer.concat(parts), offsets, lengths };
}
