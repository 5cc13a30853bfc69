import { parseWareki } from './wareki.js';

const day = (text: string) => {
  const result = parseWareki(text);
  return result && result.ok ? `${result.value.year}-${result.value.month}-${result.value.day} ${result.value.hour}:${result.value.minute}` : result;
};

describe('和暦 (Japanese era dates)', () => {
  it('reads the last day of Heisei and the first of Reiwa, 元年 included', () => {
    expect(day('平成31年4月30日')).toBe('2019-4-30 0:0');
    expect(day('令和元年5月1日')).toBe('2019-5-1 0:0');
    expect(day('令和1年5月1日 10:00')).toBe('2019-5-1 10:0');
  });

  it('refuses a date outside its era instead of carrying it into the next one', () => {
    expect(parseWareki('平成31年5月1日')).toEqual({ ok: false, ja: expect.stringContaining('平成の期間'), en: expect.stringContaining('outside the 平成 era') });
    expect(parseWareki('令和元年4月30日')).toEqual(expect.objectContaining({ ok: false }));
    expect(parseWareki('昭和64年1月8日')).toEqual(expect.objectContaining({ ok: false }));
    expect(day('昭和64年1月7日')).toBe('1989-1-7 0:0');
    expect(day('平成元年1月8日')).toBe('1989-1-8 0:0');
  });

  it('reads letters, separators, full-width digits and the one-character era signs', () => {
    expect(day('R7.4.1 10:05')).toBe('2025-4-1 10:5');
    expect(day('H31/04/30')).toBe('2019-4-30 0:0');
    expect(day('令和７年４月１日　９時３０分')).toBe('2025-4-1 9:30');
    expect(day('㍻31年4月30日')).toBe('2019-4-30 0:0');
  });

  it('refuses a day that does not exist, and says null for text that is no era date', () => {
    expect(parseWareki('令和7年2月29日')).toEqual(expect.objectContaining({ ok: false, en: expect.stringContaining('not a date that exists') }));
    expect(parseWareki('2025/04/01 10:00')).toBeNull();
  });
});
