import { EMPTY_ROOT, hashToHex, leafHash, nodeHash } from './hashing.js';
import { merkleRoot, referenceConsistencyProof, referenceInclusionProof } from './merkle.js';
import { RFC6962_LEAF_HASHES, consistencyVectors, inclusionVectors } from './testing/rfc6962-vectors.js';

describe('reference Merkle tree (RFC 9162 §2.1)', () => {
  it('gives the empty tree the hash of nothing', () => {
    expect(merkleRoot([])).toEqual(EMPTY_ROOT);
  });

  it('gives a one-leaf tree its leaf hash', () => {
    expect(merkleRoot([leafHash('only')])).toEqual(leafHash('only'));
  });

  it('splits at the largest power of two below n', () => {
    const [a, b, c, d, e] = ['a', 'b', 'c', 'd', 'e'].map((leaf) => leafHash(leaf)) as [Buffer, Buffer, Buffer, Buffer, Buffer];
    expect(merkleRoot([a, b, c])).toEqual(nodeHash(nodeHash(a, b), c));
    expect(merkleRoot([a, b, c, d, e])).toEqual(nodeHash(nodeHash(nodeHash(a, b), nodeHash(c, d)), e));
  });

  it('reproduces the roots of the RFC 6962 reference tree used by the vectors', () => {
    // Every root the vectors mention, for a tree of size n, is the root of the first n reference leaves.
    const roots = new Map<number, string>();
    for (const v of inclusionVectors().filter((v) => !v.wantErr && v.file.endsWith('happy-path.json'))) roots.set(v.treeSize, hashToHex(v.root));
    for (const v of consistencyVectors().filter((v) => !v.wantErr && v.file.endsWith('happy-path.json'))) {
      roots.set(v.size1, hashToHex(v.root1));
      roots.set(v.size2, hashToHex(v.root2));
    }
    expect([...roots.keys()].sort((a, b) => a - b)).toEqual([1, 2, 3, 5, 6, 7, 8]);
    for (const [size, root] of roots) expect(hashToHex(merkleRoot(RFC6962_LEAF_HASHES.slice(0, size)))).toBe(root);
  });

  it('produces exactly the published happy-path proofs', () => {
    for (const v of inclusionVectors().filter((v) => v.file.endsWith('happy-path.json'))) {
      expect(referenceInclusionProof(RFC6962_LEAF_HASHES.slice(0, v.treeSize), v.leafIdx)).toEqual(v.proof);
    }
    for (const v of consistencyVectors().filter((v) => v.file.endsWith('happy-path.json'))) {
      expect(referenceConsistencyProof(RFC6962_LEAF_HASHES.slice(0, v.size2), v.size1)).toEqual(v.proof);
    }
  });

  it('refuses proofs for leaves or sizes outside the tree', () => {
    const leaves = RFC6962_LEAF_HASHES.slice(0, 3);
    expect(() => referenceInclusionProof(leaves, 3)).toThrow('leaf index 3 is outside a tree of size 3');
    expect(() => referenceConsistencyProof(leaves, 0)).toThrow('old size 0 must be between 1 and the tree size 3');
    expect(() => referenceConsistencyProof(leaves, 4)).toThrow('old size 4 must be between 1 and the tree size 3');
  });
});
