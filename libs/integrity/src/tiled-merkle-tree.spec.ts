import { CompactRange } from './compact-range.js';
import { EMPTY_ROOT, leafHash } from './hashing.js';
import { merkleRoot, referenceConsistencyProof, referenceInclusionProof } from './merkle.js';
import { verifyConsistency, verifyInclusion } from './proof-verification.js';
import { RFC6962_LEAF_HASHES, consistencyVectors, inclusionVectors } from './testing/rfc6962-vectors.js';
import { MissingTileError, TiledMerkleTree } from './tiled-merkle-tree.js';
import { InMemoryTileStore, TILE_WIDTH, tileKey, type TileReader, type TileRequest } from './tiles.js';

const leaves = (n: number): Buffer[] => Array.from({ length: n }, (_, i) => leafHash(`event ${i}`));

function storeWith(leafHashes: readonly Buffer[]): InMemoryTileStore {
  const store = new InMemoryTileStore();
  store.appendLeaves(leafHashes);
  return store;
}

/** Wraps a reader and records every batch it is asked for. */
class CountingTileReader implements TileReader {
  readonly batches: TileRequest[][] = [];
  constructor(private readonly inner: TileReader) {}
  readTiles(requests: readonly TileRequest[]): Promise<Map<string, Buffer[]>> {
    this.batches.push([...requests]);
    return this.inner.readTiles(requests);
  }
}

/** Answers any request with made-up hashes, so read patterns of huge trees can be measured without building them. */
const fabricatedTiles: TileReader = {
  async readTiles(requests) {
    return new Map(
      requests.map(({ level, index, width }) => [tileKey(level, index), Array.from({ length: width }, (_, i) => leafHash(`${level}/${index}/${i}`))]),
    );
  },
};

