import { CompactRange, type TreeNode } from './compact-range.js';
import { HASH_SIZE } from './hashing.js';

// Storage model of C2SP tlog-tiles (https://c2sp.org/tlog-tiles): the tree is kept as tiles of
// height 8. Tile (L, i) holds the hashes of tree level 8·L, nodes i·256 .. i·256+255; every other
// level is recomputed from the tile below it, so any node costs one tile read and ≤ 127 hashes.

/** Tree levels covered by one tile. */
export const TILE_HEIGHT = 8;
/** Hashes in a full tile (2^TILE_HEIGHT). */
export const TILE_WIDTH = 256;

/** Which tile to read, and how many of its hashes (from position 0) the caller needs. */
export interface TileRequest {
  readonly level: number;
  readonly index: number;
  /** Minimum width needed, 1..256; a store may return more (a wider or full version of the tile). */
  readonly width: number;
}

/**
 * Batched tile access, so a database adapter can answer a whole proof in one round trip.
 * The result maps `tileKey(level, index)` to the tile's hashes from position 0; missing tiles are
 * simply absent. Hashes of complete nodes never change, so any version at least `width` wide is fine.
 */
export interface TileReader {
  readTiles(requests: readonly TileRequest[]): Promise<Map<string, Buffer[]>>;
}

/**
 * New hashes for one tile: positions `offset` .. `width − 1` of tile (level, index). Tiles only
 * grow, so a store appends `hashes` to a tile that currently holds exactly `offset` hashes.
 */
export interface TileUpdate {
  readonly level: number;
  readonly index: number;
  /** Width of the tile before this update. */
  readonly offset: number;
  /** Width after it; 256 means the tile is now full and immutable. */
  readonly width: number;
  readonly hashes: readonly Buffer[];
}

export interface TileWriter {
  writeTiles(updates: readonly TileUpdate[]): Promise<void>;
}

/** Map key of a tile in TileReader results. */
export function tileKey(level: number, index: number): string {
  return `${level}/${index}`;
}

/**
 * The tlog-tiles resource path of a tile, e.g. `tile/0/x001/x234/067.p/5`: zero-padded three-digit
 * path elements so tiles can be served straight from a file system.
 */
export function tilePath(level: number, index: number, width: number = TILE_WIDTH): string {
  if (!Number.isSafeInteger(level) || level < 0 || level > 63) throw new RangeError(`invalid tile level ${level}`);
  if (!Number.isSafeInteger(index) || index < 0) throw new RangeError(`invalid tile index ${index}`);
  if (!Number.isSafeInteger(width) || width < 1 || width > TILE_WIDTH) throw new RangeError(`invalid tile width ${width}`);
  const elements: string[] = [];
  let rest = index;
  do {
    elements.unshift(String(rest % 1000).padStart(3, '0'));
    rest = Math.floor(rest / 1000);
  } while (rest > 0);
  const nIndex = elements.map((element, i) => (i < elements.length - 1 ? `x${element}` : element)).join('/');
  return `tile/${level}/${nIndex}${width < TILE_WIDTH ? `.p/${width}` : ''}`;
}

/**
 * Parses a tlog-tiles path below `tile/` (`<L>/<N>[.p/<W>]`, e.g. `0/x001/x234/067.p/5`) strictly:
 * one spelling per tile (no leading zeros in L or W, 3-digit elements, `x` on all but the last).
 * Returns null for anything else, including entry bundles (`entries/…`).
 */
export function parseTilePath(path: string): { level: number; index: number; width: number } | null {
  const match = /^(0|[1-9][0-9]?)\/((?:x[0-9]{3}\/)*[0-9]{3})(?:\.p\/([1-9][0-9]{0,2}))?$/.exec(path);
  if (!match) return null;
  const level = Number(match[1]);
  const width = match[3] === undefined ? TILE_WIDTH : Number(match[3]);
  if (level > 63 || width >= TILE_WIDTH + (match[3] === undefined ? 1 : 0)) return null;
  let index = 0;
  for (const element of match[2]!.split('/')) index = index * 1000 + Number(element.replace('x', ''));
  if (!Number.isSafeInteger(index)) return null;
  // A leading "x000/" would be a second spelling of the same index.
  if (tilePath(level, index, width) !== `tile/${path}`) return null;
  return { level, index, width };
}

/** Width of the rightmost tile of a level for a tree of `size` leaves (tlog-tiles "Partial Tiles"); 0 when it is full or absent. */
export function partialTileWidth(size: number, level: number): number {
  return Math.floor(size / TILE_WIDTH ** level) % TILE_WIDTH;
}

/**
 * Turns the nodes completed by a batch of appends (CompactRange.append) into the tile updates a
 * store must apply. Only levels that are multiples of TILE_HEIGHT are stored; others are derived.
 */
