/**
 * Optional signing of events with the party's Ed25519 key (wire contract v2, "Signed events"). The
 * bytes and the signature come from libs/integrity, the one definition the ledger verifies with;
 * the package build bundles that code from there.
 */
import type { KeyObject } from 'node:crypto';
import {
  ed25519PrivateKeyFromBase64,
  ed25519PublicKeyFromBase64,
  generateEventSigningKey,
  signEvent,
  verifyEventSignature,
} from '@ledger/integrity';

export interface SigningOptions {
  /** The key's ID as the ledger registered it. */
  keyId: string;
  /** The raw 32-byte Ed25519 seed as base64 (what `generateEventSigningKey` gives), or a key object. */
  privateKey: string | KeyObject;
}

export interface EventSignature {
  keyId: string;
  /** Base64 Ed25519 signature over the RFC 8785 canonical JSON of the event without `signature`. */
  sig: string;
}

export type Signer = <E extends object>(event: E) => E & { signature: EventSignature };

export function eventSigner(options: SigningOptions): Signer {
  const key = typeof options.privateKey === 'string' ? ed25519PrivateKeyFromBase64(options.privateKey) : options.privateKey;
  if (!key || key.asymmetricKeyType !== 'ed25519' || key.type !== 'private') {
    throw new Error('signing.privateKey must be an Ed25519 private key: its raw 32-byte seed as base64, or a KeyObject');
  }
  if (!options.keyId) throw new Error('signing.keyId is required: the ID the ledger gave the key when it was registered');
  return (event) => signEvent(event, key, options.keyId);
}

/** A fresh key pair: the raw seed (keep it secret) and the raw public key (register it), both base64. */
export function generateSigningKey(): { privateKey: string; publicKey: string } {
  return generateEventSigningKey();
}

/** Whether a signed event verifies with a raw Ed25519 public key in base64. */
export function verifySignedEvent(event: { signature?: EventSignature }, publicKey: string): boolean {
  const key = ed25519PublicKeyFromBase64(publicKey);
  return key !== null && verifyEventSignature(event, key);
}
