import type { FastifyRequest } from 'fastify';
import { ApiKeyRegistry, roleAllows, type Principal, type Role } from './api-keys.js';
import { ForbiddenError, UnauthenticatedError } from './auth.errors.js';
import type { RateLimiter } from './rate-limits.js';

/** One answer for every key that does not authenticate: unknown, revoked, expired or past its grace. */
export const INVALID_KEY_MESSAGE = 'the API key is not valid';

export interface Authenticator {
  keys: ApiKeyRegistry;
  limiter: RateLimiter;
  clock: () => number;
}

/**
 * Who sent the request (`Authorization: Bearer <secret>`), allowed `required`; throws 401/403/429.
 * A source address that failed to authenticate too often is refused (429) before its key is even
 * looked at; each key's request budget is charged once per request; then the role is checked.
 * The request edge (http/request-limits.ts) calls it before a body is read, the guard for every
 * protected route; the principal left on the request makes the second call check the role only.
 */
export function authenticateRequest(request: FastifyRequest & { principal?: Principal }, auth: Authenticator, required?: Role): Principal {
  let principal = request.principal;
  if (!principal) {
    const source = request.ip;
    auth.limiter.checkSource(source);
    const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
    if (!match) throw new UnauthenticatedError('missing credentials: send Authorization: Bearer <api key>');
    principal = auth.keys.authenticate(match[1]!, auth.clock()) ?? undefined;
    if (!principal) {
      auth.limiter.authenticationFailed(source);
      throw new UnauthenticatedError(INVALID_KEY_MESSAGE);
    }
    request.principal = principal;
    auth.limiter.request(principal.keyId);
  }
  if (required && !roleAllows(principal.role, required)) {
    throw new ForbiddenError(`this needs the ${required} role; the key has the ${principal.role} role`);
  }
  return principal;
}
