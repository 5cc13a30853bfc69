import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError, type ValidatorOptions } from 'class-validator';
import {
  BatchTooLargeError,
  EVENT_SPECS,
  InvalidEventsError,
  isEventType,
  mayRecord,
  parseTimestamp,
  ProblemList,
  type FieldProblem,
  type LedgerEvent,
} from '@ledger/domain';
import { DATA_DTOS } from './event-data.dto.js';
import { EventEnvelopeDto } from './event-envelope.dto.js';
import { countRuleProblems, passesRules, unknownFields } from './compiled-validation.js';
import { MAX_JSON_DEPTH } from './json-nesting.js';

export const MAX_BATCH_EVENTS = 10_000;
/** How far ahead of the ledger clock a business time may be (clock skew between systems). */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

const VALIDATOR: ValidatorOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  validationError: { target: false, value: true },
};

/**
 * Names every object inherits (`valueOf`, `toString`, `__proto__`, `constructor`, …). None is a
 * field of the wire contract, and some look like one to code that asks `obj[name]` (class-validator's
 * whitelist did), so they are refused by name before anything else sees them.
 */
const INHERITED_NAMES = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);
/**
 * Every wire string is a one-line label or code: no C0/C1 control characters (a NUL would not
 * even fit in PostgreSQL text), no line or paragraph separators (U+2028/2029), no bidirectional
 * controls (U+061C, U+200E/F, U+202A–202E, U+2066–2069) that make text display other than it
 * reads, no invisible characters (zero-width U+200B–200D, U+2060–2064, U+FEFF, U+180E, U+00AD).
 */
const FORBIDDEN_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff]/;

/**
 * Validates a POST /v1/events body: one event, or {"events": [...]} with up to 10,000. Returns the
 * events (eventId lower-cased, nothing else changed) or throws InvalidEventsError listing every
 * problem with the event index, the field and the rule.
 */
export function parseEventSubmission(body: unknown, now: number): LedgerEvent[] {
  if (!isPlainObject(body)) {
    throw new InvalidEventsError([
      { index: null, field: '', rule: 'body', message: 'the body must be one event object or {"events": [...]}' },
    ]);
  }
  if (!('events' in body)) return parseEvents([body], now);
  const problems: FieldProblem[] = [];
  for (const key of Object.keys(body)) {
    if (key !== 'events') {
      problems.push({ index: null, field: key, rule: 'unknownField', message: `${key} is not allowed next to events` });
    }
  }
  const events = body.events;
  if (!Array.isArray(events) || events.length === 0) {
    problems.push({ index: null, field: 'events', rule: 'arrayNotEmpty', message: 'events must be a non-empty array' });
  } else if (events.length > MAX_BATCH_EVENTS) {
    throw new BatchTooLargeError(`a batch holds at most ${MAX_BATCH_EVENTS} events; this one has ${events.length}`);
  }
  if (problems.length > 0) throw new InvalidEventsError(problems);
  return parseEvents(events as unknown[], now);
}

export function parseEvents(raws: readonly unknown[], now: number): LedgerEvent[] {
  // The first 100 problems are kept, every one is counted: a batch of 10,000 bad events answers
  // a bounded error (docs/operations.md "Limits").
  const problems = new ProblemList();
  raws.forEach((raw, index) => {
    if (problems.full) problems.total += countEventProblems(raw, index, now);
    else problems.add(...checkEvent(raw, index, now));
  });
  if (problems.total > 0) throw new InvalidEventsError(problems);
  return raws.map((raw) => {
    const event = raw as LedgerEvent;
    return { ...event, eventId: event.eventId.toLowerCase() };
  });
}

