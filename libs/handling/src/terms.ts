import {
  instant,
  parsePolicy,
  POLICY_DEFAULTS,
  POLICY_KEYS,
  type ContractEventData,
  type EventOfType,
  type ParsedPolicy,
  type Policy,
  type PolicyKey,
} from '@ledger/domain';
import type { Entry } from './entry.js';

type Of<T extends 'ContractRegistered' | 'ContractAmended'> = Entry<EventOfType<T>>;

/** The contract terms in force at some time (RULES.md "Inputs and time"). */
export interface Terms {
  /** False when no ContractRegistered is known: then nothing is permitted. */
  readonly registered: boolean;
  readonly purposes: readonly string[];
  readonly dataCategories: readonly string[];
  readonly permitsSubcontracting: boolean;
  /** The contract term in epoch ms, null when not registered. */
  readonly term: { readonly start: number; readonly end: number } | null;
  /** The event that set the term in force (ContractRegistered or the ContractAmended that changed it). */
  readonly termSource: Entry | null;
  readonly policy: Readonly<Policy>;
  readonly durations: ParsedPolicy;
  /** Policy keys the contract set itself (registration or amendments); the others are the ledger's defaults. */
  readonly explicit: ReadonlySet<PolicyKey>;
}

export const NO_TERMS: Terms = Object.freeze({
  registered: false,
  purposes: [],
  dataCategories: [],
  permitsSubcontracting: false,
  term: null,
  termSource: null,
  policy: POLICY_DEFAULTS,
  durations: parsePolicy(POLICY_DEFAULTS),
  explicit: new Set<PolicyKey>(),
});

function parseTerm(term: ContractEventData['ContractRegistered']['term']): { start: number; end: number } {
  return { start: instant(term.start), end: instant(term.end) };
}

/** Policy keys that are actually given (an explicit undefined does not erase a default). */
function definedPolicy(policy: Partial<Policy> | undefined): Partial<Policy> {
  const out: Partial<Policy> = {};
  if (!policy) return out;
  for (const key of POLICY_KEYS) {
    const value = policy[key];
    if (value !== undefined) (out as Record<PolicyKey, unknown>)[key] = value;
  }
  return out;
}

/** The terms a registration puts in force. */
export function registeredTerms(e: Of<'ContractRegistered'>): Terms {
  const data = e.event.data;
  const given = definedPolicy(data.policy);
  const policy: Policy = { ...POLICY_DEFAULTS, ...given };
  return {
    registered: true,
    purposes: data.purposes,
    dataCategories: data.dataCategories,
    permitsSubcontracting: data.permitsSubcontracting,
    term: parseTerm(data.term),
    termSource: e,
    policy,
    durations: parsePolicy(policy),
    explicit: new Set(Object.keys(given) as PolicyKey[]),
  };
}

/** An amendment replaces each field it gives; policy keys merge one by one. */
export function amendTerms(terms: Terms, e: Of<'ContractAmended'>): Terms {
  const data = e.event.data;
  const given = definedPolicy(data.policy);
  const changed = Object.keys(given).length > 0;
  const policy: Policy = changed ? { ...terms.policy, ...given } : terms.policy;
  return {
    registered: true,
    purposes: data.purposes ?? terms.purposes,
    dataCategories: data.dataCategories ?? terms.dataCategories,
    permitsSubcontracting: data.permitsSubcontracting ?? terms.permitsSubcontracting,
    term: data.term ? parseTerm(data.term) : terms.term,
    termSource: data.term ? e : terms.termSource,
    policy,
    durations: changed ? parsePolicy(policy) : terms.durations,
    explicit: changed ? new Set([...terms.explicit, ...(Object.keys(given) as PolicyKey[])]) : terms.explicit,
  };
}
