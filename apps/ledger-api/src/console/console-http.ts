import type { FastifyInstance } from 'fastify';

/**
 * The console's Content-Security-Policy: nothing but the service's own scripts, styles and
 * fetches; no inline script or style, no frames, no plug-ins, forms only to itself. The pages are
 * built so that nothing needs more (docs/console.md "Security").
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

const CONSOLE_HEADERS: Record<string, string> = {
  'content-security-policy': CONSOLE_CSP,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
};

export function isConsolePath(url: string): boolean {
  return url === '/console' || url.startsWith('/console/') || url.startsWith('/console?');
}

/**
 * Every console answer (pages, errors, redirects, assets) carries the security headers; pages are
 * not stored by the browser (they show personal-data metadata) unless the route says otherwise.
 * (HTML forms post `application/x-www-form-urlencoded`, which the Fastify adapter already parses.)
 */
export function installConsoleHttp(fastify: FastifyInstance): void {
  fastify.addHook('onSend', (request, reply, payload, done) => {
    if (isConsolePath(request.url)) {
      for (const [name, value] of Object.entries(CONSOLE_HEADERS)) void reply.header(name, value);
      if (!reply.hasHeader('cache-control')) void reply.header('cache-control', 'no-store');
    }
    done(null, payload);
  });
}