export function changedTiles(completedNodes: Iterable<TreeNode>): TileUpdate[] {
  const byTile = new Map<string, { level: number; index: number; positions: Map<number, Buffer> }>();
  for (const node of completedNodes) {
    if (node.level % TILE_HEIGHT !== 0) continue;
    const level = node.level / TILE_HEIGHT;
    const index = Math.floor(node.index / TILE_WIDTH);
    const key = tileKey(level, index);
    let tile = byTile.get(key);
    if (tile === undefined) {
      tile = { level, index, positions: new Map() };
      byTile.set(key, tile);
    }
    tile.positions.set(node.index % TILE_WIDTH, node.hash);
  }
  const updates: TileUpdate[] = [];
  for (const { level, index, positions } of byTile.values()) {
    const sorted = [...positions.keys()].sort((a, b) => a - b);
    const offset = sorted[0]!;
    const width = sorted[sorted.length - 1]! + 1;
    if (width - offset !== sorted.length) {
      throw new Error(`nodes for tile ${tileKey(level, index)} are not contiguous (positions ${offset}..${width - 1} with gaps)`);
    }
    updates.push({ level, index, offset, width, hashes: sorted.map((position) => positions.get(position)!) });
  }
  return updates.sort((a, b) => a.level - b.level || a.index - b.index);
}

/**
 * Tiles kept in memory: for tests, and the reference behaviour for persistent adapters
 * (append-only tiles, idempotent re-application, refusal of gaps and of conflicting hashes).
 * Feed it either through appendLeaves (it keeps its own CompactRange) or through writeTiles
 * (from your own CompactRange), not both: the two would disagree and be refused as a fork.
 */
export class InMemoryTileStore implements TileReader, TileWriter {
  private readonly tiles = new Map<string, Buffer[]>();
  private readonly range = CompactRange.empty();

  /** Leaves appended through appendLeaves. */
  get size(): number {
    return this.range.size;
  }

  /** Appends leaf hashes and stores the tiles they change; returns the new root. */
  appendLeaves(leafHashes: Iterable<Buffer>): Buffer {
    this.applyUpdates(changedTiles(this.range.appendAll(leafHashes)));
    return this.range.root();
  }

  async writeTiles(updates: readonly TileUpdate[]): Promise<void> {
    this.applyUpdates(updates);
  }

  async readTiles(requests: readonly TileRequest[]): Promise<Map<string, Buffer[]>> {
    const result = new Map<string, Buffer[]>();
    for (const { level, index } of requests) {
      const tile = this.tiles.get(tileKey(level, index));
      if (tile !== undefined) result.set(tileKey(level, index), [...tile]);
    }
    return result;
  }

  /** Every stored tile with its current width, ordered by level then index. */
  listTiles(): Array<{ level: number; index: number; width: number }> {
    return [...this.tiles.entries()]
      .map(([key, hashes]) => {
        const [level, index] = key.split('/').map(Number) as [number, number];
        return { level, index, width: hashes.length };
      })
      .sort((a, b) => a.level - b.level || a.index - b.index);
  }

  private applyUpdates(updates: readonly TileUpdate[]): void {
    // Stage on copies so that a rejected batch leaves the store untouched.
    const staged = new Map<string, Buffer[]>();
    for (const update of updates) {
      const key = tileKey(update.level, update.index);
      const tile = staged.get(key) ?? [...(this.tiles.get(key) ?? [])];
      appendToTile(key, tile, update);
      staged.set(key, tile);
    }
    for (const [key, tile] of staged) this.tiles.set(key, tile);
  }
}

function appendToTile(key: string, tile: Buffer[], { offset, width, hashes }: TileUpdate): void {
  if (!Number.isSafeInteger(offset) || offset < 0 || width > TILE_WIDTH || width - offset !== hashes.length || hashes.length === 0) {
    throw new Error(`malformed update of tile ${key}: offset ${offset}, width ${width}, ${hashes.length} hashes`);
  }
  if (hashes.some((hash) => hash.length !== HASH_SIZE)) throw new Error(`update of tile ${key} has a hash that is not ${HASH_SIZE} bytes`);
  if (offset > tile.length) {
    throw new Error(`update of tile ${key} starts at ${offset} but the tile holds only ${tile.length} hashes`);
  }
  // Re-applying an update is a no-op, but a different hash for an existing position is a fork.
  for (let position = offset; position < width; position++) {
    const hash = hashes[position - offset]!;
    if (position < tile.length) {
      if (!tile[position]!.equals(hash)) throw new Error(`update of tile ${key} conflicts with the stored hash at position ${position}`);
    } else {
      tile.push(hash);
    }
  }
}
