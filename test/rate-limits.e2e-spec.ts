import { randomBytes, randomUUID } from 'node:crypto';
import type { LedgerEvent } from '@ledger/domain';
import { exampleEvent } from '@ledger/wire';
import { INVALID_KEY_MESSAGE } from '../apps/ledger-api/src/auth/api-key.guard.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * Budgets and abuse (docs/security.md "Rate limits"): a key's request and event budgets answer 429
 * with Retry-After; a limited key's batch is refused whole, never half-written; failed
 * authentications from one address are slowed down; an unknown key and a revoked one get the same
 * answer. The budgets here refill so slowly that nothing refills during the test.
 */
describe('rate limits', () => {
  let app: TestApp;
  const reader = `officer-${randomBytes(24).toString('base64url')}`;
  const writer = `feed-${randomBytes(24).toString('base64url')}`;
  const racer = `feed-${randomBytes(24).toString('base64url')}`;
  const CONTRACT = 'limited-contract';

  const batch = (n: number): LedgerEvent[] => Array.from({ length: n }, () => exampleEvent('RecordUsed', randomUUID(), { contractId: CONTRACT, recordId: 'R-1' }));
  // Straight from the event table: the API's own keys have tiny budgets here.
  const countWritten = async (events: LedgerEvent[]): Promise<number> => {
    const { rows } = await app.runtime.pool.query<{ n: string }>('SELECT count(*) AS n FROM ledger_events WHERE event_id = ANY($1::uuid[])', [events.map((e) => e.eventId)]);
    return Number(rows[0]!.n);
  };

  beforeAll(async () => {
    app = await startTestApp('rate_limits', {
      keys: [
        { secret: reader, role: 'officer' },
        { secret: writer, role: 'feed' },
        { secret: racer, role: 'feed' },
      ],
      config: {
        rateLimits: { requestsPerSecond: 0.001, requestBurst: 5, eventsPerSecond: 0.001, eventBurst: 10_000, authFailuresPerMinute: 0.01, authFailureBurst: 4 },
      },
    });
    const setup = await app.request('POST', '/v1/events', {
      role: 'feed',
      body: exampleEvent('ContractRegistered', randomUUID(), { contractId: CONTRACT }),
    });
    expect(setup.status).toBe(201);
  });

  afterAll(async () => {
    await app.close();
  });

  it("answers 429 with Retry-After once a key's request budget is spent, and only for that key", async () => {
    for (let i = 0; i < 5; i++) expect((await app.request('GET', `/v1/contracts/${CONTRACT}/compliance`, { secret: reader })).status).toBe(200);
    const limited = await app.request('GET', `/v1/contracts/${CONTRACT}/compliance`, { secret: reader });
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ statusCode: 429, code: 'LEDGER.RATE_LIMITED' });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await app.request('GET', `/v1/contracts/${CONTRACT}/compliance`, { role: 'officer' })).status).toBe(200);
  });

  it("refuses a batch the key's event budget cannot hold whole: nothing of it is written", async () => {
    const first = batch(8_000);
    expect((await app.request('POST', '/v1/events', { secret: writer, body: { events: first } })).status).toBe(201);
    const second = batch(3_000);
    const limited = await app.request('POST', '/v1/events', { secret: writer, body: { events: second } });
    expect(limited.status).toBe(429);
    expect(limited.body.message).toMatch(/nothing of the batch was written/);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await countWritten(first)).toBe(8_000);
    expect(await countWritten(second)).toBe(0);
  });

  it('never half-writes either of two batches in flight at once when only one fits', async () => {
    const a = batch(6_000);
    const b = batch(6_000);
    const answers = await Promise.all([a, b].map((events) => app.request('POST', '/v1/events', { secret: racer, body: { events } })));
    expect(answers.map((x) => x.status).sort()).toEqual([201, 429]);
    expect([await countWritten(a), await countWritten(b)].sort()).toEqual([0, 6_000]);
  });

  it('answers an unknown key and a revoked one alike', async () => {
    const created = await app.request('POST', '/v1/admin/api-keys', { role: 'admin', body: { role: 'officer', label: 'revoked soon' } });
    expect((await app.request('DELETE', `/v1/admin/api-keys/${created.body.keyId}`, { role: 'admin' })).status).toBe(200);
    const revoked = await app.request('GET', `/v1/contracts/${CONTRACT}/compliance`, { secret: created.body.secret });
    const unknown = await app.request('GET', `/v1/contracts/${CONTRACT}/compliance`, { secret: `officer-${randomBytes(24).toString('base64url')}` });
    expect(revoked).toMatchObject({ status: 401, body: { statusCode: 401, code: 'LEDGER.UNAUTHENTICATED', message: INVALID_KEY_MESSAGE } });
    expect(unknown.body).toEqual(revoked.body);
    expect(unknown.status).toBe(revoked.status);
  });

  it('slows down an address after a burst of failed authentications, before even looking at its keys', async () => {
    // Two failures above, two more here: the burst of four is spent.
    for (let i = 0; i < 2; i++) expect((await app.request('GET', '/v1/log/checkpoints', { secret: `x-${randomBytes(24).toString('base64url')}` })).status).toBe(401);
    const braked = await app.request('GET', '/v1/log/checkpoints', { role: 'auditor' });
    expect(braked.status).toBe(429);
    expect(Number(braked.headers.get('retry-after'))).toBeGreaterThan(60);
    // Public routes stay open.
    expect((await app.request('GET', '/health')).status).toBe(200);
  });
});
