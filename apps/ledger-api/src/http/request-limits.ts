import type { Server, ServerOptions } from 'node:http';
import { NDJSON_CHUNK_BYTES } from '@ledger/wire';
import type { Socket } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { HttpLimits } from '@ledger/runtime';
import type { Role } from '../auth/api-keys.js';
import { authenticateRequest, type Authenticator } from '../auth/authenticate.js';
import { BodyTooLargeError, BusyError, RETRY_AFTER_SECONDS, UnsupportedEncodingError, UnsupportedMediaTypeError } from './ledger-exception.filter.js';

/**
 * What one client may take of the HTTP server, in one place for every route and content type
 * (docs/operations.md "Limits and timeouts"):
 * - timeouts: headers (`headersTimeoutMs`, Node's), the body (`bodyTimeoutMs` from the end of the
 *   headers: a trickled body is cut with 408), a kept-alive connection without a request
 *   (`idleTimeoutMs`), a connection with no traffic either way (SOCKET_INACTIVITY_MS). A streamed
 *   body (NDJSON: an import may last hours) has no overall deadline; it is cut when it stalls;
 * - connections per source address (`maxConnectionsPerSource`): more are answered 503 and closed;
 * - before a body is read: Content-Encoding (none is decoded: 415), the charset (UTF-8 only: 415),
 *   the API key, its rate limits and its role (401/429/403, as the guard would; the console's two
 *   forms, @ConsoleForm, check their own and take at most CONSOLE_FORM_BYTES), the declared
 *   length (413; Fastify's body limit also cuts a body that grows past it while streaming);
 * - bodies received or processed at once (`inflightBodyBytes`): a request waits for room before its
 *   body is read, as long as it may take to send its headers (`headersTimeoutMs`), then 503 with
 *   Retry-After; so N clients posting the largest body at once cannot take the heap. A streamed
 *   body counts as the chunk it holds at a time (NDJSON_CHUNK_BYTES).
 */
export const SOCKET_INACTIVITY_MS = 120_000;

/** The most a console form (sign-in, sign-out) may post. */
export const CONSOLE_FORM_BYTES = 4096;

/** Bodies read as a stream, chunk by chunk, by their route (append-events' NDJSON). */
const STREAMED_BODY = /^application\/x-ndjson\b/i;

/** Options of the Node HTTP server (given to Fastify when it creates it). */
export function serverTimeouts(limits: HttpLimits): { requestTimeout: number; keepAliveTimeout: number; connectionTimeout: number; http: ServerOptions } {
  return {
    // The body deadline is this edge's own (it must not apply to a streamed body); Node keeps the headers'.
    requestTimeout: 0,
    keepAliveTimeout: limits.idleTimeoutMs,
    connectionTimeout: SOCKET_INACTIVITY_MS,
    // Node checks the headers timeout every connectionsCheckingInterval (default 30 s).
    http: { headersTimeout: limits.headersTimeoutMs, connectionsCheckingInterval: Math.min(1_000, limits.headersTimeoutMs) },
  };
}

const REQUEST_TIMEOUT_BODY = JSON.stringify({ statusCode: 408, code: 'LEDGER.REQUEST_TIMEOUT', message: 'the body did not arrive in time (LEDGER_BODY_TIMEOUT_MS)' });
const REQUEST_TIMEOUT = Buffer.from(
  `HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(REQUEST_TIMEOUT_BODY)}\r\n\r\n${REQUEST_TIMEOUT_BODY}`,
);

export interface RequestLimitsOptions {
  limits: HttpLimits;
  bodyLimitBytes: number;
  auth: Authenticator;
}

export function applyRequestLimits(fastify: FastifyInstance, options: RequestLimitsOptions): void {
  limitConnectionsPerSource(fastify.server, options.limits.maxConnectionsPerSource);
  const budget = new ByteBudget(Math.max(options.limits.inflightBodyBytes, 1));

  fastify.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const encoding = request.headers['content-encoding'];
    if (encoding !== undefined && encoding.trim().toLowerCase() !== 'identity') {
      refuseBeforeBody(reply);
      throw new UnsupportedEncodingError(`Content-Encoding ${encoding.slice(0, 40)} is not accepted: send the body uncompressed`);
    }
    if (!hasBody(request)) return;
    if (!STREAMED_BODY.test(request.headers['content-type'] ?? '')) cutIfLate(request, options.limits.bodyTimeoutMs);
    const charset = charsetOf(request.headers['content-type']);
    if (charset !== null && charset !== 'utf-8' && charset !== 'utf8') {
      refuseBeforeBody(reply);
      throw new UnsupportedMediaTypeError(`charset ${charset.slice(0, 40)} is not accepted: send the body in UTF-8`);
    }
    const config = (request.routeOptions.config ?? {}) as { requiredRole?: Role; consoleForm?: boolean };
    if (config.consoleForm) {
      // The console's sign-in (the key is the form) and sign-out (the session is the cookie) check
      // their own credentials; what they accept is a small form.
      if (!(Number(request.headers['content-length']) <= CONSOLE_FORM_BYTES)) {
        refuseBeforeBody(reply);
        throw new BodyTooLargeError(`a console form is at most ${CONSOLE_FORM_BYTES} bytes, with its Content-Length`);
      }
      return;
    }
    // Every other route that takes a body needs a key; check it, and the route's role, before reading.
    const required = config.requiredRole;
    try {
      authenticateRequest(request, options.auth, required);
    } catch (error) {
      refuseBeforeBody(reply);
      throw error;
    }
    if (Number(request.headers['content-length']) > options.bodyLimitBytes) {
      refuseBeforeBody(reply);
      throw new BodyTooLargeError(`the body is larger than the service accepts (LEDGER_BODY_LIMIT_BYTES: ${options.bodyLimitBytes} bytes)`);
    }
  });

  fastify.addHook('preParsing', async (request: FastifyRequest, reply: FastifyReply, payload) => {
    if (!hasBody(request)) return payload;
    const declared = Number(request.headers['content-length']);
    // Without a declared length (chunked), the most a body may be; Fastify's parser cuts it there.
    // A streamed body holds one chunk at a time, however long the stream.
    const most = STREAMED_BODY.test(request.headers['content-type'] ?? '') ? NDJSON_CHUNK_BYTES : options.bodyLimitBytes;
    const cost = Math.min(Number.isFinite(declared) && declared > 0 ? declared : most, most, budget.capacity);
    if (!(await budget.acquire(cost, options.limits.headersTimeoutMs))) {
      refuseBeforeBody(reply);
      throw new BusyError('too many request bodies are being received at once; retry shortly');
    }
    reply.raw.once('close', () => budget.release(cost));
    return payload;
  });
}

