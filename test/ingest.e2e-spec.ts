import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { EVENT_TYPES, type EventType } from '@ledger/domain';
import { EXAMPLE_CONTRACT_ID, EXAMPLE_EVENTS } from '@ledger/wire';
import { startTestApp, type TestApp } from './support/test-app.js';

function event(type: EventType, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...structuredClone(EXAMPLE_EVENTS[type]), eventId: randomUUID(), ...overrides };
}

async function eventCount(app: TestApp): Promise<number> {
  const client = new pg.Client({ connectionString: app.db.url });
  await client.connect();
  const { rows } = await client.query('SELECT count(*)::int AS n FROM ledger_events');
  await client.end();
  return rows[0].n;
}

describe('POST /v1/events through the real service and PostgreSQL', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp('ingest');
    const registered = await app.request('POST', '/v1/events', { role: 'feed', body: event('ContractRegistered') });
    expect(registered.status).toBe(201);
  });

  afterAll(async () => {
    await app.close();
  });

  it('accepts one valid example of every event type and answers each with stream, version, position and hash', async () => {
    const types = EVENT_TYPES.filter((t) => t !== 'ContractRegistered');
    for (const type of types) {
      const sent = event(type);
      const answer = await app.request('POST', '/v1/events', { role: 'feed', body: sent });
      expect({ type, status: answer.status }).toEqual({ type, status: 201 });
      const [appended] = answer.body.events;
      expect(appended).toEqual({
        eventId: sent.eventId,
        status: 'appended',
        streamId: 'recordId' in sent ? `record-${EXAMPLE_CONTRACT_ID}-${sent.recordId}` : `contract-${EXAMPLE_CONTRACT_ID}`,
        streamVersion: expect.any(Number),
        position: expect.any(Number),
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
        recordedAt: expect.any(String),
      });
    }
  });

  it('writes nothing of a batch of 1,000 with one bad event, and names the index and field', async () => {
    const before = await eventCount(app);
    const batch = Array.from({ length: 1000 }, (_, i) => event('RecordUsed', { recordId: `R-B${i}` }));
    (batch[731]!.data as Record<string, unknown>).patientName = '岡山 花子';
    const answer = await app.request('POST', '/v1/events', { role: 'feed', body: { events: batch } });
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([expect.objectContaining({ index: 731, field: 'data.patientName', rule: 'unknownField' })]);
    expect(await eventCount(app)).toBe(before);
  });

  it('appends a batch posted twice once: the retry answers duplicate with the same positions', async () => {
    const batch = Array.from({ length: 50 }, (_, i) => event('RecordUsed', { recordId: `R-I${i}` }));
    const first = await app.request('POST', '/v1/events', { role: 'feed', body: { events: batch } });
    const count = await eventCount(app);
    const second = await app.request('POST', '/v1/events', { role: 'feed', body: { events: batch } });
    expect(second.status).toBe(201);
    expect(second.body.events.map((e: { status: string }) => e.status)).toEqual(Array(50).fill('duplicate'));
    expect(second.body.events.map((e: { position: number }) => e.position)).toEqual(first.body.events.map((e: { position: number }) => e.position));
    expect(await eventCount(app)).toBe(count);
  });

  it('answers 409 for a known eventId with other content and writes nothing', async () => {
    const original = event('RecordUsed');
    await app.request('POST', '/v1/events', { role: 'feed', body: original });
    const before = await eventCount(app);
    const changed = { ...original, data: { purpose: '介護保険システム運用保守' } };
    const answer = await app.request('POST', '/v1/events', { role: 'feed', body: { events: [event('RecordUsed'), changed] } });
    expect(answer.status).toBe(409);
    expect(answer.body.code).toBe('LEDGER.EVENT_ID_CONFLICT');
    expect(await eventCount(app)).toBe(before);
  });

  it('answers 422 for an unregistered contract and writes nothing', async () => {
    const before = await eventCount(app);
    const answer = await app.request('POST', '/v1/events', {
      role: 'feed',
      body: { events: [event('RecordUsed'), event('RecordUsed', { contractId: 'never-registered' })] },
    });
    expect(answer.status).toBe(422);
    expect(answer.body).toMatchObject({ code: 'LEDGER.UNKNOWN_CONTRACT', message: expect.stringContaining('never-registered') });
    expect(await eventCount(app)).toBe(before);
  });

  it('accepts a contract registered earlier in the same batch, but not an event before its registration', async () => {
    const fresh = `c-${randomUUID().slice(0, 8)}`;
    const before = await eventCount(app);
    const early = await app.request('POST', '/v1/events', {
      role: 'feed',
      body: { events: [event('RecordUsed', { contractId: fresh }), event('ContractRegistered', { contractId: fresh })] },
    });
    expect(early.status).toBe(422);
    expect(await eventCount(app)).toBe(before);
    const ok = await app.request('POST', '/v1/events', {
      role: 'feed',
      body: { events: [event('ContractRegistered', { contractId: fresh }), event('RecordUsed', { contractId: fresh })] },
    });
    expect(ok.status).toBe(201);
  });

  it('refuses a second registration of a contract with 409, but accepts its retry as a duplicate', async () => {
    const fresh = `c-${randomUUID().slice(0, 8)}`;
    const registration = event('ContractRegistered', { contractId: fresh });
    expect((await app.request('POST', '/v1/events', { role: 'feed', body: registration })).status).toBe(201);
    const retry = await app.request('POST', '/v1/events', { role: 'feed', body: { events: [registration, event('WorkerBriefed', { contractId: fresh })] } });
    expect(retry.status).toBe(201);
    expect(retry.body.events.map((e: { status: string }) => e.status)).toEqual(['duplicate', 'appended']);
    const again = await app.request('POST', '/v1/events', { role: 'feed', body: event('ContractRegistered', { contractId: fresh }) });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('LEDGER.CONTRACT_ALREADY_REGISTERED');
  });

  it('answers 400 for malformed JSON, an empty body and a bare array, never 500', async () => {
    for (const rawBody of ['{"eventId": ', '', '[]', 'null', '"text"']) {
      const answer = await app.request('POST', '/v1/events', { role: 'feed', rawBody, headers: { 'content-type': 'application/json' } });
      expect({ rawBody, status: answer.status }).toEqual({ rawBody, status: 400 });
      expect(answer.body.code).toMatch(/^LEDGER\.(MALFORMED_JSON|INVALID_EVENTS)$/);
    }
  });

  it('answers 415 for a body that is not JSON', async () => {
    const answer = await app.request('POST', '/v1/events', { role: 'feed', rawBody: 'eventId=1', headers: { 'content-type': 'text/plain' } });
    expect(answer.status).toBe(415);
  });

  it('answers 413 past the body size limit and past 10,000 events', async () => {
    const big = await app.request('POST', '/v1/events', {
      role: 'feed',
      rawBody: JSON.stringify({ events: [{ pad: 'x'.repeat(17 * 1024 * 1024) }] }),
      headers: { 'content-type': 'application/json' },
    });
    expect(big.status).toBe(413);
    const many = await app.request('POST', '/v1/events', { role: 'feed', body: { events: Array(10_001).fill(event('RecordUsed')) } });
    expect(many.status).toBe(413);
    expect(many.body.code).toBe('LEDGER.BATCH_TOO_LARGE');
  });

  it('answers 401 without or with a wrong key, and 403 for every role but feed (an admin manages keys, it does not write history)', async () => {
    expect((await app.request('POST', '/v1/events', { body: event('RecordUsed') })).status).toBe(401);
    expect((await app.request('POST', '/v1/events', { body: event('RecordUsed'), headers: { authorization: 'Bearer nope-nope-nope-nope' } })).status).toBe(401);
    expect((await app.request('POST', '/v1/events', { role: 'officer', body: event('RecordUsed') })).status).toBe(403);
    expect((await app.request('POST', '/v1/events', { role: 'auditor', body: event('RecordUsed') })).status).toBe(403);
    expect((await app.request('POST', '/v1/events', { role: 'admin', body: event('RecordUsed') })).status).toBe(403);
  });

  it('answers 400 naming occurredAt for an event more than 5 minutes ahead of the ledger clock', async () => {
    const answer = await app.request('POST', '/v1/events', { role: 'feed', body: event('RecordUsed', { occurredAt: new Date(Date.now() + 3_600_000).toISOString() }) });
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([expect.objectContaining({ index: 0, field: 'occurredAt', rule: 'notInFuture' })]);
  });
});

