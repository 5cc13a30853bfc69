import { LedgerError, type FieldProblem } from '@ledger/domain';

/** A tree size the log cannot answer for: beyond what is integrated, or too small for the question. */
export class TreeSizeError extends LedgerError {
  readonly code = 'LEDGER.TREE_SIZE_UNAVAILABLE';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message, [{ index: null, field, rule: 'treeSize', message } satisfies FieldProblem]);
  }
}

/** No checkpoint has been signed yet (an empty log, or the signer has not run). */
export class NoCheckpointError extends LedgerError {
  readonly code = 'LEDGER.NO_CHECKPOINT';
}

/** The signing key is missing, unreadable or does not match the log. */
export class SigningKeyError extends LedgerError {
  readonly code = 'LEDGER.SIGNING_KEY';
}

/**
 * The Merkle log found something it must not sign or integrate: an event whose stored hash is not
 * the hash of its content, a gap, or a tree inconsistent with an earlier checkpoint.
 */
export class LogIntegrityError extends LedgerError {
  readonly code = 'LEDGER.LOG_INTEGRITY';
}
