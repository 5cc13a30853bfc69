import type { FieldProblem } from './generated/ledger-types.js';

/** An answer of the ledger that is not a success: its status, stable `code`, message and, for refused events, every problem. */
export class LedgerHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly problems: FieldProblem[] = [],
    readonly details?: unknown,
  ) {
    super(`${status} ${code}: ${message}`);
    this.name = 'LedgerHttpError';
  }
}

/** The ledger could not be reached, or kept answering 429/503, after every retry. */
export class LedgerUnavailableError extends Error {
  constructor(
    message: string,
    readonly attempts: number,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'LedgerUnavailableError';
  }
}

/** An NDJSON stream the ledger stopped: everything before `stoppedAt` was written, nothing from it on. */
export class LedgerStreamStoppedError extends LedgerHttpError {
  constructor(
    status: number,
    code: string,
    message: string,
    problems: FieldProblem[],
    readonly acknowledged: number,
    readonly stoppedAt: { index: number; line: number },
  ) {
    super(status, code, message, problems);
    this.name = 'LedgerStreamStoppedError';
  }
}
