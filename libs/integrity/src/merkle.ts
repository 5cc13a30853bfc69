import { EMPTY_ROOT, nodeHash } from './hashing.js';
import { largestPowerOfTwoBelow } from './tree-math.js';

// Reference implementations that follow RFC 9162 §2.1 word for word (recursion over the leaf
// list). They hold every leaf in memory, so they serve tests and small trees; production paths
// use CompactRange and TiledMerkleTree, which the tests check against these.

/** MTH(D[n]) over already-hashed leaves (RFC 9162 §2.1.1). */
export function merkleRoot(leafHashes: readonly Buffer[]): Buffer {
  if (leafHashes.length === 0) return Buffer.from(EMPTY_ROOT);
  return subtreeHash(leafHashes, 0, leafHashes.length);
}

/** PATH(m, D[n]) of RFC 9162 §2.1.3.1: the audit path of leaf `leafIndex`, deepest sibling first. */
export function referenceInclusionProof(leafHashes: readonly Buffer[], leafIndex: number): Buffer[] {
  if (!Number.isSafeInteger(leafIndex) || leafIndex < 0 || leafIndex >= leafHashes.length) {
    throw new RangeError(`leaf index ${leafIndex} is outside a tree of size ${leafHashes.length}`);
  }
  return path(leafHashes, leafIndex, 0, leafHashes.length);
}

/** PROOF(m, D[n]) of RFC 9162 §2.1.4.1 for 0 < m ≤ n; empty when m = n. */
export function referenceConsistencyProof(leafHashes: readonly Buffer[], size1: number): Buffer[] {
  if (!Number.isSafeInteger(size1) || size1 < 1 || size1 > leafHashes.length) {
    throw new RangeError(`old size ${size1} must be between 1 and the tree size ${leafHashes.length}`);
  }
  return subproof(leafHashes, size1, 0, leafHashes.length, true);
}

function subtreeHash(leaves: readonly Buffer[], start: number, end: number): Buffer {
  if (end - start === 1) return leaves[start]!;
  const k = largestPowerOfTwoBelow(end - start);
  return nodeHash(subtreeHash(leaves, start, start + k), subtreeHash(leaves, start + k, end));
}

function path(leaves: readonly Buffer[], m: number, start: number, end: number): Buffer[] {
  if (end - start === 1) return [];
  const k = largestPowerOfTwoBelow(end - start);
  return m < k
    ? [...path(leaves, m, start, start + k), subtreeHash(leaves, start + k, end)]
    : [...path(leaves, m - k, start + k, end), subtreeHash(leaves, start, start + k)];
}

function subproof(leaves: readonly Buffer[], m: number, start: number, end: number, complete: boolean): Buffer[] {
  const n = end - start;
  if (m === n) return complete ? [] : [subtreeHash(leaves, start, end)];
  const k = largestPowerOfTwoBelow(n);
  return m <= k
    ? [...subproof(leaves, m, start, start + k, complete), subtreeHash(leaves, start + k, end)]
    : [...subproof(leaves, m - k, start + k, end, false), subtreeHash(leaves, start, start + k)];
}
