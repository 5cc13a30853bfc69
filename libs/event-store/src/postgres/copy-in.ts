import type pg from 'pg';

/**
 * `COPY … FROM STDIN` of bytes already encoded, as a node-pg "submittable" (the extension point
 * pg-cursor and pg-copy-streams use): the statement, the data (one CopyData message per buffer)
 * and the end, written together, without waiting for PostgreSQL's CopyInResponse. PostgreSQL reads
 * them in order: the COPY takes the data that follows its statement; and if the statement fails
 * before it reads any, the backend skips the CopyData and CopyDone messages that arrive outside a
 * COPY (the protocol says so; postgres.c "Accept but ignore these messages"). One write and one
 * wait instead of two of each: on this kind of machine a message to PostgreSQL costs the writer
 * about 0.2 ms of CPU (the write wakes the backend), and a group commit pays that per round trip.
 * The statement may be followed by others in the same simple query (`COPY …; COMMIT`): they run
 * after the data, in the same round trip. Resolves with the rows the COPY took once every statement
 * is done; rejects with PostgreSQL's error (the transaction is then aborted).
 */
export function copyIn(client: pg.PoolClient, statement: string, data: readonly Buffer[]): Promise<number> {
  const copy = new CopyIn(statement, data);
  void client.query(copy as unknown as pg.QueryConfig);
  return copy.done;
}

interface CopyConnection {
  /** The socket: corked around the messages, they leave in one write. */
  readonly stream: { cork(): void; uncork(): void };
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
  sendCopyFail(message: string): void;
}

class CopyIn {
  readonly done: Promise<number>;
  private resolve!: (rows: number) => void;
  private reject!: (error: unknown) => void;
  private rows = -1;

  constructor(
    private readonly text: string,
    private readonly data: readonly Buffer[],
  ) {
    this.done = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }

  submit(connection: CopyConnection): void {
    connection.stream.cork();
    try {
      connection.query(this.text);
      for (const chunk of this.data) connection.sendCopyFromChunk(chunk);
      connection.endCopyFrom();
    } finally {
      connection.stream.uncork();
    }
  }

  /** The data went with the statement. */
  handleCopyInResponse(): void {}

  /** Statements may follow the COPY in the same message (a COMMIT): only the COPY's count is kept. */
  handleCommandComplete(message: { text: string }): void {
    const copied = /^COPY (\d+)/.exec(message.text);
    if (copied) this.rows = Number(copied[1]);
  }

  /** node-pg drops the query on an error (its ReadyForQuery goes to no one): settle here. */
  handleError(error: unknown): void {
    this.reject(error);
  }

  handleReadyForQuery(): void {
    if (this.rows < 0) this.reject(new Error(`${this.text.split(' (')[0]} did not complete`));
    else this.resolve(this.rows);
  }

  handleCopyData(): void {}
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handlePortalSuspended(): void {}
  handleEmptyQuery(): void {}
}
