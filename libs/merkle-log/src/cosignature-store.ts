import { addSignatures, type Cosignature } from '@ledger/integrity';
import type { Queryable } from './queryable.js';

/** A witness's cosignature of one checkpoint, as stored. */
export interface StoredCosignature extends Cosignature {
  readonly treeSize: number;
}

interface Row {
  tree_size: string;
  witness: string;
  key_id: string;
  cosigned_at: Date;
  line: string;
}

/**
 * Witness cosignatures in checkpoint_cosignatures (append-only). Only cosignatures that verified
 * against a configured witness key are stored (the requester checks before it writes).
 */
export class PostgresCosignatureStore {
  constructor(private readonly db: Queryable) {}

  /** Stores a verified cosignature; storing the same one again is a no-op. */
  async add(treeSize: number, cosignature: Cosignature, receivedAt: Date): Promise<void> {
    await this.db.query(
      `INSERT INTO checkpoint_cosignatures (tree_size, witness, key_id, cosigned_at, line, received_at)
       VALUES ($1, $2, $3, to_timestamp($4), $5, $6) ON CONFLICT DO NOTHING`,
      [treeSize, cosignature.name, cosignature.keyId, cosignature.timestamp, cosignature.line, receivedAt],
    );
  }

  /** Cosignatures of the checkpoints of these sizes, by size, in witness order. */
  async forSizes(sizes: readonly number[]): Promise<Map<number, StoredCosignature[]>> {
    const result = new Map<number, StoredCosignature[]>();
    if (sizes.length === 0) return result;
    const { rows } = await this.db.query<Row>(
      `SELECT tree_size, witness, key_id, cosigned_at, line FROM checkpoint_cosignatures
        WHERE tree_size = ANY($1::bigint[]) ORDER BY tree_size, witness, key_id`,
      [[...new Set(sizes)]],
    );
    for (const row of rows) {
      const size = Number(row.tree_size);
      const list = result.get(size) ?? [];
      list.push({ treeSize: size, name: row.witness, keyId: row.key_id, timestamp: Math.floor(row.cosigned_at.getTime() / 1000), line: row.line });
      result.set(size, list);
    }
    return result;
  }

  /** The largest checkpoint size this witness key cosigned, 0 for none. */
  async latestSize(witness: string, keyId: string): Promise<number> {
    const { rows } = await this.db.query<{ size: string | null }>(
      `SELECT max(tree_size) AS size FROM checkpoint_cosignatures WHERE witness = $1 AND key_id = $2`,
      [witness, keyId],
    );
    return Number(rows[0]?.size ?? 0);
  }

  /** A checkpoint's note with its stored cosignatures appended (the note alone when it has none). */
  async cosigned(note: string, treeSize: number): Promise<string> {
    const lines = (await this.forSizes([treeSize])).get(treeSize) ?? [];
    return lines.length === 0 ? note : addSignatures(note, lines.map((c) => c.line));
  }
}
