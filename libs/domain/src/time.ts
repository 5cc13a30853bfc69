/**
 * Business and ledger times. RFC 3339 timestamps must carry an offset (`Z` or `±hh:mm`), so the
 * same text means the same instant everywhere. Comparisons use epoch milliseconds; the original
 * text is what is stored and hashed.
 */
/**
 * The form accepted, read by `parseTimestamp` character by character (no regular expression: it
 * runs for every event a projection or an answer folds, twice, and a match allocates an array of
 * ten strings): `YYYY-MM-DDTHH:MM:SS`, an optional fraction of 1–9 digits, then `Z` or `±HH:MM`.
 */

/**
 * The years a timestamp may name. Wider than any handling of this ledger, narrower than what
 * breaks downstream: JavaScript reads years 0–99 as 1900–1999 and PostgreSQL refuses year 0.
 */
export const MIN_YEAR = 1900;
export const MAX_YEAR = 2200;
/** Real zones lie within ±14:00; PostgreSQL refuses offsets beyond ±15:59. */
export const MAX_OFFSET_MINUTES = 14 * 60;

export const TIMESTAMP_RULE = `an RFC 3339 date-time with an offset, e.g. 2026-04-01T09:00:00+09:00 (years ${MIN_YEAR}-${MAX_YEAR}, offsets up to ±14:00)`;

/** Epoch milliseconds of an RFC 3339 timestamp with offset, or null if it is not one. */
export function parseTimestamp(text: unknown): number | null {
  if (typeof text !== 'string' || text.length < 20 || text.length > 35) return null;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return null;
  if (text.charCodeAt(4) !== DASH || text.charCodeAt(7) !== DASH || text.charCodeAt(10) !== T || text.charCodeAt(13) !== COLON || text.charCodeAt(16) !== COLON) return null;
  // Fractions beyond milliseconds are kept in the text but do not order events (truncated).
  let at = 19;
  let millis = 0;
  if (text.charCodeAt(at) === DOT) {
    const start = ++at;
    while (at < text.length && isDigit(text.charCodeAt(at))) {
      if (at - start < 3) millis = millis * 10 + (text.charCodeAt(at) - ZERO);
      at++;
    }
    const count = at - start;
    if (count < 1 || count > 9) return null;
    for (let i = count; i < 3; i++) millis *= 10;
  }
  let offsetMinutes = 0;
  const sign = text.charCodeAt(at);
  if (sign === Z) {
    if (at + 1 !== text.length) return null;
  } else if (sign === PLUS || sign === MINUS) {
    if (at + 6 !== text.length || text.charCodeAt(at + 3) !== COLON) return null;
    const offsetHours = digits(text, at + 1, 2);
    const offsetMins = digits(text, at + 4, 2);
    if (offsetHours < 0 || offsetMins < 0) return null;
    if (offsetMins > 59 || offsetHours * 60 + offsetMins > MAX_OFFSET_MINUTES) return null;
    offsetMinutes = (sign === MINUS ? -1 : 1) * (offsetHours * 60 + offsetMins);
  } else {
    return null;
  }
  if (year < MIN_YEAR || year > MAX_YEAR) return null;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  return Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000;
}

/** Character codes of the form (the offset's minus sign is the date's dash). */
const code = (c: string): number => c.charCodeAt(0);
const ZERO = code('0');
const DASH = code('-');
const MINUS = DASH;
const COLON = code(':');
const DOT = code('.');
const PLUS = code('+');
const T = code('T');
const Z = code('Z');

function isDigit(code: number): boolean {
  return code >= ZERO && code <= ZERO + 9;
}

/** The number written by `count` ASCII digits at `at`, or −1 when one of them is not a digit. */
function digits(text: string, at: number, count: number): number {
  let n = 0;
  for (let i = at; i < at + count; i++) {
    const code = text.charCodeAt(i);
    if (!isDigit(code)) return -1;
    n = n * 10 + (code - ZERO);
  }
  return n;
}

/** Epoch ms of a timestamp already validated at the edge; throws on a broken invariant. */
export function instant(text: string): number {
  const ms = parseTimestamp(text);
  if (ms === null) throw new Error(`not an RFC 3339 timestamp with offset: ${text}`);
  return ms;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!;
}

/** ISO 8601 duration (PnYnMnWnDTnHnMnS), e.g. PT24H, P30D, P1Y. */
export interface Duration {
  readonly text: string;
  readonly years: number;
  readonly months: number;
  readonly days: number;
  readonly milliseconds: number;
}

const ISO_DURATION =
  /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d{1,3})?)S)?)?$/;

/** No deadline of the memorandum is longer; bigger numbers would only overflow the date arithmetic downstream. */
export const MAX_DURATION_YEARS = 100;
const MAX_DURATION_MS = MAX_DURATION_YEARS * 12 * 31 * 86_400_000;

export const DURATION_RULE = `a positive ISO 8601 duration of at most ${MAX_DURATION_YEARS} years, e.g. PT24H, P30D, P1Y`;

