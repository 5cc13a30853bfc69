/**
 * Parties and what each may state (EVENTS.md v2 "Parties and contracts"): a credential and a
 * signing key belong to the city or to one contractor; a contractor speaks only for its own
 * contracts, only in event types whose `by` column names the contractor, and only as `contractor`
 * or one of its subcontractors. Pure: the caller says which contractor each contract has.
 */
import { EVENT_SPECS, mayRecord, type LedgerEvent } from './event-catalogue.js';
import type { FieldProblem } from './errors.js';

export type Party = 'city' | `contractor:${string}`;

export const PARTY_PATTERN = /^(city|contractor:[A-Za-z0-9][A-Za-z0-9._-]{0,63})$/;
export const PARTY_RULE = '`city` or `contractor:<id>` (id: 1-64 of A-Z a-z 0-9 . _ -)';

/** A key's public ID (API keys and parties' signing keys): 16 lowercase hex digits, random, never derived from a secret. */
export const KEY_ID_PATTERN = /^[0-9a-f]{16}$/;
export const KEY_ID_RULE = "a key's ID: 16 lowercase hex digits";

export function isParty(value: unknown): value is Party {
  return typeof value === 'string' && PARTY_PATTERN.test(value);
}

export function contractorParty(contractorId: string): Party {
  return `contractor:${contractorId}`;
}

/** The contractor's ID of a `contractor:<id>` party, null for the city. */
export function contractorIdOf(party: Party): string | null {
  return party === 'city' ? null : party.slice('contractor:'.length);
}

/** The contracts a credential covers: every contract, or the listed ones. */
export type ContractScope = 'all' | readonly string[];

export function scopeIncludes(scope: ContractScope, contractId: string): boolean {
  return scope === 'all' || scope.includes(contractId);
}

/**
 * The party that states an event: the city for `actor.org` city, the contract's contractor for the
 * contractor and its subcontractors (a subcontractor works under the contractor's responsibility).
 * Null when the contract's contractor is not known.
 */
export function actingParty(actorOrg: string, contractorId: string | null): Party | null {
  if (actorOrg === 'city') return 'city';
  return contractorId === null ? null : contractorParty(contractorId);
}

/** Who asks to append: the credential's party and scope. */
export interface Speaker {
  party: Party;
  contracts: ContractScope;
}

/**
 * Why a speaker may not append these events (empty: it may). `contractorOf` gives each contract's
 * contractorId, null when the contract is not registered. For a contractor, a contract that is not
 * registered and one of another contractor get the same answer, so refusals reveal nothing of other
 * contracts. Every problem names the field: `contractId`, `type` or `actor.org`.
 */
export function appendRefusals(speaker: Speaker, events: readonly LedgerEvent[], contractorOf: (contractId: string) => string | null): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const own = contractorIdOf(speaker.party);
  events.forEach((event, index) => {
    const problem = (field: string, rule: string, message: string): void => {
      problems.push({ index, field, rule, message });
    };
    const inScope = speaker.contracts === 'all' || speaker.contracts.includes(event.contractId);
    if (own === null) {
      if (!inScope) problem('contractId', 'inScope', `contract ${event.contractId} is not in this key's scope`);
      return;
    }
    if (!inScope || contractorOf(event.contractId) !== own) {
      problem('contractId', 'ownContract', `contract ${event.contractId} is not one of the contracts of ${speaker.party} this key may write to`);
    }
    if (!mayRecord(event.type, 'contractor')) {
      problem('type', 'statedByCity', `${event.type} is stated by the city (docs/events.md: by ${EVENT_SPECS[event.type].by.join(' or ')}); a ${speaker.party} key may not append it`);
    }
    if (event.actor.org === 'city') {
      problem('actor.org', 'ownParty', `a ${speaker.party} key states the contractor's facts: actor.org must be contractor or subcontractor:<id>, not city`);
    }
  });
  return problems;
}

/** What a contract's own events say about who may speak for it: its contractor and its signing policy. */
export interface ContractAuthority {
  /** null until ContractRegistered is seen. */
  readonly contractorId: string | null;
  readonly requireSignedEvents: boolean;
}

export const UNREGISTERED: ContractAuthority = Object.freeze({ contractorId: null, requireSignedEvents: false });

/**
 * The authority terms after one more event of the contract, in log order (ContractRegistered names
 * the contractor, which no amendment changes; each policy that says requireSignedEvents sets it).
 */
export function evolveAuthority(terms: ContractAuthority, event: LedgerEvent): ContractAuthority {
  // Offline verifiers call this on events they have not validated: nothing here may assume a field.
  const data = event.data as { contractorId?: unknown; policy?: { requireSignedEvents?: unknown } } | undefined;
  const required = data?.policy?.requireSignedEvents;
  if (event.type === 'ContractRegistered') {
    return {
      contractorId: terms.contractorId ?? (typeof data?.contractorId === 'string' ? data.contractorId : null),
      requireSignedEvents: typeof required === 'boolean' ? required : terms.requireSignedEvents,
    };
  }
  if (event.type === 'ContractAmended' && typeof required === 'boolean') return { ...terms, requireSignedEvents: required };
  return terms;
}
