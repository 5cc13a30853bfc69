import { parseCheckpoint, type Checkpoint } from './checkpoint.js';
import { SignedNoteError, hex8, openNote, parseVerifierKey, splitNote, verifierKeyOf, type NoteSigner, type NoteVerifier } from './signed-note.js';

// Signing-key rotation of a log, decided by tree size (the only clock a checkpoint carries).
//
// A log introduces a new key with a *rotation checkpoint*: an ordinary checkpoint whose one
// extension line is `key-rotation <old verifier key> <new verifier key>`, signed by both keys. The
// old key's signature over that line is its hand-over to the new key; the new key's signature
// proves its holder took it. From then on:
//
// - the old key is valid for checkpoints of sizes up to the rotation checkpoint's size (inclusive);
// - the new key is valid from that size on;
// - a checkpoint of a larger size signed only by the old key is refused ('retired-key').
//
// A verifier that trusts the old key learns the new one from the rotation checkpoint alone.

/** First word of the extension line of a rotation checkpoint. */
export const KEY_ROTATION_EXTENSION = 'key-rotation';

/** One key of a log and the tree sizes it may sign. */
export interface LogKeyEpoch {
  readonly verifier: NoteVerifier;
  /** `<name>+<hex id>+<base64>`. */
  readonly publicKey: string;
  /** 8 hex digits. */
  readonly keyId: string;
  /** Smallest tree size it may sign: 0 for a key trusted from the start, else its rotation checkpoint's size. */
  readonly fromSize: number;
  /** Largest tree size it may sign (its successor's rotation checkpoint), null while in use. */
  untilSize: number | null;
  /** The rotation checkpoint that introduced it (null for a key trusted from the start). */
  readonly introducedBy: string | null;
}

/** The extension line that hands a log over from `from` to `to`. */
export function keyRotationLine(from: NoteVerifier | NoteSigner | string, to: NoteVerifier | NoteSigner | string): string {
  return `${KEY_ROTATION_EXTENSION} ${vkeyOf(from)} ${vkeyOf(to)}`;
}

/** The keys a rotation checkpoint names, or null when the checkpoint is not one. */
export function parseKeyRotation(checkpoint: Checkpoint): { from: string; to: string } | null {
  const lines = (checkpoint.extensions ?? []).filter((line) => line.startsWith(`${KEY_ROTATION_EXTENSION} `));
  if (lines.length === 0) return null;
  const parts = lines[0]!.split(' ');
  if (lines.length > 1 || parts.length !== 3) {
    throw new SignedNoteError('malformed-checkpoint', `malformed checkpoint: a rotation checkpoint has one line "${KEY_ROTATION_EXTENSION} <old key> <new key>"`);
  }
  return { from: parts[1]!, to: parts[2]! };
}

/**
 * The keys of one log over time. Start it with the key(s) you trust (from the operator, out of
 * band), then open checkpoints in signing order: each rotation checkpoint that opens teaches it
 * the next key. Pure: no clock, no I/O.
 */
export class LogKeyring {
  private readonly list: LogKeyEpoch[] = [];

  constructor(trusted: ReadonlyArray<string | NoteVerifier>, readonly origin?: string) {
    for (const key of trusted) {
      const verifier = typeof key === 'string' ? parseVerifierKey(key.trim()) : key;
      if (this.list.some((e) => e.verifier.keyId === verifier.keyId && e.verifier.name === verifier.name)) continue;
      this.list.push({ verifier, publicKey: vkeyOf(verifier), keyId: hex8(verifier.keyId), fromSize: 0, untilSize: null, introducedBy: null });
    }
    if (this.list.length === 0) throw new SignedNoteError('malformed-key', 'a keyring needs at least one trusted key');
  }

  /** Rebuilds a keyring saved with toJSON (its rotation checkpoints are not re-verified: keep it where you keep your trust). */
  static fromJSON(saved: ReadonlyArray<{ publicKey: string; fromSize: number; untilSize: number | null; introducedBy: string | null }>, origin?: string): LogKeyring {
    const ring = new LogKeyring([saved[0]!.publicKey], origin);
    ring.list.length = 0;
    for (const e of saved) {
      const verifier = parseVerifierKey(e.publicKey);
      ring.list.push({ verifier, publicKey: vkeyOf(verifier), keyId: hex8(verifier.keyId), fromSize: e.fromSize, untilSize: e.untilSize, introducedBy: e.introducedBy });
    }
    return ring;
  }

  toJSON(): Array<{ publicKey: string; fromSize: number; untilSize: number | null; introducedBy: string | null }> {
    return this.list.map(({ publicKey, fromSize, untilSize, introducedBy }) => ({ publicKey, fromSize, untilSize, introducedBy }));
  }

  /** Every key known so far with its interval, in the order they were learned. */
  get epochs(): readonly LogKeyEpoch[] {
    return this.list;
  }

