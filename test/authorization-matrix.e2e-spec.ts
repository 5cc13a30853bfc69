import { randomBytes, randomUUID } from 'node:crypto';
import { generateEventSigningKey } from '@ledger/integrity';
import { createMerkleLogWorkers, createProjectorWorker, DEFAULT_RATE_LIMITS } from '@ledger/runtime';
import { exampleEvent } from '@ledger/wire';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { CONSOLE_CONTROLLERS } from '../apps/ledger-api/src/app.module.js';
import type { KeySpec, Role } from '../apps/ledger-api/src/auth/api-keys.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * The whole authorization matrix, generated: every role × party × scope, plus no key, against
 * every operation of the service's own OpenAPI description (so an endpoint added later is in the
 * matrix, or this test fails asking for its row) × {the key's own contract, another contractor's},
 * each expected status asserted. EVENTS.md v2: a contractor's key cannot create any city fact,
 * cannot touch another contractor's contract and cannot see it; outside its scope a key gets
 * exactly the 404 of a contract that does not exist.
 */

const OWN = 'matrix-own';
const OTHER = 'matrix-other';
const MISSING = 'matrix-missing';
const VENDOR = 'vendor-a';
const CONTRACTOR_OF: Record<string, string> = { [OWN]: VENDOR, [OTHER]: 'vendor-b' };

type Party = 'city' | `contractor:${string}`;
interface Principal {
  name: string;
  role: Role | null;
  party: Party;
  contracts: 'all' | string[];
  secret: string;
}
type Target = 'own' | 'other';

const ROLES: Role[] = ['feed', 'officer', 'auditor', 'admin'];
const PARTIES: Party[] = ['city', `contractor:${VENDOR}`];
const SCOPES: Array<'all' | string[]> = ['all', [OWN]];

function principals(): Principal[] {
  const list: Principal[] = [];
  for (const role of ROLES) {
    for (const party of PARTIES) {
      for (const contracts of SCOPES) {
        // An admin manages every party's keys: only the city's, for all contracts (refusals asserted below).
        if (role === 'admin' && (party !== 'city' || contracts !== 'all')) continue;
        const name = `${role}/${party}/${contracts === 'all' ? 'all' : 'own'}`;
        list.push({ name, role, party, contracts, secret: `${role}-${randomBytes(24).toString('base64url')}` });
      }
    }
  }
  list.push({ name: 'no key', role: null, party: 'city', contracts: 'all', secret: '' });
  list.push({ name: 'unknown key', role: null, party: 'city', contracts: 'all', secret: `feed-${randomBytes(24).toString('base64url')}` });
  return list;
}

const INCLUDES: Record<Role, Role[]> = { feed: ['feed'], officer: ['officer'], auditor: ['auditor', 'officer'], admin: ['admin', 'auditor', 'officer'] };

function readable(p: Principal, contractId: string): boolean {
  if (p.contracts !== 'all' && !p.contracts.includes(contractId)) return false;
  return p.party === 'city' || p.party === `contractor:${CONTRACTOR_OF[contractId]}`;
}

interface Context {
  eventIds: Record<Target, string>;
  treeSize: number;
}

interface Row {
  /** The least role; null: public. */
  role: Role | null;
  /** What the operation reveals or writes: a contract (path), an event (query), a list filtered by scope, every contract (city-wide keys only), or nothing of any contract. */
  scope: 'contract' | 'event' | 'filtered' | 'city-wide' | 'none' | 'append';
  request(target: Target, context: Context): { path: string; body?: unknown };
  /** The status of an allowed call. */
  ok: number;
}

const contractOf = (target: Target): string => (target === 'own' ? OWN : OTHER);
const AS_OF = 'asOf=2026-06-01T00:00:00%2B09:00';

