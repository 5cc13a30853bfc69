import { createHash, randomUUID } from 'node:crypto';
import { EXAMPLE_EVENTS, exampleEvent } from '@ledger/wire';
import { ApiKeyRegistry } from '../apps/ledger-api/src/auth/api-keys.js';
import { ApiKeyStore } from '../apps/ledger-api/src/api-keys/api-key.store.js';
import { startTestApp, TEST_KEYS, type TestApp } from './support/test-app.js';

describe('API keys managed by an admin', () => {
  let app: TestApp;
  let now = Date.now();

  beforeAll(async () => {
    app = await startTestApp('api_keys', { clock: () => now });
  });

  afterAll(async () => {
    await app.close();
  });

  async function postWith(secret: string): Promise<number> {
    const response = await fetch(`${app.url}/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ...EXAMPLE_EVENTS.ContractRegistered, eventId: randomUUID(), contractId: `c-${randomUUID().slice(0, 8)}` }),
    });
    return response.status;
  }

  it('creates a key whose secret is shown once, works at once for its role, and is listed without a secret', async () => {
    const created = await app.request('POST', '/v1/admin/api-keys', { role: 'admin', body: { role: 'feed', label: 'kaigo-system feed' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ role: 'feed', label: 'kaigo-system feed', keyId: expect.stringMatching(/^[0-9a-f]{16}$/), revokedAt: null, party: 'city', contracts: 'all', expiresAt: null });
    expect(created.body.keyId).not.toBe(createHash('sha256').update(created.body.secret).digest('hex').slice(0, 16));
    expect(await postWith(created.body.secret)).toBe(201);
    const listed = await app.request('GET', '/v1/admin/api-keys', { role: 'admin' });
    expect(listed.body.managed).toEqual([expect.objectContaining({ keyId: created.body.keyId })]);
    expect(JSON.stringify(listed.body)).not.toContain(created.body.secret);
    expect(listed.body.bootstrap.map((k: { role: string }) => k.role).sort()).toEqual(['admin', 'auditor', 'feed', 'officer']);
  });

  it('revokes a key: it is refused from then on', async () => {
    const created = await app.request('POST', '/v1/admin/api-keys', { role: 'feed', body: undefined });
    expect(created.status).toBe(403);
    const key = (await app.request('POST', '/v1/admin/api-keys', { role: 'admin', body: { role: 'feed', label: 'short-lived' } })).body;
    expect(await postWith(key.secret)).toBe(201);
    const revoked = await app.request('DELETE', `/v1/admin/api-keys/${key.keyId}`, { role: 'admin' });
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).toEqual(expect.any(String));
    expect(await postWith(key.secret)).toBe(401);
  });

  it('refuses bad requests with the field named, a bootstrap key revocation, and non-admins', async () => {
    const bad = await app.request('POST', '/v1/admin/api-keys', { role: 'admin', body: { role: 'root', label: '', owner: 'x' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['label', 'owner', 'role']);
    const worse = await app.request('POST', '/v1/admin/api-keys', { role: 'admin', body: { role: 'feed', label: 'x', party: 'vendor', contracts: ['a b'], expiresAt: '2020-01-01T00:00:00Z' } });
    expect(worse.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['contracts', 'expiresAt', 'party']);
    const list = (await app.request('GET', '/v1/admin/api-keys', { role: 'admin' })).body;
    const bootstrap = list.bootstrap[0].keyId;
    expect((await app.request('DELETE', `/v1/admin/api-keys/${bootstrap}`, { role: 'admin' })).status).toBe(409);
    expect((await app.request('POST', `/v1/admin/api-keys/${bootstrap}/rotate`, { role: 'admin', body: {} })).status).toBe(409);
    expect((await app.request('DELETE', '/v1/admin/api-keys/0000000000000000', { role: 'admin' })).status).toBe(404);
    expect((await app.request('DELETE', '/v1/admin/api-keys/nope', { role: 'admin' })).status).toBe(400);
    expect((await app.request('GET', '/v1/admin/api-keys', { role: 'auditor' })).status).toBe(403);
  });

  it("binds a key to a contractor and its contracts: it reads and writes only there", async () => {
    const register = (contractId: string, contractorId: string) =>
      app.request('POST', '/v1/events', { role: 'feed', body: exampleEvent('ContractRegistered', randomUUID(), { contractId, data: { ...EXAMPLE_EVENTS.ContractRegistered.data, contractorId } } as never) });
    expect((await register('keys-own', 'vendor-a')).status).toBe(201);
    expect((await register('keys-other', 'vendor-b')).status).toBe(201);
    const feed = (await app.request('POST', '/v1/admin/api-keys', { role: 'admin', body: { role: 'feed', label: 'vendor-a feed', party: 'contractor:vendor-a' } })).body;
    const officer = (await app.request('POST', '/v1/admin/api-keys', { role: 'admin', body: { role: 'officer', label: 'vendor-a officer', party: 'contractor:vendor-a', contracts: ['keys-own'] } })).body;
    expect(officer).toMatchObject({ party: 'contractor:vendor-a', contracts: ['keys-own'] });
    const used = (contractId: string) => exampleEvent('RecordUsed', randomUUID(), { contractId, recordId: 'R-1' });
    expect((await app.request('POST', '/v1/events', { secret: feed.secret, body: used('keys-own') })).status).toBe(201);
    expect((await app.request('POST', '/v1/events', { secret: feed.secret, body: used('keys-other') })).status).toBe(403);
    expect((await app.request('GET', '/v1/contracts/keys-own/records/R-1/custody', { secret: officer.secret })).status).toBe(200);
    expect((await app.request('GET', '/v1/contracts/keys-other/records/R-1/custody', { secret: officer.secret })).status).toBe(404);
  });

  it('rotates a key: same keyId, a new secret, the old one valid for the grace period only', async () => {
    const key = (await app.request('POST', '/v1/admin/api-keys', { role: 'admin', body: { role: 'officer', label: 'rotating' } })).body;
    const read = (secret: string) => app.request('GET', '/v1/contracts/keys-own/compliance', { secret }).then((r) => r.status);
    const rotated = await app.request('POST', `/v1/admin/api-keys/${key.keyId}/rotate`, { role: 'admin', body: { graceSeconds: 3600 } });
    expect(rotated.status).toBe(200);
    expect(rotated.body).toMatchObject({ keyId: key.keyId, role: 'officer', rotatedAt: expect.any(String), previousSecretValidUntil: new Date(now + 3_600_000).toISOString() });
    expect(rotated.body.secret).not.toBe(key.secret);
    expect([await read(key.secret), await read(rotated.body.secret)]).toEqual([200, 200]);
    now += 3_600_000;
    expect([await read(key.secret), await read(rotated.body.secret)]).toEqual([401, 200]);
    // By default the old secret lasts a day; 0 ends it at once.
    const again = await app.request('POST', `/v1/admin/api-keys/${key.keyId}/rotate`, { role: 'admin' });
    expect(again.body.previousSecretValidUntil).toBe(new Date(now + 86_400_000).toISOString());
    const now0 = await app.request('POST', `/v1/admin/api-keys/${key.keyId}/rotate`, { role: 'admin', body: { graceSeconds: 0 } });
    expect([await read(again.body.secret), await read(now0.body.secret)]).toEqual([401, 200]);
    expect((await app.request('POST', `/v1/admin/api-keys/${key.keyId}/rotate`, { role: 'admin', body: { graceSeconds: 8 * 86_400 } })).status).toBe(400);
  });

  it('lets a key expire', async () => {
    const key = (await app.request('POST', '/v1/admin/api-keys', { role: 'admin', body: { role: 'officer', label: 'a week', expiresAt: new Date(now + 7 * 86_400_000).toISOString() } })).body;
    expect((await app.request('GET', '/v1/contracts/keys-own/compliance', { secret: key.secret })).status).toBe(200);
    now += 7 * 86_400_000;
    expect((await app.request('GET', '/v1/contracts/keys-own/compliance', { secret: key.secret })).status).toBe(401);
    expect((await app.request('POST', `/v1/admin/api-keys/${key.keyId}/rotate`, { role: 'admin' })).status).toBe(400);
  });

  it('gives bootstrap keys random IDs that stay the same across restarts', async () => {
    const listed = (await app.request('GET', '/v1/admin/api-keys', { role: 'admin' })).body.bootstrap;
    const registry = new ApiKeyRegistry(Object.entries(TEST_KEYS).map(([role, secret]) => ({ role: role as keyof typeof TEST_KEYS, secret })));
    await new ApiKeyStore(app.runtime.pool, registry, () => now).assignBootstrapIds();
    expect(registry.bootstrapKeys().map((k) => k.keyId)).toEqual(listed.map((k: { keyId: string }) => k.keyId));
    expect(listed[0]).toMatchObject({ role: 'feed', party: 'city', contracts: 'all' });
    expect(listed[0].keyId).not.toBe(createHash('sha256').update(TEST_KEYS.feed).digest('hex').slice(0, 16));
  });
});
