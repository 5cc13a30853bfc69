import { HASH_SIZE, nodeHash } from './hashing.js';
import { isPowerOfTwo } from './tree-math.js';

// Proof verification exactly as RFC 9162 §2.1.3.2 and §2.1.4.2 describe it. The RFC's bit
// operations are written with arithmetic because tree sizes may exceed 32 bits.

/** Outcome of a proof check, with a human-readable reason when it fails (for CLIs and logs). */
export type ProofCheck = { readonly valid: true } | { readonly valid: false; readonly reason: string };

const VALID: ProofCheck = { valid: true };
const invalid = (reason: string): ProofCheck => ({ valid: false, reason });

/** Whether `proof` shows that `leafHash` is leaf `leafIndex` of the tree of `treeSize` leaves with `root`. Never throws. */
export function verifyInclusion(
  leafIndex: number,
  treeSize: number,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  return checkInclusion(leafIndex, treeSize, leafHash, proof, root).valid;
}

/** verifyInclusion with the reason for a rejection. Never throws. */
export function checkInclusion(
  leafIndex: number,
  treeSize: number,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): ProofCheck {
  const malformed = checkSize('leaf index', leafIndex) ?? checkSize('tree size', treeSize) ?? checkProofElements(proof);
  if (malformed !== undefined) return invalid(malformed);
  if (!(leafHash instanceof Uint8Array) || leafHash.length !== HASH_SIZE) return invalid(`leaf hash is not a ${HASH_SIZE}-byte hash`);
  if (leafIndex >= treeSize) return invalid(`leaf index ${leafIndex} is not below the tree size ${treeSize}`);

  let fn = leafIndex;
  let sn = treeSize - 1;
  let r: Uint8Array = leafHash;
  for (const p of proof) {
    if (sn === 0) return invalid(`inclusion proof is too long: ${proof.length} hashes for leaf ${leafIndex} of ${treeSize}`);
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        // Skip the levels where this node is the right edge and has no sibling.
        while (fn % 2 === 0 && fn !== 0) {
          fn /= 2;
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) return invalid(`inclusion proof is too short: ${proof.length} hashes for leaf ${leafIndex} of ${treeSize}`);
  if (!bytesEqual(r, root)) return invalid('inclusion proof does not lead to the expected root hash');
  return VALID;
}

/** Whether `proof` shows that the tree (size2, root2) extends the tree (size1, root1). Never throws. */
export function verifyConsistency(
  size1: number,
  size2: number,
  proof: readonly Uint8Array[],
  root1: Uint8Array,
  root2: Uint8Array,
): boolean {
  return checkConsistency(size1, size2, proof, root1, root2).valid;
}

/** verifyConsistency with the reason for a rejection. Never throws. */
export function checkConsistency(
  size1: number,
  size2: number,
  proof: readonly Uint8Array[],
  root1: Uint8Array,
  root2: Uint8Array,
): ProofCheck {
  const malformed = checkSize('size1', size1) ?? checkSize('size2', size2) ?? checkProofElements(proof);
  if (malformed !== undefined) return invalid(malformed);
  // The empty tree is trivially a prefix of everything, so a "proof" from it would vouch for nothing.
  if (size1 === 0) return invalid('consistency from the empty tree (size1 = 0) proves nothing');
  if (size1 > size2) return invalid(`size1 ${size1} is greater than size2 ${size2}`);
  if (size1 === size2) {
    if (proof.length !== 0) return invalid(`equal sizes need an empty proof, got ${proof.length} hashes`);
    return bytesEqual(root1, root2) ? VALID : invalid(`roots differ for the same tree size ${size1}`);
  }

  // RFC 9162 §2.1.4.2 steps 1–7.
  if (proof.length === 0) return invalid('consistency proof is empty');
  const path = isPowerOfTwo(size1) ? [root1, ...proof] : proof;
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (fn % 2 === 1) {
    fn = (fn - 1) / 2;
    sn = Math.floor(sn / 2);
  }
  let fr: Uint8Array = path[0]!;
  let sr: Uint8Array = path[0]!;
  for (let i = 1; i < path.length; i++) {
    const c = path[i]!;
    if (sn === 0) return invalid(`consistency proof is too long: ${proof.length} hashes from ${size1} to ${size2}`);
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn /= 2;
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) return invalid(`consistency proof is too short: ${proof.length} hashes from ${size1} to ${size2}`);
  if (!bytesEqual(fr, root1)) return invalid('consistency proof does not lead to the old root hash');
  if (!bytesEqual(sr, root2)) return invalid('consistency proof does not lead to the new root hash');
  return VALID;
}

function checkSize(name: string, value: number): string | undefined {
  return Number.isSafeInteger(value) && value >= 0 ? undefined : `${name} must be a non-negative safe integer, got ${String(value)}`;
}

function checkProofElements(proof: readonly Uint8Array[]): string | undefined {
  if (!Array.isArray(proof)) return 'proof must be an array of hashes';
  // A tree of 2^53 leaves has at most 53 levels; the RFC loop would reject longer proofs anyway, later.
  if (proof.length > 128) return `proof has ${proof.length} hashes, more than any tree needs`;
  const bad = proof.findIndex((hash) => !(hash instanceof Uint8Array) || hash.length !== HASH_SIZE);
  return bad === -1 ? undefined : `proof hash #${bad} is not a ${HASH_SIZE}-byte hash`;
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a instanceof Uint8Array && b instanceof Uint8Array && Buffer.compare(a, b) === 0;
}
