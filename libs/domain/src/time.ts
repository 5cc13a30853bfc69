/**
 * Business and ledger times. RFC 3339 timestamps must carry an offset (`Z` or `±hh:mm`), so the
 * same text means the same instant everywhere. Comparisons use epoch milliseconds; the original
 * text is what is stored and hashed.
 */
const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-](\d{2}):(\d{2}))$/;

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
  if (typeof text !== 'string') return null;
  const m = RFC3339.exec(text);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = Number(m[6]);
  if (year < MIN_YEAR || year > MAX_YEAR) return null;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  let offsetMinutes = 0;
  if (m[8] !== 'Z') {
    const offsetHours = Number(m[9]);
    const offsetMins = Number(m[10]);
    if (offsetMins > 59 || offsetHours * 60 + offsetMins > MAX_OFFSET_MINUTES) return null;
    offsetMinutes = (m[8]!.startsWith('-') ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }
  // Fractions beyond milliseconds are kept in the text but do not order events.
  const millis = m[7] ? Math.floor(Number(`0${m[7]}`) * 1000) : 0;
  return Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000;
}

export function isTimestamp(text: unknown): text is string {
  return parseTimestamp(text) !== null;
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
    const month = totalMonths % 12;
    const day = Math.min(d.getUTCDate(), daysInMonth(year, month + 1));
    t = Date.UTC(year, month, day, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds()) - JST_OFFSET_MS;
  }
  return t + duration.days * 86_400_000 + duration.milliseconds;
}

/** An instant in the answer shapes: ISO 8601 in UTC with milliseconds. */
export function isoUtc(ms: number): string {
  return new Date(ms).toISOString();
}