/** The problems of one event, each named (field, rule, message). Exported for the tests. */
export function checkEvent(raw: unknown, index: number, now: number): FieldProblem[] {
  if (!isPlainObject(raw)) {
    return [{ index, field: '', rule: 'isObject', message: 'an event must be a JSON object' }];
  }
  const problems = scanValues(raw, '', index);
  if (problems.length > 0) return problems;

  const type = raw.type;
  const fast = passesRules(raw, EventEnvelopeDto) && isEventType(type) && passesRules(raw.data, DATA_DTOS[type]);
  if (!fast) {
    // class-validator itself names every problem; the compiled rules only spare it valid events.
    const envelope = plainToInstance(EventEnvelopeDto, raw);
    problems.push(...toProblems(validateSync(envelope, VALIDATOR), index, '', 'the envelope'));
    if (isEventType(type) && isPlainObject(raw.data)) {
      const data = plainToInstance(DATA_DTOS[type], raw.data);
      problems.push(...toProblems(validateSync(data, VALIDATOR), index, 'data.', `${type} data`));
    }
    // The schema's own fields decide what is known, whatever class-validator's whitelist thinks.
    const unknown = [
      ...unknownFields(raw, EventEnvelopeDto, ''),
      ...(isEventType(type) && isPlainObject(raw.data) ? unknownFields(raw.data, DATA_DTOS[type], 'data.') : []),
    ];
    for (const field of unknown) {
      if (!problems.some((p) => p.field === field)) {
        problems.push({ index, field, rule: 'unknownField', message: `${field} is not a field of the wire contract; unknown fields are refused so that no personal data gets in` });
      }
    }
  }
  if (problems.length > 0 || !isEventType(type)) return problems;
  return crossFieldProblems(raw as unknown as LedgerEvent, index, now);
}

/**
 * checkEvent's number of problems without naming them: the compiled rules count, class-validator
 * (≈ 70 µs per bad event) does not run. Exported for the tests.
 */
export function countEventProblems(raw: unknown, index: number, now: number): number {
  if (!isPlainObject(raw)) return 1;
  const scanned = scanValues(raw, '', index).length;
  if (scanned > 0) return scanned;
  const type = raw.type;
  let count = countRuleProblems(raw, EventEnvelopeDto);
  if (isEventType(type) && isPlainObject(raw.data)) count += countRuleProblems(raw.data, DATA_DTOS[type]);
  if (count > 0 || !isEventType(type)) return count;
  return crossFieldProblems(raw as unknown as LedgerEvent, index, now).length;
}

/** Rules that span fields: record vs contract events, who may record what, time bounds. */
function crossFieldProblems(event: LedgerEvent, index: number, now: number): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const problem = (field: string, rule: string, message: string): void => {
    problems.push({ index, field, rule, message });
  };
  const spec = EVENT_SPECS[event.type];
  const recordId = (event as { recordId?: unknown }).recordId;
  if (spec.kind === 'record' && recordId === undefined) {
    problem('recordId', 'requiredForRecordEvents', `recordId is required: ${event.type} is a record event`);
  }
  if (spec.kind === 'contract' && recordId !== undefined) {
    problem('recordId', 'forbiddenOnContractEvents', `recordId must not be given: ${event.type} is a contract event`);
  }
  if (!mayRecord(event.type, event.actor.org)) {
    problem('actor.org', 'recordedBy', `${event.type} is recorded by ${spec.by.join(' or ')}, not by ${event.actor.org}`);
  }
  if (spec.kind === 'record' && event.actor.org !== 'city' && event.actor.workerId === undefined) {
    problem('actor.workerId', 'requiredForContractorActors', `actor.workerId is required when actor.org is ${event.actor.org} on a record event`);
  }
  if (event.signature !== undefined && event.eventId !== event.eventId.toLowerCase()) {
    // The ledger stores eventIds in lower case; a signature over another spelling would never verify.
    problem('eventId', 'lowercaseWhenSigned', 'a signed event gives its eventId in lower case, as the ledger stores it and as the signature covers it');
  }
  const occurredAt = parseTimestamp(event.occurredAt)!;
  if (occurredAt > now + MAX_CLOCK_SKEW_MS) {
    problem('occurredAt', 'notInFuture', `occurredAt ${event.occurredAt} is more than 5 minutes ahead of the ledger clock (${new Date(now).toISOString()})`);
  }
  const data = event.data as Record<string, unknown>;
  const term = data.term as { start: string; end: string } | undefined;
  if (term && parseTimestamp(term.start)! > parseTimestamp(term.end)!) {
    problem('data.term.end', 'termOrder', 'data.term.end must not be before data.term.start');
  }
  if (event.type === 'ContractAmended' && Object.keys(data).length === 0) {
    problem('data', 'notEmpty', 'ContractAmended must change at least one of purposes, dataCategories, permitsSubcontracting, term, policy');
  }
  if (event.type === 'RecordCopied' && event.data.fromCopyId === event.data.copyId) {
    problem('data.fromCopyId', 'notItself', 'a copy cannot be made from itself');
  }
  return problems;
}