describe('reading history', () => {
  let app: TestApp;
  const contractId = 'history-contract';

  beforeAll(async () => {
    app = await startTestApp('history');
    await app.request('POST', '/v1/events', {
      role: 'feed',
      body: {
        events: [
          event('ContractRegistered', { contractId }),
          ...Array.from({ length: 7 }, (_, i) => event('RecordUsed', { contractId, recordId: i % 2 ? 'R-ODD' : 'R-EVEN' })),
        ],
      },
    });
  });

  afterAll(async () => {
    await app.close();
  });

  it("pages a contract's events in ledger order, each with version, position, recordedAt and hashes", async () => {
    const first = await app.request('GET', `/v1/contracts/${contractId}/events?limit=5`, { role: 'auditor' });
    expect(first.status).toBe(200);
    expect(first.body.events.map((e: { position: number }) => e.position)).toEqual([1, 2, 3, 4, 5]);
    expect(first.body.events[0]).toEqual({
      event: expect.objectContaining({ type: 'ContractRegistered', contractId }),
      streamId: `contract-${contractId}`,
      streamVersion: 0,
      position: 1,
      recordedAt: expect.any(String),
      prevHash: null,
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const second = await app.request('GET', `/v1/contracts/${contractId}/events?after=${first.body.next}&limit=5`, { role: 'auditor' });
    expect(second.body.events.map((e: { position: number }) => e.position)).toEqual([6, 7, 8]);
    expect(second.body.next).toBeNull();
  });

  it("pages one record's stream with its hash chain", async () => {
    const page = await app.request('GET', `/v1/contracts/${contractId}/records/R-ODD/events?limit=2`, { role: 'auditor' });
    expect(page.body.events.map((e: { streamVersion: number }) => e.streamVersion)).toEqual([0, 1]);
    expect(page.body.events[1].prevHash).toBe(page.body.events[0].hash);
    const rest = await app.request('GET', `/v1/contracts/${contractId}/records/R-ODD/events?fromVersion=${page.body.next}`, { role: 'auditor' });
    expect(rest.body.events.map((e: { streamVersion: number }) => e.streamVersion)).toEqual([2]);
  });

  it('answers 404 for an unknown contract or record, 400 for bad parameters, 403 for officers', async () => {
    expect((await app.request('GET', '/v1/contracts/nope/events', { role: 'auditor' })).status).toBe(404);
    expect((await app.request('GET', `/v1/contracts/${contractId}/records/R-NONE/events`, { role: 'auditor' })).status).toBe(404);
    const bad = await app.request('GET', `/v1/contracts/${contractId}/events?limit=0&after=-1&colour=red`, { role: 'auditor' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['after', 'colour', 'limit']);
    expect((await app.request('GET', `/v1/contracts/${contractId}/events`, { role: 'officer' })).status).toBe(403);
  });
});

describe('operations', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp('ops');
  });

  afterAll(async () => {
    await app.close();
  });

  it('names the closest valid type for a misspelt one, and answers in Japanese as well when asked (Accept-Language: ja)', async () => {
    const answer = await app.request('POST', '/v1/events', { role: 'feed', body: event('RecordCopied', { type: 'RecordCopyed' }), headers: { 'accept-language': 'ja,en;q=0.5' } });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ code: 'LEDGER.INVALID_EVENTS', messageJa: expect.stringContaining('イベントに誤りがあります') });
    expect(answer.body.errors[0]).toMatchObject({
      field: 'type',
      rule: 'isIn',
      message: expect.stringContaining('did you mean RecordCopied?'),
      messageJa: expect.stringContaining('イベント型の一覧'),
    });
  });

  it('answers /health without credentials', async () => {
    const answer = await app.request('GET', '/health');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ status: 'ok', store: 'postgres', headPosition: 0 });
  });

  it('serves OpenAPI at /docs with every event type, its data schema and the error shape', async () => {
    expect((await app.request('GET', '/docs')).status).toBe(200);
    const spec = await app.request('GET', '/docs/openapi.json');
    expect(spec.status).toBe(200);
    const schemas = spec.body.components.schemas;
    expect(schemas.EventEnvelopeDto.properties.type.enum).toEqual(EVENT_TYPES);
    expect(schemas.RecordCopiedData.required).toEqual(expect.arrayContaining(['copyId', 'medium', 'location']));
    expect(schemas.ErrorAnswerDto.properties).toHaveProperty('errors');
    expect(spec.body.paths['/v1/events'].post.responses).toHaveProperty('422');
  });
});
