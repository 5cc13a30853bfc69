import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppModule } from './app.module.js';
import { ApiKeyRegistry, bootstrapKeys } from './auth/api-keys.js';
import { ApiKeyStore } from './api-keys/api-key.store.js';
import { RateLimiter } from './auth/rate-limits.js';
import { parseJsonBody } from './http/json-body.js';
import { applyRequestLimits, serverTimeouts } from './http/request-limits.js';
import { installConsoleHttp } from './console/console-http.js';
import { type LedgerRuntime, inlineFleet, type WorkerFleet } from '@ledger/runtime';

export interface AppOptions {
  log?: (line: string) => void;
  /** Keys to accept; default: LEDGER_API_KEYS or the generated api-keys.env. */
  keys?: ApiKeyRegistry;
  /** The background workers /health and /metrics report (the caller starts and stops them). */
  workers?: WorkerFleet;
  /** The clock of the rate limits (default: the monotonic performance clock; the budgets are about real time, not business time). */
  rateClock?: () => number;
}

/** Builds the HTTP service around an opened runtime (main.ts, the e2e tests and the benchmarks share it). */
export async function createLedgerApp(runtime: LedgerRuntime, options: AppOptions = {}): Promise<NestFastifyApplication> {
  const log = options.log ?? (() => undefined);
  const keys = options.keys ?? new ApiKeyRegistry(await bootstrapKeys(runtime.config.apiKeys, runtime.config.dataDir, log));
  const keyStore = new ApiKeyStore(runtime.pool, keys, runtime.clock);
  await keyStore.follow();
  const { limits, bodyLimitBytes } = runtime.config;
  const adapter = new FastifyAdapter({ bodyLimit: bodyLimitBytes, logger: false, ...serverTimeouts(limits) });
  const limiter = new RateLimiter(runtime.config.rateLimits, options.rateClock ?? (() => performance.now()));
  applyRequestLimits(adapter.getInstance(), { limits, bodyLimitBytes, auth: { keys, limiter, clock: runtime.clock } });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRuntime(runtime, keys, keyStore, options.workers ?? inlineFleet([]), limiter), adapter, {
    logger: ['error', 'warn'],
  });
  // Our own JSON parser: bad UTF-8, too deep or malformed JSON is a LedgerError (400 with its code), never a 500.
  app.useBodyParser('application/json', { bodyLimit: bodyLimitBytes }, (_request, body, done) => {
    try {
      done(null, parseJsonBody(body));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  // NDJSON streams are handed to the route unread: the guard authenticates before a byte of the
  // body is consumed, and the route reads the stream chunk by chunk (append-ndjson.ts), so no body
  // limit applies to the stream as a whole; each line has its own (libs/wire ndjson.ts).
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addContentTypeParser('application/x-ndjson', (_request, payload, done) => done(null, payload));
  // An NDJSON stream answered before it was read (401, 403, 415 …; a stream being answered is
  // hijacked and never passes here): the unread rest is discarded and the connection closed, so
  // that it cannot be taken for the next request on a kept-alive connection.
  fastify.addHook('onSend', (request, reply, payload, done) => {
    if (/^application\/x-ndjson/i.test(request.headers['content-type'] ?? '')) {
      void reply.header('connection', 'close');
      request.raw.resume();
    }
    done(null, payload);
  });
  // The console's security headers and its HTML forms (console/console-http.ts).
  installConsoleHttp(fastify);
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Personal-data handling ledger')
      .setDescription(
        'Event-sourced, tamper-evident ledger of how Okayama City\'s contractor handles the personal information ' +
          'of the care-insurance system (memorandum Articles 4-18). Wire contract: docs/events.md.',
      )
      .setVersion('1')
      // API keys are opaque secrets (docs/security.md), not JWTs.
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'API key', description: 'an API key secret, as issued by the ledger' })
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
  await app.init();
  return app;
}
