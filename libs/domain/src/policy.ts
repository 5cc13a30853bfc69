import { parseDuration, type Duration } from './time.js';

/** Deadlines of the rulebook (RULES.md "Policy defaults"); a contract's `policy` may override each. */
export interface Policy {
  incidentReportWithin: string;
  disposalWithin: string;
  transportWithin: string;
  pledgeWithin: string;
  consultationWithin: string;
  inspectionEvery: string;
}

export type PolicyKey = keyof Policy;

export const POLICY_DEFAULTS: Readonly<Policy> = Object.freeze({
  incidentReportWithin: 'PT24H',
  disposalWithin: 'P30D',
  transportWithin: 'PT72H',
  pledgeWithin: 'P1D',
  consultationWithin: 'P14D',
  inspectionEvery: 'P1Y',
});

export const POLICY_KEYS = Object.keys(POLICY_DEFAULTS) as PolicyKey[];

export type ParsedPolicy = { readonly [K in PolicyKey]: Duration };

export function parsePolicy(policy: Policy): ParsedPolicy {
  const parsed = {} as Record<PolicyKey, Duration>;
  for (const key of POLICY_KEYS) {
    const d = parseDuration(policy[key]);
    if (!d) throw new Error(`policy.${key} is not an ISO 8601 duration: ${policy[key]}`);
    parsed[key] = d;
  }
  return parsed;
}
