import { parseDuration, type Duration } from './time.js';

/**
 * A contract's policy (RULES.md "Policy keys, v2"): the rulebook's deadlines and the few facts the
 * memorandum leaves to the contract. A contract's `policy` overrides each key; an amendment merges
 * key by key.
 */
export interface Policy {
  /** Art. 15: incident → report to the city. */
  incidentReportWithin: string;
  /** Art. 14: disposal instruction, contract end or "no longer needed" → return or disposal. */
  disposalWithin: string;
  /** Art. 13: transport start → completion when no expectedArrivalAt. */
  transportWithin: string;
  /** Art. 11-3: departure → pledge (after), and departure → holdings surrendered. */
  pledgeWithin: string;
  /** Art. 11-3: how long before a departure a pledge still counts. */
  pledgeLookback: string;
  /** Art. 12-2: improvement request → consultation when no dueAt; null: the memorandum sets none. */
  consultationWithin: string | null;
  /** Art. 10, `rolling` cycle: longest interval between inspections. */
  inspectionEvery: string;
  /** Art. 10: `fiscal_year` (one inspection in each 年度 the term overlaps) or `rolling` (inspectionEvery). */
  inspectionCycle: InspectionCycle;
  /** Art. 5: locations where a copy must be anonymized. */
  anonymizeLocations: string[];
  /** Art. 5: copy to such a location → anonymized. */
  anonymizeWithin: string;
  /** APPI Art. 68: data categories that are 要配慮個人情報. */
  sensitiveCategories: string[];
  /** APPI Art. 68: the city learns of a reportable incident → 速報 to the PPC. */
  ppcPreliminaryWithin: string;
  /** APPI Art. 68: → 確報; absent: P30D, or P60D for unauthorized_access and theft. */
  ppcFinalWithin: string | null;
  /** APPI Art. 68(2): → notice to the persons concerned. */
  personNoticeWithin: string;
  /**
   * EVENTS.md v2 "Signed events": when true, the ledger refuses an unsigned event for the contract
   * (400) and one signed by a key that is not the acting party's, or not valid then (403).
   * Absent: false. A switch of the ledger, not of the rulebook: it has no entry in POLICY_DEFAULTS.
   */
  requireSignedEvents?: boolean;
}

export type InspectionCycle = 'fiscal_year' | 'rolling';
export const INSPECTION_CYCLES: readonly InspectionCycle[] = ['fiscal_year', 'rolling'];

/** The rulebook's keys: the ones with a default. */
export type PolicyKey = Exclude<keyof Policy, 'requireSignedEvents'>;

/** Keys whose value is an ISO 8601 duration (always set, or null where the default is "none"). */
export type DurationKey = {
  [K in PolicyKey]: Policy[K] extends string ? K : Policy[K] extends string | null ? K : never;
}[PolicyKey];

export const POLICY_DEFAULTS: Readonly<Required<Pick<Policy, PolicyKey>>> = Object.freeze({
  incidentReportWithin: 'PT24H',
  disposalWithin: 'P30D',
  transportWithin: 'PT24H',
  pledgeWithin: 'P1D',
  pledgeLookback: 'P30D',
  consultationWithin: null,
  inspectionEvery: 'P1Y',
  inspectionCycle: 'fiscal_year',
  anonymizeLocations: Object.freeze([]) as unknown as string[],
  anonymizeWithin: 'PT24H',
  sensitiveCategories: Object.freeze([]) as unknown as string[],
  ppcPreliminaryWithin: 'P5D',
  ppcFinalWithin: null,
  personNoticeWithin: 'P30D',
});

export const POLICY_KEYS = Object.keys(POLICY_DEFAULTS) as PolicyKey[];

export const DURATION_KEYS: readonly DurationKey[] = [
  'incidentReportWithin',
  'disposalWithin',
  'transportWithin',
  'pledgeWithin',
  'pledgeLookback',
  'consultationWithin',
  'inspectionEvery',
  'anonymizeWithin',
  'ppcPreliminaryWithin',
  'ppcFinalWithin',
  'personNoticeWithin',
];

/** The parsed durations of a policy; null where the policy sets none. */
export type ParsedPolicy = { readonly [K in DurationKey]: Policy[K] extends string ? Duration : Duration | null };

export function parsePolicy(policy: Policy): ParsedPolicy {
  const parsed: Partial<Record<DurationKey, Duration | null>> = {};
  for (const key of DURATION_KEYS) {
    const text = policy[key];
    if (text === null) {
      parsed[key] = null;
      continue;
    }
    const d = parseDuration(text);
    if (!d) throw new Error(`policy.${key} is not an ISO 8601 duration: ${text}`);
    parsed[key] = d;
  }
  return parsed as ParsedPolicy;
}
