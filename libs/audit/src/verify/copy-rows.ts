import type pg from 'pg';

/** Columns of a row as `COPY … (FORMAT binary)` sends them: see ROW_COLUMNS. */
export const FIELDS = 12;

/**
 * The verifier's columns, in this order: position int8, canonical text, hash bytea, prev_hash
 * bytea, event_id as text, stream_id, stream_version int4, type, contract_id, record_id,
 * occurred_at and recorded_at timestamptz (int8 microseconds since 2000-01-01 UTC).
 */
const ROW_COLUMNS =
  'position, canonical, hash, prev_hash, event_id::text, stream_id, stream_version, type, contract_id, record_id, occurred_at, recorded_at';

/**
 * Called once per row, synchronously, with the message bytes and where each field lies in them
 * (offset, length; length −1 for NULL). The bytes are only valid during the call.
 */
export type TupleHandler = (bytes: Buffer, offsets: Int32Array, lengths: Int32Array) => void;

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

/**
 * Streams rows first … last of ledger_events in position order with binary COPY: the row bytes
 * as PostgreSQL sends them, no text decoding, the event's canonical text as the very UTF-8 bytes
 * that were hashed. PostgreSQL produces rows while the handler checks the previous ones.
 */
export async function copyRows(pool: pg.Pool, first: number, last: number, onTuple: TupleHandler): Promise<number> {
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(last)) throw new RangeError('positions must be integers');
  const client = await pool.connect();
  let open = false;
  let discard = false;
  try {
    // Rows in position order straight off the primary key, so that they stream while PostgreSQL
    // reads them and the verifier checks the first ones as the next are read. Left to itself, the
    // planner may pick a bitmap scan and a sort instead (it does on a table not yet analyzed): then
    // nothing arrives until the whole chunk is read and sorted, and the sort alone costs PostgreSQL
    // about as much as the reading. SET LOCAL: only for this read-only transaction, not the pool.
    await client.query('BEGIN READ ONLY');
    open = true;
    await client.query('SET LOCAL enable_sort = off; SET LOCAL enable_bitmapscan = off; SET LOCAL enable_seqscan = off');
    const copy = new CopyOut(
      `COPY (SELECT ${ROW_COLUMNS} FROM ledger_events WHERE position BETWEEN ${first} AND ${last} ORDER BY position) TO STDOUT (FORMAT binary)`,
      onTuple,
    );
    client.query(copy as unknown as pg.QueryConfig);
    const rows = await copy.done;
    await client.query('COMMIT');
    open = false;
    return rows;
  } catch (error) {
    // A connection whose transaction could not be ended is not given back to the pool.
    if (open) {
      await client.query('ROLLBACK').catch(() => {
        discard = true;
      });
    }
    throw error;
  } finally {
    client.release(discard);
  }
}

/** A node-pg "submittable" (the extension point pg-cursor and pg-copy-streams use) for COPY TO STDOUT. */
class CopyOut {
  readonly done: Promise<number>;
  private resolve!: (rows: number) => void;
  private reject!: (error: unknown) => void;
  private failure: unknown = null;
  private headerSeen = false;
  private finished = false;
  private rows = 0;
  private pending: Buffer | null = null;
  private readonly offsets = new Int32Array(FIELDS);
  private readonly lengths = new Int32Array(FIELDS);

  constructor(
    private readonly text: string,
    private readonly onTuple: TupleHandler,
  ) {
    this.done = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }

  submit(connection: { query(text: string): void }): void {
    connection.query(this.text);
  }

  handleCopyData(message: { chunk: Buffer }): void {
    if (this.failure !== null) return;
    try {
      let bytes = message.chunk;
      if (this.pending !== null) {
        bytes = Buffer.concat([this.pending, bytes]);
        this.pending = null;
      }
      let at = 0;
      if (!this.headerSeen) {
        if (bytes.length < 19) {
          this.pending = Buffer.from(bytes);
          return;
        }
        if (!bytes.subarray(0, 11).equals(SIGNATURE)) throw new Error('COPY did not answer in binary format');
        at = 19 + bytes.readInt32BE(15);
        this.headerSeen = true;
      }
      while (at < bytes.length) {
        if (bytes.length - at < 2) break;
        const count = bytes.readInt16BE(at);
        if (count === -1) {
          this.finished = true;
          return;
        }
        if (count !== FIELDS) throw new Error(`COPY sent a row of ${count} fields, expected ${FIELDS}`);
        let cursor = at + 2;
        let complete = true;
        for (let i = 0; i < FIELDS; i++) {
          if (bytes.length - cursor < 4) {
            complete = false;
            break;
          }
          const length = bytes.readInt32BE(cursor);
          cursor += 4;
          this.offsets[i] = cursor;
          this.lengths[i] = length;
          if (length > 0) cursor += length;
          if (cursor > bytes.length) {
            complete = false;
            break;
          }
        }
        if (!complete) break;
        this.rows++;
        this.onTuple(bytes, this.offsets, this.lengths);
        at = cursor;
      }
      // A row split across messages (PostgreSQL sends one per message, but nothing requires it).
      if (at < bytes.length) this.pending = Buffer.from(bytes.subarray(at));
    } catch (error) {
      this.failure = error;
    }
  }

  handleCopyInResponse(connection: { sendCopyFail(message: string): void }): void {
    connection.sendCopyFail('the verifier only reads');
  }

  handleError(error: unknown): void {
    this.failure ??= error;
  }

  handleCommandComplete(): void {}
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handlePortalSuspended(): void {}
  handleEmptyQuery(): void {}

  handleReadyForQuery(): void {
    if (this.failure !== null) this.reject(this.failure);
    else if (!this.finished || this.pending !== null) this.reject(new Error('COPY ended before its trailer'));
    else this.resolve(this.rows);
  }
}
