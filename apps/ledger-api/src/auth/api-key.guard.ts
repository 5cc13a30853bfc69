import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { LEDGER_RUNTIME, type LedgerRuntime } from '@ledger/runtime';
import { ApiKeyRegistry, type Principal, type Role } from './api-keys.js';
import { authenticateRequest } from './authenticate.js';
import { RateLimiter } from './rate-limits.js';
import { REQUIRED_ROLE } from './roles.decorator.js';

export { INVALID_KEY_MESSAGE } from './authenticate.js';

/**
 * Routes without @RequireRole are public (health, docs); the others need `Authorization: Bearer
 * <secret>`, checked by `authenticateRequest` (rate limits, key, role).
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
    authenticateRequest(request, { keys: this.keys, limiter: this.limiter, clock: this.runtime.clock }, required);
    return true;
  }
}
