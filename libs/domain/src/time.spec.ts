import { addDuration, instant, isoUtc, parseDuration, parseTimestamp } from './time.js';

const plus = (at: string, duration: string): string => isoUtc(addDuration(instant(at), parseDuration(duration)!));

describe('timestamps', () => {
  it('read RFC 3339 with an offset as the same instant everywhere', () => {
    expect(parseTimestamp('2026-04-01T09:00:00+09:00')).toBe(Date.parse('2026-04-01T00:00:00Z'));
    expect(parseTimestamp('2026-04-01T00:00:00.123Z')).toBe(Date.parse('2026-04-01T00:00:00.123Z'));
  });

  it('refuse text without an offset, impossible dates and out-of-range offsets', () => {
    for (const text of ['2026-04-01T09:00:00', '2026-02-29T00:00:00Z', '2026-04-31T00:00:00Z', '2026-04-01T24:00:00Z', '2026-04-01T09:00:00+09:60', 20260401]) {
      expect(parseTimestamp(text)).toBeNull();
    }
    expect(parseTimestamp('2028-02-29T00:00:00+09:00')).not.toBeNull();
  });
});

describe('durations', () => {
  it('parse ISO 8601 and refuse zero, empty and malformed ones', () => {
    expect(parseDuration('PT24H')).toMatchObject({ milliseconds: 86_400_000 });
    expect(parseDuration('P1Y2M3W4DT5H6M7.5S')).toMatchObject({ years: 1, months: 2, days: 25, milliseconds: 18_367_500 });
    for (const text of ['P', 'PT', 'P0D', '30D', 'P1.5D', 'P-1D', '']) expect(parseDuration(text)).toBeNull();
  });

  it('add days as 24 hours and months and years on the JST calendar', () => {
    expect(plus('2026-04-01T09:00:00+09:00', 'PT72H')).toBe('2026-04-04T00:00:00.000Z');
    expect(plus('2026-05-01T00:00:00+09:00', 'P1M')).toBe(isoUtc(instant('2026-06-01T00:00:00+09:00')));
    expect(plus('2027-03-01T00:00:00+09:00', 'P1Y')).toBe(isoUtc(instant('2028-03-01T00:00:00+09:00')));
    expect(plus('2026-01-31T10:00:00+09:00', 'P1M')).toBe(isoUtc(instant('2026-02-28T10:00:00+09:00')));
    expect(plus('2028-02-29T00:00:00+09:00', 'P1Y')).toBe(isoUtc(instant('2029-02-28T00:00:00+09:00')));
    expect(plus('2025-04-01T00:00:00+09:00', 'P1Y')).toBe(isoUtc(instant('2026-04-01T00:00:00+09:00')));
  });
});

describe('timestamp instants', () => {
  it('agree with Date.parse for offsets east and west, fractions and year boundaries', () => {
    for (const text of ['2026-04-01T09:00:00+09:00', '2025-12-31T23:59:59.999-05:30', '2024-02-29T12:00:00.5Z', '2000-01-01T00:00:00+14:00', '2026-07-01T00:00:00.123456789+09:00']) {
      expect(parseTimestamp(text)).toBe(Date.parse(text.replace(/(\.\d{3})\d+/, '$1')));
    }
  });
});