/** One row per operation of the OpenAPI description ("METHOD /path"). */
const ROWS: Record<string, Row> = {
  'GET /health': { role: null, scope: 'none', ok: 200, request: () => ({ path: '/health' }) },
  'GET /metrics': { role: null, scope: 'none', ok: 200, request: () => ({ path: '/metrics' }) },
  'GET /v1/log/public-key': { role: null, scope: 'none', ok: 200, request: () => ({ path: '/v1/log/public-key' }) },
  'POST /v1/events': {
    role: 'feed',
    scope: 'append',
    ok: 201,
    request: (target) => ({ path: '/v1/events', body: exampleEvent('RecordUsed', randomUUID(), { contractId: contractOf(target), recordId: 'R-1' }) }),
  },
  'GET /v1/contracts/{contractId}/events': { role: 'auditor', scope: 'contract', ok: 200, request: (t) => ({ path: `/v1/contracts/${contractOf(t)}/events` }) },
  'GET /v1/contracts/{contractId}/records/{recordId}/events': {
    role: 'auditor', scope: 'contract', ok: 200, request: (t) => ({ path: `/v1/contracts/${contractOf(t)}/records/R-1/events` }),
  },
  'GET /v1/contracts/{contractId}/records/{recordId}/custody': {
    role: 'officer', scope: 'contract', ok: 200, request: (t) => ({ path: `/v1/contracts/${contractOf(t)}/records/R-1/custody` }),
  },
  'GET /v1/contracts/{contractId}/records/{recordId}/custody/history': {
    role: 'officer', scope: 'contract', ok: 200, request: (t) => ({ path: `/v1/contracts/${contractOf(t)}/records/R-1/custody/history` }),
  },
  'GET /v1/contracts/{contractId}/records/{recordId}/findings': {
    role: 'officer', scope: 'contract', ok: 200, request: (t) => ({ path: `/v1/contracts/${contractOf(t)}/records/R-1/findings?article=9` }),
  },
  'GET /v1/contracts/{contractId}/holdings': { role: 'officer', scope: 'contract', ok: 200, request: (t) => ({ path: `/v1/contracts/${contractOf(t)}/holdings` }) },
  'GET /v1/contracts/{contractId}/records/{recordId}/compliance': {
    role: 'officer', scope: 'contract', ok: 200, request: (t) => ({ path: `/v1/contracts/${contractOf(t)}/records/R-1/compliance` }),
  },
  'GET /v1/contracts/{contractId}/compliance': { role: 'officer', scope: 'contract', ok: 200, request: (t) => ({ path: `/v1/contracts/${contractOf(t)}/compliance` }) },
  'GET /v1/contracts/{contractId}/audit-bundle': { role: 'auditor', scope: 'contract', ok: 200, request: (t) => ({ path: `/v1/contracts/${contractOf(t)}/audit-bundle` }) },
  'GET /v1/contracts/{contractId}/replay': { role: 'auditor', scope: 'contract', ok: 200, request: (t) => ({ path: `/v1/contracts/${contractOf(t)}/replay?${AS_OF}` }) },
  'GET /v1/access-log': { role: 'auditor', scope: 'filtered', ok: 200, request: (t) => ({ path: `/v1/access-log?contractId=${contractOf(t)}&limit=1000` }) },
  'GET /v1/log/checkpoint': { role: null, scope: 'none', ok: 200, request: () => ({ path: '/v1/log/checkpoint' }) },
  'GET /v1/log/tile/{path}': { role: null, scope: 'none', ok: 200, request: (_t, c) => ({ path: `/v1/log/tile/0/000.p/${c.treeSize}` }) },
  'GET /v1/log/entries': { role: 'auditor', scope: 'city-wide', ok: 200, request: () => ({ path: '/v1/log/entries?from=1&limit=10' }) },
  'GET /v1/log/checkpoints': { role: 'auditor', scope: 'none', ok: 200, request: () => ({ path: '/v1/log/checkpoints' }) },
  'GET /v1/log/inclusion-proof': { role: 'auditor', scope: 'event', ok: 200, request: (t, c) => ({ path: `/v1/log/inclusion-proof?eventId=${c.eventIds[t]}` }) },
  'GET /v1/log/consistency-proof': { role: 'auditor', scope: 'none', ok: 200, request: (_t, c) => ({ path: `/v1/log/consistency-proof?from=1&to=${c.treeSize}` }) },
  'GET /v1/admin/api-keys': { role: 'admin', scope: 'none', ok: 200, request: () => ({ path: '/v1/admin/api-keys' }) },
  'POST /v1/admin/api-keys': {
    role: 'admin', scope: 'none', ok: 201,
    request: (t) => ({ path: '/v1/admin/api-keys', body: { role: 'officer', label: 'matrix', party: `contractor:${VENDOR}`, contracts: [contractOf(t)] } }),
  },
  // A key that does not exist: the role gate passes for an admin (then 404), is closed for everyone else.
  'POST /v1/admin/api-keys/{keyId}/rotate': { role: 'admin', scope: 'none', ok: 404, request: () => ({ path: '/v1/admin/api-keys/0000000000000000/rotate', body: {} }) },
  'DELETE /v1/admin/api-keys/{keyId}': { role: 'admin', scope: 'none', ok: 404, request: () => ({ path: '/v1/admin/api-keys/0000000000000000' }) },
  'GET /v1/admin/signing-keys': { role: 'admin', scope: 'none', ok: 200, request: () => ({ path: '/v1/admin/signing-keys' }) },
  'POST /v1/admin/signing-keys': {
    role: 'admin', scope: 'none', ok: 201,
    request: () => ({ path: '/v1/admin/signing-keys', body: { party: `contractor:${VENDOR}`, publicKey: generateEventSigningKey().publicKey, label: 'matrix' } }),
  },
  'POST /v1/admin/signing-keys/{keyId}/rotate': {
    role: 'admin', scope: 'none', ok: 404,
    request: () => ({ path: '/v1/admin/signing-keys/0000000000000000/rotate', body: { publicKey: generateEventSigningKey().publicKey } }),
  },
  'DELETE /v1/admin/signing-keys/{keyId}': { role: 'admin', scope: 'none', ok: 404, request: () => ({ path: '/v1/admin/signing-keys/0000000000000000' }) },
};

