import { CompactRange, HASH_SIZE } from '@ledger/integrity';
import { splitHashes } from './postgres-tile-store.js';
import type { Queryable } from './queryable.js';

/** What the integrator has appended so far: the tree size, its appender state and root. */
export interface TreeState {
  readonly size: number;
  readonly range: CompactRange;
  readonly rootHash: Buffer;
}

/** Reads merkle_log_state; `forUpdate` locks the row for the rest of the caller's transaction. */
export async function readTreeState(db: Queryable, forUpdate = false): Promise<TreeState> {
  const { rows } = await db.query<{ tree_size: string; frontier: Buffer; root_hash: Buffer }>(
    `SELECT tree_size, frontier, root_hash FROM merkle_log_state WHERE id = 1${forUpdate ? ' FOR UPDATE' : ''}`,
  );
  const row = rows[0];
  if (!row) throw new Error('merkle_log_state has no row: the Merkle log migration has not run');
  const size = Number(row.tree_size);
  if (row.frontier.length % HASH_SIZE !== 0) throw new Error('merkle_log_state.frontier is not a list of 32-byte hashes');
  const range = CompactRange.fromFrontier(size, splitHashes(row.frontier).map((h) => Buffer.from(h)));
  return { size, range, rootHash: Buffer.from(row.root_hash) };
}

/** Writes the appender state in the caller's transaction; refuses if another writer moved it. */
export async function writeTreeState(db: Queryable, previousSize: number, range: CompactRange, at: Date): Promise<void> {
  const result = await db.query(
    `UPDATE merkle_log_state SET tree_size = $1, frontier = $2, root_hash = $3, updated_at = $4
      WHERE id = 1 AND tree_size = $5`,
    [range.size, Buffer.concat(range.hashes()), range.root(), at, previousSize],
  );
  if (result.rowCount !== 1) throw new Error(`the Merkle log state is no longer at tree size ${previousSize}: another integrator wrote it`);
}
