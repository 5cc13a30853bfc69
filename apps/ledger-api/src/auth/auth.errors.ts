import { LedgerError } from '@ledger/domain';

export { ForbiddenError } from '@ledger/domain';

export class UnauthenticatedError extends LedgerError {
  readonly code = 'LEDGER.UNAUTHENTICATED';
}
