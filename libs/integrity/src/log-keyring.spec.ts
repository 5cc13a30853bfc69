import { formatCheckpoint, signCheckpoint, type Checkpoint } from './checkpoint.js';
import { leafHash } from './hashing.js';
import { LogKeyring, keyRotationLine } from './log-keyring.js';
import { SignedNoteError, generateSignerKey, parseSignerKey, signNote, verifierKeyOf } from './signed-note.js';

const ORIGIN = 'ledger.example/okayama';
const k1 = parseSignerKey(generateSignerKey(ORIGIN));
const k2 = parseSignerKey(generateSignerKey(ORIGIN));
const at = (size: number, extensions?: string[]): Checkpoint => ({ origin: ORIGIN, size, rootHash: leafHash(`root ${size}`), ...(extensions ? { extensions } : {}) });

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    if (error instanceof SignedNoteError) return error.code;
    throw error;
  }
  return undefined;
}

describe('log keyring: key rotation by tree size', () => {
  it('learns the new key from a rotation checkpoint signed by both keys', () => {
    // Given an auditor who trusts the first key only
    const ring = new LogKeyring([verifierKeyOf(k1)], ORIGIN);
    // When checkpoints before, at and after the rotation are opened in order
    expect(ring.open(signCheckpoint(at(10), k1)).checkpoint.size).toBe(10);
    const opened = ring.open(twoSignatures(at(20, [keyRotationLine(k1, k2)])));
    expect(opened.rotatedTo?.publicKey).toBe(verifierKeyOf(k2));
    expect(ring.open(signCheckpoint(at(30), k2)).checkpoint.size).toBe(30);
    // Then the keys have their intervals
    expect(ring.epochs.map((e) => [e.publicKey, e.fromSize, e.untilSize])).toEqual([
      [verifierKeyOf(k1), 0, 20],
      [verifierKeyOf(k2), 20, null],
    ]);
    // And old checkpoints still open with the old key
    expect(ring.open(signCheckpoint(at(15), k1)).checkpoint.size).toBe(15);
  });

  it('refuses a checkpoint signed only by the retired key after its retirement', () => {
    // Given a keyring that saw the rotation at size 20
    const ring = new LogKeyring([verifierKeyOf(k1)], ORIGIN);
    ring.open(twoSignatures(at(20, [keyRotationLine(k1, k2)])));
    // When the old key signs a larger checkpoint (a stolen or forgotten key)
    // Then it is refused as retired
    expect(codeOf(() => ring.open(signCheckpoint(at(21), k1)))).toBe('retired-key');
    // And the new key cannot sign history from before its introduction
    expect(codeOf(() => ring.open(signCheckpoint(at(19), k2)))).toBe('retired-key');
  });

  it('does not take a rotation that the new key did not sign, nor a key added by a stranger', () => {
    const ring = new LogKeyring([verifierKeyOf(k1)], ORIGIN);
    // Given a rotation line signed by the old key only
    expect(codeOf(() => ring.open(signCheckpoint(at(20, [keyRotationLine(k1, k2)]), k1)))).toBe('unknown-key');
    // And a plain checkpoint where someone appended a second key's signature (no rotation line)
    ring.open(twoSignatures(at(20)));
    // Then the keyring still holds the first key only
    expect(ring.epochs).toHaveLength(1);
    expect(codeOf(() => ring.open(signCheckpoint(at(30), k2)))).toBe('unknown-key');
  });

  it('round-trips through JSON', () => {
    const ring = new LogKeyring([verifierKeyOf(k1)], ORIGIN);
    ring.open(rotationNote());
    const copy = LogKeyring.fromJSON(ring.toJSON(), ORIGIN);
    expect(copy.current.publicKey).toBe(verifierKeyOf(k2));
    expect(codeOf(() => copy.open(signCheckpoint(at(25), k1)))).toBe('retired-key');
  });
});

function twoSignatures(checkpoint: Checkpoint): string {
  const text = formatCheckpoint(checkpoint);
  const first = signNote(text, k1);
  const second = signNote(text, k2);
  return first + second.slice(text.length + 1);
}

/** The rotation checkpoint of size 20: signed by the old key and the new one. */
function rotationNote(): string {
  return twoSignatures(at(20, [keyRotationLine(k1, k2)]));
}
