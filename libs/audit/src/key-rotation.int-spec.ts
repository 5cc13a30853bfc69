import {
  checkInclusion,
  formatCheckpoint,
  generateSignerKey,
  hashFromBase64,
  hashFromHex,
  openCheckpoint,
  parseSignerKey,
  signNote,
  verifierKeyOf,
} from '@ledger/integrity';
import { keysInForce, type LogKeys } from '@ledger/merkle-log';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import { exportBundle } from './bundle/export-bundle.js';
import { serializeBundle, type AuditBundle } from './bundle/bundle-format.js';

const parseBundle = (bytes: Buffer): AuditBundle => JSON.parse(bytes.toString('utf8')) as AuditBundle;
import { verifyBundle } from './bundle/verify-bundle.js';
import { CONTRACT, eventId, fillerBatch, firstBatch, secondBatch } from './testing/audit-scenario.js';
import { TEST_ORIGIN, openAuditLedger, testLogKeys, type AuditLedger } from './testing/audit-ledger.js';
import { verifyLog } from './verify/verify-log.js';

/**
 * Key rotation end to end on a real PostgreSQL: the signer introduces the next key at its next
 * checkpoint (signed by both, naming both); before and after, proofs and bundles verify with the
 * key of their time, and a verifier trusting only the first key follows the hand-over.
 */
describe('signing-key rotation', () => {
  const k1 = generateSignerKey(TEST_ORIGIN);
  const k2 = generateSignerKey(TEST_ORIGIN);
  const pub1 = verifierKeyOf(k1);
  const pub2 = verifierKeyOf(k2);
  let db: TestDatabase;
  let before: AuditLedger;
  let rotating: AuditLedger;
  let sizes: { first: number; rotation: number; after: number };
  let bundleBefore: Buffer;
  let bundleAfter: Buffer;

  beforeAll(async () => {
    db = await createTestDatabase('key_rotation');
    // Given a log signed with the first key
    before = await openAuditLedger(db.url, testLogKeys(k1));
    const first = await before.appendAndSeal(firstBatch());
    bundleBefore = (await exportBundle(before, { contractId: CONTRACT })).bytes;
    // When the service is configured with a next key, its next checkpoint is the rotation
    const withNext: LogKeys = { ...testLogKeys(k1), next: parseSignerKey(k2) };
    rotating = await openAuditLedger(db.url, withNext);
    const rotation = await rotating.appendAndSeal(secondBatch());
    // And later checkpoints are signed by the new key alone
    const after = await rotating.appendAndSeal(fillerBatch(5));
    sizes = { first, rotation, after };
    const inForce = keysInForce(withNext, (await rotating.proofs.checkpoints.latest())!.note);
    bundleAfter = (await exportBundle({ ...rotating, keys: inForce }, { contractId: CONTRACT })).bytes;
  });

  afterAll(async () => {
    await before.close();
    await rotating.close();
    await db.drop();
  });

  it('signs a rotation checkpoint naming both keys, signed by both; then the new key alone', async () => {
    const all = await rotating.proofs.checkpoints.all();
    const rotation = all.find((c) => c.treeSize === sizes.rotation)!;
    expect(rotation.note.split('\n')[3]).toBe(`key-rotation ${pub1} ${pub2}`);
    expect(openCheckpoint(rotation.note, pub1).size).toBe(sizes.rotation);
    expect(openCheckpoint(rotation.note, pub2).size).toBe(sizes.rotation);
    const last = all.at(-1)!;
    expect(() => openCheckpoint(last.note, pub1)).toThrow(/not signed by key/);
    expect(last.keyId).toBe(pub2.split('+')[1]);
    // And the key history lists both keys with their tree sizes
    const history = await rotating.proofs.keyHistory(pub2);
    expect(history.keys.map((k) => [k.publicKey, k.fromSize, k.untilSize])).toEqual([[pub1, 0, sizes.rotation], [pub2, sizes.rotation, null]]);
  });

  it('keeps proofs from before and after the rotation verifiable with the key of their time', async () => {
    const id = eventId(`${CONTRACT}/registered`);
    for (const [size, key] of [[sizes.first, pub1], [sizes.after, pub2]] as const) {
      const proof = await rotating.proofs.inclusionProof(id, size);
      const root = openCheckpoint(proof.checkpoint!, key).rootHash;
      expect(checkInclusion(proof.leafIndex, size, hashFromHex(proof.leafHash), proof.proof.map(hashFromBase64), root)).toEqual({ valid: true });
    }
  });

  it('verifies bundles from before (old key) and after (old key via the hand-over, or the new key)', () => {
    expect(verifyBundle(bundleBefore, pub1)).toMatchObject({ ok: true });
    expect(parseBundle(bundleAfter)).toMatchObject({ version: 2, keyRotations: [expect.stringContaining('key-rotation ')] });
    expect(verifyBundle(bundleAfter, pub1)).toMatchObject({ ok: true, checkpoint: { treeSize: sizes.after, keyId: pub2.split('+')[1] } });
    expect(verifyBundle(bundleAfter, pub2)).toMatchObject({ ok: true });
    // And the whole log verifies from the first key, learning the second from the rotation checkpoint
    return expect(verifyLog({ db: rotating.pool, verifier: before.keys.verifier, jobs: 0 })).resolves.toMatchObject({ ok: true, checkpoints: 3 });
  });

  it('refuses a checkpoint signed only by the retired key after its retirement', async () => {
    // Given the old key signs the newest checkpoint's text alone (a stolen or forgotten key)
    const bundle = parseBundle(bundleAfter);
    const text = formatCheckpoint(openCheckpoint(bundle.checkpoint, pub2));
    const forged = serializeBundle({ ...bundle, checkpoint: signNote(text, k1) });
    // Then the bundle fails: the old key is not valid at that size
    const result = verifyBundle(forged, pub1);
    expect(result.ok).toBe(false);
    expect(result.problems[0]).toMatch(/^the checkpoint is not valid for your key: it is signed by a key not valid at its tree size .*retired at tree size \d+/);
    // And the full-log verifier refuses such a checkpoint stored in the log
    await rotating.pool.query(
      `INSERT INTO log_checkpoints (seq, tree_size, root_hash, key_id, note, signed_at)
       SELECT max(seq) + 1, $1, $2, $3, $4, now() FROM log_checkpoints`,
      [sizes.after + 2, openCheckpoint(bundle.checkpoint, pub2).rootHash, pub1.split('+')[1], signNote(formatCheckpoint({ origin: TEST_ORIGIN, size: sizes.after + 2, rootHash: openCheckpoint(bundle.checkpoint, pub2).rootHash }), k1)],
    );
    const report = await verifyLog({ db: rotating.pool, verifier: before.keys.verifier, jobs: 0 });
    expect(report.problems).toContainEqual(expect.objectContaining({ kind: 'checkpoint-signature', message: expect.stringContaining('retired at tree size') }));
  });
});