describe('TiledMerkleTree', () => {
  describe('on the RFC 6962 reference tree', () => {
    const tree = new TiledMerkleTree(storeWith(RFC6962_LEAF_HASHES));

    it('generates exactly the published happy-path proofs', async () => {
      for (const v of inclusionVectors().filter((v) => v.file.endsWith('happy-path.json'))) {
        expect(await tree.inclusionProof(v.leafIdx, v.treeSize)).toEqual(v.proof);
        expect(await tree.computeRoot(v.treeSize)).toEqual(v.root);
      }
      for (const v of consistencyVectors().filter((v) => v.file.endsWith('happy-path.json'))) {
        expect(await tree.consistencyProof(v.size1, v.size2)).toEqual(v.proof);
      }
    });
  });

  describe('every tree of 1..70 leaves', () => {
    const all = leaves(70);
    const roots = [EMPTY_ROOT, ...all.map((_, i) => merkleRoot(all.slice(0, i + 1)))];

    it('proves inclusion of every leaf from a store of exactly that size', async () => {
      for (let n = 1; n <= 70; n++) {
        const tree = new TiledMerkleTree(storeWith(all.slice(0, n)));
        expect(await tree.computeRoot(n)).toEqual(roots[n]);
        for (let m = 0; m < n; m++) {
          const proof = await tree.inclusionProof(m, n);
          expect(proof).toEqual(referenceInclusionProof(all.slice(0, n), m));
          expect(verifyInclusion(m, n, all[m]!, proof, roots[n]!)).toBe(true);
        }
      }
    });

    it('proves consistency for all 1 ≤ m ≤ n ≤ 70, and older sizes from a store that has grown since', async () => {
      const tree = new TiledMerkleTree(storeWith(all));
      for (let n = 1; n <= 70; n++) {
        expect(await tree.computeRoot(n)).toEqual(roots[n]);
        for (let m = 1; m <= n; m++) {
          const proof = await tree.consistencyProof(m, n);
          expect(proof).toEqual(referenceConsistencyProof(all.slice(0, n), m));
          expect(verifyConsistency(m, n, proof, roots[m]!, roots[n]!)).toBe(true);
        }
      }
    });
  });

  describe('trees larger than one tile', () => {
    it('handles 3 full leaf tiles and 17 more leaves', async () => {
      // Given 256·3 + 17 leaves
      const all = leaves(TILE_WIDTH * 3 + 17);
      const n = all.length;
      const root = merkleRoot(all);
      const tree = new TiledMerkleTree(storeWith(all));

      // Then the root matches the reference, every leaf's proof verifies
      expect(await tree.computeRoot(n)).toEqual(root);
      for (let m = 0; m < n; m++) expect(verifyInclusion(m, n, all[m]!, await tree.inclusionProof(m, n), root)).toBe(true);

      // And older sizes around the tile boundaries are consistent with it
      for (const m of [1, 2, 255, 256, 257, 511, 512, 513, 767, 768, 769, n - 1, n]) {
        const proof = await tree.consistencyProof(m, n);
        expect(proof).toEqual(referenceConsistencyProof(all, m));
        expect(verifyConsistency(m, n, proof, merkleRoot(all.slice(0, m)), root)).toBe(true);
      }
    });

    it('handles a tree that reaches tile level 2 (70,000 leaves)', async () => {
      // Given 70,000 leaves, with the roots of a few sizes noted while appending
      const all = leaves(70_000);
      const range = CompactRange.empty();
      const rootAt = new Map<number, Buffer>();
      const sizes = [1, 255, 256, 300, 65_535, 65_536, 65_537, 65_541, 70_000];
      all.forEach((leaf) => {
        range.append(leaf);
        if (sizes.includes(range.size)) rootAt.set(range.size, range.root());
      });
      expect(rootAt.get(70_000)).toEqual(merkleRoot(all));
      const tree = new TiledMerkleTree(storeWith(all));

      // Then the tiles give the same roots
      for (const size of sizes) expect(await tree.computeRoot(size)).toEqual(rootAt.get(size));

      // And inclusion proofs verify, across tile and tile-level boundaries
      for (const n of [65_541, 70_000]) {
        for (const m of [0, 255, 256, 65_535, 65_536, n - 1]) {
          expect(verifyInclusion(m, n, all[m]!, await tree.inclusionProof(m, n), rootAt.get(n)!)).toBe(true);
        }
      }

      // And so do consistency proofs
      for (const [m, n] of [
        [1, 70_000],
        [300, 65_537],
        [65_535, 65_541],
        [65_536, 70_000],
        [256, 65_536],
      ] as const) {
        const proof = await tree.consistencyProof(m, n);
        expect(verifyConsistency(m, n, proof, rootAt.get(m)!, rootAt.get(n)!)).toBe(true);
      }
    });
  });

  describe('hashAt and compactRange', () => {
    const all = leaves(2 * 65_536 + 300);
    const store = storeWith(all);
    const tree = new TiledMerkleTree(store);

    it.each([
      [0, 0],
      [0, 131_371],
      [3, 17],
      [8, 0],
      [8, 511],
      [9, 100],
      [15, 3],
      [16, 1],
      [17, 0],
    ])('gives the reference hash of node %i/%i', async (level, index) => {
      expect(await tree.hashAt(level, index)).toEqual(merkleRoot(all.slice(index * 2 ** level, (index + 1) * 2 ** level)));
    });

    it('rebuilds the appender state of any stored size, ready to resume', async () => {
      for (const size of [0, 1, 256, 65_537, all.length - 1]) {
        const range = await tree.compactRange(size);
        expect(range.size).toBe(size);
        expect(range.root()).toEqual(merkleRoot(all.slice(0, size)));
      }
      const resumed = await tree.compactRange(all.length - 1);
      resumed.append(all[all.length - 1]!);
      expect(resumed.root()).toEqual(merkleRoot(all));
    });

    it('reads one batch of a handful of tiles per operation', async () => {
      const counting = new CountingTileReader(store);
      const counted = new TiledMerkleTree(counting);
      await counted.inclusionProof(70_000, all.length);
      await counted.consistencyProof(65_537, all.length);
      await counted.computeRoot(all.length);
      expect(counting.batches).toHaveLength(3);
      for (const batch of counting.batches) expect(batch.length).toBeLessThanOrEqual(6);
    });
  });

  describe('on a 10-million-leaf tree (fabricated tiles)', () => {
    const size = 10_000_000;

    it.each([0, 1, 255, 65_536, 4_999_999, 9_999_744, size - 1])('proves inclusion of leaf %i with one read of at most 6 tiles', async (leaf) => {
      const counting = new CountingTileReader(fabricatedTiles);
      const proof = await new TiledMerkleTree(counting).inclusionProof(leaf, size);
      // A tree of 10M < 2^24 leaves has paths of at most 24 hashes.
      expect(proof.length).toBeGreaterThan(0);
      expect(proof.length).toBeLessThanOrEqual(24);
      expect(counting.batches).toHaveLength(1);
      expect(counting.batches[0]!.length).toBeLessThanOrEqual(6);
    });

    it.each([1, 256, 65_535, 1_234_567, 8_388_608, size - 1])('proves consistency from size %i with one read of at most 8 tiles', async (size1) => {
      const counting = new CountingTileReader(fabricatedTiles);
      await new TiledMerkleTree(counting).consistencyProof(size1, size);
      expect(counting.batches).toHaveLength(1);
      expect(counting.batches[0]!.length).toBeLessThanOrEqual(8);
    });

    it('computes the root from the three right-edge tiles', async () => {
      const counting = new CountingTileReader(fabricatedTiles);
      await new TiledMerkleTree(counting).computeRoot(size);
      expect(counting.batches).toEqual([
        [
          { level: 2, index: 0, width: 152 },
          { level: 1, index: 152, width: 150 },
          { level: 0, index: 39_062, width: 128 },
        ],
      ]);
    });
  });

  describe('refusals', () => {
    const tree = new TiledMerkleTree(storeWith(leaves(300)));

    it('reports the missing tile when asked about a size the store does not hold', async () => {
      await expect(tree.computeRoot(301)).rejects.toThrow(MissingTileError);
      await expect(tree.computeRoot(301)).rejects.toThrow('tile 0/1 holds 44 hashes but 45 are needed');
      await expect(tree.inclusionProof(0, 600)).rejects.toThrow(/^tile \d+\/\d+ holds \d+ hashes but \d+ are needed/);
    });

    it('refuses impossible requests', async () => {
      await expect(tree.inclusionProof(300, 300)).rejects.toThrow('leaf index 300 is outside a tree of size 300');
      await expect(tree.inclusionProof(-1, 300)).rejects.toThrow('leafIndex must be a non-negative safe integer');
      await expect(tree.consistencyProof(0, 300)).rejects.toThrow('consistency proof needs 1 ≤ size1 ≤ size2, got 0 and 300');
      await expect(tree.consistencyProof(5, 4)).rejects.toThrow('consistency proof needs 1 ≤ size1 ≤ size2, got 5 and 4');
      await expect(tree.hashAt(53, 0)).rejects.toThrow('invalid tree level 53');
    });

    it('needs no reads for the empty tree or equal sizes', async () => {
      const counting = new CountingTileReader(fabricatedTiles);
      const counted = new TiledMerkleTree(counting);
      expect(await counted.computeRoot(0)).toEqual(EMPTY_ROOT);
      expect(await counted.consistencyProof(7, 7)).toEqual([]);
      expect(counting.batches).toHaveLength(0);
    });
  });
});
