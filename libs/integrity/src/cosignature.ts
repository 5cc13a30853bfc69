import { randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import { parseCheckpoint } from './checkpoint.js';
import { decodeBase64Strict } from './hashing.js';
import {
  SignedNoteError,
  ed25519FromSeed,
  ed25519PublicKeyObject,
  hex8,
  isValidKeyName,
  keyIdOf,
  signatureLine,
  splitKey,
  splitNote,
} from './signed-note.js';

// C2SP tlog-cosignature (https://c2sp.org/tlog-cosignature), Ed25519 type: a witness's timestamped
// note signature on a checkpoint. Byte-compatible with transparency-dev/formats/note
// (NewSignerForCosignatureV1 / NewVerifierForCosignatureV1).
//
// - Key ID: SHA-256(name ‖ 0x0A ‖ 0x04 ‖ 32-byte public key)[:4] (signature type 0x04).
// - Signed message: "cosignature/v1\n" ‖ "time <decimal seconds>\n" ‖ the checkpoint text.
// - Signature bytes in the note line: key ID (4) ‖ timestamp (u64 big-endian) ‖ Ed25519 signature (64).

/** Signature type of timestamped Ed25519 witness cosignatures (C2SP signed-note §Signature types). */
export const COSIGNATURE_V1_TYPE = 0x04;
const ED25519_TYPE = 0x01;
const MAX_TIMESTAMP = 2n ** 63n - 1n;

/** A witness's private key: signs cosignatures. */
export interface Cosigner {
  readonly name: string;
  readonly keyId: number;
  readonly publicKey: Buffer;
  readonly privateKey: KeyObject;
}

/** A witness's public key, from `<name>+<hex key id>+<base64(0x04 ‖ public key)>`. */
export interface CosignatureVerifier {
  readonly name: string;
  readonly keyId: number;
  readonly publicKey: Buffer;
  readonly key: KeyObject;
  /** The verifier key string, with type 0x04. */
  readonly vkey: string;
}

/** A cosignature that verified: whose, and as of when (POSIX seconds). */
export interface Cosignature {
  readonly name: string;
  /** 8 hex digits. */
  readonly keyId: string;
  readonly timestamp: number;
  /** The note signature line, without its newline. */
  readonly line: string;
}

/** Generates a witness key: `PRIVATE+KEY+<name>+<hex id>+<base64(0x04 ‖ seed)>` (keep it secret). */
export function generateCosignerKey(name: string): string {
  if (!isValidKeyName(name)) throw new SignedNoteError('malformed-key', `invalid key name ${JSON.stringify(name)}`);
  const seed = randomBytes(32);
  const { publicKey } = ed25519FromSeed(seed);
  return `PRIVATE+KEY+${name}+${hex8(keyIdOf(name, publicKey, COSIGNATURE_V1_TYPE))}+${Buffer.concat([Buffer.from([COSIGNATURE_V1_TYPE]), seed]).toString('base64')}`;
}

/**
 * Parses a witness's private key. Like transparency-dev's NewSignerForCosignatureV1, it accepts a
 * cosignature key (type 0x04) or a plain Ed25519 note key (type 0x01); either signs cosignatures
 * whose key ID is computed with type 0x04.
 */
export function parseCosignerKey(encoded: string): Cosigner {
  const fields = splitKey(encoded, 5);
  if (fields === undefined || fields[0] !== 'PRIVATE' || fields[1] !== 'KEY') throw malformedKey('cosigner');
  const [, , name, idHex, keyBase64] = fields;
  const bytes = decodeBase64Strict(keyBase64);
  if (!isValidKeyName(name) || !/^[0-9a-fA-F]{8}$/.test(idHex) || bytes === undefined || bytes.length !== 33) throw malformedKey('cosigner');
  if (bytes[0] !== COSIGNATURE_V1_TYPE && bytes[0] !== ED25519_TYPE) {
    throw new SignedNoteError('malformed-key', `cosigner key uses unknown algorithm ${bytes[0]}`);
  }
  const { privateKey, publicKey } = ed25519FromSeed(bytes.subarray(1));
  const keyId = keyIdOf(name, publicKey, COSIGNATURE_V1_TYPE);
  // A type-0x01 key string carries the note key ID; a type-0x04 one the cosignature key ID.
  const expectedId = bytes[0] === COSIGNATURE_V1_TYPE ? keyId : keyIdOf(name, publicKey, ED25519_TYPE);
  if (Number.parseInt(idHex, 16) !== expectedId) throw new SignedNoteError('malformed-key', `cosigner key ID ${idHex} does not match its key`);
  return { name, keyId, publicKey, privateKey };
}

/** The public verifier key of a witness (type 0x04), as logs and verifiers are configured with it. */
export function cosignerVerifierKey(cosigner: Cosigner | string): string {
  const { name, keyId, publicKey } = typeof cosigner === 'string' ? parseCosignerKey(cosigner) : cosigner;
  return `${name}+${hex8(keyId)}+${Buffer.concat([Buffer.from([COSIGNATURE_V1_TYPE]), publicKey]).toString('base64')}`;
}

/**
 * Parses a witness's verifier key: type 0x04 (its key ID must match), or a plain Ed25519 note key
 * (type 0x01), which is then used as a cosignature key with the type-0x04 key ID, as
 * transparency-dev's NewVerifierForCosignatureV1 does.
 */
export function parseCosignatureVerifierKey(encoded: string): CosignatureVerifier {
  const fields = splitKey(typeof encoded === 'string' ? encoded.trim() : encoded, 3);
  if (fields === undefined) throw malformedKey('witness verifier');
  const [name, idHex, keyBase64] = fields;
  const bytes = decodeBase64Strict(keyBase64);
  if (!isValidKeyName(name) || !/^[0-9a-fA-F]{8}$/.test(idHex) || bytes === undefined || bytes.length !== 33) throw malformedKey('witness verifier');
  const publicKey = Buffer.from(bytes.subarray(1));
  if (bytes[0] === COSIGNATURE_V1_TYPE) {
    if (keyIdOf(name, publicKey, COSIGNATURE_V1_TYPE) !== Number.parseInt(idHex, 16)) {
      throw new SignedNoteError('malformed-key', `witness verifier key ID ${idHex} does not match its key`);
    }
  } else if (bytes[0] === ED25519_TYPE) {
    if (keyIdOf(name, publicKey, ED25519_TYPE) !== Number.parseInt(idHex, 16)) {
      throw new SignedNoteError('malformed-key', `witness verifier key ID ${idHex} does not match its key`);
    }
  } else {
    throw new SignedNoteError('malformed-key', `witness verifier key uses algorithm ${bytes[0]}; cosignatures/v1 use 4 (or 1)`);
  }
  const keyId = keyIdOf(name, publicKey, COSIGNATURE_V1_TYPE);
  const vkey = `${name}+${hex8(keyId)}+${Buffer.concat([Buffer.from([COSIGNATURE_V1_TYPE]), publicKey]).toString('base64')}`;
  return { name, keyId, publicKey, key: ed25519PublicKeyObject(publicKey), vkey };
}

/** The bytes a cosignature signs: the header line, the time line, then the checkpoint text. */
export function cosignedMessage(checkpointText: string, timestamp: number): Buffer {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw new RangeError(`cosignature timestamp must be a non-negative integer, got ${timestamp}`);
  return Buffer.from(`cosignature/v1\ntime ${timestamp}\n${checkpointText}`, 'utf8');
}

/**
 * Cosigns a checkpoint (its text, without signatures) as of `timestamp` (POSIX seconds): returns
 * the signature line, without a newline, to append to the checkpoint's note.
 */
export function cosign(checkpointText: string, cosigner: Cosigner | string, timestamp: number): string {
  const key = typeof cosigner === 'string' ? parseCosignerKey(cosigner) : cosigner;
  parseCheckpoint(checkpointText);
  const signature = sign(null, cosignedMessage(checkpointText, timestamp), key.privateKey);
  const time = Buffer.alloc(8);
  time.writeBigUInt64BE(BigInt(timestamp));
  return signatureLine(key.name, key.keyId, Buffer.concat([time, signature]));
}

/**
 * The valid cosignatures of a note by the given witnesses (at most one counted per witness), and
 * the witnesses whose signature line is there but does not verify. Signature lines of other keys
 * (the log's own, unknown witnesses) are ignored, as the signed-note spec requires.
 */
export function verifyCosignatures(
  note: string,
  witnesses: readonly CosignatureVerifier[],
): { text: string; valid: Cosignature[]; invalid: string[] } {
  const { text, signatures } = splitNote(note);
  const valid: Cosignature[] = [];
  const invalid: string[] = [];
  for (const witness of witnesses) {
    const lines = signatures.filter((s) => s.name === witness.name && s.keyId === witness.keyId);
    if (lines.length === 0) continue;
    const good = lines.find(({ signature }) => {
      if (signature.length !== 8 + 64) return false;
      const timestamp = signature.readBigUInt64BE(0);
      if (timestamp > MAX_TIMESTAMP) return false;
      return verify(null, cosignedMessage(text, Number(timestamp)), witness.key, signature.subarray(8));
    });
    if (good === undefined) invalid.push(`${witness.name}+${hex8(witness.keyId)}`);
    else valid.push({ name: witness.name, keyId: hex8(witness.keyId), timestamp: Number(good.signature.readBigUInt64BE(0)), line: good.line });
  }
  return { text, valid, invalid };
}

/** What a quorum check found: ok when at least `quorum` distinct witnesses cosigned validly. */
export interface QuorumCheck {
  ok: boolean;
  quorum: number;
  cosigners: Cosignature[];
  /** Why not, in a sentence (empty when ok). */
  reason: string;
}

/** Whether a checkpoint note carries valid cosignatures by at least `quorum` of `witnesses`. */
export function checkQuorum(note: string, witnesses: readonly CosignatureVerifier[], quorum: number): QuorumCheck {
  if (!Number.isSafeInteger(quorum) || quorum < 0) throw new RangeError(`quorum must be a non-negative integer, got ${quorum}`);
  if (quorum > witnesses.length) {
    return { ok: false, quorum, cosigners: [], reason: `a quorum of ${quorum} needs at least ${quorum} witness keys, ${witnesses.length} given` };
  }
  const { valid, invalid } = verifyCosignatures(note, witnesses);
  const ok = valid.length >= quorum && invalid.length === 0;
  const reason = ok
    ? ''
    : invalid.length > 0
      ? `the cosignature of ${invalid.join(', ')} does not verify: the checkpoint or its cosignature was altered`
      : `it carries ${valid.length} valid cosignature${valid.length === 1 ? '' : 's'} of the ${witnesses.length} witnesses you trust` +
        `${valid.length > 0 ? ` (${valid.map((c) => c.name).join(', ')})` : ''}, fewer than the quorum of ${quorum}`;
  return { ok, quorum, cosigners: valid, reason };
}

function malformedKey(kind: string): SignedNoteError {
  return new SignedNoteError('malformed-key', `malformed ${kind} key`);
}
