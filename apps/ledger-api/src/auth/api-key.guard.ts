import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { LEDGER_RUNTIME, type LedgerRuntime } from '@ledger/runtime';
import { ApiKeyRegistry, roleAllows, type Principal, type Role } from './api-keys.js';
import { ForbiddenError, UnauthenticatedError } from './auth.errors.js';
import { CONSOLE_SESSION } from './console-session.decorator.js';
import { ConsoleSessions, cookieOf, SESSION_COOKIE, type ConsoleSession } from './console-sessions.js';
import { RateLimiter } from './rate-limits.js';
import { REQUIRED_ROLE } from './roles.decorator.js';

/** One answer for every key that does not authenticate: unknown, revoked, expired or past its grace. */
export const INVALID_KEY_MESSAGE = 'the API key is not valid';

/**
 * Routes without @RequireRole are public (health, docs); the others need `Authorization: Bearer
 * <secret>`, or, on the console's routes (@ConsoleSession), a console session opened with a key. A
 * source address that failed to authenticate too often is refused (429) before its key is even
 * looked at; each key's request budget is charged; then the role is checked.
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
    const source = request.ip;
    this.limiter.checkSource(source);
    let principal: Principal | null;
    if (request.headers.authorization === undefined && this.reflector.getAllAndOverride<boolean | undefined>(CONSOLE_SESSION, targets)) {
      // A session token is 256 random bits: guessing one is not a way in, so a missing or ended
      // session is not counted as a failed authentication.
      const token = cookieOf(request, SESSION_COOKIE);
      const session = token === null ? null : await this.sessions.resolve(token);
      if (!session) throw new UnauthenticatedError('sign in to the console: no session, or it has ended');
      request.consoleSession = session;
      principal = session.principal;
    } else {
      const header = request.headers.authorization ?? '';
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
      if (!match) throw new UnauthenticatedError('missing credentials: send Authorization: Bearer <api key>');
      principal = this.keys.authenticate(match[1]!, this.runtime.clock());
      if (!principal) {
        this.limiter.authenticationFailed(source);
        throw new UnauthenticatedError(INVALID_KEY_MESSAGE);
      }
    }
    request.principal = principal;
    this.limiter.request(principal.keyId);
    if (!roleAllows(principal.role, required)) {
      throw new ForbiddenError(`this needs the ${required} role; the key has the ${principal.role} role`);
    }
    return true;
  }
}
