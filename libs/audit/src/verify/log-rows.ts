import type { Queryable } from '@ledger/merkle-log';

/**
 * One stored row of ledger_events decoded for the verifier's exact path: every column as text
 * (hashes as hex, timestamps as epoch milliseconds). The fast path reads the same row's bytes
 * (copy-rows.ts) and decodes only rows that need a closer look.
 */
export type LogRow = [
  position: string,
  canonical: string,
  hash: string | null,
  prevHash: string | null,
  eventId: string,
  streamId: string,
  streamVersion: string,
  type: string,
  contractId: string,
  recordId: string | null,
  occurredAtMs: string,
  recordedAtMs: string,
];

/** The level-0 tiles (each its hashes concatenated) holding leaf indexes first … last, by tile index. */
export async function fetchLeafTiles(db: Queryable, first: number, last: number): Promise<Map<number, Buffer>> {
  const tiles = new Map<number, Buffer>();
  if (last < first) return tiles;
  const { rows } = await db.query<{ idx: string; hashes: Buffer }>(
    'SELECT idx, hashes FROM merkle_tiles WHERE level = 0 AND idx BETWEEN $1 AND $2',
    [Math.floor(first / 256), Math.floor(last / 256)],
  );
  for (const row of rows) tiles.set(Number(row.idx), row.hashes);
  return tiles;
}

/** Highest stored position (0 when empty) and the integrated tree size. */
export async function logExtent(db: Queryable): Promise<{ head: number; integrated: number }> {
  const { rows } = await db.query<{ head: string | null; integrated: string | null }>(
    `SELECT (SELECT max(position) FROM ledger_events) AS head, (SELECT tree_size FROM merkle_log_state WHERE id = 1) AS integrated`,
  );
  return { head: Number(rows[0]?.head ?? 0), integrated: Number(rows[0]?.integrated ?? 0) };
}
