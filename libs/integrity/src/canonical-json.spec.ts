import fc from 'fast-check';
import { CanonicalizationError, canonicalize, canonicalMember } from './canonical-json.js';

function doubleFromBits(hex: string): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt(`0x${hex}`));
  return view.getFloat64(0);
}

describe('canonicalize (RFC 8785 JCS)', () => {
  describe('numbers', () => {
    // RFC 8785 Appendix B, table of IEEE 754 bit patterns and their canonical text.
    it.each([
      ['0000000000000000', '0'],
      ['8000000000000000', '0'],
      ['0000000000000001', '5e-324'],
      ['8000000000000001', '-5e-324'],
      ['7fefffffffffffff', '1.7976931348623157e+308'],
      ['ffefffffffffffff', '-1.7976931348623157e+308'],
      ['4340000000000000', '9007199254740992'],
      ['c340000000000000', '-9007199254740992'],
      ['4430000000000000', '295147905179352830000'],
      ['44b52d02c7e14af5', '9.999999999999997e+22'],
      ['44b52d02c7e14af6', '1e+23'],
      ['44b52d02c7e14af7', '1.0000000000000001e+23'],
      ['444b1ae4d6e2ef4e', '999999999999999700000'],
      ['444b1ae4d6e2ef4f', '999999999999999900000'],
      ['444b1ae4d6e2ef50', '1e+21'],
      ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
      ['3eb0c6f7a0b5ed8d', '0.000001'],
      ['41b3de4355555553', '333333333.3333332'],
      ['41b3de4355555554', '333333333.33333325'],
      ['41b3de4355555555', '333333333.3333333'],
      ['41b3de4355555556', '333333333.3333334'],
      ['41b3de4355555557', '333333333.33333343'],
      ['becbf647612f3696', '-0.0000033333333333333333'],
      ['43143ff3c1cb0959', '1424953923781206.2'],
    ])('writes the double with bits %s as %s', (bits, expected) => {
      expect(canonicalize(doubleFromBits(bits))).toBe(expected);
    });

    it.each([
      [1e21, '1e+21'],
      [1e-7, '1e-7'],
      [-0, '0'],
      // RFC 8785's own example: the literal is more precise than a double, on purpose.
      // eslint-disable-next-line no-loss-of-precision
      [333333333.33333329, '333333333.3333333'],
      [4.5, '4.5'],
      [100, '100'],
    ])('writes %p as %s', (value, expected) => {
      expect(canonicalize(value)).toBe(expected);
    });

    it.each([
      ['NaN', doubleFromBits('7fffffffffffffff')],
      ['Infinity', doubleFromBits('7ff0000000000000')],
      ['-Infinity', -Infinity],
    ])('refuses %s', (_name, value) => {
      expect(() => canonicalize({ amount: value })).toThrow(new CanonicalizationError(`non-finite number ${value} has no JSON representation`, '$.amount'));
    });
  });

  describe('property ordering', () => {
    it('sorts names by UTF-16 code units, as in the RFC 8785 §3.2.3 example', () => {
      // Given the RFC's object, written in a different order
      const input = JSON.parse(
        '{"\\u20ac":"Euro Sign","\\r":"Carriage Return","\\ufb33":"Hebrew Letter Dalet With Dagesh","1":"One",' +
          '"\\ud83d\\ude00":"Emoji: Grinning Face","\\u0080":"Control","\\u00f6":"Latin Small Letter O With Diaeresis"}',
      ) as Record<string, string>;

      // When it is canonicalized
      const output = canonicalize(input);

      // Then the values come out in the order the RFC lists (the emoji's high surrogate sorts before U+FB33)
      // (read from the text: a parsed object would list the integer-like key "1" first again)
      expect([...output.matchAll(/:"([^"]*)"/g)].map((match) => match[1])).toEqual([
        'Carriage Return',
        'One',
        'Control',
        'Latin Small Letter O With Diaeresis',
        'Euro Sign',
        'Emoji: Grinning Face',
        'Hebrew Letter Dalet With Dagesh',
      ]);
      expect(output).toBe(
        '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis",' +
          '"\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
      );
    });

    it('sorts nested objects too but keeps array order', () => {
      expect(canonicalize({ b: [3, 1, { z: 1, a: 2 }], a: { d: true, c: null } })).toBe('{"a":{"c":null,"d":true},"b":[3,1,{"a":2,"z":1}]}');
    });
  });

  it('reproduces the RFC 8785 §3.2.4 sample, byte for byte in UTF-8', () => {
    // Given the RFC's input text, whitespace and all
    const input = JSON.parse(`{
      "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
      "string": "\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\"\\/",
      "literals": [null, true, false]
    }`) as unknown;

    // When canonicalized
    const output = canonicalize(input);

    // Then it matches the RFC's output and its UTF-8 hex dump
    expect(output).toBe('{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}');
    expect(Buffer.from(output, 'utf8').toString('hex')).toBe(
      [
        '7b 22 6c 69 74 65 72 61 6c 73 22 3a 5b 6e 75 6c 6c 2c 74 72',
        '75 65 2c 66 61 6c 73 65 5d 2c 22 6e 75 6d 62 65 72 73 22 3a',
        '5b 33 33 33 33 33 33 33 33 33 2e 33 33 33 33 33 33 33 2c 31',
        '65 2b 33 30 2c 34 2e 35 2c 30 2e 30 30 32 2c 31 65 2d 32 37',
        '5d 2c 22 73 74 72 69 6e 67 22 3a 22 e2 82 ac 24 5c 75 30 30',
        '30 66 5c 6e 41 27 42 5c 22 5c 5c 5c 5c 5c 22 2f 22 7d',
      ]
        .join(' ')
        .replaceAll(' ', ''),
    );
  });

  it('escapes like JSON.stringify: short escapes, other controls as lowercase \\u00xx, nothing else', () => {
    expect(canonicalize('\b\f\n\r\t"\\\u0001\u001f/\u007f\u2028é')).toBe('"\\b\\f\\n\\r\\t\\"\\\\\\u0001\\u001f/\u007f\u2028é"');
  });

  it('omits object members whose value is undefined, like JSON.stringify', () => {
    expect(canonicalize({ kept: 1, dropped: undefined })).toBe('{"kept":1}');
  });

  it('serializes values through toJSON, like JSON.stringify (e.g. Date)', () => {
    expect(canonicalize({ at: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)) })).toBe('{"at":"2026-01-02T03:04:05.000Z"}');
  });

  it('applies toJSON once, not again on what it returns', () => {
    class SelfReplacing {
      readonly v = 1;
      toJSON(): this {
        return this;
      }
    }
    expect(canonicalize({ x: new SelfReplacing() })).toBe('{"x":{"v":1}}');
  });

  it('unwraps boxed primitives and serializes class instances by their own fields', () => {
    class AccessRecorded {
      constructor(readonly subject: string, readonly count: number) {}
    }
    expect(canonicalize([new String('s'), new Number(2), new Boolean(false)])).toBe('["s",2,false]');
    expect(canonicalize(new AccessRecorded('citizen-1', 3))).toBe('{"count":3,"subject":"citizen-1"}');
  });

  describe('refuses what JSON would lose or cannot express', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    it.each<[string, unknown, string]>([
      ['undefined at the top', undefined, 'undefined has no JSON representation at $'],
      ['undefined inside an array', [1, undefined], 'undefined has no JSON representation at $[1]'],
      // eslint-disable-next-line no-sparse-arrays
      ['a hole in an array', [1, , 3], 'undefined has no JSON representation at $[1]'],
      ['a function', { f: () => 1 }, 'a function has no JSON representation at $.f'],
      ['a bigint', { n: [10n] }, 'bigint is not a JSON number (convert it to a string or a safe number) at $.n[0]'],
      ['a symbol', Symbol('s'), 'a symbol has no JSON representation at $'],
      ['a lone high surrogate', { s: 'a\ud800b' }, 'string contains a lone UTF-16 surrogate (not valid Unicode) at $.s'],
      ['a lone low surrogate in a key', { ['\udc00']: 1 }, 'string contains a lone UTF-16 surrogate (not valid Unicode) at $.\udc00'],
      ['a Map', { m: new Map([[1, 2]]) }, 'Map has no JSON representation at $.m'],
      ['a Set', new Set([1]), 'Set has no JSON representation at $'],
      ['a typed array', { bytes: new Uint8Array([1]) }, 'Uint8Array has no JSON representation at $.bytes'],
      ['a cycle', cyclic, 'cyclic structure at $.self'],
    ])('refuses %s', (_name, value, message) => {
      expect(() => canonicalize(value)).toThrow(message);
      expect(() => canonicalize(value)).toThrow(CanonicalizationError);
    });

    it('accepts the same object twice when it is shared, not cyclic', () => {
      const shared = { x: 1 };
      expect(canonicalize([shared, shared])).toBe('[{"x":1},{"x":1}]');
    });
  });

  describe('canonicalMember: one member as it appears in the whole object', () => {
    it('property: the members of any JSON object, joined in key order, are its canonical text', () => {
      fc.assert(
        fc.property(fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 8 }), (object) => {
          const members = Object.keys(object).sort().map((key) => canonicalMember(object, key));
          expect(`{${members.join(',')}}`).toBe(canonicalize(object));
        }),
        { numRuns: 500 },
      );
    });

    it('gives toJSON its key, refuses a value holding its owner as a cycle, and names where it refuses', () => {
      const seen: string[] = [];
      const owner: Record<string, unknown> = { when: { toJSON: (key: string) => (seen.push(key), 'then') } };
      expect(canonicalMember(owner, 'when')).toBe('"when":"then"');
      expect(seen).toEqual(['when']);
      owner.self = { back: owner };
      expect(() => canonicalMember(owner, 'self')).toThrow(new CanonicalizationError('cyclic structure', '$.self.back'));
      expect(() => canonicalMember({ data: { n: [1, Number.NaN] } }, 'data')).toThrow(new CanonicalizationError('non-finite number NaN has no JSON representation', '$.data.n[1]'));
    });
  });
});
