import { Inject, Injectable } from '@nestjs/common';
import {
  actingParty,
  appendRefusals,
  evolveAuthority,
  ForbiddenError,
  InvalidEventsError,
  isRecordEvent,
  type ContractAuthority,
  type FieldProblem,
  type LedgerEvent,
} from '@ledger/domain';
import { LEDGER_RUNTIME, type LedgerRuntime } from '@ledger/runtime';
import type { Principal } from '../auth/api-keys.js';
import { RateLimiter } from '../auth/rate-limits.js';
import { ContractDirectory } from './contract-directory.js';
import { SigningKeyring } from './signing-keyring.js';

/**
 * Whether a key may append a batch (EVENTS.md v2, docs/security.md), decided before anything of
 * it is written, in this order: the key's party and scope (403 naming contractId, type or
 * actor.org); the contracts' signing policy (400: an unsigned event where signatures are required);
 * every signature (403: not the acting party's key, not valid now, or not verifying); and the key's
 * event budget (429). Any refusal refuses the whole batch.
 */
@Injectable()
export class AppendAuthority {
  constructor(
    private readonly directory: ContractDirectory,
    private readonly keyring: SigningKeyring,
    @Inject(RateLimiter) private readonly limiter: RateLimiter,
    @Inject(LEDGER_RUNTIME) private readonly runtime: LedgerRuntime,
  ) {}

  async admit(principal: Principal, events: readonly LedgerEvent[]): Promise<void> {
    const terms = new Map<string, ContractAuthority>();
    for (const event of events) if (!terms.has(event.contractId)) terms.set(event.contractId, await this.directory.authority(event.contractId));

    const refusals = appendRefusals(principal, events, (contractId) => terms.get(contractId)!.contractorId);
    if (refusals.length > 0) {
      throw new ForbiddenError(`this ${principal.party} key may not append ${count(refusals)} of these events: nothing of the batch was written`, refusals);
    }

    const unsigned: FieldProblem[] = [];
    const forged: FieldProblem[] = [];
    const keyring = this.keyring.current();
    const now = this.runtime.clock();
    events.forEach((event, index) => {
      const contract = terms.get(event.contractId)!;
      if (event.signature !== undefined) {
        const verdict = keyring.check(event, actingParty(event.actor.org, contract.contractorId), now);
        if (!verdict.ok) forged.push({ index, field: verdict.fault === 'unknown-key' ? 'signature.keyId' : 'signature', rule: verdict.fault, message: `event ${index}: ${verdict.message}` });
      } else if (contract.requireSignedEvents) {
        const party = actingParty(event.actor.org, contract.contractorId);
        unsigned.push({
          index,
          field: 'signature',
          rule: 'required',
          message: `contract ${event.contractId} requires signed events (policy requireSignedEvents): sign the event with a key of ${party} (docs/security.md "Signing events")`,
        });
      }
      // Events of the batch apply to the ones after them (a registration, an amendment of the policy).
      if (!isRecordEvent(event)) terms.set(event.contractId, evolveAuthority(contract, event));
    });
    if (unsigned.length > 0) throw new InvalidEventsError(unsigned);
    if (forged.length > 0) throw new ForbiddenError(`${count(forged)} of these events are not signed by their acting party: nothing of the batch was written`, forged);

    this.limiter.appendEvents(principal.keyId, events.length);
  }

  /** After a commit: contract events may have changed a policy, read it again on next use. */
  appended(events: readonly LedgerEvent[]): void {
    this.directory.touched(events.filter((e) => !isRecordEvent(e)).map((e) => e.contractId));
  }
}

function count(problems: readonly FieldProblem[]): string {
  const events = new Set(problems.map((p) => p.index)).size;
  return events === 1 ? 'one' : String(events);
}
