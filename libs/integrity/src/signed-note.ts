import { createHash, createPrivateKey, createPublicKey, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import { decodeBase64Strict } from './hashing.js';
import { isWellFormed } from './well-formed.js';

// C2SP signed-note (https://c2sp.org/signed-note) with Ed25519 keys, byte-compatible with
// golang.org/x/mod/sumdb/note: key strings, key IDs, signature lines.

export type SignedNoteErrorCode = 'malformed-key' | 'malformed-note' | 'unknown-key' | 'invalid-signature' | 'malformed-checkpoint' | 'retired-key';

export class SignedNoteError extends Error {
  constructor(
    readonly code: SignedNoteErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SignedNoteError';
  }
}

/** A private signing key, parsed from `PRIVATE+KEY+<name>+<hex key id>+<base64(0x01 ‖ seed)>`. */
export interface NoteSigner {
  readonly name: string;
  /** uint32 key ID: first 4 bytes of SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key), big-endian. */
  readonly keyId: number;
  /** 32-byte Ed25519 public key. */
  readonly publicKey: Buffer;
  readonly privateKey: KeyObject;
}

/** A public verifier key, parsed from `<name>+<hex key id>+<base64(0x01 ‖ public key)>`. */
export interface NoteVerifier {
  readonly name: string;
  readonly keyId: number;
  readonly publicKey: Buffer;
  readonly key: KeyObject;
}

const ALG_ED25519 = 0x01;
const SIGNATURE_PREFIX = '— ';
// Go's note.Open rejects more than 100 signatures; the spec requires accepting at least 16.
const MAX_SIGNATURES = 100;
// DER framing around raw Ed25519 keys, so node:crypto can import a 32-byte seed or public key.
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** Key ID of an Ed25519 key under `name` (C2SP signed-note §Ed25519 signatures). */
export function keyIdOf(name: string, publicKey: Uint8Array, signatureType: number = ALG_ED25519): number {
  return createHash('sha256')
    .update(name, 'utf8')
    .update(Buffer.from([0x0a, signatureType]))
    .update(publicKey)
    .digest()
    .readUInt32BE(0);
}

/** Whether `name` may name a key: non-empty, no Unicode white space, no `+`. */
export function isValidKeyName(name: string): boolean {
  return (
    typeof name === 'string' &&
    name.length > 0 &&
    isWellFormed(name) &&
    !/[\p{White_Space}+]/u.test(name) &&
    !/[\u0000-\u001f]/.test(name)
  );
}

/** Generates a new Ed25519 key and returns it encoded as a signer key string (keep it secret). */
export function generateSignerKey(name: string): string {
  if (!isValidKeyName(name)) throw new SignedNoteError('malformed-key', `invalid key name ${JSON.stringify(name)}`);
  const seed = randomBytes(32);
  const publicKey = publicKeyFromSeed(seed);
  return `PRIVATE+KEY+${name}+${hex8(keyIdOf(name, publicKey))}+${Buffer.concat([Buffer.from([ALG_ED25519]), seed]).toString('base64')}`;
}

export function parseSignerKey(encoded: string): NoteSigner {
  const fields = splitKey(encoded, 5);
  if (fields === undefined || fields[0] !== 'PRIVATE' || fields[1] !== 'KEY') throw malformedKey('signer');
  const [, , name, idHex, keyBase64] = fields;
  const { keyId, key } = decodeKeyFields(name, idHex, keyBase64, 'signer');
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, key]), format: 'der', type: 'pkcs8' });
  const publicKey = rawPublicKey(createPublicKey(privateKey));
  // The ID is a hash of the public key, so it can only be checked after deriving that key.
  if (keyIdOf(name, publicKey) !== keyId) throw new SignedNoteError('malformed-key', `signer key ID ${idHex} does not match its key`);
  return { name, keyId, publicKey, privateKey };
}

