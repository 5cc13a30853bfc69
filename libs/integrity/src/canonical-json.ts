/**
 * RFC 8785 JSON Canonicalization Scheme (JCS).
 *
 * Two parties that hash "the same event" must produce byte-identical JSON, so anything that
 * JSON.stringify would silently drop or coerce (NaN, undefined in arrays, Map, bigint...) is an
 * error here rather than a quiet difference in the hash.
 */

import { isWellFormed } from './well-formed.js';

export class CanonicalizationError extends Error {
  constructor(
    message: string,
    /** JSONPath-like location of the offending value, e.g. `$.items[2].amount`. */
    readonly path: string,
  ) {
    super(`${message} at ${path}`);
    this.name = 'CanonicalizationError';
  }
}

interface WithToJSON {
  toJSON(key: string): unknown;
}

// Built-ins that JSON.stringify turns into `{}` (losing their content) rather than refusing.
const LOSSY_OBJECTS: ReadonlyArray<[new (...args: never[]) => object, string]> = [
  [Map, 'Map'],
  [Set, 'Set'],
  [WeakMap, 'WeakMap'],
  [WeakSet, 'WeakSet'],
  [ArrayBuffer, 'ArrayBuffer'],
  [RegExp, 'RegExp'],
  [Promise, 'Promise'],
];

// Strings without quotes, backslashes, controls or surrogates are their own JSON text between quotes.
const NEEDS_ESCAPING_OR_CHECK = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * Internal refusal: the location is assembled while the stack unwinds, so the hot path never
 * builds path strings for values that serialize fine.
 */
class Refusal {
  readonly segments: string[] = [];
  constructor(readonly reason: string) {}
}

/** Serializes `value` as RFC 8785 canonical JSON (a JS string; encode as UTF-8 before hashing). */
export function canonicalize(value: unknown): string {
  try {
    return serialize(value, '', []);
  } catch (error) {
    if (error instanceof Refusal) throw new CanonicalizationError(error.reason, `$${error.segments.join('')}`);
    throw error;
  }
}

/**
 * The canonical text of one member of `owner`, `"key":value`, exactly as it appears inside
 * canonicalize(owner) (a toJSON sees its key; a value holding `owner` is a cycle), without the
 * rest of the object: a writer that cuts an object's members into pieces (prepareEvent) serializes
 * each member once, not a one-member object that it then slices.
 */
export function canonicalMember(owner: object, key: string): string {
  try {
    return `${serializeString(key)}:${serialize((owner as Record<string, unknown>)[key], key, [owner])}`;
  } catch (error) {
    if (error instanceof Refusal) throw new CanonicalizationError(error.reason, `$.${key}${error.segments.join('')}`);
    throw error;
  }
}

function serialize(value: unknown, key: string, ancestors: object[]): string {
  switch (typeof value) {
    case 'string':
      return serializeString(value);
    case 'number':
      if (!Number.isFinite(value)) throw new Refusal(`non-finite number ${String(value)} has no JSON representation`);
      // ECMAScript Number::toString is exactly the JCS number format; it also writes -0 as "0".
      return String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return 'null';
      return serializeContainer(value, key, ancestors);
    case 'bigint':
      throw new Refusal('bigint is not a JSON number (convert it to a string or a safe number)');
    case 'undefined':
      throw new Refusal('undefined has no JSON representation');
    case 'function':
      throw new Refusal('a function has no JSON representation');
    default:
      throw new Refusal(`a ${typeof value} has no JSON representation`);
  }
}

function serializeContainer(value: object, key: string, ancestors: object[]): string {
  if (typeof (value as Partial<WithToJSON>).toJSON === 'function') {
    // Honour toJSON like JSON.stringify does (once, not on its result), so Date and value objects
    // serialize as their owners intend.
    const replacement = (value as WithToJSON).toJSON(key);
    return replacement !== null && typeof replacement === 'object'
      ? serializeStructure(replacement, ancestors)
      : serialize(replacement, key, ancestors);
  }
  return serializeStructure(value, ancestors);
}

function serializeStructure(value: object, ancestors: object[]): string {
  // Nesting is shallow in practice, so a linear scan beats a Set.
  if (ancestors.includes(value)) throw new Refusal('cyclic structure');
  ancestors.push(value);
  const text = Array.isArray(value) ? serializeArray(value, ancestors) : serializeObject(value, ancestors);
  ancestors.pop();
  return text;
}

function serializeArray(array: readonly unknown[], ancestors: object[]): string {
  let out = '[';
  for (let i = 0; i < array.length; i++) {
    if (i > 0) out += ',';
    try {
      // A hole or undefined element would become `null` in JSON.stringify: refuse instead.
      out += serialize(array[i], String(i), ancestors);
    } catch (error) {
      throw within(error, `[${i}]`);
    }
  }
  return out + ']';
}

function serializeObject(object: object, ancestors: object[]): string {
  const prototype = Object.getPrototypeOf(object) as unknown;
  if (prototype !== Object.prototype && prototype !== null) {
    const unwrapped = unwrapSpecialObject(object);
    if (unwrapped !== undefined) return serialize(unwrapped.value, '', ancestors);
  }
  // Default sort compares UTF-16 code units, which is the order RFC 8785 §3.2.3 requires.
  const keys = Object.keys(object).sort();
  const record = object as Record<string, unknown>;
  let out = '{';
  let first = true;
  for (const key of keys) {
    const member = record[key];
    if (member === undefined) continue;
    try {
      const text = serializeString(key) + ':' + serialize(member, key, ancestors);
      out += first ? text : ',' + text;
      first = false;
    } catch (error) {
      throw within(error, `.${key}`);
    }
  }
  return out + '}';
}

/** Boxed primitives unwrap like in JSON.stringify; lossy built-ins are refused; other instances serialize as objects. */
function unwrapSpecialObject(object: object): { value: unknown } | undefined {
  if (ArrayBuffer.isView(object)) throw new Refusal(`${object.constructor.name} has no JSON representation`);
  for (const [type, name] of LOSSY_OBJECTS) {
    if (object instanceof type) throw new Refusal(`${name} has no JSON representation`);
  }
  if (object instanceof Number || object instanceof String || object instanceof Boolean) return { value: object.valueOf() };
  return undefined;
}

function serializeString(value: string): string {
  if (!NEEDS_ESCAPING_OR_CHECK.test(value)) return `"${value}"`;
  if (!isWellFormed(value)) throw new Refusal('string contains a lone UTF-16 surrogate (not valid Unicode)');
  // JSON.stringify's escaping (\b \f \n \r \t \" \\, other controls as lowercase \u00xx) is RFC 8785 §3.2.2.2.
  return JSON.stringify(value);
}

function within(error: unknown, segment: string): unknown {
  if (error instanceof Refusal) error.segments.unshift(segment);
  return error;
}
