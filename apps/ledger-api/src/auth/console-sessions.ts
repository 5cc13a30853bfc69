import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LEDGER_RUNTIME, type LedgerRuntime } from '@ledger/runtime';
import { ApiKeyRegistry, digest, type Principal } from './api-keys.js';

/** The cookie that carries a console session's token (docs/console.md "Sessions"). */
export const SESSION_COOKIE = 'ledger_console';
/** The console's paths: the cookie is sent nowhere else. */
export const CONSOLE_PATH = '/console';
/** However active, a session ends this long after sign-in. */
export const SESSION_MAX_MS = 8 * 3_600_000;
/** `seen_at` is written at most this often (a page view is not a write each time). */
const SEEN_EVERY_MS = 60_000;

export interface ConsoleSession {
  principal: Principal;
  /** The token forms must carry back (CSRF), compared in constant time. */
  csrf: string;
  /** Epoch ms when the session ends at the latest. */
  expiresAt: number;
}

const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** The value of one cookie of a request (the console needs no other cookie parsing). */
export function cookieOf(request: FastifyRequest, name: string): string | null {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

/**
 * Console sessions: an API key is exchanged once for a random token in an HttpOnly, SameSite=Strict
 * cookie limited to /console. The table keeps the token's digest, the key's digest and ID, and a
 * CSRF token. A session ends on sign-out, after LEDGER_CONSOLE_SESSION_MINUTES without a request,
 * eight hours after sign-in, or as soon as its key no longer authenticates (revoked, expired, old
 * secret past its grace): each request asks the key registry again, by the digest.
 */
@Injectable()
export class ConsoleSessions {
  constructor(
    @Inject(LEDGER_RUNTIME) private readonly runtime: LedgerRuntime,
    @Inject(ApiKeyRegistry) private readonly keys: ApiKeyRegistry,
  ) {}

  private get idleMs(): number {
    return this.runtime.config.consoleSessionMinutes * 60_000;
  }

  /** Opens a session for a key (null when the key does not authenticate); returns the cookie's token. */
  async open(secret: string): Promise<{ token: string; session: ConsoleSession } | null> {
    const now = this.runtime.clock();
    const keyDigest = digest(secret);
    const principal = this.keys.authenticateDigest(keyDigest, now);
    if (!principal) return null;
    const token = randomBytes(32).toString('base64url');
    const csrf = randomBytes(24).toString('base64url');
    const expiresAt = now + SESSION_MAX_MS;
    // Sessions past their end are forgotten as new ones are opened (bounded by the index on expires_at).
    await this.runtime.pool.query(`DELETE FROM console_sessions WHERE expires_at < $1`, [new Date(now)]);
    await this.runtime.pool.query(
      `INSERT INTO console_sessions (token_digest, key_digest, key_id, csrf, created_at, seen_at, expires_at) VALUES ($1, $2, $3, $4, $5, $5, $6)`,
      [sha256(token), keyDigest, principal.keyId, csrf, new Date(now), new Date(expiresAt)],
    );
    return { token, session: { principal, csrf, expiresAt } };
  }

  /** The session of a token, or null (unknown, ended, idle too long, or its key no longer valid). */
  async resolve(token: string): Promise<ConsoleSession | null> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
    const now = this.runtime.clock();
    const id = sha256(token);
    const { rows } = await this.runtime.pool.query<{ key_digest: Buffer; csrf: string; seen_at: Date; expires_at: Date }>(
      `SELECT key_digest, csrf, seen_at, expires_at FROM console_sessions WHERE token_digest = $1`,
      [id],
    );
    const row = rows[0];
    if (!row) return null;
    const principal = this.keys.authenticateDigest(row.key_digest, now);
    if (!principal || now >= row.expires_at.getTime() || now >= row.seen_at.getTime() + this.idleMs) {
      await this.runtime.pool.query(`DELETE FROM console_sessions WHERE token_digest = $1`, [id]);
      return null;
    }
    if (now - row.seen_at.getTime() >= SEEN_EVERY_MS) {
      await this.runtime.pool.query(`UPDATE console_sessions SET seen_at = $2 WHERE token_digest = $1`, [id, new Date(now)]);
    }
    return { principal, csrf: row.csrf, expiresAt: row.expires_at.getTime() };
  }

  async close(token: string): Promise<void> {
    await this.runtime.pool.query(`DELETE FROM console_sessions WHERE token_digest = $1`, [sha256(token)]);
  }

  /** Whether a form's CSRF token is the session's. */
  static csrfMatches(session: ConsoleSession, given: unknown): boolean {
    if (typeof given !== 'string' || given.length !== session.csrf.length) return false;
    return timingSafeEqual(Buffer.from(given), Buffer.from(session.csrf));
  }

  /** Sets the session cookie: HttpOnly, SameSite=Strict, /console only, Secure over HTTPS. */
  setCookie(request: FastifyRequest, reply: FastifyReply, token: string, maxAgeMs: number): void {
    const secure = request.protocol === 'https' || this.runtime.config.publicHttps;
    void reply.header(
      'set-cookie',
      `${SESSION_COOKIE}=${token}; Path=${CONSOLE_PATH}; HttpOnly; SameSite=Strict; Max-Age=${Math.max(0, Math.floor(maxAgeMs / 1000))}${secure ? '; Secure' : ''}`,
    );
  }

  clearCookie(request: FastifyRequest, reply: FastifyReply): void {
    this.setCookie(request, reply, '', 0);
  }
}