export function parseDuration(text: unknown): Duration | null {
  if (typeof text !== 'string' || text === 'P' || text.endsWith('T')) return null;
  const m = ISO_DURATION.exec(text);
  if (!m) return null;
  const n = (i: number): number => (m[i] === undefined ? 0 : Number(m[i]));
  const duration: Duration = {
    text,
    years: n(1),
    months: n(2),
    days: n(3) * 7 + n(4),
    milliseconds: Math.round(((n(5) * 60 + n(6)) * 60 + n(7)) * 1000),
  };
  if (duration.years + duration.months + duration.days + duration.milliseconds === 0) return null;
  const roughMs = (duration.years * 12 + duration.months) * 31 * 86_400_000 + duration.days * 86_400_000 + duration.milliseconds;
  if (!(roughMs <= MAX_DURATION_MS)) return null;
  return duration;
}

/** Calendar arithmetic happens in Japan Standard Time, where the contracts' days and months begin. */
const JST_OFFSET_MS = 9 * 3_600_000;

/**
 * `at + duration`. Years and months are calendar units of the JST calendar (clamped to the month's
 * last day: 1 Jan 31 + P1M = Feb 28/29); days are 24 hours (Japan has no daylight saving).
 */
export function addDuration(at: number, duration: Duration): number {
  let t = at;
  if (duration.years || duration.months) {
    const d = new Date(t + JST_OFFSET_MS);
    const totalMonths = d.getUTCMonth() + duration.months + duration.years * 12;
    const year = d.getUTCFullYear() + Math.floor(totalMonths / 12);
    const month = ((totalMonths % 12) + 12) % 12;
    const day = Math.min(d.getUTCDate(), daysInMonth(year, month + 1));
    t = Date.UTC(year, month, day, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds()) - JST_OFFSET_MS;
  }
  return t + duration.days * 86_400_000 + duration.milliseconds;
}

/** An instant in the answer shapes: ISO 8601 in UTC with milliseconds. */
export function isoUtc(ms: number): string {
  return new Date(ms).toISOString();
}

/** The Japanese eras (元号) of modern dates, newest first: the first day of each, JST. */
export const JAPANESE_ERAS: readonly { readonly name: string; readonly start: { year: number; month: number; day: number } }[] = [
  { name: '令和', start: { year: 2019, month: 5, day: 1 } },
  { name: '平成', start: { year: 1989, month: 1, day: 8 } },
  { name: '昭和', start: { year: 1926, month: 12, day: 25 } },
  { name: '大正', start: { year: 1912, month: 7, day: 30 } },
  { name: '明治', start: { year: 1868, month: 1, day: 25 } },
];

/** The JST calendar fields of an instant. */
export function jstFields(ms: number): { year: number; month: number; day: number; hour: number; minute: number; second: number; millisecond: number } {
  const d = new Date(ms + JST_OFFSET_MS);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    millisecond: d.getUTCMilliseconds(),
  };
}

/** The era and its year of a JST date (`{ era: '令和', year: 7 }` for 2025), null before 明治. */
export function japaneseEra(year: number, month: number, day: number): { era: string; year: number } | null {
  const key = year * 10_000 + month * 100 + day;
  for (const era of JAPANESE_ERAS) {
    const start = era.start.year * 10_000 + era.start.month * 100 + era.start.day;
    if (key >= start) return { era: era.name, year: year - era.start.year + 1 };
  }
  return null;
}

/**
 * An instant as a Japanese document writes it, in JST and 和暦: `令和7年7月2日10時00分`
 * (元年 for the first year of an era; seconds only when not zero).
 */
export function warekiJst(ms: number): string {
  const f = jstFields(ms);
  const era = japaneseEra(f.year, f.month, f.day);
  const date = era ? `${era.era}${era.year === 1 ? '元' : era.year}年${f.month}月${f.day}日` : `${f.year}年${f.month}月${f.day}日`;
  const time = `${f.hour}時${String(f.minute).padStart(2, '0')}分${f.second || f.millisecond ? `${f.second}秒` : ''}`;
  return date + time;
}

/** The ledger's default time zone for answers (LEDGER_TIME_ZONE). */
export const DEFAULT_TIME_ZONE = 'Asia/Tokyo';

const zoneFormatters = new Map<string, Intl.DateTimeFormat>();

/** The offset of a time zone at an instant, in minutes east of UTC. */
function zoneOffsetMinutes(ms: number, zone: string): number {
  if (zone === 'Asia/Tokyo') return 540;
  if (zone === 'UTC' || zone === 'Etc/UTC') return 0;
  let format = zoneFormatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    zoneFormatters.set(zone, format);
  }
  const parts: Record<string, number> = {};
  for (const p of format.formatToParts(new Date(ms))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const local = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return Math.round((local - Math.floor(ms / 1000) * 1000) / 60_000);
}

/** Whether the name is a time zone this runtime knows (IANA, e.g. Asia/Tokyo). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * An instant as RFC 3339 in a time zone, with milliseconds: `2026-04-01T09:00:00.000+09:00`. Every
 * time in an answer is written this way, in the ledger's zone (EVENTS.md "Answers, v2").
 */
export function isoInZone(ms: number, zone: string = DEFAULT_TIME_ZONE): string {
  const offset = zoneOffsetMinutes(ms, zone);
  const local = new Date(ms + offset * 60_000).toISOString().slice(0, 23);
  if (offset === 0) return `${local}Z`;
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
