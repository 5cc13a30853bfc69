import { roleAllows, type Principal } from './api-keys.js';

/**
 * Who may read every leaf of the log by position (GET /v1/log/entries), whatever its contract:
 * city-wide auditors. This is the one place that says so.
 *
 * Today a key has a role and no scope, so every auditor key is city-wide. When keys carry a party
 * and a contract scope (issue 10), this becomes:
 *   return roleAllows(principal.role, 'auditor') && principal.party === 'city' && principal.contracts === 'all';
 */
export function mayReadWholeLog(principal: Principal): boolean {
  return roleAllows(principal.role, 'auditor');
}
