import { CompactRange } from './compact-range.js';
import { leafHash } from './hashing.js';
import { InMemoryTileStore, TILE_WIDTH, changedTiles, tileKey, tilePath, type TileUpdate } from './tiles.js';

const leaves = (from: number, to: number): Buffer[] => Array.from({ length: to - from }, (_, i) => leafHash(`leaf ${from + i}`));
const shape = (updates: readonly TileUpdate[]) => updates.map(({ level, index, offset, width, hashes }) => ({ level, index, offset, width, count: hashes.length }));

describe('tiles', () => {
  describe('tilePath (C2SP tlog-tiles resource names)', () => {
    it.each<[number, number, number | undefined, string]>([
      [0, 1234067, undefined, 'tile/0/x001/x234/067'],
      [2, 0, undefined, 'tile/2/000'],
      [0, 1000, 5, 'tile/0/x001/000.p/5'],
      [1, 999, 255, 'tile/1/999.p/255'],
      [3, 5, TILE_WIDTH, 'tile/3/005'],
    ])('names tile level %i index %i (width %p) %s', (level, index, width, path) => {
      expect(tilePath(level, index, width)).toBe(path);
    });

    it('refuses impossible tiles', () => {
      expect(() => tilePath(64, 0)).toThrow('invalid tile level 64');
      expect(() => tilePath(0, -1)).toThrow('invalid tile index -1');
      expect(() => tilePath(0, 0, 0)).toThrow('invalid tile width 0');
    });
  });

  describe('changedTiles', () => {
    it('keeps only tile levels and groups the new hashes per tile', () => {
      // Given 300 leaves appended to an empty tree
      const range = CompactRange.empty();
      const first = changedTiles(range.appendAll(leaves(0, 300)));

      // Then a full leaf tile, a partial one, and the first level-1 hash changed
      expect(shape(first)).toEqual([
        { level: 0, index: 0, offset: 0, width: 256, count: 256 },
        { level: 0, index: 1, offset: 0, width: 44, count: 44 },
        { level: 1, index: 0, offset: 0, width: 1, count: 1 },
      ]);

      // When 301 more arrive, the partial tile grows from where it stopped
      const second = changedTiles(range.appendAll(leaves(300, 601)));
      expect(shape(second)).toEqual([
        { level: 0, index: 1, offset: 44, width: 256, count: 212 },
        { level: 0, index: 2, offset: 0, width: 89, count: 89 },
        { level: 1, index: 0, offset: 1, width: 2, count: 1 },
      ]);
    });

    it('returns nothing for nodes that live between tile levels', () => {
      const node = { level: 3, index: 0, hash: leafHash('x') };
      expect(changedTiles([node])).toEqual([]);
    });

    it('refuses a batch with a gap inside one tile', () => {
      const hash = leafHash('x');
      expect(() =>
        changedTiles([
          { level: 0, index: 0, hash },
          { level: 0, index: 2, hash },
        ]),
      ).toThrow('nodes for tile 0/0 are not contiguous');
    });
  });

  describe('InMemoryTileStore', () => {
    it('holds the tiles C2SP lists for a tree of 70,000 leaves', async () => {
      // Given the example of the tlog-tiles specification
      const store = new InMemoryTileStore();
      store.appendLeaves(leaves(0, 70_000));

      // Then: 273 full level-0 tiles and a partial one of width 112, one full level-1 tile and
      // a partial one of width 17, and a partial level-2 tile of width 1
      const tiles = store.listTiles();
      const level0 = tiles.filter((tile) => tile.level === 0);
      expect(level0).toHaveLength(274);
      expect(level0.slice(0, 273).every((tile) => tile.width === 256)).toBe(true);
      expect(level0[273]).toEqual({ level: 0, index: 273, width: 112 });
      expect(tiles.filter((tile) => tile.level > 0)).toEqual([
        { level: 1, index: 0, width: 256 },
        { level: 1, index: 1, width: 17 },
        { level: 2, index: 0, width: 1 },
      ]);
    });

    it('reads a batch of tiles, leaving out the ones it does not have', async () => {
      const store = new InMemoryTileStore();
      store.appendLeaves(leaves(0, 3));
      const tiles = await store.readTiles([
        { level: 0, index: 0, width: 2 },
        { level: 0, index: 1, width: 1 },
      ]);
      expect([...tiles.keys()]).toEqual([tileKey(0, 0)]);
      expect(tiles.get(tileKey(0, 0))).toEqual(leaves(0, 3));
    });

    it('does not let a reader change its tiles', async () => {
      const store = new InMemoryTileStore();
      store.appendLeaves(leaves(0, 2));
      (await store.readTiles([{ level: 0, index: 0, width: 2 }])).get('0/0')!.pop();
      expect((await store.readTiles([{ level: 0, index: 0, width: 2 }])).get('0/0')).toHaveLength(2);
    });

    describe('writeTiles, the reference semantics for persistent adapters', () => {
      const hashes = leaves(0, 4);
      const update = (offset: number, list: Buffer[]): TileUpdate => ({ level: 0, index: 0, offset, width: offset + list.length, hashes: list });

      it('appends, and accepts the same update again without change', async () => {
        const store = new InMemoryTileStore();
        await store.writeTiles([update(0, hashes.slice(0, 2))]);
        await store.writeTiles([update(0, hashes.slice(0, 2)), update(2, hashes.slice(2, 4))]);
        await store.writeTiles([update(1, hashes.slice(1, 3))]);
        expect((await store.readTiles([{ level: 0, index: 0, width: 4 }])).get('0/0')).toEqual(hashes);
      });

      it('refuses a gap', async () => {
        const store = new InMemoryTileStore();
        await expect(store.writeTiles([update(1, hashes.slice(1, 2))])).rejects.toThrow('update of tile 0/0 starts at 1 but the tile holds only 0 hashes');
      });

      it('refuses a different hash for a stored position (a fork), and keeps the batch out entirely', async () => {
        const store = new InMemoryTileStore();
        await store.writeTiles([update(0, hashes.slice(0, 2))]);
        const other = { level: 0, index: 1, offset: 0, width: 1, hashes: [hashes[3]!] };
        await expect(store.writeTiles([other, update(1, [leafHash('forged'), hashes[2]!])])).rejects.toThrow(
          'update of tile 0/0 conflicts with the stored hash at position 1',
        );
        expect(store.listTiles()).toEqual([{ level: 0, index: 0, width: 2 }]);
      });

      it('refuses malformed updates', async () => {
        const store = new InMemoryTileStore();
        await expect(store.writeTiles([{ level: 0, index: 0, offset: 0, width: 2, hashes: [hashes[0]!] }])).rejects.toThrow('malformed update of tile 0/0');
        await expect(store.writeTiles([update(0, [Buffer.alloc(31)])])).rejects.toThrow('has a hash that is not 32 bytes');
      });
    });
  });
});
