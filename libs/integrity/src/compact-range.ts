import { EMPTY_ROOT, HASH_SIZE, hashFromHex, hashToHex, nodeHash } from './hashing.js';
import { assertSize, popCount } from './tree-math.js';

/**
 * A complete (perfect) subtree of the tree: `level` 0 is a leaf, and node (level, index) covers
 * leaves index·2^level .. (index+1)·2^level − 1. Once complete, its hash never changes.
 */
export interface TreeNode {
  readonly level: number;
  readonly index: number;
  readonly hash: Buffer;
}

/** JSON form of a CompactRange, for resuming an appender from stored state. */
export interface CompactRangeState {
  /** Number of leaves appended so far. */
  readonly size: number;
  /** Hex hashes of the right-edge perfect subtrees, largest (leftmost) first: one per set bit of `size`. */
  readonly hashes: readonly string[];
}

/**
 * Incremental Merkle tree appender ("frontier"): keeps only the O(log n) perfect subtrees along the
 * right edge, so appending costs amortised two hashes and never needs earlier leaves.
 */
export class CompactRange {
  private constructor(
    private treeSize: number,
    // Right-edge subtree hashes, largest first; their heights are the set bits of treeSize.
    private readonly frontier: Buffer[],
  ) {}

  static empty(): CompactRange {
    return new CompactRange(0, []);
  }

  static fromJSON(state: CompactRangeState): CompactRange {
    assertSize('size', state.size);
    if (!Array.isArray(state.hashes) || state.hashes.length !== popCount(state.size)) {
      throw new Error(`a compact range of size ${state.size} has ${popCount(state.size)} hashes, got ${String(state.hashes?.length)}`);
    }
    return new CompactRange(state.size, state.hashes.map(hashFromHex));
  }

  /** Builds the range from the right-edge subtree hashes of a tree of `size` leaves, largest first. */
  static fromFrontier(size: number, hashes: readonly Buffer[]): CompactRange {
    assertSize('size', size);
    if (hashes.length !== popCount(size)) {
      throw new Error(`a compact range of size ${size} has ${popCount(size)} hashes, got ${hashes.length}`);
    }
    hashes.forEach(assertHash);
    return new CompactRange(size, [...hashes]);
  }

  get size(): number {
    return this.treeSize;
  }

  /**
   * Appends one leaf hash (not copied: do not mutate it afterwards) and returns every node it
   * completes, the leaf itself (level 0) first, so a storage layer can persist them.
   */
  append(leafHash: Buffer): TreeNode[] {
    assertHash(leafHash);
    if (this.treeSize >= Number.MAX_SAFE_INTEGER) throw new RangeError('tree size limit reached');
    const completed: TreeNode[] = [{ level: 0, index: this.treeSize, hash: leafHash }];
    let hash = leafHash;
    let level = 0;
    // Each trailing 1 bit of the old size is a left sibling of equal height waiting to be merged.
    for (let index = this.treeSize; index % 2 === 1; index = (index - 1) / 2) {
      hash = nodeHash(this.frontier.pop()!, hash);
      level++;
      completed.push({ level, index: (index - 1) / 2, hash });
    }
    this.frontier.push(hash);
    this.treeSize++;
    return completed;
  }

  /** Appends several leaves and returns the nodes they complete, in completion order. */
  appendAll(leafHashes: Iterable<Buffer>): TreeNode[] {
    const completed: TreeNode[] = [];
    for (const leaf of leafHashes) {
      for (const node of this.append(leaf)) completed.push(node);
    }
    return completed;
  }

  /** MTH of the leaves appended so far: the right-edge subtrees folded from the right. */
  root(): Buffer {
    const frontier = this.frontier;
    if (frontier.length === 0) return Buffer.from(EMPTY_ROOT);
    let root = frontier[frontier.length - 1]!;
    for (let i = frontier.length - 2; i >= 0; i--) root = nodeHash(frontier[i]!, root);
    return root;
  }

  /** The right-edge subtree hashes, largest first (copies of the array, not of the hashes). */
  hashes(): Buffer[] {
    return [...this.frontier];
  }

  clone(): CompactRange {
    return new CompactRange(this.treeSize, [...this.frontier]);
  }

  toJSON(): CompactRangeState {
    return { size: this.treeSize, hashes: this.frontier.map(hashToHex) };
  }
}

function assertHash(hash: Buffer): void {
  if (!(hash instanceof Uint8Array) || hash.length !== HASH_SIZE) {
    throw new TypeError(`expected a ${HASH_SIZE}-byte hash`);
  }
}
