import { formatCheckpoint, openCheckpoint, parseCheckpoint, signCheckpoint, type Checkpoint } from './checkpoint.js';
import { leafHash } from './hashing.js';
import { verifyInclusion } from './proof-verification.js';
import { SignedNoteError, generateSignerKey, parseSignerKey, signNote, verifierKeyOf } from './signed-note.js';
import { TiledMerkleTree } from './tiled-merkle-tree.js';
import { InMemoryTileStore } from './tiles.js';

const ORIGIN = 'ledger.example/okayama';
const signerKey = generateSignerKey(ORIGIN);
const signer = parseSignerKey(signerKey);
const verifierKey = verifierKeyOf(signer);
const rootHash = leafHash('stand-in root');

function noteErrorCode(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    if (error instanceof SignedNoteError) return error.code;
    throw error;
  }
  return undefined;
}

describe('checkpoints (C2SP tlog-checkpoint)', () => {
  it('signs the three-line body and opens it again', () => {
    // Given a checkpoint
    const checkpoint: Checkpoint = { origin: ORIGIN, size: 20852163, rootHash };

    // When it is signed
    const note = signCheckpoint(checkpoint, signer);

    // Then the note is the body, a blank line and one signature line over 4 + 64 bytes
    const body = `${ORIGIN}\n20852163\n${rootHash.toString('base64')}\n`;
    expect(note.startsWith(`${body}\n— ${ORIGIN} `)).toBe(true);
    const signature = Buffer.from(note.slice(body.length + 1).split(' ')[2]!.trimEnd(), 'base64');
    expect(signature).toHaveLength(68);
    expect(signature.readUInt32BE(0)).toBe(signer.keyId);

    // And it opens with the verifier key to the same checkpoint
    expect(openCheckpoint(note, verifierKey)).toEqual(checkpoint);
    expect(openCheckpoint(note, verifierKey, ORIGIN)).toEqual(checkpoint);
  });

  it('carries extension lines', () => {
    const checkpoint: Checkpoint = { origin: ORIGIN, size: 0, rootHash, extensions: ['— witness-note', 'epoch 7'] };
    expect(openCheckpoint(signCheckpoint(checkpoint, signerKey), verifierKey)).toEqual(checkpoint);
  });

  it('parses the example of the specification', () => {
    expect(parseCheckpoint('example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n')).toEqual({
      origin: 'example.com/behind-the-sofa',
      size: 20852163,
      rootHash: Buffer.from('0ac5186a91863e8e1d90c808014aa89bf5da8e3ee1d9f07630f0378f68f1ab62', 'hex'),
    });
  });

  it('rejects every single changed character of the body or of the signature line', () => {
    const note = signCheckpoint({ origin: ORIGIN, size: 42, rootHash }, signer);
    for (let i = 0; i < note.length - 1; i++) {
      if (note[i] === '\n') continue;
      const replacement = note[i] === 'A' ? 'B' : 'A';
      const tampered = note.slice(0, i) + replacement + note.slice(i + 1);
      expect(noteErrorCode(() => openCheckpoint(tampered, verifierKey))).toMatch(/^(invalid-signature|unknown-key|malformed-note)$/);
    }
  });

  it('rejects a checkpoint signed by another key with the same name', () => {
    const impostor = generateSignerKey(ORIGIN);
    expect(noteErrorCode(() => openCheckpoint(signCheckpoint({ origin: ORIGIN, size: 1, rootHash }, impostor), verifierKey))).toBe('unknown-key');
  });

  it('rejects a checkpoint for another origin when the origin is expected', () => {
    const note = signCheckpoint({ origin: 'other.example/log', size: 1, rootHash }, signer);
    expect(() => openCheckpoint(note, verifierKey, ORIGIN)).toThrow('checkpoint is for origin "other.example/log", expected "ledger.example/okayama"');
  });

  it.each([
    ['two lines', `${ORIGIN}\n5\n`],
    ['a leading zero', `${ORIGIN}\n05\n${rootHash.toString('base64')}\n`],
    ['a negative size', `${ORIGIN}\n-5\n${rootHash.toString('base64')}\n`],
    ['an exponent', `${ORIGIN}\n5e3\n${rootHash.toString('base64')}\n`],
    ['a size beyond 2^53', `${ORIGIN}\n9007199254740993\n${rootHash.toString('base64')}\n`],
    ['a short root hash', `${ORIGIN}\n5\n${rootHash.subarray(1).toString('base64')}\n`],
    ['a root hash in hex', `${ORIGIN}\n5\n${rootHash.toString('hex')}\n`],
    ['an empty origin', `\n5\n${rootHash.toString('base64')}\n`],
  ])('rejects a correctly signed but malformed body: %s', (_case, body) => {
    expect(noteErrorCode(() => openCheckpoint(signNote(body, signer), verifierKey))).toBe('malformed-checkpoint');
  });

  it('refuses to format what it could not parse back', () => {
    expect(() => formatCheckpoint({ origin: 'a\n999', size: 1, rootHash })).toThrow('origin must be a non-empty line');
    expect(() => formatCheckpoint({ origin: ORIGIN, size: 1.5, rootHash })).toThrow('tree size must be a non-negative safe integer');
    expect(() => formatCheckpoint({ origin: ORIGIN, size: 1, rootHash: rootHash.subarray(1) })).toThrow('root hash must be 32 bytes');
    expect(() => formatCheckpoint({ origin: ORIGIN, size: 1, rootHash, extensions: [''] })).toThrow('extension lines must be non-empty');
  });

  it('ties together: a signed checkpoint of a tiled tree, and an inclusion proof against it', async () => {
    // Given a log of 1,000 events and its signed checkpoint
    const store = new InMemoryTileStore();
    const leaves = Array.from({ length: 1000 }, (_, i) => leafHash(`{"event":${i}}`));
    const root = store.appendLeaves(leaves);
    const note = signCheckpoint({ origin: ORIGIN, size: store.size, rootHash: root }, signer);

    // When a verifier opens the checkpoint and fetches a proof for event 123
    const checkpoint = openCheckpoint(note, verifierKey, ORIGIN);
    const proof = await new TiledMerkleTree(store).inclusionProof(123, checkpoint.size);

    // Then the event is proven to be in the signed tree
    expect(verifyInclusion(123, checkpoint.size, leaves[123]!, proof, checkpoint.rootHash)).toBe(true);
  });
});
