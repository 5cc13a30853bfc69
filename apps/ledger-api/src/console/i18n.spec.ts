import { articleLabel, countdown, formatDay, formatTime, isoJst, jstDay, ruleTitle, statusLabel } from './i18n.js';

const at = (text: string): number => Date.parse(text);

describe('the console writes times in JST, with 和暦 in Japanese', () => {
  it('writes an instant in 和暦 (ja) and in RFC 3339 JST (en), whatever offset it came with', () => {
    const t = at('2025-07-02T01:00:00Z');
    expect(formatTime(t, 'ja')).toBe('令和7年7月2日10時00分');
    expect(formatTime('2025-07-02T10:00:00+09:00', 'en')).toBe('2025-07-02 10:00 JST');
    expect(formatDay(t, 'ja')).toBe('令和7年7月2日');
    expect(formatDay(t, 'en')).toBe('2025-07-02');
    expect(isoJst(t)).toBe('2025-07-02T10:00:00.000+09:00');
  });

  it('takes the JST calendar day for the date picker (15:00 UTC is the next day in Japan)', () => {
    expect(jstDay(at('2026-03-10T15:00:00Z'))).toBe('2026-03-11');
    expect(jstDay(at('2026-03-10T14:59:59Z'))).toBe('2026-03-10');
  });

  it('counts down to a due time and up from it', () => {
    const due = at('2026-03-10T18:00:00+09:00');
    expect(countdown(due, due - (2 * 24 + 3) * 3_600_000, 'ja')).toBe('あと2日3時間');
    expect(countdown(due, due + 90 * 60_000, 'ja')).toBe('1時間30分超過');
    expect(countdown(due, due - 5 * 60_000, 'en')).toBe('5 min left');
    expect(countdown(due, due + 26 * 3_600_000, 'en')).toBe('1 d 2 h overdue');
  });

  it('names articles, statuses and rules as the rulebook does', () => {
    expect([articleLabel('9', 'ja'), articleLabel('appi68', 'ja'), articleLabel('9', 'en')]).toEqual(['第9条', '法68条', 'Art. 9']);
    expect([statusLabel('violation', 'ja'), statusLabel('pending', 'en')]).toEqual(['違反', 'pending']);
    expect(ruleTitle('art9.copy-without-authorization', 'ja')).not.toBe('art9.copy-without-authorization');
    expect(ruleTitle('no.such-rule', 'en')).toBe('no.such-rule');
  });
});
