import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { EVENT_TYPES, InvalidEventsError, MAX_LISTED_PROBLEMS, type FieldProblem } from '@ledger/domain';
import { RecordUsedData } from './event-data.dto.js';
import { EXAMPLE_EVENTS } from './examples.js';
import { MAX_JSON_DEPTH } from './json-nesting.js';
import { checkEvent, countEventProblems, parseEventSubmission } from './parse-events.js';

const NOW = Date.parse('2026-11-25T00:00:00Z');
const ID = '5b0c7c1e-8a39-4d2e-9a51-0f3c1f1f6a10';

/** What an event looks like after JSON.parse: own properties only, whatever their names. */
function asParsed<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function registration(): Record<string, any> {
  return asParsed({ ...EXAMPLE_EVENTS.ContractRegistered, eventId: ID });
}

function problemsOf(body: unknown): FieldProblem[] {
  try {
    parseEventSubmission(body, NOW);
    return [];
  } catch (error) {
    if (error instanceof InvalidEventsError) return error.problems;
    throw error;
  }
}

/** A copy of `event` with an own key `name` added to the object at `path`, as JSON would carry it. */
function withKey(event: Record<string, any>, path: string[], name: string): Record<string, any> {
  const copy = structuredClone(event);
  const target = path.reduce((o, k) => o[k], copy);
  Object.defineProperty(target, name, { value: 'x', enumerable: true, writable: true, configurable: true });
  return asParsed(copy);
}

const INHERITED = [...Object.getOwnPropertyNames(Object.prototype), 'prototype'];
const LEVELS: Array<{ path: string[]; prefix: string }> = [
  { path: [], prefix: '' },
  { path: ['actor'], prefix: 'actor.' },
  { path: ['data'], prefix: 'data.' },
  { path: ['data', 'term'], prefix: 'data.term.' },
  { path: ['data', 'policy'], prefix: 'data.policy.' },
];

describe('keys that are not own fields of the wire contract', () => {
  it('class-validator alone lets a name every object inherits through its whitelist (why parse-events checks own fields itself)', () => {
    const errors = validateSync(plainToInstance(RecordUsedData, asParsed({ purpose: 'p', valueOf: '岡山 太郎' })), { whitelist: true, forbidNonWhitelisted: true });
    expect(errors).toEqual([]);
  });

  it.each(LEVELS.map((l) => [l.prefix || '(the envelope)', l]))('are refused at %s, for every name an object inherits', (_, level) => {
    const accepted: string[] = [];
    for (const name of INHERITED) {
      const problems = problemsOf(withKey(registration(), level.path, name));
      if (!problems.some((p) => p.field === `${level.prefix}${name}` && p.rule === 'unknownField')) accepted.push(name);
    }
    expect(accepted).toEqual([]);
  });

  it('are refused next to a valid event in a batch, naming the event', () => {
    const problems = problemsOf({ events: [registration(), withKey(registration(), ['data'], 'hasOwnProperty')] });
    expect(problems).toEqual([expect.objectContaining({ index: 1, field: 'data.hasOwnProperty', rule: 'unknownField' })]);
  });
});

describe('one-line labels', () => {
  it.each([
    ['a NUL', 'a\u0000b'],
    ['a line separator', 'a\u2028b'],
    ['a paragraph separator', 'a\u2029b'],
    ['a right-to-left override', 'invoice\u202Etxt.exe'],
    ['a bidi isolate', 'a\u2066b\u2069'],
    ['a left-to-right mark', 'a\u200Eb'],
    ['a zero-width space', '岡山\u200B太郎'],
    ['a zero-width joiner', 'a\u200Db'],
    ['a word joiner', 'a\u2060b'],
    ['a byte-order mark', '\uFEFFtitle'],
    ['a soft hyphen', 'a\u00ADb'],
    ['a C1 control', 'a\u0085b'],
  ])('refuse %s', (_, text) => {
    const event = registration();
    event.data.title = text;
    expect(problemsOf(event)).toEqual([expect.objectContaining({ field: 'data.title', rule: 'noControlCharacters' })]);
  });

  it('accept Japanese text, spaces and punctuation', () => {
    const event = registration();
    event.data.title = '岡山市介護保険システム再構築（標準化）及び運用保守 - 第2期・令和7年度';
    expect(problemsOf(event)).toEqual([]);
  });
});

