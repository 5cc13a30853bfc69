import { plainToInstance } from 'class-transformer';
import { ValidateBy, validateSync, type ValidationArguments } from 'class-validator';
import { EVENT_TYPES, isEventType } from '@ledger/domain';
import { passesRules } from './compiled-validation.js';
import { DATA_DTOS } from './event-data.dto.js';
import { EventEnvelopeDto } from './event-envelope.dto.js';
import { EXAMPLE_EVENTS } from './examples.js';

/** class-validator's own verdict, the authority the compiled rules must agree with. */
function classValidatorAccepts(event: Record<string, unknown>): boolean {
  const options = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true };
  const envelopeOk = validateSync(plainToInstance(EventEnvelopeDto, event), options).length === 0;
  const type = event.type;
  const data = event.data;
  if (!isEventType(type) || data === null || typeof data !== 'object' || Array.isArray(data)) return false;
  return envelopeOk && validateSync(plainToInstance(DATA_DTOS[type], data), options).length === 0;
}

function compiledAccepts(event: Record<string, unknown>): boolean {
  return passesRules(event, EventEnvelopeDto) && isEventType(event.type) && passesRules(event.data, DATA_DTOS[event.type]);
}

const REPLACEMENTS: unknown[] = [
  undefined, null, 42, -1, 1.5, '', 'x', 'bad id!', 'R-1', '2026-04-01T09:00:00', '2026-04-01T09:00:00+09:00', 'P30D',
  true, [], ['x'], [42], ['a', 'a'], {}, { start: '2026-04-01T09:00:00+09:00' }, 'electronic', ['encrypted'], ['confidentiality'],
];

/** Every path of a JSON value: ['data', 'term', 'start'], ['data', 'safeguards', 0] … */
function paths(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (Array.isArray(value)) return [prefix, ...value.flatMap((v, i) => paths(v, [...prefix, i]))];
  if (value !== null && typeof value === 'object') {
    return [prefix, ...Object.entries(value).flatMap(([k, v]) => paths(v, [...prefix, k]))];
  }
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

describe('the compiled fast path of the class-validator rules', () => {
  it.each(EVENT_TYPES.map((t) => [t]))('agrees with class-validator on %s and on every mutation of it', (type) => {
    const example = { ...EXAMPLE_EVENTS[type], eventId: '5b0c7c1e-8a39-4d2e-9a51-0f3c1f1f6a10' };
    const cases: Record<string, unknown>[] = [example];
    for (const path of paths(example).filter((p) => p.length > 0)) {
      for (const replacement of REPLACEMENTS) cases.push(mutate(example, path, replacement));
    }
    for (const path of paths(example)) {
      const parent = path.length === 0 ? example : path.reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], example);
      if (parent !== null && typeof parent === 'object' && !Array.isArray(parent)) cases.push(mutate(example, [...path, 'extra'], 'x'));
    }
    let disagreements = 0;
    let rejected = 0;
    for (const candidate of cases) {
      const authority = classValidatorAccepts(candidate);
      if (!authority) rejected++;
      if (compiledAccepts(candidate) !== authority) {
        disagreements++;
        if (disagreements === 1) expect({ candidate, compiled: !authority }).toEqual({ candidate, compiled: authority });
      }
    }
    expect(disagreements).toBe(0);
    expect(classValidatorAccepts(example)).toBe(true);
    expect(rejected).toBeGreaterThan(cases.length / 2);
  });

  it("gives each call of a constraint the object and value it checks, also when the constraint validates recursively, and keeps neither after", () => {
    const seen: unknown[] = [];
    let args: ValidationArguments | undefined;
    class Tree {
      @ValidateBy({
        name: 'leafOrTree',
        validator: {
          validate: (value: unknown, a?: ValidationArguments) => {
            args ??= a; // the first call: the outer one, with the check's own arguments
            // A subtree is checked as a Tree while this check's arguments are in use.
            const ok = typeof value === 'number' || passesRules(value, Tree);
            seen.push([a!.value, (a!.object as { id: string }).id]);
            return ok;
          },
        },
      })
      node!: unknown;

      @ValidateBy({ name: 'isString', validator: { validate: (value: unknown) => typeof value === 'string' } })
      id!: string;
    }
    const inner = { id: 'inner', node: 1 };
    expect(passesRules({ id: 'outer', node: inner }, Tree)).toBe(true);
    expect(seen).toEqual([[1, 'inner'], [inner, 'outer']]);
    expect([args!.value, args!.object]).toEqual([undefined, {}]);
    expect(passesRules({ id: 'outer', node: { id: 'inner', node: 'not a number' } }, Tree)).toBe(false);
  });
});