/** A body not complete `ms` after its headers: 408 and the connection closed, as Node does for its own timeouts. */
function cutIfLate(request: FastifyRequest, ms: number): void {
  const timer = setTimeout(() => {
    if (request.raw.complete) return;
    const socket = request.raw.socket;
    socket.end(REQUEST_TIMEOUT, () => socket.destroy());
  }, ms);
  timer.unref();
  const done = (): void => clearTimeout(timer);
  request.raw.once('end', done);
  request.raw.once('close', done);
}

function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

function charsetOf(contentType: string | undefined): string | null {
  const match = /;\s*charset\s*=\s*"?([^";\s]*)"?/i.exec(contentType ?? '');
  return match ? match[1]!.toLowerCase() : null;
}

/** An answer given before the body was read: close the connection rather than read what follows. */
function refuseBeforeBody(reply: FastifyReply): void {
  void reply.header('connection', 'close');
}

const TOO_MANY_CONNECTIONS_BODY = JSON.stringify({
  statusCode: 503,
  code: 'LEDGER.TOO_MANY_CONNECTIONS',
  message: 'too many open connections from this address; retry later',
});
const TOO_MANY_CONNECTIONS = Buffer.from(
  `HTTP/1.1 503 Service Unavailable\r\nRetry-After: ${RETRY_AFTER_SECONDS}\r\nConnection: close\r\nContent-Type: application/json\r\n` +
    `Content-Length: ${Buffer.byteLength(TOO_MANY_CONNECTIONS_BODY)}\r\n\r\n${TOO_MANY_CONNECTIONS_BODY}`,
);

/** Connections beyond `max` from one address are answered 503 and closed before any request is read. */
function limitConnectionsPerSource(server: Server, max: number): void {
  const open = new Map<string, number>();
  // Before Node's own listener: a refused socket never reaches the HTTP parser.
  server.prependListener('connection', (socket: Socket) => {
    const source = socket.remoteAddress ?? 'unknown';
    const count = (open.get(source) ?? 0) + 1;
    if (count > max) {
      socket.end(TOO_MANY_CONNECTIONS, () => socket.destroy());
      return;
    }
    open.set(source, count);
    socket.once('close', () => {
      const left = (open.get(source) ?? 1) - 1;
      if (left <= 0) open.delete(source);
      else open.set(source, left);
    });
  });
}

/** Bodies up to this size never queue behind larger ones while there is room for them. */
const SMALL_BODY_BYTES = 1024 * 1024;

/**
 * A count of bytes shared by requests. Large bodies are granted first come first served (none
 * starves behind a stream of smaller ones); a small body goes ahead whenever it fits, so single
 * events are not held up by a queue of 16 MiB batches.
 */
export class ByteBudget {
  private used = 0;
  private readonly waiting: Array<{ bytes: number; grant: () => void }> = [];

  constructor(readonly capacity: number) {}

  /** Resolves true once `bytes` are reserved, false if that did not happen within `waitMs`. */
  acquire(bytes: number, waitMs: number): Promise<boolean> {
    if ((this.waiting.length === 0 || bytes <= SMALL_BODY_BYTES) && this.used + bytes <= this.capacity) {
      this.used += bytes;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const entry = {
        bytes,
        grant: () => {
          clearTimeout(timer);
          resolve(true);
        },
      };
      const timer = setTimeout(() => {
        this.waiting.splice(this.waiting.indexOf(entry), 1);
        resolve(false);
        this.grantWaiting();
      }, waitMs);
      this.waiting.push(entry);
    });
  }

  release(bytes: number): void {
    this.used = Math.max(0, this.used - bytes);
    this.grantWaiting();
  }

  private grantWaiting(): void {
    while (this.waiting.length > 0 && this.used + this.waiting[0]!.bytes <= this.capacity) {
      const next = this.waiting.shift()!;
      this.used += next.bytes;
      next.grant();
    }
  }
}
