import { HASH_SIZE, TILE_WIDTH, tileKey, type TileReader, type TileRequest, type TileUpdate, type TileWriter } from '@ledger/integrity';
import type { Queryable } from './queryable.js';

/** Splits a tile's stored bytes into its 32-byte hashes (views, not copies). */
export function splitHashes(bytes: Buffer): Buffer[] {
  const hashes: Buffer[] = new Array(bytes.length / HASH_SIZE);
  for (let i = 0; i < hashes.length; i++) hashes[i] = bytes.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE);
  return hashes;
}

/**
 * C2SP tlog-tiles in the table merkle_tiles (one row per tile, its hashes concatenated), following
 * the contract of libs/integrity/README.md: a proof's tiles come back in one query; a write
 * appends to tiles, re-applying an update is a no-op, and a gap or a different hash for a stored
 * position is refused as a fork (the table's trigger refuses it too).
 *
 * writeTiles must run inside the caller's transaction (pass the transaction's client), together
 * with the tree state, so tiles and state never disagree after a crash.
 */
export class PostgresTileStore implements TileReader, TileWriter {
  constructor(private readonly db: Queryable) {}

  async readTiles(requests: readonly TileRequest[]): Promise<Map<string, Buffer[]>> {
    const result = new Map<string, Buffer[]>();
    if (requests.length === 0) return result;
    const { rows } = await this.db.query<{ level: number; idx: string; hashes: Buffer }>(
      `SELECT t.level, t.idx, t.hashes
         FROM unnest($1::smallint[], $2::bigint[]) AS r(level, idx)
         JOIN merkle_tiles t ON t.level = r.level AND t.idx = r.idx`,
      [requests.map((r) => r.level), requests.map((r) => r.index)],
    );
    for (const row of rows) result.set(tileKey(row.level, Number(row.idx)), splitHashes(row.hashes));
    return result;
  }

  async writeTiles(updates: readonly TileUpdate[]): Promise<void> {
    if (updates.length === 0) return;
    const keys = new Map<string, { level: number; index: number }>();
    for (const u of updates) keys.set(tileKey(u.level, u.index), { level: u.level, index: u.index });
    const { rows } = await this.db.query<{ level: number; idx: string; hashes: Buffer }>(
      `SELECT t.level, t.idx, t.hashes
         FROM unnest($1::smallint[], $2::bigint[]) AS r(level, idx)
         JOIN merkle_tiles t ON t.level = r.level AND t.idx = r.idx
          FOR UPDATE OF t`,
      [[...keys.values()].map((k) => k.level), [...keys.values()].map((k) => k.index)],
    );
    const stored = new Map<string, Buffer[]>();
    for (const row of rows) stored.set(tileKey(row.level, Number(row.idx)), splitHashes(row.hashes));
    const changed = new Map<string, { level: number; index: number; hashes: Buffer[] }>();
    for (const update of updates) {
      const key = tileKey(update.level, update.index);
      const tile = changed.get(key)?.hashes ?? [...(stored.get(key) ?? [])];
      if (appendToTile(key, tile, update)) changed.set(key, { level: update.level, index: update.index, hashes: tile });
    }
    if (changed.size === 0) return;
    const tiles = [...changed.values()];
    await this.db.query(
      `INSERT INTO merkle_tiles (level, idx, width, hashes)
       SELECT * FROM unnest($1::smallint[], $2::bigint[], $3::smallint[], $4::bytea[])
       ON CONFLICT (level, idx) DO UPDATE SET width = EXCLUDED.width, hashes = EXCLUDED.hashes`,
      [tiles.map((t) => t.level), tiles.map((t) => t.index), tiles.map((t) => t.hashes.length), tiles.map((t) => Buffer.concat(t.hashes))],
    );
  }
}

/** Applies one update to a tile's hashes in place; returns whether the tile grew. */
function appendToTile(key: string, tile: Buffer[], { offset, width, hashes }: TileUpdate): boolean {
  if (!Number.isSafeInteger(offset) || offset < 0 || width > TILE_WIDTH || width - offset !== hashes.length || hashes.length === 0) {
    throw new Error(`malformed update of tile ${key}: offset ${offset}, width ${width}, ${hashes.length} hashes`);
  }
  if (hashes.some((hash) => hash.length !== HASH_SIZE)) throw new Error(`update of tile ${key} has a hash that is not ${HASH_SIZE} bytes`);
  if (offset > tile.length) throw new Error(`update of tile ${key} starts at ${offset} but the tile holds only ${tile.length} hashes`);
  let grew = false;
  for (let position = offset; position < width; position++) {
    const hash = hashes[position - offset]!;
    if (position < tile.length) {
      if (!tile[position]!.equals(hash)) throw new Error(`update of tile ${key} conflicts with the stored hash at position ${position}`);
    } else {
      tile.push(hash);
      grew = true;
    }
  }
  return grew;
}
