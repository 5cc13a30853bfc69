/**
 * For property-based tests of the wire contract (unit and through HTTP): an oracle of the fields
 * each schema declares, and mutated events that put any key (every inherited name first) or value
 * at any level of a valid example.
 */
import fc from 'fast-check';
import { getMetadataStorage } from 'class-validator';
import { EVENT_TYPES, type EventType, type LedgerEvent } from '@ledger/domain';
import { ContractAmendedData, ContractRegisteredData, DATA_DTOS, PolicyDto, TermDto } from '../event-data.dto.js';
import { ActorDto, EventEnvelopeDto } from '../event-envelope.dto.js';
import { EXAMPLE_EVENTS } from '../examples.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Class = new (...args: any[]) => object;

/** The fields each schema declares (its decorators), and which of them hold a nested schema. */
function fieldsOf(cls: Class): Set<string> {
  return new Set(getMetadataStorage().getTargetValidationMetadatas(cls, '', false, false, undefined).map((m) => m.propertyName));
}
const NESTED = new Map<Class, Record<string, Class>>([
  [EventEnvelopeDto, { actor: ActorDto }],
  [ContractRegisteredData, { term: TermDto, policy: PolicyDto }],
  [ContractAmendedData, { term: TermDto, policy: PolicyDto }],
]);

/** Keys of `value` (at every level) that its schema does not declare. */
function outsideSchema(value: Record<string, unknown>, cls: Class, prefix = ''): string[] {
  const fields = fieldsOf(cls);
  const found: string[] = [];
  for (const [key, item] of Object.entries(value)) {
    if (!fields.has(key)) found.push(`${prefix}${key}`);
    const nested = NESTED.get(cls)?.[key];
    if (nested && item !== null && typeof item === 'object') found.push(...outsideSchema(item as Record<string, unknown>, nested, `${prefix}${key}.`));
  }
  return found;
}

export function storedOutsideSchema(event: LedgerEvent): string[] {
  const data = (event as { data?: unknown }).data;
  return [
    ...outsideSchema(event as unknown as Record<string, unknown>, EventEnvelopeDto),
    ...(data && typeof data === 'object' ? outsideSchema(data as Record<string, unknown>, DATA_DTOS[event.type], 'data.') : []),
  ];
}

export const INHERITED_NAMES = [...Object.getOwnPropertyNames(Object.prototype), 'prototype'];
const KEY = fc.oneof(fc.constantFrom(...INHERITED_NAMES, 'name', 'phone', 'data', 'type', 'events', 'term', 'start', 'workerId'), fc.string({ maxLength: 12 }));
const JSON_VALUE = fc.jsonValue({ maxDepth: 4 });

/** A mutation of a valid example: a value replaced, a key added (any name, inherited ones first) or removed, at any level. */
export const mutatedEvent: fc.Arbitrary<unknown> = fc
  .record({
    type: fc.constantFrom(...EVENT_TYPES),
    edits: fc.array(
      fc.record({ op: fc.constantFrom('set', 'add', 'delete'), at: fc.nat(), key: KEY, value: JSON_VALUE }),
      { minLength: 1, maxLength: 3 },
    ),
  })
  .map(({ type, edits }) => {
    const event = JSON.parse(JSON.stringify({ ...EXAMPLE_EVENTS[type as EventType], eventId: '5b0c7c1e-8a39-4d2e-9a51-0f3c1f1f6a10' })) as Record<string, unknown>;
    for (const edit of edits) {
      const objects = objectsIn(event);
      const target = objects[edit.at % objects.length]!;
      const keys = Object.keys(target);
      // As JSON.parse would build it: an own property, whatever the name.
      if (edit.op === 'add' || keys.length === 0) Object.defineProperty(target, edit.key, { value: edit.value, enumerable: true, writable: true, configurable: true });
      else if (edit.op === 'set') target[keys[edit.at % keys.length]!] = edit.value;
      else delete target[keys[edit.at % keys.length]!];
    }
    return JSON.parse(JSON.stringify(event)) as unknown;
  });

function objectsIn(value: unknown): Array<Record<string, unknown>> {
  if (value === null || typeof value !== 'object') return [];
  if (Array.isArray(value)) return value.flatMap(objectsIn);
  return [value as Record<string, unknown>, ...Object.values(value).flatMap(objectsIn)];
}
