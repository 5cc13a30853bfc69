import {
  CompactRange,
  InMemoryTileStore,
  TiledMerkleTree,
  canonicalize,
  changedTiles,
  checkConsistency,
  generateSignerKey,
  leafHash,
  openCheckpoint,
  signCheckpoint,
  verifierKeyOf,
} from '@ledger/integrity';

describe('@ledger/integrity public API', () => {
  it('takes events from canonical JSON to a signed checkpoint a verifier can extend consistently', async () => {
    // Given an appender that a writer persists through tile updates
    const range = CompactRange.empty();
    const store = new InMemoryTileStore();
    const events = Array.from({ length: 600 }, (_, i) => ({ seq: i, type: 'RecordAccessed', subject: `citizen-${i % 7}` }));
    const append = async (batch: typeof events) => {
      const nodes = range.appendAll(batch.map((event) => leafHash(canonicalize(event))));
      await store.writeTiles(changedTiles(nodes));
    };

    // When the log grows in two batches, with a checkpoint after each
    const signer = generateSignerKey('ledger.example/okayama');
    await append(events.slice(0, 250));
    const first = openCheckpoint(signCheckpoint({ origin: 'ledger.example/okayama', size: range.size, rootHash: range.root() }, signer), verifierKeyOf(signer));
    await append(events.slice(250));
    const second = openCheckpoint(signCheckpoint({ origin: 'ledger.example/okayama', size: range.size, rootHash: range.root() }, signer), verifierKeyOf(signer));

    // Then the tiles agree with the appender, and the second checkpoint provably extends the first
    const tree = new TiledMerkleTree(store);
    expect(await tree.computeRoot(second.size)).toEqual(second.rootHash);
    const proof = await tree.consistencyProof(first.size, second.size);
    expect(checkConsistency(first.size, second.size, proof, first.rootHash, second.rootHash)).toEqual({ valid: true });
  });
});
