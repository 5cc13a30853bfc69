/**
 * Errors with a stable code and no transport knowledge: one HTTP filter maps codes to statuses,
 * the CLI maps them to exit codes.
 */
/**
 * Every error code the ledger answers with: one list, so that the HTTP filter's status table
 * (`{ [C in LedgerErrorCode]: number }`) and the CLI's exit codes cannot miss a new one.
 */
export const LEDGER_ERROR_CODES = [
  'LEDGER.INVALID_EVENTS',
  'LEDGER.INVALID_REQUEST',
  'LEDGER.MALFORMED_JSON',
  'LEDGER.INVALID_UTF8',
  'LEDGER.JSON_TOO_DEEP',
  'LEDGER.UNSUPPORTED_MEDIA_TYPE',
  'LEDGER.UNSUPPORTED_ENCODING',
  'LEDGER.UNAUTHENTICATED',
  'LEDGER.FORBIDDEN',
  'LEDGER.NOT_FOUND',
  'LEDGER.EVENT_ID_CONFLICT',
  'LEDGER.STREAM_VERSION_CONFLICT',
  'LEDGER.CONTRACT_ALREADY_REGISTERED',
  'LEDGER.BOOTSTRAP_KEY',
  'LEDGER.BATCH_TOO_LARGE',
  'LEDGER.BODY_TOO_LARGE',
  'LEDGER.RATE_LIMITED',
  'LEDGER.UNKNOWN_CONTRACT',
  'LEDGER.STORE_UNAVAILABLE',
  'LEDGER.BUSY',
  'LEDGER.TREE_SIZE_UNAVAILABLE',
  'LEDGER.NO_CHECKPOINT',
  'LEDGER.SIGNING_KEY',
  'LEDGER.LOG_INTEGRITY',
] as const;

export type LedgerErrorCode = (typeof LEDGER_ERROR_CODES)[number];

export abstract class LedgerError extends Error {
  abstract readonly code: LedgerErrorCode;
  constructor(message: string, readonly details?: unknown) {
    super(message);
    this.name = new.target.name;
  }
}

/** One problem of one submitted event, named by the event's index in the batch and the field. */
export interface FieldProblem {
  /** Index of the event in the batch (0 for a single event); null for a problem of the batch itself. */
  index: number | null;
  field: string;
  rule: string;
  message: string;
  /** The message in Japanese: answers to Accept-Language: ja, when the rule has a translation. */
  messageJa?: string;
}

/** An error answer lists at most this many problems, and says how many there were in all. */
export const MAX_LISTED_PROBLEMS = 100;

/** Problems gathered up to the listing cap, every one counted (bounded memory whatever the input). */
export class ProblemList {
  readonly listed: FieldProblem[] = [];
  total = 0;

  add(...problems: FieldProblem[]): void {
    for (const problem of problems) {
      if (this.listed.length < MAX_LISTED_PROBLEMS) this.listed.push(problem);
      this.total += 1;
    }
  }

  get full(): boolean {
    return this.listed.length >= MAX_LISTED_PROBLEMS;
  }
}

function listedSummary(total: number, what: string): string {
  return `${total} problem(s) in ${what}${total > MAX_LISTED_PROBLEMS ? ` (the first ${MAX_LISTED_PROBLEMS} are listed)` : ''}`;
}

export class InvalidEventsError extends LedgerError {
  readonly code = 'LEDGER.INVALID_EVENTS';
  readonly problems: FieldProblem[];
  /** Every problem found, listed or not. */
  readonly total: number;
  constructor(problems: FieldProblem[] | ProblemList) {
    const listed = Array.isArray(problems) ? problems.slice(0, MAX_LISTED_PROBLEMS) : problems.listed;
    const total = Array.isArray(problems) ? problems.length : problems.total;
    super(listedSummary(total, 'the submitted events'), listed);
    this.problems = listed;
    this.total = total;
  }
}

export class BatchTooLargeError extends LedgerError {
  readonly code = 'LEDGER.BATCH_TOO_LARGE';
}

export class UnknownContractError extends LedgerError {
  readonly code = 'LEDGER.UNKNOWN_CONTRACT';
  constructor(readonly contractIds: string[], readonly indexes: number[]) {
    super(`contract not registered: ${contractIds.join(', ')} (register it with ContractRegistered first)`, { contractIds, indexes });
  }
}

export class EventIdConflictError extends LedgerError {
  readonly code = 'LEDGER.EVENT_ID_CONFLICT';
  constructor(readonly eventId: string, readonly index: number) {
    super(`eventId ${eventId} (event ${index}) was already recorded with different content`, { eventId, index });
  }
}

export class StreamVersionConflictError extends LedgerError {
  readonly code = 'LEDGER.STREAM_VERSION_CONFLICT';
  constructor(readonly streamId: string, readonly expected: string, readonly actual: number) {
    super(`stream ${streamId} is at version ${actual}, expected ${expected}`);
  }
}

export class ContractAlreadyRegisteredError extends LedgerError {
  readonly code = 'LEDGER.CONTRACT_ALREADY_REGISTERED';
  constructor(readonly contractId: string, readonly index: number) {
    super(`contract ${contractId} is already registered (event ${index}); use ContractAmended to change its terms`, { contractId, index });
  }
}

export class NotFoundError extends LedgerError {
  readonly code = 'LEDGER.NOT_FOUND';
}

/**
 * The one answer for a contract that is not registered, and for one outside the caller's scope
 * (EVENTS.md v2): the same words, so the answer tells nothing about other contracts.
 */
export function contractNotFound(contractId: string): NotFoundError {
  return new NotFoundError(`contract ${contractId} is not registered`);
}

/** The one answer for an event that is not in the ledger, and for one of a contract outside the caller's scope. */
export function eventNotFound(eventId: string): NotFoundError {
  const message = `eventId ${eventId} is not in the ledger`;
  return new NotFoundError(message, [{ index: null, field: 'eventId', rule: 'known', message }]);
}

/** The credential may not do this; `problems` name each refused field (an append's contractId, type, actor.org, signature). */
export class ForbiddenError extends LedgerError {
  readonly code = 'LEDGER.FORBIDDEN';
  constructor(message: string, readonly problems: FieldProblem[] = []) {
    super(message, problems.length > 0 ? problems : undefined);
  }
}

/** A budget is spent: try again after `retryAfterSeconds` (HTTP 429 with Retry-After). */
export class RateLimitedError extends LedgerError {
  readonly code = 'LEDGER.RATE_LIMITED';
  constructor(message: string, readonly retryAfterSeconds: number) {
    super(message);
  }
}

export class StoreUnavailableError extends LedgerError {
  readonly code = 'LEDGER.STORE_UNAVAILABLE';
}

/** A query parameter or path segment a client sent that breaks its rule. */
export class InvalidRequestError extends LedgerError {
  readonly code = 'LEDGER.INVALID_REQUEST';
  readonly problems: FieldProblem[];
  readonly total: number;
  constructor(problems: FieldProblem[]) {
    const listed = problems.slice(0, MAX_LISTED_PROBLEMS);
    super(problems.length > MAX_LISTED_PROBLEMS ? listedSummary(problems.length, 'the request') : listed.map((p) => p.message).join('; '), listed);
    this.problems = listed;
    this.total = problems.length;
  }
}
