import { Body, Controller, Get, Inject, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ForbiddenError } from '@ledger/domain';
import { LEDGER_RUNTIME, type LedgerRuntime } from '@ledger/runtime';
import { roleAllows } from '../auth/api-keys.js';
import { ConsoleSessions, cookieOf, SESSION_COOKIE } from '../auth/console-sessions.js';
import { ConsoleForm } from '../auth/console-session.decorator.js';
import { RateLimiter } from '../auth/rate-limits.js';
import { contextOf, rememberLang, type ConsoleRequest } from './console-context.js';
import { ConsoleExceptionFilter, safeNext } from './console-exception.filter.js';
import { t } from './i18n.js';
import { signInPage } from './views/sign-in.view.js';

/**
 * Sign-in exchanges an API key for a console session (auth/console-sessions.ts); sign-out ends it.
 * Both are forms: the sign-in form is accepted only from the console's own pages (the browser's
 * Sec-Fetch-Site, else Origin), so no other site can sign a browser in; sign-out needs the
 * session's CSRF token besides the SameSite=Strict cookie. A wrong key counts as a failed
 * authentication of the address, like a wrong bearer key.
 */
@ApiExcludeController()
@Controller('console')
@UseFilters(ConsoleExceptionFilter)
export class ConsoleSignInController {
  constructor(
    @Inject(LEDGER_RUNTIME) private readonly runtime: LedgerRuntime,
    @Inject(ConsoleSessions) private readonly sessions: ConsoleSessions,
    @Inject(RateLimiter) private readonly limiter: RateLimiter,
  ) {}

  @Get('sign-in')
  signInForm(@Req() request: ConsoleRequest, @Res({ passthrough: true }) reply: FastifyReply, @Query() query: Record<string, unknown>): string {
    rememberLang(request, reply);
    const ctx = contextOf(request, this.runtime.clock());
    const notice = query.signedOut !== undefined ? t(ctx.lang, 'signedOut') : query.expired !== undefined ? t(ctx.lang, 'signInNeeded') : null;
    void reply.header('content-type', 'text/html; charset=utf-8');
    return signInPage(ctx, { next: safeNext(query.next), problem: null, notice }).text;
  }

  @Post('sign-in')
  @ConsoleForm()
  async signIn(@Req() request: ConsoleRequest, @Res() reply: FastifyReply, @Body() body: unknown): Promise<void> {
    refuseCrossSite(request);
    this.limiter.checkSource(request.ip);
    const form = (body ?? {}) as Record<string, unknown>;
    const ctx = contextOf(request, this.runtime.clock());
    if (form.lang === 'en' || form.lang === 'ja') ctx.lang = form.lang;
    const next = safeNext(form.next);
    const opened = typeof form.key === 'string' && form.key.length > 0 && form.key.length <= 512 ? await this.sessions.open(form.key.trim()) : null;
    const problem = opened === null ? t(ctx.lang, 'signInFailed') : roleAllows(opened.session.principal.role, 'officer') ? null : `${t(ctx.lang, 'signInFailed')} (${opened.session.principal.role})`;
    if (problem !== null) {
      if (opened === null) this.limiter.authenticationFailed(request.ip);
      else await this.sessions.close(opened.token);
      await reply.status(opened === null ? 401 : 403).header('content-type', 'text/html; charset=utf-8').send(signInPage(ctx, { next, problem, notice: null }).text);
      return;
    }
    this.sessions.setCookie(request, reply, opened!.token, opened!.session.expiresAt - this.runtime.clock());
    await reply.status(303).header('location', next).send();
  }

  @Post('sign-out')
  @ConsoleForm()
  async signOut(@Req() request: ConsoleRequest, @Res() reply: FastifyReply, @Body() body: unknown): Promise<void> {
    const token = cookieOf(request, SESSION_COOKIE);
    const session = token === null ? null : await this.sessions.resolve(token);
    if (session !== null) {
      if (!ConsoleSessions.csrfMatches(session, (body as Record<string, unknown> | undefined)?.csrf)) {
        throw new ForbiddenError('the sign-out form did not carry this session\'s token: sign out from a console page');
      }
      await this.sessions.close(token!);
    }
    this.sessions.clearCookie(request, reply);
    await reply.status(303).header('location', '/console/sign-in?signedOut=1').send();
  }
}

/** A form posted from another site (or a frame of one) is refused: login CSRF. */
function refuseCrossSite(request: ConsoleRequest): void {
  const site = request.headers['sec-fetch-site'];
  if (typeof site === 'string') {
    if (site === 'same-origin' || site === 'none') return;
    throw new ForbiddenError('the sign-in form is accepted from the console\'s own pages only');
  }
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== 'null') {
    let host: string | null;
    try {
      host = new URL(origin).host;
    } catch {
      host = null;
    }
    if (host !== request.headers.host) throw new ForbiddenError('the sign-in form is accepted from the console\'s own pages only');
  }
}
