import fc from 'fast-check';
import { MAX_JSON_DEPTH, nestingExceeds } from '@ledger/wire';
import { parseJsonBody } from './json-body.js';
import { InvalidUtf8Error, JsonTooDeepError, MalformedJsonError } from './ledger-exception.filter.js';

/** The nesting of a parsed value, by recursion (the reference the byte scan must agree with). */
function depthOf(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  const children = Array.isArray(value) ? value : Object.values(value);
  return 1 + Math.max(0, ...children.map(depthOf));
}

describe('reading a JSON body', () => {
  it('agrees with the nesting of the parsed value, strings with brackets, quotes and escapes included', () => {
    const tricky = fc.oneof(fc.string(), fc.constantFrom('{', '[', '"', '\\', '\\"{', '}]', '\\\\', 'a"b[{'));
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, tricky, fc.integer(), fc.array(tie('node'), { maxLength: 3 }), fc.dictionary(tricky, tie('node'), { maxKeys: 3 })),
    })).node;
    fc.assert(fc.property(value, fc.nat({ max: 8 }), (v, max) => {
      const bytes = Buffer.from(JSON.stringify(v), 'utf8');
      expect(nestingExceeds(bytes, max)).toBe(depthOf(v) > max);
    }), { numRuns: 2_000 });
  });

  it(`refuses a body nested deeper than ${MAX_JSON_DEPTH} levels before parsing it (100,000 levels: no stack overflow)`, () => {
    const deep = Buffer.from(`${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    expect(() => parseJsonBody(deep)).toThrow(JsonTooDeepError);
    const objects = Buffer.from(`${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`);
    expect(() => parseJsonBody(objects)).toThrow(JsonTooDeepError);
  });

  it('accepts the deepest nesting allowed', () => {
    const text = `${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}`;
    expect(depthOf(parseJsonBody(Buffer.from(text)))).toBe(MAX_JSON_DEPTH);
  });

  it('refuses bytes that are not UTF-8 instead of reading them as U+FFFD', () => {
    for (const bad of [[0xff], [0xc3, 0x28], [0xe3, 0x81], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xc0, 0xaf]]) {
      const body = Buffer.concat([Buffer.from('{"title":"'), Buffer.from(bad), Buffer.from('"}')]);
      expect(() => parseJsonBody(body)).toThrow(InvalidUtf8Error);
    }
    expect(parseJsonBody(Buffer.from('{"title":"岡山 🏯"}'))).toEqual({ title: '岡山 🏯' });
  });

  it('refuses malformed JSON as malformed JSON', () => {
    expect(() => parseJsonBody(Buffer.from('{"a":'))).toThrow(MalformedJsonError);
    expect(() => parseJsonBody(Buffer.from('"unterminated'))).toThrow(MalformedJsonError);
  });
});
