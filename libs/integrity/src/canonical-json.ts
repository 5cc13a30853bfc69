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

/** Serializes `value` as RFC 8785 canonical JSON (a JS string; encode as UTF-8 before hashing). */
export function canonicalize(value: unknown): string {
  return serialize(value, '$', '', new Set<object>());
}

function serialize(value: unknown, path: string, key: string, ancestors: Set<object>): string {
  if (value !== null && typeof value === 'object' && typeof (value as Partial<WithToJSON>).toJSON === 'function') {
    // Honour toJSON like JSON.stringify does, so Date and value objects serialize as their owners intend.
    value = (value as WithToJSON).toJSON(key);
  }
  switch (typeof value) {
    case 'string':
      return serializeString(value, path);
    case 'number':
      if (!Number.isFinite(value)) {
        throw new CanonicalizationError(`non-finite number ${String(value)} has no JSON representation`, path);
      }
      // ECMAScript Number::toString is exactly the JCS number format; it also writes -0 as "0".
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      throw new CanonicalizationError('bigint is not a JSON number (convert it to a string or a safe number)', path);
    case 'undefined':
      throw new CanonicalizationError('undefined has no JSON representation', path);
    case 'function':
      throw new CanonicalizationError('a function has no JSON representation', path);
    case 'symbol':
      throw new CanonicalizationError('a symbol has no JSON representation', path);
    case 'object':
      if (value === null) return 'null';
      return serializeContainer(value, path, ancestors);
  }
  throw new CanonicalizationError(`unsupported value of type ${typeof value}`, path);
}

function serializeContainer(value: object, path: string, ancestors: Set<object>): string {
  if (ancestors.has(value)) throw new CanonicalizationError('cyclic structure', path);
  ancestors.add(value);
  try {
    return Array.isArray(value) ? serializeArray(value, path, ancestors) : serializeObject(value, path, ancestors);
  } finally {
    ancestors.delete(value);
  }
}

function serializeArray(array: readonly unknown[], path: string, ancestors: Set<object>): string {
  let out = '[';
  for (let i = 0; i < array.length; i++) {
    if (i > 0) out += ',';
    // A hole or undefined element would become `null` in JSON.stringify: refuse instead.
    out += serialize(array[i], `${path}[${i}]`, String(i), ancestors);
  }
  return out + ']';
}

function serializeObject(object: object, path: string, ancestors: Set<object>): string {
  if (ArrayBuffer.isView(object)) {
    throw new CanonicalizationError(`${object.constructor.name} has no JSON representation`, path);
  }
  for (const [type, name] of LOSSY_OBJECTS) {
    if (object instanceof type) throw new CanonicalizationError(`${name} has no JSON representation`, path);
  }
  if (object instanceof Number || object instanceof String || object instanceof Boolean) {
    return serialize(object.valueOf(), path, '', ancestors);
  }
  // Default sort compares UTF-16 code units, which is the order RFC 8785 §3.2.3 requires.
  const keys = Object.keys(object).sort();
  const record = object as Record<string, unknown>;
  let out = '{';
  let first = true;
  for (const key of keys) {
    const member = record[key];
    if (member === undefined) continue;
    const memberPath = `${path}.${key}`;
    if (!first) out += ',';
    first = false;
    out += serializeString(key, memberPath) + ':' + serialize(member, memberPath, key, ancestors);
  }
  return out + '}';
}

function serializeString(value: string, path: string): string {
  if (!isWellFormed(value)) {
    throw new CanonicalizationError('string contains a lone UTF-16 surrogate (not valid Unicode)', path);
  }
  // JSON.stringify's escaping (\b \f \n \r \t \" \\, other controls as lowercase \u00xx) is RFC 8785 §3.2.2.2.
  return JSON.stringify(value);
}
