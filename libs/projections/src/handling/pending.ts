import type { ProjectionTransaction } from '../runner/projection.js';

/**
 * Statements of a batch sent without waiting for them: they run in the batch's transaction, on its
 * one connection, one after the other in the order they were sent (`query` chains them), so a later
 * statement sees what an earlier one wrote, while the next chunk's folds run here. A statement sent
 * before a write does not see it: only heads of other records are read ahead (see `applyHandling` in
 * handling.projection.ts).
 * `settle` waits for all of them and throws the first failure (a later statement then fails only
 * because the transaction aborted).
 */
export class Pending {
  private readonly sent: Promise<void>[] = [];
  private grouped = 0;
  private failure: { error: unknown } | undefined;
  private tail: Promise<unknown> = Promise.resolve();
  /** The batch's transaction with its statements chained: every statement of this projection goes through it. */
  readonly tx: ProjectionTransaction;

  constructor(tx: ProjectionTransaction) {
    this.tx = {
      ...tx,
      query: <T>(sql: string, parameters?: readonly unknown[]): Promise<T[]> => {
        const result = this.tail.then(() => tx.query<T>(sql, parameters));
        this.tail = result.catch(() => undefined);
        return result;
      },
    };
  }

  /** Sends a statement; the promise returned settles when it has run (it never rejects: failures show in `settle`). */
  send(statement: Promise<unknown>): Promise<void> {
    const ran = statement.then(
      () => undefined,
      (error: unknown) => {
        this.failure ??= { error };
      },
    );
    this.sent.push(ran);
    return ran;
  }

  /** A promise of the statements sent since the last call (it never rejects: failures show in `settle`). */
  group(): Promise<void> {
    const group = Promise.all(this.sent.slice(this.grouped)).then(() => undefined);
    this.grouped = this.sent.length;
    return group;
  }

  /** Throws the first failure so far, if any. */
  check(): void {
    if (this.failure) throw this.failure.error;
  }

  /** Waits for every statement sent; throws the first that failed. */
  async settle(): Promise<void> {
    await Promise.all(this.sent);
    this.check();
  }

  /** Waits for every statement sent, then throws the first failure, or `error` if none failed. */
  async fail(error: unknown): Promise<never> {
    await Promise.all(this.sent);
    throw this.failure ? this.failure.error : error;
  }
}
