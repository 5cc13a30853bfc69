/**
 * The mapping file (JSON or YAML) that says how a feed's CSV becomes events: which column fills
 * which field, value tables (「複写」→ RecordCopied, 「電子」→ electronic), date formats (和暦
 * included), constant fields, and the columns that identify a row (its eventId). docs/feed-import.md
 * describes the format; every mistake in it is reported at once, before any row is read.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { EVENT_DATA_FIELDS, EVENT_SPECS, type EventType } from '@ledger/client';
import { encodingFromName, type FeedEncoding } from './encoding.js';
import { isDateFormat, OFFSET_PATTERN } from './dates.js';

export interface FieldRule {
  /** Where the value goes: `type`, `recordId`, `occurredAt`, `actor.org`, `data.copyId`, `data.term.start` … */
  path: string;
  column?: string;
  /** A constant instead of a column. */
  const?: unknown;
  /** Value table: the cell's text → the value sent. */
  values?: ReadonlyMap<string, unknown>;
  /** The cell holds a list, split on this separator. */
  list?: string;
  /** The cell holds an integer (full-width digits and thousands separators allowed). */
  number?: boolean;
  /** The cell holds a date: formats tried in order (`YYYY/MM/DD HH:mm`, `wareki`, `iso` …). */
  date?: readonly string[];
  /** The value when the cell is empty; without it an empty cell leaves the field out. */
  empty?: unknown;
  /** Only for these event types (default: the types whose data has the field). */
  types?: readonly EventType[];
  /**
   * A regular expression the cell (NFKC-normalized) must match; the value is `template` with $1…$9
   * replaced by its groups, or without a template its first group (else the whole match). For
   * references written as text, e.g. 「消去証明書 第300001号」 → `ERASE-300001`.
   */
  match?: RegExp;
  template?: string;
}

export interface Mapping {
  fields: readonly FieldRule[];
  /** Columns whose values identify a row: with the contract, they make its eventId. */
  identity: readonly string[];
  /** The offset of times written without one (default +09:00, Japan). */
  offset: string;
  encoding?: FeedEncoding;
  delimiter: string;
  /** Every column the mapping reads (identity included). */
  columns: readonly string[];
}

