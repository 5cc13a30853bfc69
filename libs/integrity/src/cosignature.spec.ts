import { createHash, createPublicKey, verify } from 'node:crypto';
import { formatCheckpoint, signCheckpoint } from './checkpoint.js';
import {
  checkQuorum,
  cosign,
  cosignerVerifierKey,
  generateCosignerKey,
  parseCosignatureVerifierKey,
  parseCosignerKey,
  verifyCosignatures,
} from './cosignature.js';
import { leafHash } from './hashing.js';
import { SignedNoteError, addSignatures, generateSignerKey, openNote, verifierKeyOf } from './signed-note.js';

const ORIGIN = 'ledger.example/okayama';
const logKey = generateSignerKey(ORIGIN);
const checkpoint = { origin: ORIGIN, size: 42, rootHash: leafHash('root') };
const text = formatCheckpoint(checkpoint);
const note = signCheckpoint(checkpoint, logKey);
const w1 = generateCosignerKey('witness.city.example/w1');
const w2 = generateCosignerKey('witness.other.example/w2');
const v1 = parseCosignatureVerifierKey(cosignerVerifierKey(w1));
const v2 = parseCosignatureVerifierKey(cosignerVerifierKey(w2));

describe('cosignatures (C2SP tlog-cosignature, Ed25519 cosignature/v1)', () => {
  it('computes key IDs with signature type 0x04, as published witness keys carry them', () => {
    // Given a witness key published by a public witness (transparency-dev/formats test data)
    // When it is parsed, Then its key ID matches SHA-256(name ‖ \n ‖ 0x04 ‖ key)[:4]
    const verifier = parseCosignatureVerifierKey('remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2');
    expect(verifier.keyId).toBe(0xda77ade7);
    // And a plain Ed25519 note key (type 0x01) is accepted with the type-0x04 key ID, as Go does
    const converted = parseCosignatureVerifierKey('TEST+7997405c+AQcC+FTVKf0jlTdHDY3rbevmnKxxPjigCXlVtGe6RIr6');
    const raw = Buffer.from('AQcC+FTVKf0jlTdHDY3rbevmnKxxPjigCXlVtGe6RIr6', 'base64').subarray(1);
    const expected = createHash('sha256').update('TEST\n').update(Buffer.from([4])).update(raw).digest().readUInt32BE(0);
    expect(converted.keyId).toBe(expected);
    expect(converted.vkey.startsWith(`TEST+${expected.toString(16).padStart(8, '0')}+B`)).toBe(true);
    // And a key whose ID does not match is refused
    expect(() => parseCosignatureVerifierKey('remora.n621.de+00000000+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2')).toThrow(SignedNoteError);
  });

  it('signs "cosignature/v1\\ntime <t>\\n" followed by the checkpoint text; the line is key ID ‖ u64 time ‖ signature', () => {
    // Given a witness key and a checkpoint text
    const signer = parseCosignerKey(w1);
    // When it cosigns as of a fixed time
    const line = cosign(text, signer, 1_700_000_000);
    // Then the line names the witness and carries 4 + 8 + 64 bytes
    const [dash, name, b64] = line.split(' ');
    expect([dash, name]).toEqual(['—', 'witness.city.example/w1']);
    const bytes = Buffer.from(b64!, 'base64');
    expect(bytes).toHaveLength(76);
    expect(bytes.readUInt32BE(0)).toBe(signer.keyId);
    expect(bytes.readBigUInt64BE(4)).toBe(1_700_000_000n);
    // And the Ed25519 signature verifies over the spec's message, recomputed here by hand
    const message = Buffer.from(`cosignature/v1\ntime 1700000000\n${text}`, 'utf8');
    const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), signer.publicKey]);
    expect(verify(null, message, createPublicKey({ key: spki, format: 'der', type: 'spki' }), bytes.subarray(12))).toBe(true);
  });

  it('counts valid cosignatures per trusted witness and ignores other signature lines', () => {
    // Given a checkpoint cosigned by two witnesses
    const cosigned = addSignatures(note, [cosign(text, w1, 1_700_000_000), cosign(text, w2, 1_700_000_001)]);
    // Then the log's own signature still opens it (cosignatures are ignored by a log verifier)
    expect(openNote(cosigned, verifierKeyOf(logKey))).toBe(text);
    // And both cosignatures verify, with their times
    const { valid, invalid } = verifyCosignatures(cosigned, [v1, v2]);
    expect(valid.map((c) => [c.name, c.timestamp])).toEqual([['witness.city.example/w1', 1_700_000_000], ['witness.other.example/w2', 1_700_000_001]]);
    expect(invalid).toEqual([]);
    // And a quorum of 2 holds, 3 of 2 keys cannot
    expect(checkQuorum(cosigned, [v1, v2], 2)).toMatchObject({ ok: true });
    expect(checkQuorum(cosigned, [v1, v2], 3)).toMatchObject({ ok: false });
    // And a witness whose key is not trusted does not count
    expect(checkQuorum(addSignatures(note, [cosign(text, w1, 1)]), [v2], 1)).toMatchObject({ ok: false, reason: expect.stringContaining('0 valid cosignatures') });
  });

  it('refuses a cosignature moved to another checkpoint, or with its time changed', () => {
    // Given a cosignature of size 42
    const line = cosign(text, w1, 1_700_000_000);
    // When it is put on a checkpoint of another size
    const other = { ...checkpoint, size: 43 };
    const moved = addSignatures(signCheckpoint(other, logKey), [line]);
    // Then it does not verify
    expect(checkQuorum(moved, [v1], 1)).toMatchObject({ ok: false, reason: expect.stringContaining('does not verify') });
    // And changing its timestamp breaks it too
    const bytes = Buffer.from(line.split(' ')[2]!, 'base64');
    bytes.writeBigUInt64BE(1_700_000_001n, 4);
    const retimed = `— witness.city.example/w1 ${bytes.toString('base64')}`;
    expect(verifyCosignatures(addSignatures(note, [retimed]), [v1]).invalid).toEqual([`witness.city.example/w1+${v1.keyId.toString(16).padStart(8, '0')}`]);
  });
});
