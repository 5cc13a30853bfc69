/**
 * Reading the date columns of a feed: patterns such as `YYYY/MM/DD HH:mm`, `wareki` (和暦) and
 * `iso` (RFC 3339, the offset optional), into RFC 3339 with the mapping's offset.
 */
import { isCivil, parseWareki, type CivilDateTime } from './wareki.js';

export type DateFormat = string;

export type DateResult = { ok: true; value: string } | { ok: false; ja: string; en: string };

const TOKENS: Record<string, string> = {
  YYYY: '(?<year>\\d{4})',
  MM: '(?<month>\\d{1,2})',
  M: '(?<month>\\d{1,2})',
  DD: '(?<day>\\d{1,2})',
  D: '(?<day>\\d{1,2})',
  HH: '(?<hour>\\d{1,2})',
  H: '(?<hour>\\d{1,2})',
  mm: '(?<minute>\\d{2})',
  ss: '(?<second>\\d{2})',
};
const TOKEN = /YYYY|MM|DD|HH|mm|ss|M|D|H/g;
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?(Z|[+-]\d{2}:\d{2})?$/i;
export const OFFSET_PATTERN = /^(Z|[+-](0\d|1[0-4]):[0-5]\d)$/;

/** A format is `wareki`, `iso`, or a pattern of YYYY MM DD HH mm ss (M, D, H: one or two digits) and literal characters. */
export function compileDateFormat(format: DateFormat): ((text: string) => CivilDateTime | 'invalid' | null) | null {
  if (format === 'wareki' || format === 'iso') return null;
  if (!/YYYY/.test(format) || !/M/.test(format) || !/D/.test(format)) return null;
  let source = '';
  let last = 0;
  for (const match of format.matchAll(TOKEN)) {
    source += literal(format.slice(last, match.index));
    source += TOKENS[match[0]]!;
    last = match.index! + match[0].length;
  }
  source += literal(format.slice(last));
  let regex: RegExp;
  try {
    regex = new RegExp(`^${source}$`);
  } catch {
    return null;
  }
  return (text) => {
    const g = regex.exec(text)?.groups;
    if (!g) return null;
    const value: CivilDateTime = {
      year: Number(g.year), month: Number(g.month), day: Number(g.day),
      hour: Number(g.hour ?? 0), minute: Number(g.minute ?? 0), second: Number(g.second ?? 0),
    };
    return isCivil(value) ? value : 'invalid';
  };
}

function literal(text: string): string {
  return text.replace(/\s+/g, '\u0000').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&').replace(/\u0000/g, '\\s+');
}

/** Whether a mapping may name this format. */
export function isDateFormat(format: string): boolean {
  return format === 'wareki' || format === 'iso' || compileDateFormat(format) !== null;
}

/** Reads `text` with the first format that fits; `offset` (e.g. +09:00) is the zone of times written without one. */
export function parseDate(text: string, formats: readonly DateFormat[], offset: string): DateResult {
  return dateReader(formats, offset)(text);
}

/** parseDate with the formats compiled once (a column is read a million times). */
export function dateReader(formats: readonly DateFormat[], offset: string): (text: string) => DateResult {
  const patterns = new Map(formats.map((f) => [f, compileDateFormat(f)]));
  return (text) => readDate(text, formats, patterns, offset);
}

function readDate(
  text: string,
  formats: readonly DateFormat[],
  patterns: Map<string, ReturnType<typeof compileDateFormat>>,
  offset: string,
): DateResult {
  const value = text.normalize('NFKC').trim();
  for (const format of formats) {
    if (format === 'wareki') {
      const result = parseWareki(value);
      if (result === null) continue;
      if (!result.ok) return result;
      return { ok: true, value: rfc3339(result.value, offset) };
    }
    if (format === 'iso') {
      const m = ISO.exec(value);
      if (!m) continue;
      const civil: CivilDateTime = {
        year: Number(m[1]), month: Number(m[2]), day: Number(m[3]),
        hour: Number(m[4] ?? 0), minute: Number(m[5] ?? 0), second: Number(m[6] ?? 0),
      };
      if (!isCivil(civil)) return notADate(text);
      return { ok: true, value: rfc3339(civil, (m[8] ?? offset).toUpperCase(), m[7]) };
    }
    const read = patterns.get(format)?.(value);
    if (read === 'invalid') return notADate(text);
    if (read) return { ok: true, value: rfc3339(read, offset) };
  }
  return {
    ok: false,
    ja: `日時「${text}」を読めません（形式: ${formats.map(ja).join('、')}）`,
    en: `cannot read "${text}" as a date (formats: ${formats.join(', ')})`,
  };
}

function ja(format: string): string {
  return format === 'wareki' ? '和暦' : format === 'iso' ? 'ISO 8601' : format;
}

function notADate(text: string): DateResult {
  return { ok: false, ja: `「${text}」は存在しない日付です`, en: `"${text}" is not a date that exists` };
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

function rfc3339(v: CivilDateTime, offset: string, fraction = ''): string {
  return `${pad(v.year, 4)}-${pad(v.month)}-${pad(v.day)}T${pad(v.hour)}:${pad(v.minute)}:${pad(v.second)}${fraction}${offset}`;
}
