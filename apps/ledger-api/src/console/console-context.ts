import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../auth/api-keys.js';
import { cookieOf, CONSOLE_PATH, type ConsoleSession } from '../auth/console-sessions.js';
import type { Lang } from './i18n.js';

/** The cookie that remembers the chosen language (not a secret; Japanese without it). */
export const LANG_COOKIE = 'ledger_lang';

export type ConsoleRequest = FastifyRequest & { principal?: Principal; consoleSession?: ConsoleSession };

/** What every page is rendered with. */
export interface ConsoleContext {
  lang: Lang;
  principal: Principal | null;
  session: ConsoleSession | null;
  /** The page's own URL (path and query), for links that keep the view (language switch, next). */
  url: string;
  /** The clock of the answer (epoch ms). */
  now: number;
}

/** `?lang=` first, then the remembered choice, then Japanese. */
export function langOf(request: FastifyRequest): Lang {
  const asked = (request.query as Record<string, unknown> | undefined)?.lang;
  if (asked === 'en' || asked === 'ja') return asked;
  return cookieOf(request, LANG_COOKIE) === 'en' ? 'en' : 'ja';
}

export function contextOf(request: ConsoleRequest, now: number): ConsoleContext {
  return { lang: langOf(request), principal: request.principal ?? null, session: request.consoleSession ?? null, url: request.url, now };
}

/** A page asked with `?lang=` remembers it for the next pages. */
export function rememberLang(request: FastifyRequest, reply: FastifyReply): void {
  const asked = (request.query as Record<string, unknown> | undefined)?.lang;
  if (asked === 'en' || asked === 'ja') {
    void reply.header('set-cookie', `${LANG_COOKIE}=${asked}; Path=${CONSOLE_PATH}; SameSite=Strict; Max-Age=31536000`);
  }
}

/** The same URL with one query parameter set (or removed with null). */
export function withParam(url: string, name: string, value: string | null): string {
  const parsed = new URL(url, 'http://console.invalid');
  if (value === null) parsed.searchParams.delete(name);
  else parsed.searchParams.set(name, value);
  return parsed.pathname + parsed.search;
}