  /** The key that signs new checkpoints: the newest one still open-ended. */
  get current(): LogKeyEpoch {
    return [...this.list].reverse().find((e) => e.untilSize === null) ?? this.list[this.list.length - 1]!;
  }

  /** The keys that may sign a checkpoint of this size. */
  keysAt(size: number): LogKeyEpoch[] {
    return this.list.filter((e) => e.fromSize <= size && (e.untilSize === null || size <= e.untilSize));
  }

  /**
   * Verifies a checkpoint with the keys valid at its size and parses it; with `learn` (default), a
   * rotation checkpoint then adds its new key and retires the old one. Throws SignedNoteError:
   * 'retired-key' when only a key retired before this size (or not yet valid) signed it,
   * 'unknown-key', 'invalid-signature', 'malformed-note', 'malformed-checkpoint'.
   */
  open(note: string, options: { learn?: boolean } = {}): { checkpoint: Checkpoint; signedBy: LogKeyEpoch[]; rotatedTo: LogKeyEpoch | null } {
    const { text, signatures } = splitNote(note);
    const checkpoint = parseCheckpoint(text);
    if (this.origin !== undefined && checkpoint.origin !== this.origin) {
      throw new SignedNoteError('malformed-checkpoint', `malformed checkpoint: checkpoint is for origin ${JSON.stringify(checkpoint.origin)}, expected ${JSON.stringify(this.origin)}`);
    }
    const signedBy: LogKeyEpoch[] = [];
    for (const epoch of this.keysAt(checkpoint.size)) {
      try {
        openNote(note, epoch.verifier);
        signedBy.push(epoch);
      } catch (error) {
        if (!(error instanceof SignedNoteError) || error.code !== 'unknown-key') throw error;
      }
    }
    if (signedBy.length === 0) {
      const signers = new Set(signatures.map((s) => `${s.name}+${hex8(s.keyId)}`));
      const outOfRange = this.list.find((e) => signers.has(`${e.verifier.name}+${e.keyId}`));
      if (outOfRange) {
        const why = outOfRange.untilSize !== null && checkpoint.size > outOfRange.untilSize
          ? `it was retired at tree size ${outOfRange.untilSize} by the rotation to a new key`
          : `it signs only from tree size ${outOfRange.fromSize}`;
        throw new SignedNoteError('retired-key', `the checkpoint of size ${checkpoint.size} is signed only by key ${outOfRange.verifier.name}+${outOfRange.keyId}, which is not valid at that size: ${why}`);
      }
      throw new SignedNoteError('unknown-key', `note is not signed by key ${this.keysAt(checkpoint.size).map((e) => `${e.verifier.name}+${e.keyId}`).join(' or ')} (signed by: ${[...signers].join(', ')})`);
    }
    const rotation = parseKeyRotation(checkpoint);
    let rotatedTo: LogKeyEpoch | null = null;
    if (rotation !== null) {
      const from = signedBy.find((e) => e.publicKey === rotation.from);
      // A verifier who trusts the new key already (given it out of band) needs no hand-over.
      if (!from && signedBy.some((e) => e.publicKey === rotation.to)) return { checkpoint, signedBy, rotatedTo: null };
      if (!from) throw new SignedNoteError('unknown-key', `the rotation checkpoint hands over from key ${rotation.from.split('+').slice(0, 2).join('+')}, which did not sign it`);
      let to: NoteVerifier;
      try {
        to = parseVerifierKey(rotation.to);
      } catch (error) {
        throw new SignedNoteError('malformed-checkpoint', `malformed checkpoint: the rotation's new key is not a verifier key: ${(error as Error).message}`);
      }
      openNote(note, to); // the new key must have signed its own introduction
      const known = this.list.find((e) => e.publicKey === vkeyOf(to) && e.fromSize === checkpoint.size);
      rotatedTo = known ?? null;
      if (!known && options.learn !== false) {
        if (from.untilSize !== null && from.untilSize !== checkpoint.size) {
          throw new SignedNoteError('retired-key', `key ${from.verifier.name}+${from.keyId} was already handed over at tree size ${from.untilSize}`);
        }
        from.untilSize = checkpoint.size;
        rotatedTo = { verifier: to, publicKey: vkeyOf(to), keyId: hex8(to.keyId), fromSize: checkpoint.size, untilSize: null, introducedBy: note };
        this.list.push(rotatedTo);
      }
    }
    return { checkpoint, signedBy, rotatedTo };
  }
}

function vkeyOf(key: NoteVerifier | NoteSigner | string): string {
  if (typeof key === 'string') return vkeyOf(parseVerifierKey(key.trim()));
  return 'privateKey' in key ? verifierKeyOf(key) : `${key.name}+${hex8(key.keyId)}+${Buffer.concat([Buffer.from([1]), key.publicKey]).toString('base64')}`;
}
