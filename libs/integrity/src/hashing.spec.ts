import { createHash } from 'node:crypto';

import {
  EMPTY_ROOT,
  decodeBase64Strict,
  hashFromBase64,
  hashFromHex,
  hashToBase64,
  hashToHex,
  leafHash,
  nodeHash,
} from './hashing.js';
import { readFixtureReadme } from './testing/rfc6962-vectors.js';

describe('RFC 6962 hashes', () => {
  describe('the known hashes listed in the test vectors README', () => {
    // The README states them as "- <description>: <64 hex digits>"; read them rather than copy them.
    const known = new Map(
      [...readFixtureReadme().matchAll(/^- (.+): ([0-9a-f]{64})$/gm)].map((match) => [match[1]!, match[2]!] as const),
    );
    const knownHash = (prefix: string): string => {
      const entry = [...known].find(([description]) => description.startsWith(prefix));
      if (entry === undefined) throw new Error(`README lists no hash for "${prefix}"`);
      return entry[1];
    };

    it('lists four hashes', () => {
      expect(known.size).toBe(4);
    });

    it('has the empty tree root', () => {
      expect(hashToHex(EMPTY_ROOT)).toBe(knownHash('empty tree root'));
    });

    it('has the leaf hash of the empty leaf', () => {
      expect(hashToHex(leafHash(new Uint8Array()))).toBe(knownHash('leaf hash of the empty leaf'));
    });

    it('has the leaf hash of "L123456"', () => {
      expect(hashToHex(leafHash('L123456'))).toBe(knownHash('leaf hash of "L123456"'));
    });

    it('has the node hash of children "N123" and "N456"', () => {
      expect(hashToHex(nodeHash(Buffer.from('N123'), Buffer.from('N456')))).toBe(knownHash('node hash of children'));
    });
  });

  it('hashes a string leaf as its UTF-8 bytes', () => {
    expect(leafHash('€ and 😀')).toEqual(leafHash(Buffer.from('€ and 😀', 'utf8')));
  });

  it('separates leaves from nodes: a leaf whose data looks like two children is not that node', () => {
    const left = leafHash('a');
    const right = leafHash('b');
    expect(leafHash(Buffer.concat([left, right]))).not.toEqual(nodeHash(left, right));
    expect(nodeHash(left, right)).toEqual(createHash('sha256').update(Buffer.concat([Buffer.from([1]), left, right])).digest());
  });

  it('hashes the visible bytes of a Uint8Array view, not its whole buffer', () => {
    const backing = Buffer.from('xxdatayy');
    expect(leafHash(backing.subarray(2, 6))).toEqual(leafHash('data'));
  });

  describe('hex and base64', () => {
    const hash = leafHash('x');

    it('round-trips through hex and base64', () => {
      expect(hashFromHex(hashToHex(hash))).toEqual(hash);
      expect(hashFromHex(hashToHex(hash).toUpperCase())).toEqual(hash);
      expect(hashFromBase64(hashToBase64(hash))).toEqual(hash);
    });

    it.each(['', 'abc', `${'0'.repeat(63)}g`, '0'.repeat(66)])('refuses hex %p', (text) => {
      expect(() => hashFromHex(text)).toThrow('expected a SHA-256 hash as 64 hex digits');
    });

    it('refuses base64 of the wrong length, non-canonical padding bits, or stray characters', () => {
      const text = hashToBase64(hash);
      expect(() => hashFromBase64(text.slice(0, -4))).toThrow('expected a SHA-256 hash');
      expect(() => hashFromBase64(` ${text}`)).toThrow('expected a SHA-256 hash');
      // The last character before "=" carries 2 unused bits; flipping one must not decode to the same hash.
      const last = text[text.length - 2]!;
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
      const sibling = alphabet[alphabet.indexOf(last) ^ 1]!;
      expect(() => hashFromBase64(`${text.slice(0, -2)}${sibling}=`)).toThrow('expected a SHA-256 hash');
    });

    it('decodes canonical base64 strictly', () => {
      expect(decodeBase64Strict('aGk=')).toEqual(Buffer.from('hi'));
      expect(decodeBase64Strict('aGl=')).toBeUndefined();
      expect(decodeBase64Strict('aGk')).toBeUndefined();
      expect(decodeBase64Strict('aG-k')).toBeUndefined();
      expect(decodeBase64Strict('')).toEqual(Buffer.alloc(0));
    });
  });
});