/**
 * The console's routes (HTML, not in the OpenAPI description), listed from the controllers'
 * own route metadata so that a page added later needs its row here. Each is asked twice per
 * principal: with a console session opened by the principal's key (what a browser does), and with
 * the key as a bearer header. `role: null` routes are public (the sign-in form, the assets).
 */
const CONSOLE_ROWS: Record<string, Row> = {
  'GET /console': { role: 'officer', scope: 'filtered', ok: 200, request: () => ({ path: '/console' }) },
  'GET /console/live': { role: 'officer', scope: 'filtered', ok: 200, request: () => ({ path: '/console/live' }) },
  'GET /console/contracts/:contractId': { role: 'officer', scope: 'contract', ok: 200, request: (t) => ({ path: `/console/contracts/${contractOf(t)}` }) },
  'GET /console/contracts/:contractId/live': { role: 'officer', scope: 'contract', ok: 200, request: (t) => ({ path: `/console/contracts/${contractOf(t)}/live` }) },
  'GET /console/contracts/:contractId/records/:recordId': {
    role: 'officer', scope: 'contract', ok: 200, request: (t) => ({ path: `/console/contracts/${contractOf(t)}/records/R-1` }),
  },
  'GET /console/contracts/:contractId/holdings': { role: 'officer', scope: 'contract', ok: 200, request: (t) => ({ path: `/console/contracts/${contractOf(t)}/holdings` }) },
  'GET /console/contracts/:contractId/incidents': { role: 'officer', scope: 'contract', ok: 200, request: (t) => ({ path: `/console/contracts/${contractOf(t)}/incidents` }) },
  'GET /console/contracts/:contractId/audit': { role: 'auditor', scope: 'contract', ok: 200, request: (t) => ({ path: `/console/contracts/${contractOf(t)}/audit` }) },
  'GET /console/contracts/:contractId/audit/bundle': { role: 'auditor', scope: 'contract', ok: 200, request: (t) => ({ path: `/console/contracts/${contractOf(t)}/audit/bundle` }) },
  'GET /console/contracts/:contractId/events/:eventId': {
    role: 'auditor', scope: 'contract', ok: 200, request: (t, c) => ({ path: `/console/contracts/${contractOf(t)}/events/${c.eventIds[t]}` }),
  },
  'GET /console/sign-in': { role: null, scope: 'none', ok: 200, request: () => ({ path: '/console/sign-in' }) },
  'GET /console/assets/:name': { role: null, scope: 'none', ok: 200, request: () => ({ path: '/console/assets/console.css' }) },
  // Sign-in and sign-out are asserted on their own below (they take a form, not a key).
  'POST /console/sign-in': { role: null, scope: 'none', ok: 303, request: () => ({ path: '/console/sign-in' }) },
  'POST /console/sign-out': { role: null, scope: 'none', ok: 303, request: () => ({ path: '/console/sign-out' }) },
};

