/**
 * A fast path for the class-validator rules of the DTOs. Ingest validates tens of thousands of
 * events a second, and class-validator's executor costs about 10 µs per event in bookkeeping
 * (error objects, metadata lookups) even when nothing is wrong. This compiles, once per class,
 * the SAME metadata class-validator registered (the decorators of field-rules.ts) into a plain
 * predicate that calls the SAME constraint implementations. It only answers "valid or not":
 * whenever it says "not", parse-events runs class-validator itself for the exact messages, and a
 * differential test (compiled-validation.spec.ts) holds the two to the same verdicts.
 */
import { getMetadataStorage, ValidationTypes, type ValidationArguments } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata.js';

type Class = new () => object;
type Check = (object: Record<string, unknown>, value: unknown) => boolean;

interface PropertyPlan {
  name: string;
  conditions: Array<(object: unknown, value: unknown) => boolean>;
  checks: Check[];
  nested: (() => Class) | null;
}

/** What a check's arguments name as the object between calls (they keep no event alive). */
const NOTHING: object = Object.freeze({});

const nestedTypes = new Map<Function, Map<string, () => Class>>(); // eslint-disable-line @typescript-eslint/no-unsafe-function-type
const plans = new Map<Class, { known: Set<string>; properties: PropertyPlan[] }>();

/** Called by the Nested() field rule: the class a nested plain object is validated as. */
export function registerNestedType(owner: Function, property: string, type: () => Class): void { // eslint-disable-line @typescript-eslint/no-unsafe-function-type
  let map = nestedTypes.get(owner);
  if (!map) nestedTypes.set(owner, (map = new Map()));
  map.set(property, type);
}

function compile(cls: Class): { known: Set<string>; properties: PropertyPlan[] } {
  const storage = getMetadataStorage();
  const metadatas: ValidationMetadata[] = storage.getTargetValidationMetadatas(cls, '', false, false, undefined);
  const grouped = new Map<string, ValidationMetadata[]>();
  for (const m of metadatas) {
    const list = grouped.get(m.propertyName) ?? [];
    list.push(m);
    grouped.set(m.propertyName, list);
  }
  const properties: PropertyPlan[] = [];
  for (const [name, list] of grouped) {
    const plan: PropertyPlan = { name, conditions: [], checks: [], nested: null };
    for (const m of list) {
      if (m.type === ValidationTypes.CONDITIONAL_VALIDATION) {
        plan.conditions.push(m.constraints[0] as (object: unknown, value: unknown) => boolean);
      } else if (m.type === ValidationTypes.CUSTOM_VALIDATION || m.type === ValidationTypes.IS_DEFINED) {
        for (const constraint of storage.getTargetValidatorConstraints(m.constraintCls)) {
          const validate = constraint.instance.validate.bind(constraint.instance);
          // One arguments object per check, filled for each call and emptied after it (ingest checks
          // every field of tens of thousands of events a second: an object per check was the largest
          // share of what validation allocated). A call made while it is in use (a constraint that
          // validates recursively) gets its own.
          const shared: ValidationArguments = { targetName: cls.name, property: name, object: NOTHING, value: undefined, constraints: m.constraints };
          let inUse = false;
          plan.checks.push((object, value) => {
            if (m.validateIf && !m.validateIf(object, value)) return true;
            const own = !inUse;
            const args = own ? shared : { ...shared };
            args.object = object;
            args.value = value;
            inUse = true;
            try {
              if (!m.each || !Array.isArray(value)) return validate(value, args) === true;
              return value.every((item) => validate(item, args) === true);
            } finally {
              if (own) {
                inUse = false;
                shared.object = NOTHING;
                shared.value = undefined;
              }
            }
          });
        }
      } else if (m.type === ValidationTypes.NESTED_VALIDATION) {
        const type = nestedTypes.get(cls)?.get(name);
        if (!type) throw new Error(`${cls.name}.${name} is validated as nested but has no Nested() type`);
        plan.nested = type;
      } else if (m.type !== ValidationTypes.WHITELIST) {
        throw new Error(`${cls.name}.${name}: validation type ${m.type} has no fast path`);
      }
    }
    properties.push(plan);
  }
  return { known: new Set(grouped.keys()), properties };
}

/** True when class-validator (whitelist, forbidNonWhitelisted) would find nothing wrong with `value` as `cls`. */
export function passesRules(value: unknown, cls: Class): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  let plan = plans.get(cls);
  if (!plan) plans.set(cls, (plan = compile(cls)));
  const object = value as Record<string, unknown>;
  for (const key in object) {
    if (!plan.known.has(key)) return false;
  }
  for (const property of plan.properties) {
    const v = object[property.name];
    if (!holds(property.conditions, object, v)) continue;
    for (const check of property.checks) if (!check(object, v)) return false;
    if (property.nested && v !== undefined && !passesRules(v, property.nested())) return false;
  }
  return true;
}

/** Whether every condition holds (a loop: no closure per property and call). */
function holds(conditions: PropertyPlan['conditions'], object: unknown, value: unknown): boolean {
  for (const condition of conditions) if (!condition(object, value)) return false;
  return true;
}

/**
 * Paths of the keys of `value` (and of its nested objects) that are not own fields of `cls`'s
 * schema, checked against the compiled field set (a Set of names, so `valueOf` or `constructor`
 * are as unknown as any other name: an object's inherited members never count as fields).
 */
export function unknownFields(value: unknown, cls: Class, prefix: string): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  let plan = plans.get(cls);
  if (!plan) plans.set(cls, (plan = compile(cls)));
  const found: string[] = [];
  for (const key of Object.keys(value)) {
    if (!plan.known.has(key)) found.push(`${prefix}${key}`);
  }
  for (const property of plan.properties) {
    if (property.nested && Object.hasOwn(value, property.name)) {
      found.push(...unknownFields((value as Record<string, unknown>)[property.name], property.nested(), `${prefix}${property.name}.`));
    }
  }
  return found;
}

/**
 * How many problems class-validator (whitelist, forbidNonWhitelisted) would name for `value` as
 * `cls`, one per broken field as parse-events lists them, without building them: once an error
 * answer has listed its first problems, the rest are only counted (the differential test in
 * parse-events.spec.ts holds the count to the listing).
 */
export function countRuleProblems(value: Record<string, unknown>, cls: Class): number {
  let plan = plans.get(cls);
  if (!plan) plans.set(cls, (plan = compile(cls)));
  let count = 0;
  for (const key of Object.keys(value)) if (!plan.known.has(key)) count++;
  for (const property of plan.properties) {
    const v = value[property.name];
    if (!holds(property.conditions, value, v)) continue;
    if (property.checks.some((check) => !check(value, v))) count++;
    else if (property.nested && v !== null && typeof v === 'object' && !Array.isArray(v)) count += countRuleProblems(v as Record<string, unknown>, property.nested());
  }
  return count;
}
