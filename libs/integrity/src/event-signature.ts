/**
 * Signed events (EVENTS.md v2 "Signed events"): a producer signs, with its party's Ed25519 key, the
 * RFC 8785 canonical bytes of the event without its `signature` member. Defined once here so that
 * the ledger, the offline bundle verifier, the CLI's `sign-events` and the typed client agree on
 * the exact bytes.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { canonicalize } from './canonical-json.js';
import { decodeBase64Strict } from './hashing.js';

export interface EventSignature {
  /** The registered key's ID (chosen by the ledger when the party registers its public key). */
  keyId: string;
  /** Base64 Ed25519 signature over `eventSigningBytes(event)`. */
  sig: string;
}

/** The bytes a producer signs: the canonical JSON of the event without `signature`. */
export function eventSigningBytes(event: object): Buffer {
  const { signature: _ignored, ...unsigned } = event as { signature?: unknown };
  return Buffer.from(canonicalize(unsigned), 'utf8');
}

/** A raw 32-byte Ed25519 public key as base64 (the form parties register). */
export function ed25519PublicKeyBase64(key: KeyObject): string {
  const der = key.export({ format: 'der', type: 'spki' });
  return der.subarray(der.length - 32).toString('base64');
}

const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** A public key object from its raw 32 bytes in base64; null when it is not one. */
export function ed25519PublicKeyFromBase64(text: string): KeyObject | null {
  const raw = decodeBase64Strict(text);
  if (!raw || raw.length !== 32) return null;
  try {
    return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
  } catch {
    return null;
  }
}

/** A private key object from its raw 32-byte seed in base64; null when it is not one. */
export function ed25519PrivateKeyFromBase64(text: string): KeyObject | null {
  const raw = decodeBase64Strict(text);
  if (!raw || raw.length !== 32) return null;
  try {
    return createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, raw]), format: 'der', type: 'pkcs8' });
  } catch {
    return null;
  }
}

/** A fresh Ed25519 key pair as base64 raw seed and raw public key. */
export function generateEventSigningKey(): { privateKey: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const der = privateKey.export({ format: 'der', type: 'pkcs8' });
  return { privateKey: der.subarray(der.length - 32).toString('base64'), publicKey: ed25519PublicKeyBase64(publicKey) };
}

/** The event with its `signature` set (any earlier signature replaced). */
export function signEvent<E extends object>(event: E, privateKey: KeyObject, keyId: string): E & { signature: EventSignature } {
  const sig = sign(null, eventSigningBytes(event), privateKey).toString('base64');
  const { signature: _old, ...unsigned } = event as E & { signature?: unknown };
  return { ...(unsigned as E), signature: { keyId, sig } };
}

/** Whether the event's signature verifies with the public key (false when unsigned or malformed). */
export function verifyEventSignature(event: { signature?: EventSignature }, publicKey: KeyObject): boolean {
  const signature = event.signature;
  if (!signature || typeof signature.sig !== 'string') return false;
  const sig = decodeBase64Strict(signature.sig);
  if (!sig || sig.length !== 64) return false;
  try {
    return verify(null, eventSigningBytes(event), publicKey, sig);
  } catch {
    return false;
  }
}