export function parseVerifierKey(encoded: string): NoteVerifier {
  const fields = splitKey(encoded, 3);
  if (fields === undefined) throw malformedKey('verifier');
  const [name, idHex, keyBase64] = fields;
  const { keyId, key: publicKey } = decodeKeyFields(name, idHex, keyBase64, 'verifier');
  if (keyIdOf(name, publicKey) !== keyId) throw new SignedNoteError('malformed-key', `verifier key ID ${idHex} does not match its key`);
  const key = createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, publicKey]), format: 'der', type: 'spki' });
  return { name, keyId, publicKey, key };
}

/** The verifier key string matching a signer (its public half). */
export function verifierKeyOf(signer: NoteSigner | string): string {
  const { name, keyId, publicKey } = typeof signer === 'string' ? parseSignerKey(signer) : signer;
  return `${name}+${hex8(keyId)}+${Buffer.concat([Buffer.from([ALG_ED25519]), publicKey]).toString('base64')}`;
}

/** Signs `text` (which must end with a newline) and returns the signed note. */
export function signNote(text: string, signer: NoteSigner | string): string {
  const key = typeof signer === 'string' ? parseSignerKey(signer) : signer;
  if (!text.endsWith('\n') || !isValidNoteText(text)) {
    throw new SignedNoteError('malformed-note', 'note text must be well-formed, end with a newline and contain no control characters other than newline');
  }
  const signature = sign(null, Buffer.from(text, 'utf8'), key.privateKey);
  return `${text}\n${signatureLine(key.name, key.keyId, signature)}\n`;
}

/**
 * Checks a signed note against one trusted key and returns its text. Signatures by other keys
 * are ignored (as the spec requires); the note is rejected unless the trusted key signed it, and
 * whenever a signature claiming to be by the trusted key fails to verify.
 */
export function openNote(note: string, verifier: NoteVerifier | string): string {
  const key = typeof verifier === 'string' ? parseVerifierKey(verifier) : verifier;
  const { text, signatures } = splitNote(note);
  const message = Buffer.from(text, 'utf8');
  let verified = 0;
  for (const { name, keyId, signature } of signatures) {
    if (name !== key.name || keyId !== key.keyId) continue;
    if (signature.length !== 64 || !verify(null, message, key.key, signature)) {
      throw new SignedNoteError('invalid-signature', `invalid signature for key ${name}+${hex8(keyId)}`);
    }
    verified++;
  }
  if (verified === 0) {
    const signers = signatures.map((s) => `${s.name}+${hex8(s.keyId)}`);
    throw new SignedNoteError('unknown-key', `note is not signed by key ${key.name}+${hex8(key.keyId)} (signed by: ${signers.join(', ')})`);
  }
  return text;
}

/** One signature line of a note: `— <name> base64(key ID ‖ signature)`. */
export interface NoteSignature {
  readonly name: string;
  readonly keyId: number;
  /** The bytes after the key ID (for a cosignature: timestamp ‖ Ed25519 signature). */
  readonly signature: Buffer;
  /** The line as it appears in the note, without its newline. */
  readonly line: string;
}

/**
 * Splits a signed note into its text (ending in a newline) and its signature lines, checking only
 * the form (well-formed text, a blank line, at most 100 well-formed signature lines), no signature.
 */
export function splitNote(note: string): { text: string; signatures: NoteSignature[] } {
  if (typeof note !== 'string' || !isValidNoteText(note)) {
    throw malformedNote('it is not well-formed text without control characters');
  }
  // The text ends at the last blank line; the text itself may contain blank lines.
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw malformedNote('there is no blank line before the signatures');
  const text = note.slice(0, split + 1);
  const block = note.slice(split + 2);
  if (block.length === 0 || !block.endsWith('\n')) throw malformedNote('the signature block must be non-empty lines ending in a newline');
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > MAX_SIGNATURES) throw malformedNote(`it has more than ${MAX_SIGNATURES} signatures`);
  return { text, signatures: lines.map((line) => ({ ...parseSignatureLine(line), line })) };
}

/** A signature line for `text`'s note, from a key name, key ID and signature bytes. */
export function signatureLine(name: string, keyId: number, signature: Uint8Array): string {
  const id = Buffer.alloc(4);
  id.writeUInt32BE(keyId >>> 0);
  return `${SIGNATURE_PREFIX}${name} ${Buffer.concat([id, signature]).toString('base64')}`;
}

