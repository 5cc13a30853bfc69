import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs/promises';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ApiKeyRegistry, type KeySpec } from '../../apps/ledger-api/src/auth/api-keys.js';
import { createLedgerApp } from '../../apps/ledger-api/src/create-app.js';
import { ledgerConfigFromEnv, type LedgerConfig, openRuntime, type LedgerRuntime, inlineFleet, type BackgroundWorker } from '@ledger/runtime';
import { createTestDatabase, type TestDatabase } from './test-database.js';

/** City keys for all contracts, one per role (fixed, strong enough for LEDGER_API_KEYS: test/support/service-process.ts passes them so). */
export const TEST_KEYS = {
  feed: 'feed-EDg9lG7HknKsEsJp6Q2OjoQ9ovHzqfwf',
  officer: 'officer-ao82BMbiSTagu2AIHSjjKBavgE1LW7cY',
  auditor: 'auditor-Aehs6Q983VnEZCPoNVRFnVwMTxd0TI9v',
  admin: 'admin-_8uhgZ8AMCBF-waiG0OenhukXaNwXdfG',
} as const;

export interface TestApp {
  readonly url: string;
  readonly app: NestFastifyApplication;
  readonly runtime: LedgerRuntime;
  readonly db: TestDatabase;
  readonly dataDir: string;
  /** fetch against the app with the key of a role, or a given secret (or none). */
  request(
    method: string,
    pathname: string,
    options?: { role?: keyof typeof TEST_KEYS; secret?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> },
  ): Promise<{ status: number; body: any; headers: Headers }>;
  /** The public ID of a test key (random, assigned by the service). */
  keyId(role: keyof typeof TEST_KEYS): string;
  close(): Promise<void>;
}

export interface TestAppOptions {
  clock?: () => number;
  config?: Partial<LedgerConfig>;
  /** Bootstrap keys instead of TEST_KEYS (they are added to them). */
  keys?: KeySpec[];
  /** The rate limits' clock (default: performance.now). */
  rateClock?: () => number;
  /** Workers to create from the runtime and start (e.g. the projector). */
  workers?: (runtime: LedgerRuntime) => BackgroundWorker[];
}

/** The real service, in-process, on a fresh database of the shared test PostgreSQL, on a free port. */
export async function startTestApp(label: string, options: TestAppOptions = {}): Promise<TestApp> {
  const db = await createTestDatabase(label);
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), `ledger-${label}-`));
  const config: LedgerConfig = { ...ledgerConfigFromEnv({}), databaseUrl: db.url, dataDir, port: 0, ...options.config };
  const runtime = await openRuntime(config, { clock: options.clock });
  const keys = new ApiKeyRegistry([...Object.entries(TEST_KEYS).map(([role, secret]) => ({ role: role as keyof typeof TEST_KEYS, secret })), ...(options.keys ?? [])]);
  const workers = options.workers?.(runtime) ?? [];
  const app = await createLedgerApp(runtime, { keys, workers: inlineFleet(workers), rateClock: options.rateClock });
  await app.listen({ port: 0, host: '127.0.0.1' });
  for (const worker of workers) await worker.start();
  const address = app.getHttpServer().address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    url,
    app,
    runtime,
    db,
    dataDir,
    async request(method, pathname, opts = {}) {
      const headers: Record<string, string> = { ...opts.headers };
      if (opts.role) headers.authorization = `Bearer ${TEST_KEYS[opts.role]}`;
      if (opts.secret) headers.authorization = `Bearer ${opts.secret}`;
      let body: string | undefined = opts.rawBody;
      if (opts.body !== undefined) {
        body = JSON.stringify(opts.body);
        headers['content-type'] ??= 'application/json';
      }
      const response = await fetch(`${url}${pathname}`, { method, headers, body });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON (e.g. /metrics, markdown): keep the text
      }
      return { status: response.status, body: parsed, headers: response.headers };
    },
    keyId(role) {
      return keys.bootstrapKeys()[Object.keys(TEST_KEYS).indexOf(role)]!.keyId;
    },
    async close() {
      for (const worker of [...workers].reverse()) await worker.stop();
      await app.close();
      await runtime.close();
      await db.drop();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}
