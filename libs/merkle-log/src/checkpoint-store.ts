import type { Queryable } from './queryable.js';

/** A row of log_checkpoints. `note` is the signed note; the other columns are copies for queries. */
export interface StoredCheckpoint {
  /** Order of signing, 1, 2, 3 … */
  readonly seq: number;
  readonly treeSize: number;
  readonly rootHash: Buffer;
  /** Hex note key ID of the key that signed it. */
  readonly keyId: string;
  /** The C2SP signed note: checkpoint body, blank line, signature line. */
  readonly note: string;
  /** When it was signed, ISO 8601 UTC (not part of the signed text). */
  readonly signedAt: string;
}

interface Row {
  seq: string;
  tree_size: string;
  root_hash: Buffer;
  key_id: string;
  note: string;
  signed_at: Date;
}

const COLUMNS = 'seq, tree_size, root_hash, key_id, note, signed_at';

function fromRow(row: Row): StoredCheckpoint {
  return {
    seq: Number(row.seq),
    treeSize: Number(row.tree_size),
    rootHash: Buffer.from(row.root_hash),
    keyId: row.key_id,
    note: row.note,
    signedAt: row.signed_at.toISOString(),
  };
}

/** Every signed checkpoint, in table log_checkpoints (the database refuses UPDATE and DELETE). */
export class PostgresCheckpointStore {
  constructor(private readonly db: Queryable) {}

  /** The checkpoint with the largest tree size, or null before the first one. */
  async latest(db: Queryable = this.db): Promise<StoredCheckpoint | null> {
    const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM log_checkpoints ORDER BY tree_size DESC LIMIT 1`);
    return rows[0] ? fromRow(rows[0]) : null;
  }

  async atSize(treeSize: number): Promise<StoredCheckpoint | null> {
    const { rows } = await this.db.query<Row>(`SELECT ${COLUMNS} FROM log_checkpoints WHERE tree_size = $1`, [treeSize]);
    return rows[0] ? fromRow(rows[0]) : null;
  }

  /** Checkpoints in signing order, from seq > afterSeq. */
  async list(afterSeq: number, limit: number): Promise<StoredCheckpoint[]> {
    const { rows } = await this.db.query<Row>(`SELECT ${COLUMNS} FROM log_checkpoints WHERE seq > $1 ORDER BY seq LIMIT $2`, [afterSeq, limit]);
    return rows.map(fromRow);
  }

  /** Every checkpoint in signing order (the verifier reads them all; each is a few hundred bytes). */
  async all(): Promise<StoredCheckpoint[]> {
    const { rows } = await this.db.query<Row>(`SELECT ${COLUMNS} FROM log_checkpoints ORDER BY seq`);
    return rows.map(fromRow);
  }

  /** Appends with the next seq; the caller holds the signer's lock, so numbers have no gaps. */
  async append(db: Queryable, checkpoint: Omit<StoredCheckpoint, 'seq'>): Promise<StoredCheckpoint> {
    const { rows } = await db.query<Row>(
      `INSERT INTO log_checkpoints (seq, tree_size, root_hash, key_id, note, signed_at)
       SELECT coalesce(max(seq), 0) + 1, $1, $2, $3, $4, $5 FROM log_checkpoints
       RETURNING ${COLUMNS}`,
      [checkpoint.treeSize, checkpoint.rootHash, checkpoint.keyId, checkpoint.note, checkpoint.signedAt],
    );
    return fromRow(rows[0]!);
  }
}
