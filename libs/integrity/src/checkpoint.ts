import { HASH_SIZE, decodeBase64Strict } from './hashing.js';
import { SignedNoteError, openNote, signNote, type NoteSigner, type NoteVerifier } from './signed-note.js';

// C2SP tlog-checkpoint (https://c2sp.org/tlog-checkpoint): a signed note whose text is
// "<origin>\n<tree size>\n<base64 root hash>\n" followed by optional non-empty extension lines.

/** A tree head: the log's identity, its size and its RFC 6962 root hash at that size. */
export interface Checkpoint {
  readonly origin: string;
  readonly size: number;
  readonly rootHash: Buffer;
  /** Opaque extension lines (without newlines); their use is NOT RECOMMENDED by the spec. */
  readonly extensions?: readonly string[];
}

/** Formats the checkpoint body (the note text that gets signed). */
export function formatCheckpoint({ origin, size, rootHash, extensions = [] }: Checkpoint): string {
  if (typeof origin !== 'string' || origin.length === 0 || /[\u0000-\u001f]/.test(origin)) {
    throw malformed('origin must be a non-empty line without control characters');
  }
  if (!Number.isSafeInteger(size) || size < 0) throw malformed(`tree size must be a non-negative safe integer, got ${String(size)}`);
  if (!(rootHash instanceof Uint8Array) || rootHash.length !== HASH_SIZE) throw malformed(`root hash must be ${HASH_SIZE} bytes`);
  for (const line of extensions) {
    if (typeof line !== 'string' || line.length === 0 || /[\u0000-\u001f]/.test(line)) {
      throw malformed('extension lines must be non-empty and contain no control characters');
    }
  }
  const root = Buffer.from(rootHash.buffer, rootHash.byteOffset, rootHash.byteLength).toString('base64');
  return [origin, String(size), root, ...extensions].map((line) => `${line}\n`).join('');
}

/** Parses a checkpoint body strictly; throws SignedNoteError('malformed-checkpoint') otherwise. */
export function parseCheckpoint(text: string): Checkpoint {
  if (!text.endsWith('\n')) throw malformed('body must end with a newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) throw malformed(`body has ${lines.length} lines, at least 3 are required`);
  if (lines.some((line) => line.length === 0)) throw malformed('body lines must be non-empty');
  const [origin, sizeText, rootText, ...extensions] = lines as [string, string, string, ...string[]];
  // No sign, no leading zeros, no exponent: exactly one spelling per size.
  if (!/^(0|[1-9][0-9]*)$/.test(sizeText) || !Number.isSafeInteger(Number(sizeText))) {
    throw malformed(`tree size ${JSON.stringify(sizeText.slice(0, 40))} is not a decimal without leading zeros`);
  }
  const rootHash = decodeBase64Strict(rootText);
  if (rootHash === undefined || rootHash.length !== HASH_SIZE) throw malformed(`root hash is not ${HASH_SIZE} bytes of standard base64`);
  return extensions.length > 0
    ? { origin, size: Number(sizeText), rootHash, extensions }
    : { origin, size: Number(sizeText), rootHash };
}

/** Signs a checkpoint; the spec recommends a key named like the origin. Returns the signed note. */
export function signCheckpoint(checkpoint: Checkpoint, signer: NoteSigner | string): string {
  return signNote(formatCheckpoint(checkpoint), signer);
}

/**
 * Verifies a signed checkpoint against the trusted verifier key and parses it. Throws
 * SignedNoteError: 'malformed-note', 'unknown-key' (not signed by that key), 'invalid-signature',
 * 'malformed-checkpoint' (including an origin other than `expectedOrigin`, when given).
 */
export function openCheckpoint(note: string, verifier: NoteVerifier | string, expectedOrigin?: string): Checkpoint {
  const checkpoint = parseCheckpoint(openNote(note, verifier));
  if (expectedOrigin !== undefined && checkpoint.origin !== expectedOrigin) {
    throw malformed(`checkpoint is for origin ${JSON.stringify(checkpoint.origin)}, expected ${JSON.stringify(expectedOrigin)}`);
  }
  return checkpoint;
}

function malformed(why: string): SignedNoteError {
  return new SignedNoteError('malformed-checkpoint', `malformed checkpoint: ${why}`);
}
