import type { LedgerEvent } from '@ledger/domain';
import type { Party } from './verdict.js';

/** Whose act an event is: the city's when its actor is the city, else the contractor's (with its subcontractors). */
export function partyOf(event: LedgerEvent): Party {
  return event.actor.org === 'city' ? 'city' : 'contractor';
}
