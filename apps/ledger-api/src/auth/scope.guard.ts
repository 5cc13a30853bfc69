import { Inject, Injectable, Logger, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { contractNotFound, eventNotFound, ID_PATTERN, UUID_PATTERN } from '@ledger/domain';
import { EVENT_STORE, type EventStore } from '@ledger/event-store';
import { ACCESS_LOGGED } from '../access-log/access-logged.decorator.js';
import { describeRead } from '../access-log/access-log.interceptor.js';
import { AccessLogWriter } from '../access-log/access-log.writer.js';
import { ContractDirectory } from '../authority/contract-directory.js';
import { isCityWide, type Principal } from './api-keys.js';
import { ForbiddenError } from './auth.errors.js';
import { REQUIRED_ROLE } from './roles.decorator.js';
import { SCOPE, type ScopeRule } from './scope.decorator.js';

type Request = FastifyRequest & { principal?: Principal };

/**
 * Read scope, in one place for every route (runs after ApiKeyGuard): a contract outside the key's
 * scope, or another contractor's, answers 404 exactly as a contract that does not exist, and an
 * event of such a contract as an event that does not exist. The refusal of an access-logged read
 * is recorded in the access log like any other answer.
 */
@Injectable()
export class ScopeGuard implements CanActivate {
  private readonly logger = new Logger('scope');

  constructor(
    private readonly reflector: Reflector,
    private readonly directory: ContractDirectory,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly accessLog: AccessLogWriter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (!this.reflector.getAllAndOverride(REQUIRED_ROLE, targets)) return true;
    const rule = this.reflector.getAllAndOverride<ScopeRule | undefined>(SCOPE, targets);
    const request = context.switchToHttp().getRequest<Request>();
    if (rule === undefined) {
      // Fail closed: a route that needs a key and says nothing about scope is a programming error.
      this.logger.error(`${request.method} ${request.routeOptions?.url ?? request.url} declares no scope rule (auth/scope.decorator.ts)`);
      throw new Error('route without a scope rule');
    }
    const principal = request.principal!;
    if (rule.kind === 'contract') {
      const contractId = (request.params as Record<string, string | undefined>)[rule.param];
      // A malformed ID is the controller's 400; a well-formed one outside the scope is "not registered".
      if (contractId === undefined || !ID_PATTERN.test(contractId)) return true;
      if (!(await this.directory.readable(principal, contractId))) await this.refuse(context, request, contractNotFound(contractId));
    } else if (rule.kind === 'city-wide') {
      if (!isCityWide(principal)) throw new ForbiddenError(`this reads every contract at once: it needs a city key for all contracts (${rule.why})`);
    } else if (rule.kind === 'event') {
      const eventId = (request.query as Record<string, unknown>)[rule.query];
      if (typeof eventId !== 'string' || !UUID_PATTERN.test(eventId)) return true;
      if (principal.contracts === 'all' && principal.party === 'city') return true;
      const [event] = await this.store.readByEventIds([eventId.toLowerCase()]);
      if (event && !(await this.directory.readable(principal, event.event.contractId))) await this.refuse(context, request, eventNotFound(eventId));
    }
    return true;
  }

  private async refuse(context: ExecutionContext, request: Request, error: Error): Promise<never> {
    if (this.reflector.get<boolean | undefined>(ACCESS_LOGGED, context.getHandler())) {
      await this.accessLog.write({ ...describeRead(request), status: 404 }).catch(() => undefined);
    }
    throw error;
  }
}
