import { isDateFormat, parseDate } from './dates.js';

describe('date columns', () => {
  const formats = ['YYYY/MM/DD HH:mm', 'wareki'];

  it('reads `2025/04/01 10:00` and 和暦 into RFC 3339 with the mapping offset', () => {
    expect(parseDate('2025/04/01 10:00', formats, '+09:00')).toEqual({ ok: true, value: '2025-04-01T10:00:00+09:00' });
    expect(parseDate('2025/4/1 9:05', formats, '+09:00')).toEqual({ ok: true, value: '2025-04-01T09:05:00+09:00' });
    expect(parseDate('令和7年4月1日 10:00', formats, '+09:00')).toEqual({ ok: true, value: '2025-04-01T10:00:00+09:00' });
  });

  it('passes RFC 3339 through with iso, adding the offset when the text has none', () => {
    expect(parseDate('2025-04-01T10:00:00.250Z', ['iso'], '+09:00')).toEqual({ ok: true, value: '2025-04-01T10:00:00.250Z' });
    expect(parseDate('2025-04-01 10:00', ['iso'], '+09:00')).toEqual({ ok: true, value: '2025-04-01T10:00:00+09:00' });
  });

  it('refuses an impossible date and text no format reads, in Japanese and English', () => {
    expect(parseDate('2025/02/30 10:00', formats, '+09:00')).toEqual({ ok: false, ja: expect.stringContaining('存在しない日付'), en: expect.stringContaining('not a date that exists') });
    expect(parseDate('昨日', formats, '+09:00')).toEqual({ ok: false, ja: expect.stringContaining('和暦'), en: expect.stringContaining('cannot read "昨日"') });
  });

  it('knows which formats a mapping may name', () => {
    expect(['wareki', 'iso', 'YYYY-MM-DD', 'YYYY年M月D日 H時mm分'].every(isDateFormat)).toBe(true);
    expect(isDateFormat('DD/MM')).toBe(false);
  });
});
