import { LedgerError } from '@ledger/domain';

export class UnauthenticatedError extends LedgerError {
  readonly code = 'LEDGER.UNAUTHENTICATED';
}

export class ForbiddenError extends LedgerError {
  readonly code = 'LEDGER.FORBIDDEN';
}
