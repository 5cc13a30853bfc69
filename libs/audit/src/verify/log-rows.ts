import type { Queryable } from '@ledger/merkle-log';

/**
 * One stored row of ledger_events as the verifier reads it: every column as the text PostgreSQL
 * sends, so nothing is parsed twice (hashes as hex, timestamps as epoch milliseconds).
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

// date_part is float8 arithmetic, several times cheaper for the server than numeric extract().
const ROWS_SQL = `
  SELECT position, canonical, encode(hash, 'hex'), encode(prev_hash, 'hex'), event_id, stream_id, stream_version, type, contract_id, record_id,
         date_part('epoch', occurred_at) * 1000, date_part('epoch', recorded_at) * 1000
    FROM ledger_events
   WHERE position > $1 AND position <= $2
   ORDER BY position
   LIMIT $3`;

// Every column as the text PostgreSQL sent: no Date, Buffer or number parsing we would redo anyway.
const RAW_TEXT = { getTypeParser: () => (value: string) => value };

/** Rows with after < position ≤ until, in position order, at most `limit`. */
export async function fetchRows(db: Queryable, after: number, until: number, limit: number): Promise<LogRow[]> {
  const result = await (db as unknown as { query(config: object): Promise<{ rows: LogRow[] }> }).query({
    text: ROWS_SQL,
    values: [after, until, limit],
    rowMode: 'array',
    types: RAW_TEXT,
  });
  return result.rows;
}

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
