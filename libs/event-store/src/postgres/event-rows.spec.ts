import type { LedgerEvent } from '@ledger/domain';
import type { PlannedRow } from '../append-plan.js';
import { encodeEventRows, postgresMicros } from './event-rows.js';

describe('postgresMicros: a timestamp as PostgreSQL stores its text', () => {
  it('counts microseconds from 2000-01-01 UTC, with the offset applied', () => {
    expect(postgresMicros('2000-01-01T00:00:00Z')).toBe(0n);
    expect(postgresMicros('2000-01-01T09:00:00+09:00')).toBe(0n);
    expect(postgresMicros('1999-12-31T23:59:59Z')).toBe(-1_000_000n);
    expect(postgresMicros('2026-04-01T09:00:00.123+09:00')).toBe(BigInt(Date.parse('2026-04-01T00:00:00.123Z') - 946_684_800_000) * 1000n);
  });

  it('rounds a fraction finer than a microsecond to the nearest, ties to even, as rint() does', () => {
    expect(postgresMicros('2000-01-01T00:00:00.0000014Z')).toBe(1n);
    expect(postgresMicros('2000-01-01T00:00:00.0000016Z')).toBe(2n);
    expect(postgresMicros('2000-01-01T00:00:00.0000025Z')).toBe(2n);
    expect(postgresMicros('2000-01-01T00:00:00.0000035Z')).toBe(4n);
    expect(postgresMicros('2000-01-01T00:00:00.999999999Z')).toBe(1_000_000n);
  });

  it('reads years before 100 as those years (not as 19xx) and refuses year 0', () => {
    // An ISO text parsed by Date keeps its 4-digit year (only Date.UTC's arguments 0–99 mean 19xx).
    expect(postgresMicros('0050-03-01T00:00:00Z')).toBe((BigInt(Date.parse('0050-03-01T00:00:00Z')) - 946_684_800_000n) * 1000n);
    expect(() => postgresMicros('0000-01-01T00:00:00Z')).toThrow(RangeError);
  });
});

describe('postgresMicros: what PostgreSQL would refuse is refused as a value (SQLSTATE 22008)', () => {
  it.each(['2026-02-29T00:00:00Z', '2024-13-01T00:00:00Z', '2024-04-31T00:00:00Z', '2024-01-01T24:00:00Z', '2024-01-01T00:60:00Z', '2024-01-01T00:00:00+16:00', '2024-01-01'])(
    'refuses %s',
    (text) => {
      expect(() => postgresMicros(text)).toThrow(expect.objectContaining({ code: '22008' }));
    },
  );

  it('takes 29 February of a leap year', () => {
    expect(postgresMicros('2024-02-29T00:00:00Z')).toBe(BigInt(Date.parse('2024-02-29T00:00:00Z') - 946_684_800_000) * 1000n);
  });
});

describe('encodeEventRows: buffers sized to the group', () => {
  const row = (i: number, canonicalLength: number): PlannedRow => ({
    position: i + 1,
    eventId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    streamId: `record-c-R-${i}`,
    streamVersion: 0,
    event: { type: 'RecordUsed', contractId: 'c', recordId: `R-${i}`, occurredAt: '2026-04-01T09:00:00+09:00' } as unknown as LedgerEvent,
    canonical: `{"x":"${'a'.repeat(canonicalLength)}"}`,
    prepared: { event: {} as LedgerEvent, streamId: `record-c-R-${i}`, pieces: null },
    prevHash: null,
    hash: '00'.repeat(32),
    leaf: Buffer.alloc(32, i % 256),
    recordedAt: '2026-04-01T00:00:00.000Z',
  });

  it('given a group of one event, then its one buffer holds a few kB, not the 2 MiB chunk (whose external memory made V8 collect the whole heap every ~120 ms under single-event load)', () => {
    const chunks = encodeEventRows([row(0, 500)]);
    expect(chunks).toHaveLength(1);
    expect(chunks[0]!.buffer.byteLength).toBeLessThanOrEqual(64 * 1024);
    // Header (19 bytes), the tuple and the trailer (-1 as int16).
    expect(chunks[0]!.subarray(0, 11).toString('latin1')).toBe('PGCOPY\n\xff\r\n\0');
    expect(chunks[0]!.readInt16BE(chunks[0]!.length - 2)).toBe(-1);
  });

  it('given a group larger than a chunk, then it spans several buffers of at most 2 MiB, no row split, and the bytes are those of one buffer', () => {
    const rows = Array.from({ length: 3_000 }, (_, i) => row(i, 1_000));
    const chunks = encodeEventRows(rows);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(2 * 1024 * 1024);
    // Each row starts with its field count (12) right where the previous ended: walk them.
    const all = Buffer.concat(chunks);
    let at = 19;
    let count = 0;
    while (all.readInt16BE(at) === 12) {
      at += 2;
      for (let f = 0; f < 12; f++) {
        const length = all.readInt32BE(at);
        at += 4 + Math.max(length, 0);
      }
      count++;
    }
    expect(count).toBe(3_000);
    expect(all.readInt16BE(at)).toBe(-1);
    expect(at + 2).toBe(all.length);
    // And no buffer ends inside a row: each chunk after the first begins with a row's field count.
    for (const chunk of chunks.slice(1)) expect([12, -1]).toContain(chunk.readInt16BE(0));
  });

  it('given times that repeat and change from row to row, then each row holds the microseconds of its own texts', () => {
    const occurred = ['2026-04-01T09:00:00+09:00', '2026-04-01T09:00:00+09:00', '2026-04-01T09:00:00.5+09:00', '2026-04-01T09:00:00+09:00', '2026-04-02T00:00:00Z'];
    const recorded = ['2026-04-01T00:00:00.000Z', '2026-04-01T00:00:00.001Z', '2026-04-01T00:00:00.001Z', '2026-04-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z'];
    const rows = occurred.map((occurredAt, i) => ({ ...row(i, 10), event: { ...row(i, 10).event, occurredAt } as LedgerEvent, recordedAt: recorded[i]! }));
    const all = Buffer.concat(encodeEventRows(rows));
    const times: Array<[bigint, bigint]> = [];
    let at = 19;
    while (all.readInt16BE(at) === 12) {
      at += 2;
      const fields: number[] = [];
      for (let f = 0; f < 12; f++) {
        fields.push(at + 4);
        at += 4 + Math.max(all.readInt32BE(at), 0);
      }
      // occurred_at and recorded_at are the 8th and 9th columns (EVENT_ROW_COLUMNS).
      times.push([all.readBigInt64BE(fields[7]!), all.readBigInt64BE(fields[8]!)]);
    }
    expect(times).toEqual(occurred.map((o, i) => [postgresMicros(o), postgresMicros(recorded[i]!)]));
  });
});
