import { ApiKeyRegistry, roleAllows, type Principal, type Role } from './api-keys.js';
import { ForbiddenError, UnauthenticatedError } from './auth.errors.js';

/**
 * Who sent `Authorization: Bearer <secret>`, allowed `required` when given; throws 401/403.
 * The guard asks it for every protected route; the request edge (http/request-limits.ts) asks it
 * before a body is read, so an unknown caller never makes the service receive one.
 */
export function authenticate(authorization: string | undefined, keys: ApiKeyRegistry, required?: Role): Principal {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!match) throw new UnauthenticatedError('missing credentials: send Authorization: Bearer <api key>');
  const principal = keys.authenticate(match[1]!);
  if (!principal) throw new UnauthenticatedError('unknown API key');
  if (required && !roleAllows(principal.role, required)) {
    throw new ForbiddenError(`this needs the ${required} role; the key has the ${principal.role} role`);
  }
  return principal;
}
