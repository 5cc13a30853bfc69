import * as crypto from 'node:crypto';

const { createHash } = crypto;
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'buffer') => Buffer }).hash;

/** Length in bytes of every tree hash (SHA-256). */
export const HASH_SIZE = 32;

// RFC 6962 §2.1 domain separation: a leaf can never be confused with an interior node.
const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

/** Root hash of the empty tree, SHA-256 of nothing (RFC 9162 §2.1.1). Do not mutate. */
export const EMPTY_ROOT: Buffer = createHash('sha256').digest();

/** RFC 6962 leaf hash: SHA-256(0x00 ‖ data); a string is hashed as its UTF-8 bytes. */
export function leafHash(data: Uint8Array | string): Buffer {
  // The one-shot crypto.hash (Node ≥ 20.12) skips the Hash object: the per-event hot path of ingest.
  if (typeof data === 'string' && oneShot) return oneShot('sha256', `\u0000${data}`, 'buffer') as Buffer;
  const hash = createHash('sha256').update(LEAF_PREFIX);
  // Two update() calls instead of Buffer.concat: this is the per-event hot path.
  return (typeof data === 'string' ? hash.update(data, 'utf8') : hash.update(data)).digest();
}

/** RFC 6962 interior node hash: SHA-256(0x01 ‖ left ‖ right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  return createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
}

/** Lowercase hex of a hash (or any bytes). */
export function hashToHex(hash: Uint8Array): string {
  return Buffer.from(hash.buffer, hash.byteOffset, hash.byteLength).toString('hex');
}

/** Parses exactly 64 hex digits into a 32-byte hash; anything else throws. */
export function hashFromHex(hex: string): Buffer {
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) {
    throw new Error(`expected a SHA-256 hash as 64 hex digits, got ${JSON.stringify(hex.slice(0, 80))}`);
  }
  return Buffer.from(hex, 'hex');
}

/** Standard base64 (RFC 4648 §4, padded), the encoding checkpoints and notes use. */
export function hashToBase64(hash: Uint8Array): string {
  return Buffer.from(hash.buffer, hash.byteOffset, hash.byteLength).toString('base64');
}

/** Parses standard padded base64 of exactly 32 bytes; anything else throws. */
export function hashFromBase64(text: string): Buffer {
  const bytes = decodeBase64Strict(text);
  if (bytes === undefined || bytes.length !== HASH_SIZE) {
    throw new Error(`expected a SHA-256 hash as 44 characters of standard base64, got ${JSON.stringify(text.slice(0, 80))}`);
  }
  return bytes;
}

/**
 * Decodes canonical standard base64, or returns undefined. Node's decoder skips invalid characters
 * and ignores non-zero padding bits, which would let two different texts carry the same signature.
 */
export function decodeBase64Strict(text: string): Buffer | undefined {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : undefined;
}