export class MappingError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`mapping ${file}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'MappingError';
  }
}

const ENVELOPE_PATHS = ['type', 'contractId', 'recordId', 'occurredAt', 'actor.org', 'actor.workerId', 'source'];
const REQUIRED_PATHS = ['type', 'contractId', 'occurredAt', 'actor.org'];
const TOP_KEYS = ['version', 'description', 'contractId', 'source', 'identity', 'timeZone', 'encoding', 'delimiter', 'fields'];
const RULE_KEYS = ['column', 'const', 'values', 'list', 'number', 'date', 'empty', 'types', 'match', 'template'];
const ZONE_ALIASES: Record<string, string> = { 'Asia/Tokyo': '+09:00', JST: '+09:00', UTC: 'Z' };

const EVENT_TYPES = Object.keys(EVENT_SPECS) as EventType[];
const DATA_FIELD_NAMES = new Set(EVENT_TYPES.flatMap((t) => Object.keys(EVENT_DATA_FIELDS[t])));

export async function loadMapping(file: string): Promise<Mapping> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    throw new MappingError(file, [`cannot read it: ${(error as Error).message}`]);
  }
  return parseMapping(text, file);
}

export function parseMapping(text: string, file = 'mapping'): Mapping {
  let raw: unknown;
  try {
    raw = /\.json$/i.test(path.extname(file)) ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new MappingError(file, [`not valid ${/\.json$/i.test(file) ? 'JSON' : 'YAML'}: ${(error as Error).message}`]);
  }
  const problems: string[] = [];
  if (!isObject(raw)) throw new MappingError(file, ['the mapping must be an object with `fields` and `identity`']);
  for (const key of Object.keys(raw)) if (!TOP_KEYS.includes(key)) problems.push(`${key}: not a key of a mapping (${TOP_KEYS.join(', ')})`);
  if (raw.version !== undefined && raw.version !== 1) problems.push('version: only version 1 exists');

  const fields: FieldRule[] = [];
  const invalid = new Set<string>();
  if (raw.contractId !== undefined) fields.push({ path: 'contractId', const: raw.contractId });
  if (raw.source !== undefined) fields.push({ path: 'source', const: raw.source });
  if (!isObject(raw.fields)) {
    problems.push('fields: required, an object of field → column name or rule');
  } else {
    for (const [fieldPath, spec] of Object.entries(raw.fields)) {
      const rule = fieldRule(fieldPath, spec, problems);
      if (!rule) {
        invalid.add(fieldPath);
        continue;
      }
      if (fields.some((f) => f.path === fieldPath)) problems.push(`fields.${fieldPath}: given twice`);
      fields.push(rule);
    }
  }
  for (const required of REQUIRED_PATHS) {
    if (!fields.some((f) => f.path === required) && !invalid.has(required)) problems.push(`fields.${required}: required (a column or a constant)`);
  }

  const identity = raw.identity;
  if (!Array.isArray(identity) || identity.length === 0 || !identity.every((c) => typeof c === 'string' && c !== '')) {
    problems.push('identity: required, the list of columns that identify a row (e.g. [ログ番号]); with the contract they make the eventId');
  }
  let offset = '+09:00';
  if (raw.timeZone !== undefined) {
    const zone = typeof raw.timeZone === 'string' ? (ZONE_ALIASES[raw.timeZone] ?? raw.timeZone) : '';
    if (OFFSET_PATTERN.test(zone)) offset = zone;
    else problems.push('timeZone: an offset like +09:00 (or Asia/Tokyo, UTC)');
  }
  let encoding: FeedEncoding | undefined;
  if (raw.encoding !== undefined && raw.encoding !== 'auto') {
    encoding = typeof raw.encoding === 'string' ? (encodingFromName(raw.encoding) ?? undefined) : undefined;
    if (!encoding) problems.push('encoding: auto, utf-8 or cp932 (shift_jis)');
  }
  const delimiter = raw.delimiter ?? ',';
  if (typeof delimiter !== 'string' || delimiter.length !== 1 || /["\r\n]/.test(delimiter)) problems.push('delimiter: one character (default ,)');

  if (problems.length > 0) throw new MappingError(file, problems);
  const columns = [...new Set([...(identity as string[]), ...fields.flatMap((f) => (f.column ? [f.column] : []))])];
  return { fields, identity: identity as string[], offset, encoding, delimiter: delimiter as string, columns };
}

function fieldRule(fieldPath: string, spec: unknown, problems: string[]): FieldRule | null {
  const where = `fields.${fieldPath}`;
  const head = fieldPath.split('.')[0]!;
  const dataField = fieldPath.split('.')[1];
  if (!ENVELOPE_PATHS.includes(fieldPath) && !(head === 'data' && dataField && DATA_FIELD_NAMES.has(dataField))) {
    problems.push(`${where}: not a field of any event (envelope: ${ENVELOPE_PATHS.join(', ')}; data: data.<field of the event type>)`);
    return null;
  }
  if (typeof spec === 'string') return { path: fieldPath, column: spec };
  if (!isObject(spec)) {
    problems.push(`${where}: a column name, or an object with column or const`);
    return null;
  }
  const before = problems.length;
  for (const key of Object.keys(spec)) if (!RULE_KEYS.includes(key)) problems.push(`${where}.${key}: not a key of a field rule (${RULE_KEYS.join(', ')})`);
  const rule: FieldRule = { path: fieldPath };
  if ((spec.column === undefined) === (spec.const === undefined)) problems.push(`${where}: give either column or const`);
  if (spec.column !== undefined) {
    if (typeof spec.column === 'string' && spec.column !== '') rule.column = spec.column;
    else problems.push(`${where}.column: the header name of a column`);
  }
  if (spec.const !== undefined) rule.const = spec.const;
  if (spec.values !== undefined) {
    if (!isObject(spec.values) || Object.keys(spec.values).length === 0) problems.push(`${where}.values: an object of cell text → value`);
    else rule.values = new Map(Object.entries(spec.values));
  }
  if (spec.list !== undefined) {
    if (typeof spec.list === 'string' && spec.list !== '') rule.list = spec.list;
    else problems.push(`${where}.list: the separator of the list's items, e.g. "、"`);
  }
  if (spec.number !== undefined) {
    if (typeof spec.number === 'boolean') rule.number = spec.number;
    else problems.push(`${where}.number: true or false`);
  }
  if (spec.date !== undefined) {
    const formats = typeof spec.date === 'string' ? [spec.date] : spec.date;
    if (!Array.isArray(formats) || formats.length === 0 || !formats.every((f) => typeof f === 'string' && isDateFormat(f))) {
      problems.push(`${where}.date: a format or a list of them: wareki (和暦), iso, or a pattern of YYYY MM DD HH mm ss such as "YYYY/MM/DD HH:mm"`);
    } else rule.date = formats as string[];
  }
  if (spec.match !== undefined) {
    try {
      if (typeof spec.match !== 'string' || spec.match === '' || spec.match.length > 200) throw new Error('a regular expression of 1-200 characters');
      rule.match = new RegExp(spec.match, 'u');
    } catch (error) {
      problems.push(`${where}.match: ${(error as Error).message}`);
    }
  }
  if (spec.template !== undefined) {
    if (typeof spec.template !== 'string' || spec.template === '') problems.push(`${where}.template: a text with $1…$9 for the groups of match, e.g. "ERASE-$1"`);
    else if (spec.match === undefined) problems.push(`${where}.template: only with match`);
    else rule.template = spec.template;
  }
  if ('empty' in spec) rule.empty = spec.empty;
  if (spec.types !== undefined) {
    const types = spec.types;
    if (!Array.isArray(types) || !types.every((t) => EVENT_TYPES.includes(t as EventType))) problems.push(`${where}.types: a list of event types`);
    else rule.types = types as EventType[];
  }
  if (fieldPath === 'type') {
    const allowed = rule.values ? [...rule.values.values()] : rule.const !== undefined ? [rule.const] : [];
    for (const value of allowed) if (!EVENT_TYPES.includes(value as EventType)) problems.push(`${where}: ${JSON.stringify(value)} is not an event type`);
  }
  return problems.length === before ? rule : null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