describe('times and durations', () => {
  it.each([
    ['1900-01-01T00:00:00+09:00', true],
    ['2200-12-31T23:59:59Z', true],
    ['1899-12-31T23:59:59Z', false],
    ['2201-01-01T00:00:00Z', false],
    ['0000-01-01T00:00:00Z', false],
    ['0001-01-01T00:00:00Z', false],
    ['0099-06-01T00:00:00Z', false],
    ['9999-12-31T23:59:59Z', false],
    ['2026-04-01T09:00:00+14:00', true],
    ['2026-04-01T09:00:00-12:00', true],
    ['2026-04-01T09:00:00+14:01', false],
    ['2026-04-01T09:00:00+16:00', false],
    ['2026-04-01T09:00:00-23:59', false],
  ])('%s is %s', (time, accepted) => {
    const event = registration();
    event.data.term.start = time;
    event.data.term.end = '2200-12-31T23:59:59Z';
    const problems = problemsOf(event);
    if (accepted) expect(problems).toEqual([]);
    else expect(problems).toEqual([expect.objectContaining({ field: 'data.term.start', rule: 'isTimestamp' })]);
  });

  it.each([
    ['P100Y', true],
    ['P1200M', true],
    ['P36000D', true],
    ['P101Y', false],
    ['P99999999999D', false],
    ['PT999999999999H', false],
  ])('duration %s is %s', (duration, accepted) => {
    const event = registration();
    event.data.policy.incidentReportWithin = duration;
    const problems = problemsOf(event);
    if (accepted) expect(problems).toEqual([]);
    else expect(problems).toEqual([expect.objectContaining({ field: 'data.policy.incidentReportWithin', rule: 'isDuration' })]);
  });
});

describe('nesting', () => {
  it(`refuses an object nested deeper than ${MAX_JSON_DEPTH} levels by name, without recursing into it`, () => {
    const event = registration();
    let deep: Record<string, unknown> = { end: 'x' };
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    event.data.term = deep;
    const problems = problemsOf(event);
    expect(problems).toEqual([expect.objectContaining({ rule: 'maxDepth' })]);
    expect(problems[0]!.field).toMatch(/^data\.term(\.a)+$/);
  });

  it('refuses a deep array too', () => {
    let deep: unknown = [];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(problemsOf({ ...registration(), data: { ...registration().data, purposes: deep } })).toEqual([expect.objectContaining({ rule: 'maxDepth' })]);
  });
});

/** Every path of a JSON value, as in compiled-validation.spec.ts. */
function paths(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (Array.isArray(value)) return [prefix, ...value.flatMap((v, i) => paths(v, [...prefix, i]))];
  if (value !== null && typeof value === 'object') return [prefix, ...Object.entries(value).flatMap(([k, v]) => paths(v, [...prefix, k]))];
  return [prefix];
}

function mutate(event: unknown, path: Array<string | number>, replacement: unknown): Record<string, unknown> {
  const copy = structuredClone(event) as Record<string, unknown>;
  let target: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) target = target[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (replacement === undefined && !Array.isArray(target)) delete target[last];
  else target[last] = replacement;
  return copy;
}

const REPLACEMENTS: unknown[] = [
  undefined, null, 42, -1, 1.5, '', 'x', 'bad id!', 'R-1', '2026-04-01T09:00:00', '0000-01-01T00:00:00Z', 'P30D', 'P999Y',
  true, [], ['x'], [42], ['a', 'a'], {}, { start: '2026-04-01T09:00:00+09:00' }, { extra: 1 }, 'electronic', 'a\u2028b',
];

describe('bounded error answers', () => {
  it(`list the first ${MAX_LISTED_PROBLEMS} problems of a batch and count every one`, () => {
    const bad = { ...registration(), eventId: 'nope', contractId: 'not an id', data: { ...registration().data, title: '' } };
    const events = Array.from({ length: 10_000 }, () => bad);
    let error: InvalidEventsError | null = null;
    try {
      parseEventSubmission({ events }, NOW);
    } catch (e) {
      error = e as InvalidEventsError;
    }
    expect(error).toBeInstanceOf(InvalidEventsError);
    expect(error!.problems).toHaveLength(MAX_LISTED_PROBLEMS);
    expect(error!.total).toBe(30_000);
    expect(error!.message).toBe(`30000 problem(s) in the submitted events (the first ${MAX_LISTED_PROBLEMS} are listed)`);
  });

  it.each(EVENT_TYPES.map((t) => [t]))('count the problems of %s and of every mutation of it exactly as they are listed', (type) => {
    const example = { ...EXAMPLE_EVENTS[type], eventId: ID };
    const cases: unknown[] = [example, null, [], 'x', {}];
    for (const path of paths(example).filter((p) => p.length > 0)) {
      for (const replacement of REPLACEMENTS) cases.push(mutate(example, path, replacement));
    }
    for (const path of paths(example)) {
      const parent = path.reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], example);
      if (parent !== null && typeof parent === 'object' && !Array.isArray(parent)) {
        cases.push(mutate(example, [...path, 'extra'], 'x'), mutate(example, [...path, 'valueOf'], 'x'));
      }
    }
    const disagreements = cases
      .map((candidate) => ({ candidate, listed: checkEvent(candidate, 0, NOW).length, counted: countEventProblems(candidate, 0, NOW) }))
      .filter((c) => c.listed !== c.counted);
    expect(disagreements.slice(0, 3)).toEqual([]);
  });
});
