import { InvalidRequestError, parseTimestamp, TIMESTAMP_RULE } from '@ledger/domain';
import type { TimeParameter } from '../compliance/compliance.queries.js';
import { jstDay } from './i18n.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The cut a page is answered at: `asOf` (a day, or an RFC 3339 instant), and the knownAt toggle. */
export interface PageCut {
  asOf: TimeParameter;
  knownAt: TimeParameter;
  /** Neither asOf nor the toggle: the present (and the page is live). */
  present: boolean;
  /** The day shown in the date picker (JST). */
  day: string;
  /** "As the ledger knew it then": knownAt = asOf. */
  known: boolean;
}

/** The end of a JST calendar day, as RFC 3339 (a day "as of" means everything that happened that day). */
export function endOfDay(day: string): string {
  return `${day}T23:59:59.999+09:00`;
}

/** A day (YYYY-MM-DD) or an RFC 3339 instant, as epoch ms and text; a problem names the field. */
export function timeParam(name: string, value: unknown): TimeParameter | undefined {
  if (value === undefined || value === '') return undefined;
  const text = typeof value === 'string' && DAY.test(value) ? endOfDay(value) : value;
  const ms = parseTimestamp(text);
  if (ms === null) {
    throw new InvalidRequestError([{ index: null, field: name, rule: 'isTimestamp', message: `${name} must be a day (YYYY-MM-DD) or ${TIMESTAMP_RULE}` }]);
  }
  return { ms, text: text as string };
}

export function readCut(query: Record<string, unknown>, now: number): PageCut {
  const asOf = timeParam('asOf', query.asOf);
  const known = query.known === '1';
  if (query.known !== undefined && query.known !== '1' && query.known !== '') {
    throw new InvalidRequestError([{ index: null, field: 'known', rule: 'isIn', message: 'known must be 1 (as the ledger knew it then) or absent' }]);
  }
  const at = asOf ?? { ms: now, text: new Date(now).toISOString() };
  return {
    asOf: at,
    knownAt: known ? at : { ms: now, text: new Date(now).toISOString(), present: true },
    present: asOf === undefined && !known,
    day: jstDay(at.ms),
    known,
  };
}

/** Query parameters as the API's QueryReader takes them: the named ones removed, and a form's empty fields (an empty field means "any"). */
export function without(query: Record<string, unknown>, ...names: string[]): Record<string, unknown> {
  const rest: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(query)) if (!names.includes(name) && value !== '') rest[name] = value;
  return rest;
}
