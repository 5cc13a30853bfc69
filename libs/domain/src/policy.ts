import { parseDuration, type Duration } from './time.js';

/**
 * A contract's policy: the deadlines of the rulebook (RULES.md "Policy defaults"), each of which
 * the contract's `policy` may override, and its switches.
 */
export interface Policy {
  incidentReportWithin: string;
  disposalWithin: string;
  transportWithin: string;
  pledgeWithin: string;
  consultationWithin: string;
  inspectionEvery: string;
  /**
   * EVENTS.md v2 "Signed events": when true, the ledger refuses an unsigned event for the contract
   * (400) and one signed by a key that is not the acting party's, or not valid then (403).
   * Absent: false. Not a deadline, so it has no entry in POLICY_DEFAULTS.
   */
  requireSignedEvents?: boolean;
}

/** The deadline keys (ISO 8601 durations): the ones with a default. */
export type PolicyKey = Exclude<keyof Policy, 'requireSignedEvents'>;

export const POLICY_DEFAULTS: Readonly<Required<Pick<Policy, PolicyKey>>> = Object.freeze({
  incidentReportWithin: 'PT24H',
  disposalWithin: 'P30D',
  transportWithin: 'PT72H',
  pledgeWithin: 'P1D',
  consultationWithin: 'P14D',
  inspectionEvery: 'P1Y',
});

export const POLICY_KEYS = Object.keys(POLICY_DEFAULTS) as PolicyKey[];

export type ParsedPolicy = { readonly [K in PolicyKey]: Duration };

export function parsePolicy(policy: Pick<Policy, PolicyKey>): ParsedPolicy {
  const parsed = {} as Record<PolicyKey, Duration>;
  for (const key of POLICY_KEYS) {
    const d = parseDuration(policy[key]);
    if (!d) throw new Error(`policy.${key} is not an ISO 8601 duration: ${policy[key]}`);
    parsed[key] = d;
  }
  return parsed;
}

