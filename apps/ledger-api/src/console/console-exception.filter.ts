import { Catch, Inject, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { LEDGER_RUNTIME, type LedgerRuntime } from '@ledger/runtime';
import { errorAnswer } from '../http/ledger-exception.filter.js';
import { contextOf, type ConsoleRequest } from './console-context.js';
import { queryString } from './html.js';
import { errorPage } from './views/error.view.js';

/** Where a console URL may send the browser after sign-in: a console path of this service, nothing else. */
export function safeNext(value: unknown): string {
  return typeof value === 'string' && /^\/console(\/[^\s\\]*|\?[^\s\\]*)?$/.test(value) && !value.startsWith('//') ? value : '/console';
}

/**
 * The console's errors as pages (the API's JSON answers stay the API's): a read without a session
 * goes to the sign-in page and comes back after it; every other error is a page with the very
 * status and message the API would give (so a contract outside the key's scope still reads exactly
 * as one that does not exist).
 */
@Catch()
export class ConsoleExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('console');

  constructor(@Inject(LEDGER_RUNTIME) private readonly runtime: LedgerRuntime) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<ConsoleRequest>();
    const reply = http.getResponse<FastifyReply>();
    const { retryAfter, ...answer } = errorAnswer(error);
    if (answer.statusCode >= 500) this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    if (answer.statusCode === 401) {
      const next = request.method === 'GET' ? safeNext(request.url) : '/console';
      void reply.status(303).header('location', `/console/sign-in${queryString({ next: next === '/console' ? null : next, expired: 1 })}`).send();
      return;
    }
    if (retryAfter !== undefined) void reply.header('retry-after', String(retryAfter));
    const ctx = contextOf(request, this.runtime.clock());
    void reply
      .status(answer.statusCode)
      .header('content-type', 'text/html; charset=utf-8')
      .send(errorPage(ctx, answer.statusCode, answer.statusCode >= 500 ? 'internal error' : answer.message, answer.errors ?? []).text);
  }
}
