import { ID_PATTERN, ID_RULE, InvalidRequestError, parseTimestamp, TIMESTAMP_RULE, type FieldProblem } from '@ledger/domain';

/** A time parameter as read: epoch ms and its text. */
export interface TimeParameter {
  readonly ms: number;
  /** As given, or the present as ISO 8601 UTC. */
  readonly text: string;
  /**
   * Not given: the request's present. A knownAt left to the present counts every event recorded
   * so far, with no lookup of the log position it stands for (docs/custody.md "Time: the same cut and the same fold as the rulebook").
   */
  readonly present?: boolean;
}

/**
 * Query parameters are few and flat; each is checked here with its rule named, so a client sees
 * `400 limit must be an integer from 1 to 1000`, never a 500.
 */
export class QueryReader {
  private readonly problems: FieldProblem[] = [];

  constructor(private readonly query: Record<string, unknown>, allowed: readonly string[]) {
    for (const key of Object.keys(query)) {
      if (!allowed.includes(key)) this.fail(key, 'unknownParameter', `${key} is not a parameter here (allowed: ${allowed.join(', ') || 'none'})`);
    }
  }

  private fail(field: string, rule: string, message: string): void {
    this.problems.push({ index: null, field, rule, message });
  }

  private single(name: string): string | undefined {
    const value = this.query[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') {
      this.fail(name, 'single', `${name} must be given once`);
      return undefined;
    }
    return value;
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const text = this.single(name);
    if (text === undefined) return fallback;
    if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
      this.fail(name, 'integerRange', `${name} must be an integer from ${min} to ${max}`);
      return fallback;
    }
    return Number(text);
  }

  /**
   * An RFC 3339 timestamp with offset, as epoch ms and as given. A `+` pasted unencoded into a URL
   * arrives as a space: a space before an HH:MM offset can only mean `+`, so it is read as one.
   */
  time(name: string, fallback: number): TimeParameter {
    const given = this.single(name);
    if (given === undefined) return { ms: fallback, text: new Date(fallback).toISOString(), present: true };
    const text = given.replace(/(\d) (\d{2}:\d{2})$/, '$1+$2');
    const ms = parseTimestamp(text);
    if (ms === null) {
      const received = JSON.stringify(given.slice(0, 64));
      const hint = given.includes(' ') ? '; a + in a URL must be encoded as %2B' : '';
      this.fail(name, 'isTimestamp', `${name} must be ${TIMESTAMP_RULE} (received ${received}${hint})`);
      return { ms: fallback, text: given };
    }
    return { ms, text };
  }

  oneOf<T extends string>(name: string, values: readonly T[]): T | undefined {
    const text = this.single(name);
    if (text === undefined) return undefined;
    if (!values.includes(text as T)) {
      this.fail(name, 'isIn', `${name} must be one of ${values.join(', ')}`);
      return undefined;
    }
    return text as T;
  }

  string(name: string, pattern: RegExp, rule: string): string | undefined {
    const text = this.single(name);
    if (text === undefined) return undefined;
    if (!pattern.test(text)) {
      this.fail(name, 'matches', `${name} must be ${rule}`);
      return undefined;
    }
    return text;
  }

  boolean(name: string): boolean | undefined {
    const text = this.single(name);
    if (text === undefined) return undefined;
    if (text !== 'true' && text !== 'false') {
      this.fail(name, 'isBoolean', `${name} must be true or false`);
      return undefined;
    }
    return text === 'true';
  }

  /** Throws InvalidRequestError listing every problem, if any. */
  done(): void {
    if (this.problems.length > 0) throw new InvalidRequestError(this.problems);
  }
}

/** Path segments that are IDs: checked before they reach a query. */
export function checkPathIds(ids: Record<string, string>, pattern: RegExp, rule: string): void {
  const problems: FieldProblem[] = [];
  for (const [name, value] of Object.entries(ids)) {
    if (!pattern.test(value)) problems.push({ index: null, field: name, rule: 'matches', message: `${name} must be ${rule}` });
  }
  if (problems.length > 0) throw new InvalidRequestError(problems);
}

/** A record read's path and cut (`asOf`, `knownAt`, both defaulting to the present): custody and compliance share it. */
export function readRecordCut(
  contractId: string,
  recordId: string,
  query: Record<string, unknown>,
  now: number,
): { asOf: { ms: number; text: string }; knownAt: { ms: number; text: string } } {
  checkPathIds({ contractId, recordId }, ID_PATTERN, ID_RULE);
  const q = new QueryReader(query, ['asOf', 'knownAt']);
  const asOf = q.time('asOf', now);
  const knownAt = q.time('knownAt', now);
  q.done();
  return { asOf, knownAt };
}