/** Every console route, from the controllers' metadata: "METHOD /path" with Nest's `:param`s. */
function consoleRoutes(): string[] {
  const routes: string[] = [];
  for (const controller of CONSOLE_CONTROLLERS) {
    const prefix = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
    const prototype = controller.prototype as unknown as Record<string, unknown>;
    for (const name of Object.getOwnPropertyNames(prototype)) {
      const handler = prototype[name];
      if (typeof handler !== 'function' || name === 'constructor') continue;
      const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      if (path === undefined || method === undefined) continue;
      routes.push(`${RequestMethod[method]} ${`/${prefix}/${path}`.replace(/\/+/g, '/').replace(/\/$/, '')}`);
    }
  }
  return routes.sort();
}

function expected(p: Principal, row: Row, target: Target): number {
  if (row.role === null) return row.ok;
  if (p.role === null) return 401;
  if (!INCLUDES[p.role].includes(row.role)) return 403;
  const contractId = contractOf(target);
  if (row.scope === 'contract' || row.scope === 'event') return readable(p, contractId) ? row.ok : 404;
  if (row.scope === 'append') return readable(p, contractId) ? row.ok : 403;
  if (row.scope === 'city-wide') return p.party === 'city' && p.contracts === 'all' ? row.ok : 403;
  return row.ok;
}

