import type pg from 'pg';

/**
 * `COPY … FROM STDIN` of bytes already encoded, as a node-pg "submittable" (the extension point
 * pg-cursor and pg-copy-streams use): the statement, then the data (one CopyData message per buffer), then the end.
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
    connection.query(this.text);
  }

  handleCopyInResponse(connection: CopyConnection): void {
    for (const chunk of this.data) connection.sendCopyFromChunk(chunk);
    connection.endCopyFrom();
  }

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
