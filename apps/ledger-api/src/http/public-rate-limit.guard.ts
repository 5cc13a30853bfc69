import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { RateLimitedError } from '@ledger/domain';
import { LEDGER_RUNTIME, type LedgerRuntime } from '@ledger/runtime';

/** Client addresses remembered at once; beyond it the oldest window is forgotten (memory stays bounded). */
const MAX_CLIENTS = 10_000;
const WINDOW_MS = 60_000;

/**
 * The public log endpoints (checkpoint, tiles, public key) answer without credentials, so each
 * client address gets LEDGER_PUBLIC_RATE_LIMIT requests per minute (a fixed window); beyond it,
 * 429 LEDGER.RATE_LIMITED with Retry-After. Tiles are immutable and cacheable: a client or a CDN
 * in front of the service fetches each one once.
 */
@Injectable()
export class PublicRateLimitGuard implements CanActivate {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(@Inject(LEDGER_RUNTIME) private readonly runtime: LedgerRuntime) {}

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const client = http.getRequest<FastifyRequest>().ip;
    const now = this.runtime.clock();
    let window = this.windows.get(client);
    if (!window || now - window.start >= WINDOW_MS) {
      this.windows.delete(client);
      if (this.windows.size >= MAX_CLIENTS) this.windows.delete(this.windows.keys().next().value!);
      window = { start: now, count: 0 };
      this.windows.set(client, window);
    }
    window.count++;
    const limit = this.runtime.config.publicRateLimit;
    if (window.count <= limit) return true;
    const retryAfter = Math.max(1, Math.ceil((window.start + WINDOW_MS - now) / 1000));
    throw new RateLimitedError(`more than ${limit} requests a minute to the public log endpoints from this address: retry in ${retryAfter} s`, retryAfter);
  }
}
