/** IDs of contracts, records, workers, copies… (EVENTS.md "Envelope"). Pseudonymous codes, never names. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const ID_RULE = 'an ID: 1-64 of A-Z a-z 0-9 . _ -, starting with a letter or digit';

export const UUID_PATTERN = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** `city`, `contractor` or `subcontractor:<id>`. */
export const ACTOR_ORG_PATTERN = /^(city|contractor|subcontractor:[A-Za-z0-9][A-Za-z0-9._-]{0,63})$/;
/** The org a worker belongs to (WorkerAuthorized.org): never the city. */
export const WORKER_ORG_PATTERN = /^(contractor|subcontractor:[A-Za-z0-9][A-Za-z0-9._-]{0,63})$/;

export function isId(value: unknown): value is string {
  return typeof value === 'string' && ID_PATTERN.test(value);
}

/** The subcontractor's ID in `subcontractor:<id>`, or null for the city and the contractor. */
export function subcontractorOf(org: string): string | null {
  return org.startsWith('subcontractor:') ? org.slice('subcontractor:'.length) : null;
}

export function contractStreamId(contractId: string): string {
  return `contract-${contractId}`;
}

export function recordStreamId(contractId: string, recordId: string): string {
  return `record-${contractId}-${recordId}`;
}