/**
 * The note with further signature lines appended (lines already present are not repeated), as
 * tlog-witness suggests for moving cosignatures onto a log's own view of a checkpoint.
 */
export function addSignatures(note: string, lines: readonly string[]): string {
  const { text, signatures } = splitNote(note);
  const all = signatures.map((s) => s.line);
  for (const line of lines) {
    parseSignatureLine(line);
    if (!all.includes(line)) all.push(line);
  }
  if (all.length > MAX_SIGNATURES) throw malformedNote(`it would have more than ${MAX_SIGNATURES} signatures`);
  return `${text}\n${all.map((line) => `${line}\n`).join('')}`;
}

function parseSignatureLine(line: string): { name: string; keyId: number; signature: Buffer } {
  if (!line.startsWith(SIGNATURE_PREFIX)) throw malformedNote(`signature line does not start with "${SIGNATURE_PREFIX}"`);
  const rest = line.slice(SIGNATURE_PREFIX.length);
  const space = rest.indexOf(' ');
  const name = space < 0 ? rest : rest.slice(0, space);
  const bytes = space < 0 ? undefined : decodeBase64Strict(rest.slice(space + 1));
  if (!isValidKeyName(name) || bytes === undefined || bytes.length < 5) {
    throw malformedNote(`signature line ${JSON.stringify(line.slice(0, 120))} is not "— <key name> <base64 signature>"`);
  }
  return { name, keyId: bytes.readUInt32BE(0), signature: bytes.subarray(4) };
}

/** Internal to libs/integrity (cosignatures share the key plumbing): a key from its 32-byte seed. */
export function ed25519FromSeed(seed: Buffer): { privateKey: KeyObject; publicKey: Buffer } {
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  return { privateKey, publicKey: rawPublicKey(createPublicKey(privateKey)) };
}

/** Internal to libs/integrity: a node:crypto public key from 32 raw bytes. */
export function ed25519PublicKeyObject(publicKey: Buffer): KeyObject {
  return createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, publicKey]), format: 'der', type: 'spki' });
}

/** Splits a key string into `count` fields at the first `count − 1` plus signs (base64 may contain `+`). */
export function splitKey(encoded: string, count: number): string[] | undefined {
  if (typeof encoded !== 'string') return undefined;
  const fields: string[] = [];
  let rest = encoded;
  for (let i = 0; i < count - 1; i++) {
    const plus = rest.indexOf('+');
    if (plus < 0) return undefined;
    fields.push(rest.slice(0, plus));
    rest = rest.slice(plus + 1);
  }
  fields.push(rest);
  return fields;
}

function decodeKeyFields(name: string, idHex: string, keyBase64: string, kind: string): { keyId: number; key: Buffer } {
  const bytes = decodeBase64Strict(keyBase64);
  if (!isValidKeyName(name) || !/^[0-9a-fA-F]{8}$/.test(idHex) || bytes === undefined || bytes.length === 0) throw malformedKey(kind);
  if (bytes[0] !== ALG_ED25519) throw new SignedNoteError('malformed-key', `${kind} key uses unknown algorithm ${bytes[0]}`);
  if (bytes.length !== 33) throw malformedKey(kind);
  return { keyId: Number.parseInt(idHex, 16), key: bytes.subarray(1) };
}

function publicKeyFromSeed(seed: Buffer): Buffer {
  return rawPublicKey(createPublicKey(createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' })));
}

function rawPublicKey(key: KeyObject): Buffer {
  return key.export({ format: 'der', type: 'spki' }).subarray(SPKI_ED25519_PREFIX.length);
}

export function isValidNoteText(text: string): boolean {
  return isWellFormed(text) && !/[\u0000-\u0009\u000b-\u001f]/.test(text);
}

export function hex8(keyId: number): string {
  return keyId.toString(16).padStart(8, '0');
}

function malformedKey(kind: string): SignedNoteError {
  return new SignedNoteError('malformed-key', `malformed ${kind} key`);
}

function malformedNote(why: string): SignedNoteError {
  return new SignedNoteError('malformed-note', `malformed note: ${why}`);
}