describe('the authorization matrix: role × party × scope × every endpoint × {own, other contract}', () => {
  let app: TestApp;
  const all = principals();
  const context: Context = { eventIds: { own: '', other: '' }, treeSize: 0 };
  let operations: Array<{ method: string; path: string }> = [];

  const call = (p: Principal, method: string, path: string, body?: unknown) =>
    app.request(method, path, { secret: p.secret || undefined, body, headers: body === undefined ? {} : { 'content-type': 'application/json' } });

  beforeAll(async () => {
    const keys: KeySpec[] = all.filter((p) => p.role !== null).map((p) => ({ secret: p.secret, role: p.role!, party: p.party, contracts: p.contracts }));
    app = await startTestApp('matrix', {
      keys,
      // Every unknown-key row is a failed authentication from the same address: let them all through here
      // (the brake itself is tested in rate-limits.e2e-spec.ts).
      config: { checkpointIntervalMs: 100, publicRateLimit: 1_000_000, rateLimits: { ...DEFAULT_RATE_LIMITS, authFailureBurst: 1_000_000 } },
      workers: (runtime) => [...createMerkleLogWorkers(runtime, () => undefined), createProjectorWorker(runtime, () => undefined)],
    });
    const seed = [OWN, OTHER].flatMap((contractId) => [
      exampleEvent('ContractRegistered', randomUUID(), { contractId, data: { ...exampleEvent('ContractRegistered', '').data, contractorId: CONTRACTOR_OF[contractId] } } as never),
      exampleEvent('RecordCollected', randomUUID(), { contractId, recordId: 'R-1' }),
    ]);
    const appended = await app.request('POST', '/v1/events', { role: 'feed', body: { events: seed } });
    expect(appended.status).toBe(201);
    context.eventIds = { own: seed[1]!.eventId, other: seed[3]!.eventId };
    // Proofs, bundles and the holdings need the Merkle log and the read models to have caught up.
    for (let i = 0; i < 200; i++) {
      const checkpoint = await app.request('GET', '/v1/log/checkpoint', { headers: { accept: 'application/json' } });
      const health = await app.request('GET', '/health');
      if (checkpoint.status === 200 && checkpoint.body.treeSize >= 4 && health.body.workers.every((w: { lagEvents: number }) => w.lagEvents === 0)) {
        context.treeSize = checkpoint.body.treeSize;
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(context.treeSize).toBeGreaterThanOrEqual(4);
    const document = await app.request('GET', '/docs/openapi.json');
    operations = Object.entries(document.body.paths as Record<string, Record<string, unknown>>).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => ({ method: method.toUpperCase(), path })),
    );
  });

  afterAll(async () => {
    await app.close();
  });

  it('has a row for every operation of the OpenAPI description, and no row for one that is gone', () => {
    const described = operations.map((o) => `${o.method} ${o.path}`).sort();
    expect(described).toEqual(Object.keys(ROWS).sort());
  });

  it('answers every principal on every endpoint for its own and another contractor\'s contract as expected', async () => {
    const mismatches: string[] = [];
    let calls = 0;
    for (const { method, path } of operations) {
      const row = ROWS[`${method} ${path}`]!;
      for (const target of ['own', 'other'] as const) {
        for (const p of all) {
          const { path: url, body } = row.request(target, context);
          const answer = await call(p, method, url, body);
          calls++;
          const want = expected(p, row, target);
          if (answer.status !== want) mismatches.push(`${p.name} ${method} ${url}: ${answer.status}, expected ${want} ${JSON.stringify(answer.body).slice(0, 200)}`);
          if (row.scope === 'filtered' && answer.status === 200 && !readable(p, contractOf(target)) && answer.body.entries.length > 0) {
            mismatches.push(`${p.name} ${method} ${url}: lists ${answer.body.entries.length} entries of a contract outside its scope`);
          }
        }
      }
    }
    expect(mismatches).toEqual([]);
    expect(calls).toBe(operations.length * 2 * all.length);
  });

  it('answers outside the scope exactly as for a contract that does not exist', async () => {
    const cityWide = all.find((p) => p.name === 'admin/city/all')!;
    const contractor = all.find((p) => p.name === `auditor/contractor:${VENDOR}/all`)!;
    const scoped = all.find((p) => p.name === 'auditor/city/own')!;
    for (const [key, row] of Object.entries(ROWS)) {
      if (row.scope !== 'contract') continue;
      const other = row.request('other', context).path;
      const missing = other.replace(OTHER, MISSING);
      const absent = await call(cityWide, 'GET', missing);
      expect([key, absent.status]).toEqual([key, 404]);
      for (const p of [contractor, scoped]) {
        const refused = await call(p, 'GET', other);
        expect([key, refused.status, JSON.stringify(refused.body).replaceAll(OTHER, MISSING)]).toEqual([key, 404, JSON.stringify(absent.body)]);
      }
    }
    const event = await call(contractor, 'GET', `/v1/log/inclusion-proof?eventId=${context.eventIds.other}`);
    const noEvent = await call(cityWide, 'GET', '/v1/log/inclusion-proof?eventId=00000000-0000-4000-8000-000000000000');
    expect(JSON.stringify(event.body).replaceAll(context.eventIds.other, 'X')).toBe(JSON.stringify(noEvent.body).replaceAll('00000000-0000-4000-8000-000000000000', 'X'));
  });

  it('has a row for every console route, and no row for one that is gone', () => {
    expect(consoleRoutes()).toEqual(Object.keys(CONSOLE_ROWS).sort());
  });

  it('answers every principal on every console page, with a console session and with a bearer key, for its own and another contractor\'s contract', async () => {
    const mismatches: string[] = [];
    const signIn = async (p: Principal): Promise<{ status: number; cookie: string | null }> => {
      const answer = await fetch(`${app.url}/console/sign-in`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' },
        body: new URLSearchParams({ key: p.secret, next: '/console' }).toString(),
      });
      const cookie = /ledger_console=([^;]+)/.exec(answer.headers.get('set-cookie') ?? '')?.[1] ?? null;
      return { status: answer.status, cookie: cookie ? `ledger_console=${cookie}` : null };
    };
    for (const p of all) {
      const session = await signIn(p);
      // Only keys that may read open a session: feed keys are refused (403), unknown ones 401.
      const signInWant = p.role === null ? 401 : INCLUDES[p.role].includes('officer') ? 303 : 403;
      if (session.status !== signInWant || (signInWant === 303) !== (session.cookie !== null)) mismatches.push(`${p.name} POST /console/sign-in: ${session.status}, expected ${signInWant}`);
      for (const [key, row] of Object.entries(CONSOLE_ROWS)) {
        if (key.startsWith('POST ')) continue;
        for (const target of ['own', 'other'] as const) {
          const { path } = row.request(target, context);
          for (const mode of ['session', 'bearer'] as const) {
            const headers: Record<string, string> = mode === 'session' ? (session.cookie ? { cookie: session.cookie } : {}) : p.secret ? { authorization: `Bearer ${p.secret}` } : {};
            const answer = await fetch(`${app.url}${path}`, { headers, redirect: 'manual' });
            const body = await answer.text();
            let want = expected(mode === 'session' && session.cookie === null ? { ...p, role: null } : p, row, target);
            // The console answers "who are you" with the sign-in page, not a 401.
            if (want === 401) want = 303;
            if (answer.status !== want) mismatches.push(`${p.name} (${mode}) GET ${path}: ${answer.status}, expected ${want}`);
            if (row.scope === 'filtered' && answer.status === 200 && !readable(p, OTHER) && body.includes(OTHER)) {
              mismatches.push(`${p.name} (${mode}) GET ${path}: shows ${OTHER}, outside its scope`);
            }
          }
        }
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('answers a console page outside the scope exactly as for a contract that does not exist', async () => {
    const pageOf = async (secret: string, path: string): Promise<{ status: number; body: string }> => {
      const answer = await fetch(`${app.url}${path}`, { headers: { authorization: `Bearer ${secret}` }, redirect: 'manual' });
      // The page names its reader's role (auditor) and scope; the rest must be byte for byte the same.
      return { status: answer.status, body: (await answer.text()).replace(/<header class="top">[\s\S]*?<\/header>/, '') };
    };
    const cityWide = all.find((p) => p.name === 'admin/city/all')!;
    const scoped = all.find((p) => p.name === 'auditor/city/own')!;
    const vendor = all.find((p) => p.name === `auditor/contractor:${VENDOR}/all`)!;
    for (const [key, row] of Object.entries(CONSOLE_ROWS)) {
      if (row.scope !== 'contract' || key.includes(':eventId') || key.endsWith('/live')) continue;
      const other = row.request('other', context).path;
      const absent = await pageOf(cityWide.secret, other.replace(OTHER, MISSING));
      expect([key, absent.status]).toEqual([key, 404]);
      for (const p of [scoped, vendor]) {
        const refused = await pageOf(p.secret, other);
        expect([key, refused.status, refused.body.replaceAll(OTHER, MISSING)]).toEqual([key, 404, absent.body]);
      }
    }
  });

  it('refuses to create an admin key that is not the city\'s for all contracts', async () => {
    const admin = all.find((p) => p.name === 'admin/city/all')!;
    const asContractor = await call(admin, 'POST', '/v1/admin/api-keys', { role: 'admin', label: 'x', party: `contractor:${VENDOR}` });
    expect(asContractor.status).toBe(400);
    expect(asContractor.body.errors).toEqual([expect.objectContaining({ field: 'party', rule: 'adminIsCityWide' })]);
    const scoped = await call(admin, 'POST', '/v1/admin/api-keys', { role: 'admin', label: 'x', contracts: [OWN] });
    expect(scoped.body.errors).toEqual([expect.objectContaining({ field: 'contracts', rule: 'adminIsCityWide' })]);
  });

  it('records a refused read of another contract in the access log', async () => {
    const contractor = all.find((p) => p.name === `officer/contractor:${VENDOR}/all`)!;
    await call(contractor, 'GET', `/v1/contracts/${OTHER}/holdings`);
    const auditor = all.find((p) => p.name === 'admin/city/all')!;
    const log = await call(auditor, 'GET', `/v1/access-log?contractId=${OTHER}&limit=1000`);
    expect(log.body.entries.some((e: { route: string; status: number; role: string }) => e.route === '/v1/contracts/:contractId/holdings' && e.status === 404 && e.role === 'officer')).toBe(true);
  });
});
