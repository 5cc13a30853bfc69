/**
 * Errors with a stable code and no transport knowledge: one HTTP filter maps codes to statuses,
 * the CLI maps them to exit codes.
 */
export abstract class LedgerError extends Error {
  abstract readonly code: string;
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
}

export class InvalidEventsError extends LedgerError {
  readonly code = 'LEDGER.INVALID_EVENTS';
  constructor(readonly problems: FieldProblem[]) {
    super(`${problems.length} problem(s) in the submitted events`, problems);
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

export class StoreUnavailableError extends LedgerError {
  readonly code = 'LEDGER.STORE_UNAVAILABLE';
}

/** A query parameter or path segment a client sent that breaks its rule. */
export class InvalidRequestError extends LedgerError {
  readonly code = 'LEDGER.INVALID_REQUEST';
  constructor(readonly problems: FieldProblem[]) {
    super(problems.map((p) => p.message).join('; '), problems);
  }
}
