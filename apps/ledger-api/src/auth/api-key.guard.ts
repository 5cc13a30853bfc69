import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { LEDGER_RUNTIME, type LedgerRuntime } from '@ledger/runtime';
import { ApiKeyRegistry, roleAllows, type Principal, type Role } from './api-keys.js';
import { ForbiddenError, UnauthenticatedError } from './auth.errors.js';
import { RateLimiter } from './rate-limits.js';
import { REQUIRED_ROLE } from './roles.decorator.js';

/** One answer for every key that does not authenticate: unknown, revoked, expired or past its grace. */
export const INVALID_KEY_MESSAGE = 'the API key is not valid';

/**
 * Routes without @RequireRole are public (health, docs); the others need `Authorization: Bearer
 * <secret>`. A source address that failed to authenticate too often is refused (429) before its
 * key is even looked at; each key's request budget is charged; then the role is checked.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(ApiKeyRegistry) private readonly keys: ApiKeyRegistry,
    @Inject(RateLimiter) private readonly limiter: RateLimiter,
    @Inject(LEDGER_RUNTIME) private readonly runtime: LedgerRuntime,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const required = this.reflector.getAllAndOverride<Role | undefined>(REQUIRED_ROLE, [context.getHandler(), context.getClass()]);
    if (!required) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest & { principal?: Principal }>();
    const source = request.ip;
    this.limiter.checkSource(source);
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw new UnauthenticatedError('missing credentials: send Authorization: Bearer <api key>');
    const principal = this.keys.authenticate(match[1]!, this.runtime.clock());
    if (!principal) {
      this.limiter.authenticationFailed(source);
      throw new UnauthenticatedError(INVALID_KEY_MESSAGE);
    }
    request.principal = principal;
    this.limiter.request(principal.keyId);
    if (!roleAllows(principal.role, required)) {
      throw new ForbiddenError(`this needs the ${required} role; the key has the ${principal.role} role`);
    }
    return true;
  }
}
