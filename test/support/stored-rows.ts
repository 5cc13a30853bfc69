import type pg from 'pg';
import { isFullStoredForm, spliceMetadata, type StoredMetadata } from '@ledger/integrity';

/**
 * What a tampering test needs to forge a row as a superuser who knows the format would: the
 * hashed text of the row at `position` (its stored text with the metadata columns spliced in when
 * the text is compact), its metadata columns, and its stored text.
 */
export async function hashedTextOf(db: pg.Pool | pg.Client, position: number): Promise<{ full: string; stored: string; meta: StoredMetadata }> {
  const { rows } = await db.query<{ canonical: string; stream_id: string; stream_version: number; recorded_at: Date; prev_hash: string | null }>(
    `SELECT canonical, stream_id, stream_version, recorded_at, encode(prev_hash, 'hex') AS prev_hash FROM ledger_events WHERE position = $1`,
    [position],
  );
  const row = rows[0];
  if (row === undefined) throw new Error(`no row at position ${position}`);
  const meta: StoredMetadata = { position, streamId: row.stream_id, streamVersion: row.stream_version, recordedAt: row.recorded_at.toISOString(), prevHash: row.prev_hash };
  const full = isFullStoredForm(JSON.parse(row.canonical) as Record<string, unknown>) ? row.canonical : spliceMetadata(row.canonical, meta);
  if (full === null) throw new Error(`the row at position ${position} holds no JSON object`);
  return { full, stored: row.canonical, meta };
}
