import { isCityWide, roleAllows, type Principal } from './api-keys.js';

/**
 * Who may read every leaf of the log by position (GET /v1/log/entries), whatever its contract:
 * city-wide auditors (the city's auditor or admin keys for all contracts). This is the one place
 * that says so; the route's @CityWide scope rule enforces the same in the ScopeGuard.
 */
export function mayReadWholeLog(principal: Principal): boolean {
  return roleAllows(principal.role, 'auditor') && isCityWide(principal);
}
