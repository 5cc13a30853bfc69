import { CompactRange } from './compact-range.js';
import { EMPTY_ROOT, HASH_SIZE, nodeHash } from './hashing.js';
import { TILE_HEIGHT, TILE_WIDTH, tileKey, type TileReader, type TileRequest } from './tiles.js';
import { assertSize, largestPowerOfTwoBelow, perfectSubtrees } from './tree-math.js';

/** A tile needed for a computation is absent from the store, or narrower than the tree size implies. */
export class MissingTileError extends Error {
  constructor(
    readonly level: number,
    readonly index: number,
    readonly neededWidth: number,
    readonly storedWidth: number,
  ) {
    super(
      `tile ${tileKey(level, index)} holds ${storedWidth} hashes but ${neededWidth} are needed: ` +
        'the store does not cover the requested tree size',
    );
    this.name = 'MissingTileError';
  }
}

/** Leaves [start, end) whose Merkle Tree Hash is one element of a root or proof. */
export interface LeafRange {
  readonly start: number;
  readonly end: number;
}

interface NodeId {
  readonly level: number;
  readonly index: number;
}

/**
 * Roots and RFC 9162 proofs computed from tiles. Every operation issues exactly one batched
 * readTiles call for O(log n) tiles (about two per tile level), so a database adapter answers it
 * in one round trip.
 */
export class TiledMerkleTree {
  constructor(private readonly tiles: TileReader) {}

  /** MTH of the first `treeSize` leaves. */
  async computeRoot(treeSize: number): Promise<Buffer> {
    assertSize('treeSize', treeSize);
    if (treeSize === 0) return Buffer.from(EMPTY_ROOT);
    const [root] = await this.hashRanges([{ start: 0, end: treeSize }]);
    return root!;
  }

  /** Hash of the complete subtree at `level` (0 = leaf) and `index`. */
  async hashAt(level: number, index: number): Promise<Buffer> {
    if (!Number.isSafeInteger(level) || level < 0 || level > 52) throw new RangeError(`invalid tree level ${level}`);
    assertSize('index', index);
    if (!Number.isSafeInteger((index + 1) * 2 ** level)) throw new RangeError(`node ${level}/${index} lies beyond any safe tree size`);
    const [hash] = await this.hashNodes([{ level, index }]);
    return hash!;
  }

  /** PATH(leafIndex, D[treeSize]) of RFC 9162 §2.1.3.1, deepest sibling first. */
  async inclusionProof(leafIndex: number, treeSize: number): Promise<Buffer[]> {
    assertSize('leafIndex', leafIndex);
    assertSize('treeSize', treeSize);
    if (leafIndex >= treeSize) throw new RangeError(`leaf index ${leafIndex} is outside a tree of size ${treeSize}`);
    return this.hashRanges(inclusionProofRanges(leafIndex, treeSize));
  }

  /** PROOF(size1, D[size2]) of RFC 9162 §2.1.4.1; empty when the sizes are equal. */
  async consistencyProof(size1: number, size2: number): Promise<Buffer[]> {
    assertSize('size1', size1);
    assertSize('size2', size2);
    // A proof from the empty tree would prove nothing, and the RFC defines none.
    if (size1 < 1 || size1 > size2) throw new RangeError(`consistency proof needs 1 ≤ size1 ≤ size2, got ${size1} and ${size2}`);
    return this.hashRanges(consistencyProofRanges(size1, size2));
  }

  /** The appender state of a tree of `treeSize` leaves, e.g. to resume appending after a restart. */
  async compactRange(treeSize: number): Promise<CompactRange> {
    assertSize('treeSize', treeSize);
    return CompactRange.fromFrontier(treeSize, await this.hashNodes(perfectSubtrees(0, treeSize)));
  }

