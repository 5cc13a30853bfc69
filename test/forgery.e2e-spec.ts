import { randomBytes, randomUUID } from 'node:crypto';
import { EVENT_SPECS, EVENT_TYPES, type EventType, type LedgerEvent } from '@ledger/domain';
import { exampleEvent } from '@ledger/wire';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * A contractor's feed tries to state what only the city states, to speak as the city, and to write
 * into another contractor's contract (EVENTS.md v2): each is a 403 naming the field, and nothing of
 * the batch is written.
 */
describe('forgery: a contractor key cannot state the city\'s facts nor write into another contract', () => {
  let app: TestApp;
  const A = 'forgery-a';
  const B = 'forgery-b';
  const vendorA = `feed-${randomBytes(24).toString('base64url')}`;
  const cityOnlyA = `feed-${randomBytes(24).toString('base64url')}`;
  const CITY_ONLY = EVENT_TYPES.filter((t) => !EVENT_SPECS[t].by.includes('contractor'));

  const event = (type: EventType, contractId: string, overrides: Record<string, unknown> = {}): LedgerEvent =>
    exampleEvent(type, randomUUID(), { contractId, ...(EVENT_SPECS[type].kind === 'record' ? { recordId: 'R-1' } : {}), ...overrides } as never);
  const post = (secret: string, events: LedgerEvent[]) => app.request('POST', '/v1/events', { secret, body: { events } });
  const written = async (events: LedgerEvent[]): Promise<string[]> => {
    const ids = new Set(events.map((e) => e.eventId));
    const found: string[] = [];
    for (const contractId of [A, B]) {
      const page = await app.request('GET', `/v1/contracts/${contractId}/events?limit=1000`, { role: 'auditor' });
      for (const e of page.body.events) if (ids.has(e.event.eventId)) found.push(e.event.eventId);
    }
    return found;
  };

  beforeAll(async () => {
    app = await startTestApp('forgery', {
      keys: [
        { secret: vendorA, role: 'feed', party: 'contractor:vendor-a' },
        { secret: cityOnlyA, role: 'feed', party: 'city', contracts: [A] },
      ],
    });
    const registered = (contractId: string, contractorId: string) =>
      event('ContractRegistered', contractId, { data: { ...exampleEvent('ContractRegistered', '').data, contractorId } });
    const setup = await app.request('POST', '/v1/events', {
      role: 'feed',
      body: {
        events: [
          registered(A, 'vendor-a'),
          registered(B, 'vendor-b'),
          event('SubcontractRequested', B),
          event('SubcontractApproved', B),
          event('RecordCollected', B, { actor: { org: 'subcontractor:SUB-DATAENTRY', workerId: 'SW-1' } }),
        ],
      },
    });
    expect(setup.status).toBe(201);
  });

  afterAll(async () => {
    await app.close();
  });

  it.each(CITY_ONLY)('refuses %s from a contractor key: 403 naming type and actor.org (as the contractor, it is no valid event at all)', async (type) => {
    const asCity = event(type, A, { actor: { org: 'city', workerId: 'S-010' } });
    const answer = await post(vendorA, [asCity]);
    expect(answer.status).toBe(403);
    expect(answer.body.code).toBe('LEDGER.FORBIDDEN');
    expect(answer.body.errors).toEqual([
      expect.objectContaining({ index: 0, field: 'type', rule: 'statedByCity' }),
      expect.objectContaining({ index: 0, field: 'actor.org', rule: 'ownParty' }),
    ]);
    // The contractor as its actor: no key may send that (v1 "recordedBy", 400).
    const asContractor = event(type, A, { actor: { org: 'contractor', workerId: 'W-001' } });
    const invalid = await post(vendorA, [asContractor]);
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors).toContainEqual(expect.objectContaining({ field: 'actor.org', rule: 'recordedBy' }));
    expect(await written([asCity, asContractor])).toEqual([]);
  });

  it('refuses a city actor on a record event, naming actor.org', async () => {
    const forged = event('TransportCompleted', A, { actor: { org: 'city', workerId: 'S-010' } });
    const answer = await post(vendorA, [forged]);
    expect(answer.status).toBe(403);
    expect(answer.body.errors).toEqual([expect.objectContaining({ index: 0, field: 'actor.org', rule: 'ownParty' })]);
  });

  it("refuses to write as a subcontractor of another contractor's contract, naming contractId", async () => {
    const forged = event('RecordUsed', B, { actor: { org: 'subcontractor:SUB-DATAENTRY', workerId: 'SW-1' } });
    const answer = await post(vendorA, [forged]);
    expect(answer.status).toBe(403);
    expect(answer.body.errors).toEqual([expect.objectContaining({ index: 0, field: 'contractId', rule: 'ownContract' })]);
    expect(await written([forged])).toEqual([]);
  });

  it('answers a contract that does not exist as one of another contractor (nothing learnt about other contracts)', async () => {
    const missing = await post(vendorA, [event('RecordUsed', 'forgery-none')]);
    const other = await post(vendorA, [event('RecordUsed', B)]);
    expect(missing.status).toBe(403);
    expect(JSON.stringify(missing.body).replaceAll('forgery-none', 'X')).toBe(JSON.stringify(other.body).replaceAll(B, 'X'));
  });

  it('writes nothing of a batch that mixes allowed and forbidden events, and names only the forbidden ones', async () => {
    const batch = [event('RecordUsed', A), event('WorkerBriefed', A), event('AuthorizationGranted', A), event('RecordCopied', A), event('RecordUsed', B)];
    const answer = await post(vendorA, batch);
    expect(answer.status).toBe(403);
    expect([...new Set(answer.body.errors.map((e: { index: number }) => e.index))]).toEqual([2, 4]);
    expect(answer.body.message).toMatch(/nothing of the batch was written/);
    expect(await written(batch)).toEqual([]);
  });

  it("lets the contractor's key state the contractor's facts on its own contract", async () => {
    const own = [event('RecordUsed', A), event('WorkerBriefed', A), event('IncidentDetected', A), event('RecordCopied', A, { actor: { org: 'subcontractor:SUB-X', workerId: 'SW-2' } })];
    expect((await post(vendorA, own)).status).toBe(201);
    expect((await written(own)).sort()).toEqual(own.map((e) => e.eventId).sort());
  });

  it('lets a city key limited to one contract write anything there, and nothing elsewhere', async () => {
    expect((await post(cityOnlyA, [event('AuthorizationGranted', A), event('RecordUsed', A)])).status).toBe(201);
    const outside = await post(cityOnlyA, [event('AuthorizationGranted', B)]);
    expect(outside.status).toBe(403);
    expect(outside.body.errors).toEqual([expect.objectContaining({ field: 'contractId', rule: 'inScope' })]);
  });
});
