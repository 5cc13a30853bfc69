/**
 * Japanese era dates (和暦): 令和7年4月1日, 令和元年5月1日, R7.4.1, H31/04/30 10:00, full-width
 * digits and the one-character era signs (㍻, ㋿) included. A date outside its era (平成31年5月1日:
 * Heisei ended on 30 April 2019) is refused rather than carried over into the next era.
 */
export interface Era {
  name: string;
  letter: string;
  /** First and last day, as [year, month, day]; the last is null for the current era. */
  first: [number, number, number];
  last: [number, number, number] | null;
}

// Meiji from 1873: before that Japan counted days by the lunisolar calendar.
export const ERAS: readonly Era[] = [
  { name: '令和', letter: 'R', first: [2019, 5, 1], last: null },
  { name: '平成', letter: 'H', first: [1989, 1, 8], last: [2019, 4, 30] },
  { name: '昭和', letter: 'S', first: [1926, 12, 25], last: [1989, 1, 7] },
  { name: '大正', letter: 'T', first: [1912, 7, 30], last: [1926, 12, 24] },
  { name: '明治', letter: 'M', first: [1873, 1, 1], last: [1912, 7, 29] },
];

export interface CivilDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export type WarekiResult = { ok: true; value: CivilDateTime } | { ok: false; ja: string; en: string } | null;

const ERA_NAMES = ERAS.map((e) => e.name).join('|');
const ERA_LETTERS = ERAS.map((e) => e.letter).join('');
const PATTERN = new RegExp(
  `^(${ERA_NAMES}|[${ERA_LETTERS}${ERA_LETTERS.toLowerCase()}])\\s*(元|\\d{1,2})\\s*(?:年|[./-])\\s*(\\d{1,2})\\s*(?:月|[./-])\\s*(\\d{1,2})\\s*日?` +
    '(?:\\s*(\\d{1,2})\\s*(?:時|:)\\s*(\\d{1,2})\\s*分?(?:\\s*(?::\\s*)?(\\d{1,2})\\s*秒?)?)?$',
);

/** null when the text is not written as an era date at all; otherwise the date or why it is wrong. */
export function parseWareki(text: string): WarekiResult {
  const m = PATTERN.exec(text.normalize('NFKC').trim());
  if (!m) return null;
  const era = ERAS.find((e) => e.name === m[1] || e.letter === m[1]!.toUpperCase())!;
  const eraYear = m[2] === '元' ? 1 : Number(m[2]);
  const value: CivilDateTime = {
    year: era.first[0] + eraYear - 1,
    month: Number(m[3]),
    day: Number(m[4]),
    hour: m[5] === undefined ? 0 : Number(m[5]),
    minute: m[6] === undefined ? 0 : Number(m[6]),
    second: m[7] === undefined ? 0 : Number(m[7]),
  };
  if (eraYear < 1 || !isCivil(value)) {
    return { ok: false, ja: `「${text}」は存在しない日付です`, en: `"${text}" is not a date that exists` };
  }
  const day = [value.year, value.month, value.day] as [number, number, number];
  if (compareDay(day, era.first) < 0 || (era.last && compareDay(day, era.last) > 0)) {
    const range = `${fmt(era.first)}–${era.last ? fmt(era.last) : ''}`;
    return {
      ok: false,
      ja: `「${text}」は${era.name}の期間（${range}）の外です`,
      en: `"${text}" is outside the ${era.name} era (${range})`,
    };
  }
  return { ok: true, value };
}

export function isCivil(v: CivilDateTime): boolean {
  if (v.month < 1 || v.month > 12 || v.day < 1 || v.hour > 23 || v.minute > 59 || v.second > 59) return false;
  const probe = new Date(Date.UTC(v.year, v.month - 1, v.day));
  return probe.getUTCFullYear() === v.year && probe.getUTCMonth() === v.month - 1 && probe.getUTCDate() === v.day;
}

function compareDay(a: readonly number[], b: readonly number[]): number {
  return a[0]! - b[0]! || a[1]! - b[1]! || a[2]! - b[2]!;
}

function fmt(d: readonly number[]): string {
  return `${d[0]}-${String(d[1]).padStart(2, '0')}-${String(d[2]).padStart(2, '0')}`;
}
