import { postgresMicros } from './event-rows.js';

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
