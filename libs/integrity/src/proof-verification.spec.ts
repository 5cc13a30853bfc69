import { leafHash } from './hashing.js';
import { merkleRoot, referenceConsistencyProof, referenceInclusionProof } from './merkle.js';
import { checkConsistency, checkInclusion, verifyConsistency, verifyInclusion } from './proof-verification.js';
import { consistencyVectors, inclusionVectors } from './testing/rfc6962-vectors.js';

describe('proof verification (RFC 9162 §2.1.3.2 and §2.1.4.2)', () => {
  describe('transparency-dev/merkle vectors', () => {
    const inclusion = inclusionVectors();
    const consistency = consistencyVectors();

    it('has the vector files', () => {
      expect(inclusion.length).toBeGreaterThan(70);
      expect(consistency.length).toBeGreaterThan(90);
      expect(inclusion.filter((v) => !v.wantErr).length).toBe(6);
      expect(consistency.filter((v) => !v.wantErr).length).toBe(6);
    });

    it.each(inclusion.map((v) => [v.file, v] as const))('inclusion %s', (_file, v) => {
      const check = checkInclusion(v.leafIdx, v.treeSize, v.leafHash, v.proof, v.root);
      expect(check.valid).toBe(!v.wantErr);
      expect(verifyInclusion(v.leafIdx, v.treeSize, v.leafHash, v.proof, v.root)).toBe(!v.wantErr);
    });

    it.each(consistency.map((v) => [v.file, v] as const))('consistency %s', (_file, v) => {
      const check = checkConsistency(v.size1, v.size2, v.proof, v.root1, v.root2);
      expect(check.valid).toBe(!v.wantErr);
      expect(verifyConsistency(v.size1, v.size2, v.proof, v.root1, v.root2)).toBe(!v.wantErr);
    });
  });

  describe('inclusion edge cases', () => {
    const leaves = Array.from({ length: 11 }, (_, i) => leafHash(`leaf ${i}`));
    const root = merkleRoot(leaves);
    const proof = referenceInclusionProof(leaves, 6);

    it('accepts the honest proof', () => {
      expect(checkInclusion(6, 11, leaves[6]!, proof, root)).toEqual({ valid: true });
    });

    it.each<[string, () => ReturnType<typeof checkInclusion>, string]>([
      ['an index equal to the size', () => checkInclusion(11, 11, leaves[6]!, proof, root), 'leaf index 11 is not below the tree size 11'],
      ['an index in an empty tree', () => checkInclusion(0, 0, leaves[0]!, [], root), 'leaf index 0 is not below the tree size 0'],
      ['a proof with an extra hash', () => checkInclusion(6, 11, leaves[6]!, [...proof, leaves[0]!], root), 'inclusion proof is too long'],
      ['a proof missing its last hash', () => checkInclusion(6, 11, leaves[6]!, proof.slice(0, -1), root), 'inclusion proof is too short'],
      ['another leaf', () => checkInclusion(6, 11, leaves[5]!, proof, root), 'inclusion proof does not lead to the expected root hash'],
      ['a 31-byte proof hash', () => checkInclusion(6, 11, leaves[6]!, [proof[0]!.subarray(1), ...proof.slice(1)], root), 'proof hash #0 is not a 32-byte hash'],
      ['a fractional index', () => checkInclusion(1.5, 11, leaves[6]!, proof, root), 'leaf index must be a non-negative safe integer, got 1.5'],
      ['a negative size', () => checkInclusion(0, -1, leaves[6]!, proof, root), 'tree size must be a non-negative safe integer, got -1'],
      ['an absurdly long proof', () => checkInclusion(6, 11, leaves[6]!, Array(129).fill(root) as Buffer[], root), 'proof has 129 hashes'],
    ])('rejects %s, saying why', (_case, check, reason) => {
      const result = check();
      expect(result.valid).toBe(false);
      expect(result.valid ? '' : result.reason).toContain(reason);
    });

    it('rejects every single-bit change of every proof hash', () => {
      for (let i = 0; i < proof.length; i++) {
        for (let bit = 0; bit < 256; bit += 37) {
          const tampered = proof.map((hash) => Buffer.from(hash));
          tampered[i]![bit >> 3]! ^= 1 << (bit & 7);
          expect(verifyInclusion(6, 11, leaves[6]!, tampered, root)).toBe(false);
        }
      }
    });

    it('never throws, even for nonsense input', () => {
      expect(verifyInclusion(0, 1, leaves[0]!, null as unknown as Buffer[], root)).toBe(false);
      expect(verifyInclusion(Number.NaN, 1, leaves[0]!, [], root)).toBe(false);
      expect(verifyInclusion(0, 1, 'x' as unknown as Buffer, [], root)).toBe(false);
    });

    it('works beyond 32-bit tree sizes', () => {
      // Leaf 2^33 is the lone right-hand child of the root in a tree of 2^33 + 1 leaves.
      const left = leafHash('stands in for the root of the first 2^33 leaves');
      const leaf = leafHash('the last leaf');
      const rootOfBig = merkleRoot([left, leaf]);
      expect(verifyInclusion(2 ** 33, 2 ** 33 + 1, leaf, [left], rootOfBig)).toBe(true);
      expect(verifyInclusion(2 ** 33 - 1, 2 ** 33 + 1, leaf, [left], rootOfBig)).toBe(false);
    });
  });

  describe('consistency edge cases', () => {
    const leaves = Array.from({ length: 13 }, (_, i) => leafHash(`leaf ${i}`));
    const root = (n: number) => merkleRoot(leaves.slice(0, n));
    const proof = referenceConsistencyProof(leaves, 6);

    it('accepts the honest proof, and equal sizes with equal roots and no proof', () => {
      expect(checkConsistency(6, 13, proof, root(6), root(13))).toEqual({ valid: true });
      expect(checkConsistency(13, 13, [], root(13), root(13))).toEqual({ valid: true });
    });

    it.each<[string, () => ReturnType<typeof checkConsistency>, string]>([
      ['size1 = 0', () => checkConsistency(0, 13, [], root(0), root(13)), 'consistency from the empty tree (size1 = 0) proves nothing'],
      ['size1 = size2 = 0', () => checkConsistency(0, 0, [], root(0), root(0)), 'consistency from the empty tree (size1 = 0) proves nothing'],
      ['size1 > size2', () => checkConsistency(13, 6, proof, root(13), root(6)), 'size1 13 is greater than size2 6'],
      ['equal sizes with a proof', () => checkConsistency(6, 6, proof.slice(0, 1), root(6), root(6)), 'equal sizes need an empty proof, got 1 hashes'],
      ['equal sizes with different roots', () => checkConsistency(6, 6, [], root(6), root(7)), 'roots differ for the same tree size 6'],
      ['an empty proof', () => checkConsistency(6, 13, [], root(6), root(13)), 'consistency proof is empty'],
      ['a proof with an extra hash', () => checkConsistency(6, 13, [...proof, root(1)], root(6), root(13)), 'consistency proof is too long'],
      ['a proof missing its last hash', () => checkConsistency(6, 13, proof.slice(0, -1), root(6), root(13)), 'consistency proof is too short'],
      ['a wrong old root', () => checkConsistency(6, 13, proof, root(5), root(13)), 'does not lead to the old root hash'],
      ['a wrong new root', () => checkConsistency(6, 13, proof, root(6), root(12)), 'does not lead to the new root hash'],
      ['swapped roots', () => checkConsistency(6, 13, proof, root(13), root(6)), 'does not lead to the old root hash'],
    ])('rejects %s, saying why', (_case, check, reason) => {
      const result = check();
      expect(result.valid).toBe(false);
      expect(result.valid ? '' : result.reason).toContain(reason);
    });

    it('rejects a proof for a power-of-two old size that repeats the old root (the verifier prepends it)', () => {
      const fromFour = referenceConsistencyProof(leaves, 4);
      expect(verifyConsistency(4, 13, fromFour, root(4), root(13))).toBe(true);
      expect(verifyConsistency(4, 13, [root(4), ...fromFour], root(4), root(13))).toBe(false);
    });
  });
});