/**
 * Refuses, before any validator sees the event: inherited names as keys, nesting deeper than
 * MAX_JSON_DEPTH (an event has 3 levels), nulls, strings that are not well-formed UTF-16 and
 * characters no one-line label may hold. Iterative, so no input can exhaust the stack.
 */
function scanValues(value: unknown, path: string, index: number): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const stack: Array<{ v: unknown; p: string; depth: number }> = [{ v: value, p: path, depth: 1 }];
  while (stack.length > 0 && problems.length < 100) {
    const { v, p, depth } = stack.pop()!;
    if (v === null) {
      problems.push({ index, field: p, rule: 'notNull', message: `${p} must not be null: leave an optional field out instead` });
    } else if (typeof v === 'string') {
      if (!v.isWellFormed()) {
        problems.push({ index, field: p, rule: 'wellFormedUnicode', message: `${p} contains a lone surrogate (not valid Unicode)` });
      } else if (FORBIDDEN_CHARACTERS.test(v)) {
        problems.push({
          index, field: p, rule: 'noControlCharacters',
          message: `${p} must be one line of visible text: no control, line-separator, bidirectional or zero-width characters`,
        });
      }
    } else if (typeof v === 'object') {
      if (depth > MAX_JSON_DEPTH) {
        problems.push({ index, field: p, rule: 'maxDepth', message: `${p} is nested deeper than any field of the wire contract` });
        continue;
      }
      const entries: Array<[string, unknown]> = Array.isArray(v) ? v.map((item, i) => [`[${i}]`, item]) : Object.entries(v as object);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, item] = entries[i]!;
        const childPath = Array.isArray(v) ? `${p}${key}` : p ? `${p}.${key}` : key;
        if (!Array.isArray(v) && INHERITED_NAMES.has(key)) {
          problems.push({ index, field: childPath, rule: 'unknownField', message: `${childPath} is not a field of the wire contract` });
        } else {
          stack.push({ v: item, p: childPath, depth: depth + 1 });
        }
      }
    }
  }
  return problems;
}

function toProblems(errors: ValidationError[], index: number, prefix: string, where: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const walk = (error: ValidationError, path: string): void => {
    const field = `${path}${error.property}`;
    const constraints = Object.entries(error.constraints ?? {});
    if (constraints.length > 0 && error.value === undefined) {
      problems.push({ index, field, rule: 'required', message: `${field} is required in ${where}` });
      return;
    }
    // One problem per field: the first rule broken says enough (a number is "not a string", not also "not an ID";
    // an array where an object belongs is "not an object", not also a problem per item).
    for (const [rule, message] of constraints.slice(0, 1)) {
      if (rule === 'whitelistValidation') {
        problems.push({
          index,
          field,
          rule: 'unknownField',
          message: `${field} is not a field of ${where}; unknown fields are refused so that no personal data gets in`,
        });
      } else {
        problems.push({ index, field, rule, message: message.startsWith(error.property) ? `${path}${message}` : message });
      }
    }
    if (constraints.length === 0) for (const child of error.children ?? []) walk(child, `${field}.`);
  };
  for (const error of errors) walk(error, prefix);
  return problems;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