  private async hashRanges(ranges: readonly LeafRange[]): Promise<Buffer[]> {
    const nodesPerRange = ranges.map(({ start, end }) => perfectSubtrees(start, end));
    const hashes = await this.hashNodes(nodesPerRange.flat());
    let next = 0;
    // RFC 9162's MTH of a ragged range is its perfect subtrees folded from the right.
    return nodesPerRange.map((nodes) => {
      const own = hashes.slice(next, (next += nodes.length));
      let hash = own[own.length - 1]!;
      for (let i = own.length - 2; i >= 0; i--) hash = nodeHash(own[i]!, hash);
      return hash;
    });
  }

  private async hashNodes(nodes: readonly NodeId[]): Promise<Buffer[]> {
    if (nodes.length === 0) return [];
    const placed = nodes.map(placeInTile);
    const requests = new Map<string, TileRequest>();
    for (const { level, index, offset, count } of placed) {
      const key = tileKey(level, index);
      const width = Math.max(offset + count, requests.get(key)?.width ?? 0);
      requests.set(key, { level, index, width });
    }
    const tiles = await this.tiles.readTiles([...requests.values()]);
    return placed.map(({ level, index, offset, count }) => {
      const tile = tiles.get(tileKey(level, index)) ?? [];
      if (tile.length < offset + count) throw new MissingTileError(level, index, offset + count, tile.length);
      return perfectRoot(tile.slice(offset, offset + count), tileKey(level, index));
    });
  }
}

/**
 * Where a complete node's hash comes from: `count` consecutive hashes of one tile (the node's
 * descendants at the tile's level), which hash up to it. A node never straddles two tiles.
 */
function placeInTile({ level, index }: NodeId): { level: number; index: number; offset: number; count: number } {
  const tileLevel = Math.floor(level / TILE_HEIGHT);
  const count = 2 ** (level - tileLevel * TILE_HEIGHT);
  const first = index * count;
  return { level: tileLevel, index: Math.floor(first / TILE_WIDTH), offset: first % TILE_WIDTH, count };
}

function perfectRoot(hashes: Buffer[], tile: string): Buffer {
  for (const hash of hashes) {
    if (!(hash instanceof Uint8Array) || hash.length !== HASH_SIZE) throw new Error(`tile ${tile} holds a hash that is not ${HASH_SIZE} bytes`);
  }
  let level = hashes;
  while (level.length > 1) {
    const parents: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2) parents.push(nodeHash(level[i]!, level[i + 1]!));
    level = parents;
  }
  return level[0]!;
}

/** The ranges whose hashes form PATH(m, D[n]), deepest first (RFC 9162 §2.1.3.1, unrolled). */
export function inclusionProofRanges(leafIndex: number, treeSize: number): LeafRange[] {
  const topDown: LeafRange[] = [];
  let start = 0;
  let end = treeSize;
  while (end - start > 1) {
    const k = largestPowerOfTwoBelow(end - start);
    if (leafIndex < start + k) {
      topDown.push({ start: start + k, end });
      end = start + k;
    } else {
      topDown.push({ start, end: start + k });
      start += k;
    }
  }
  return topDown.reverse();
}

/** The ranges whose hashes form PROOF(m, D[n]) = SUBPROOF(m, D[n], true) (RFC 9162 §2.1.4.1, unrolled). */
export function consistencyProofRanges(size1: number, size2: number): LeafRange[] {
  const topDown: LeafRange[] = [];
  let start = 0;
  let end = size2;
  let m = size1;
  let wholeOldTree = true;
  while (m !== end - start) {
    const k = largestPowerOfTwoBelow(end - start);
    if (m <= k) {
      topDown.push({ start: start + k, end });
      end = start + k;
    } else {
      topDown.push({ start, end: start + k });
      m -= k;
      start += k;
      wholeOldTree = false;
    }
  }
  // SUBPROOF's base case: the old tree's own root is left out only when it is the whole old tree.
  const base: LeafRange[] = wholeOldTree ? [] : [{ start, end }];
  return [...base, ...topDown.reverse()];
}
