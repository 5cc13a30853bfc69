import { Inject, Injectable } from '@nestjs/common';
import { contractorIdOf, contractStreamId, evolveAuthority, scopeIncludes, UNREGISTERED, type ContractAuthority } from '@ledger/domain';
import { EVENT_STORE, type EventStore } from '@ledger/event-store';
import type { Principal } from '../auth/api-keys.js';

interface Entry {
  terms: ContractAuthority;
  /** Stream version of the last contract event applied (−1: none). */
  version: number;
  checkedAt: number;
}

/** How long a contract's policy may be taken from memory before its stream is read again. */
const FRESH_MS = 1_000;
const MAX_ENTRIES = 100_000;

/**
 * Who speaks for each contract and its signing policy, from the contract's own stream
 * (ContractRegistered's contractorId, requireSignedEvents of its policy and amendments). A
 * contract's contractor never changes, so it is remembered; the policy is read again when older
 * than a second, or at once after this process appended to the contract's stream (another API
 * process's amendment takes effect here within that second).
 */
@Injectable()
export class ContractDirectory {
  private readonly entries = new Map<string, Entry>();

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** The contract's terms now (UNREGISTERED when it has no ContractRegistered). */
  async authority(contractId: string): Promise<ContractAuthority> {
    const now = performance.now();
    let entry = this.entries.get(contractId);
    if (entry !== undefined && now - entry.checkedAt < FRESH_MS) return entry.terms;
    entry ??= { terms: UNREGISTERED, version: -1, checkedAt: 0 };
    for (;;) {
      const page = await this.store.readStream(contractStreamId(contractId), { fromVersion: entry.version + 1, limit: 1_000 });
      for (const recorded of page) entry = { terms: evolveAuthority(entry.terms, recorded.event), version: recorded.streamVersion, checkedAt: 0 };
      if (page.length < 1_000) break;
    }
    entry.checkedAt = now;
    if (entry.version >= 0) {
      if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(contractId, entry);
    }
    return entry.terms;
  }

  /** The contract's contractor, null when it is not registered (remembered once known: it never changes). */
  async contractorOf(contractId: string): Promise<string | null> {
    const known = this.entries.get(contractId)?.terms.contractorId;
    if (known) return known;
    return (await this.authority(contractId)).contractorId;
  }

  /** After this process appended to these contracts' streams: their policy is read again on next use. */
  touched(contractIds: Iterable<string>): void {
    for (const id of contractIds) {
      const entry = this.entries.get(id);
      if (entry) entry.checkedAt = 0;
    }
  }

  /**
   * Whether the principal may read the contract (EVENTS.md v2): in its scope and, for a contractor's
   * key, one of its own contracts. A contract that does not exist is never readable, so an answer
   * outside the scope and one for a missing contract cannot be told apart.
   */
  async readable(principal: Pick<Principal, 'party' | 'contracts'>, contractId: string): Promise<boolean> {
    if (!scopeIncludes(principal.contracts, contractId)) return false;
    const own = contractorIdOf(principal.party);
    if (own === null) return true;
    return (await this.contractorOf(contractId)) === own;
  }
}
