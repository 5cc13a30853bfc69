import fc from 'fast-check';
import { addDuration, instant, isoUtc, MAX_OFFSET_MINUTES, MAX_YEAR, MIN_YEAR, parseDuration, parseTimestamp } from './time.js';

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

  /** The reading by regular expression this module used before it read characters (the reference). */
  function byRegex(text: unknown): number | null {
    if (typeof text !== 'string') return null;
    const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-](\d{2}):(\d{2}))$/.exec(text);
    if (!m) return null;
    const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i]));
    const leap = (year! % 4 === 0 && year! % 100 !== 0) || year! % 400 === 0;
    const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    if (year! < MIN_YEAR || year! > MAX_YEAR || month! < 1 || month! > 12 || day! < 1 || day! > days[month! - 1]!) return null;
    if (hour! > 23 || minute! > 59 || second! > 59) return null;
    let offset = 0;
    if (m[8] !== 'Z') {
      const h = Number(m[9]);
      const mm = Number(m[10]);
      if (mm > 59 || h * 60 + mm > MAX_OFFSET_MINUTES) return null;
      offset = (m[8]!.startsWith('-') ? -1 : 1) * (h * 60 + mm);
    }
    const millis = m[7] ? Math.floor(Number(`0${m[7]}`) * 1000) : 0;
    return Date.UTC(year!, month! - 1, day!, hour!, minute!, second!, millis) - offset * 60_000;
  }

  it('read exactly what the regular expression read, for valid texts, texts one edit away and any text', () => {
    const pad = (n: number, width: number): string => String(n).padStart(width, '0');
    const valid = fc
      .record({
        year: fc.integer({ min: 1850, max: 2250 }), month: fc.integer({ min: 0, max: 13 }), day: fc.integer({ min: 0, max: 32 }),
        hour: fc.integer({ min: 0, max: 25 }), minute: fc.integer({ min: 0, max: 61 }), second: fc.integer({ min: 0, max: 61 }),
        fraction: fc.option(fc.stringMatching(/^[0-9]{0,10}$/)), zone: fc.oneof(fc.constant('Z'), fc.tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 16 }), fc.integer({ min: 0, max: 61 })).map(([s, h, m]) => `${s}${pad(h, 2)}:${pad(m, 2)}`)),
      })
      .map((t) => `${pad(t.year, 4)}-${pad(t.month, 2)}-${pad(t.day, 2)}T${pad(t.hour, 2)}:${pad(t.minute, 2)}:${pad(t.second, 2)}${t.fraction === null ? '' : `.${t.fraction}`}${t.zone}`);
    const edited = fc.tuple(valid, fc.nat(), fc.constantFrom('delete', 'insert', 'replace'), fc.constantFrom('0', '9', '-', ':', 'T', 't', 'Z', 'z', '+', '.', ' ', '\n', '٣', 'a'))
      .map(([text, at, edit, char]) => {
        const i = at % (text.length + 1);
        return edit === 'delete' ? text.slice(0, i) + text.slice(i + 1) : edit === 'insert' ? text.slice(0, i) + char + text.slice(i) : text.slice(0, i) + char + text.slice(i + 1);
      });
    fc.assert(
      fc.property(fc.oneof(valid, edited, fc.string(), fc.anything()), (text) => {
        expect(parseTimestamp(text)).toBe(byRegex(text));
      }),
      { numRuns: 20_000, seed: 20_261_126 },
    );
    // Every fraction width, and the bounds of each field.
    for (const text of ['2026-04-01T00:00:00.1Z', '2026-04-01T00:00:00.12Z', '2026-04-01T00:00:00.999999999Z', '2026-04-01T00:00:00.1234567890Z',
      '1900-01-01T00:00:00+14:00', '2200-12-31T23:59:59-14:00', '2200-12-31T23:59:59-14:01', '1899-12-31T23:59:59Z', '2026-04-01T00:00:00.Z']) {
      expect(parseTimestamp(text)).toBe(byRegex(text));
    }
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
