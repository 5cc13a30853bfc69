import { randomUUID } from 'node:crypto';
import { EXAMPLE_EVENTS } from '@ledger/wire';
import { startTestApp, type TestApp } from './support/test-app.js';

describe('API keys managed by an admin', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp('api_keys');
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
    expect(created.body).toMatchObject({ role: 'feed', label: 'kaigo-system feed', keyId: expect.stringMatching(/^[0-9a-f]{16}$/), revokedAt: null });
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
    const list = (await app.request('GET', '/v1/admin/api-keys', { role: 'admin' })).body;
    const bootstrap = list.bootstrap[0].keyId;
    expect((await app.request('DELETE', `/v1/admin/api-keys/${bootstrap}`, { role: 'admin' })).status).toBe(409);
    expect((await app.request('DELETE', '/v1/admin/api-keys/0000000000000000', { role: 'admin' })).status).toBe(404);
    expect((await app.request('DELETE', '/v1/admin/api-keys/nope', { role: 'admin' })).status).toBe(400);
    expect((await app.request('GET', '/v1/admin/api-keys', { role: 'auditor' })).status).toBe(403);
  });
});
