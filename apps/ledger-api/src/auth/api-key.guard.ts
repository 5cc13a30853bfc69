import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { LEDGER_RUNTIME, type LedgerRuntime } from '@ledger/runtime';
import { ApiKeyRegistry, type Principal, type Role } from './api-keys.js';
import { UnauthenticatedError } from './auth.errors.js';
import { authenticateRequest } from './authenticate.js';
import { CONSOLE_SESSION } from './console-session.decorator.js';
import { ConsoleSessions, cookieOf, SESSION_COOKIE, type ConsoleSession } from './console-sessions.js';
import { RateLimiter } from './rate-limits.js';
import { REQUIRED_ROLE } from './roles.decorator.js';

export { INVALID_KEY_MESSAGE } from './authenticate.js';

/**
 * Routes without @RequireRole are public (health, docs); the others need `Authorization: Bearer
 * <secret>`, checked by `authenticateRequest` (rate limits, key, role), or, on the console's routes
 * (@ConsoleSession), a console session opened with a key: the same source limit, key budget and
 * role check apply to the session's key.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(ApiKeyRegistry) private readonly keys: ApiKeyRegistry,
    @Inject(RateLimiter) private readonly limiter: RateLimiter,
    @Inject(LEDGER_RUNTIME) private readonly runtime: LedgerRuntime,
    @Inject(ConsoleSessions) private readonly sessions: ConsoleSessions,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const required = this.reflector.getAllAndOverride<Role | undefined>(REQUIRED_ROLE, targets);
    if (!required) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest & { principal?: Principal; consoleSession?: ConsoleSession }>();
    if (!request.principal && request.headers.authorization === undefined && this.reflector.getAllAndOverride<boolean | undefined>(CONSOLE_SESSION, targets)) {
      this.limiter.checkSource(request.ip);
      // A session token is 256 random bits: guessing one is not a way in, so a missing or ended
      // session is not counted as a failed authentication.
      const token = cookieOf(request, SESSION_COOKIE);
      const session = token === null ? null : await this.sessions.resolve(token);
      if (!session) throw new UnauthenticatedError('sign in to the console: no session, or it has ended');
      request.consoleSession = session;
      request.principal = session.principal;
      this.limiter.request(session.principal.keyId);
    }
    authenticateRequest(request, { keys: this.keys, limiter: this.limiter, clock: this.runtime.clock }, required);
    return true;
  }
}
