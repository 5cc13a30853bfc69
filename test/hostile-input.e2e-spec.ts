import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import pg from 'pg';
import { MAX_LISTED_PROBLEMS, type LedgerEvent } from '@ledger/domain';
import { decodeStoredEvent } from '@ledger/event-store';
import { EXAMPLE_EVENTS } from '@ledger/wire';
import { mutatedEvent, storedOutsideSchema } from '../libs/wire/src/testing/mutated-events.js';
import { rawExchange } from './support/raw-http.js';
import { startTestApp, TEST_KEYS, type TestApp } from './support/test-app.js';

function used(recordId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...structuredClone(EXAMPLE_EVENTS.RecordUsed), eventId: randomUUID(), recordId, ...overrides };
}

/** Runs `work` for each item with at most `limit` in flight. */
async function pooled<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  }));
  return results;
}

describe('hostile and clumsy input, through HTTP', () => {
  let app: TestApp;
  let db: pg.Client;

  const head = async (): Promise<number> => Number((await db.query('SELECT coalesce(max(position), 0) AS p FROM ledger_events')).rows[0].p);

  beforeAll(async () => {
    app = await startTestApp('hostile');
    db = new pg.Client({ connectionString: app.db.url });
    await db.connect();
    const registered = await app.request('POST', '/v1/events', { role: 'feed', body: { ...EXAMPLE_EVENTS.ContractRegistered, eventId: randomUUID() } });
    expect(registered.status).toBe(201);
  });

  afterAll(async () => {
    await db.end();
    await app.close();
  });

  it('serves every valid request while a year-0000 event, a 100,000-deep body and a 10,000-problem batch arrive at the same time', async () => {
    const before = await head();
    const valid = Array.from({ length: 240 }, (_, i) => used(`R-V${i % 30}`));
    const deep = `{"events":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const badBatch = { events: Array.from({ length: 10_000 }, () => used('not an id', { eventId: 'x' })) };
    const poison = [
      app.request('POST', '/v1/events', { role: 'feed', body: used('R-P', { occurredAt: '0000-01-01T00:00:00Z' }) }),
      app.request('POST', '/v1/events', { role: 'feed', rawBody: deep, headers: { 'content-type': 'application/json' } }),
      app.request('POST', '/v1/events', { role: 'feed', body: badBatch }),
      app.request('POST', '/v1/events', { role: 'feed', body: { events: [used('R-P1'), used('R-P2', { data: { purpose: 'p', valueOf: '岡山 太郎' } })] } }),
    ];
    const answers = await pooled(valid, 16, (event) => app.request('POST', '/v1/events', { role: 'feed', body: event }));
    const [year0, tooDeep, problems, inherited] = await Promise.all(poison);

    expect(answers.map((a) => a.status).filter((s) => s !== 201)).toEqual([]);
    expect(year0).toMatchObject({ status: 400, body: { code: 'LEDGER.INVALID_EVENTS', errors: [expect.objectContaining({ field: 'occurredAt', rule: 'isTimestamp' })] } });
    expect(tooDeep).toMatchObject({ status: 400, body: { code: 'LEDGER.JSON_TOO_DEEP' } });
    expect(problems.status).toBe(400);
    expect(problems.body.errors).toHaveLength(MAX_LISTED_PROBLEMS);
    expect(problems.body.errorCount).toBe(20_000);
    expect(JSON.stringify(problems.body).length).toBeLessThan(40_000);
    expect(inherited).toMatchObject({ status: 400, body: { errors: [expect.objectContaining({ index: 1, field: 'data.valueOf', rule: 'unknownField' })] } });
    expect(await head()).toBe(before + valid.length);
  });

  it('refuses bytes that are not UTF-8, charsets other than UTF-8 and any Content-Encoding, naming why', async () => {
    const event = JSON.stringify(used('R-E'));
    const latin1 = Buffer.concat([Buffer.from(event.slice(0, -2)), Buffer.from([0xe9]), Buffer.from('"}')]);
    const post = async (body: string | Buffer, headers: Record<string, string>): Promise<{ status: number; code: string }> => {
      const response = await fetch(`${app.url}/v1/events`, { method: 'POST', headers: { authorization: `Bearer ${TEST_KEYS.feed}`, ...headers }, body });
      return { status: response.status, code: ((await response.json()) as { code?: string }).code ?? '' };
    };
    const before = await head();
    const notUtf8 = await post(latin1, { 'content-type': 'application/json' });
    expect([notUtf8.status, notUtf8.code]).toEqual([400, 'LEDGER.INVALID_UTF8']);
    for (const charset of ['utf-16', 'iso-8859-1', 'shift_jis']) {
      const answer = await post(event, { 'content-type': `application/json; charset=${charset}` });
      expect([charset, answer.status, answer.code]).toEqual([charset, 415, 'LEDGER.UNSUPPORTED_MEDIA_TYPE']);
    }
    for (const encoding of ['br', 'gzip', 'deflate', 'identity, gzip']) {
      const answer = await post(event, { 'content-type': 'application/json', 'content-encoding': encoding });
      expect([encoding, answer.status, answer.code]).toEqual([encoding, 415, 'LEDGER.UNSUPPORTED_ENCODING']);
    }
    expect(await head()).toBe(before);
    expect((await post(event, { 'content-type': 'application/json; charset=UTF-8', 'content-encoding': 'identity' })).status).toBe(201);
  });

  it('checks the key and its role before reading a body: an unknown caller cannot make it receive 14 MB', async () => {
    const announce = (authorization: string): string =>
      `POST /v1/events HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: 14000000\r\n${authorization}\r\n{"events":[`;
    for (const [authorization, status] of [['', 401], ['Authorization: Bearer wrong-key-0123456789\r\n', 401], [`Authorization: Bearer ${TEST_KEYS.officer}\r\n`, 403]] as const) {
      // Only the head and a few bytes are ever sent: the answer must come without the rest.
      const answer = await rawExchange(app.url, { send: announce(authorization), timeoutMs: 5_000 });
      expect({ authorization, status: answer.status, closed: answer.closedByServer }).toEqual({ authorization, status, closed: true });
      expect(answer.text).toMatch(/connection: close/i);
    }
  });

  it('answers random and mutated bodies, single and batched, never with a 5xx, never writing part of a batch, never storing a field outside the schema', async () => {
    const body = fc.oneof(
      mutatedEvent,
      fc.array(mutatedEvent, { minLength: 1, maxLength: 4 }).map((events) => ({ events })),
      fc.jsonValue({ maxDepth: 5 }),
    );
    await fc.assert(
      fc.asyncProperty(body, async (candidate) => {
        // A fresh eventId each time, so the example's fixed one does not make every run a duplicate.
        const text = JSON.stringify(candidate).replaceAll('5b0c7c1e-8a39-4d2e-9a51-0f3c1f1f6a10', () => randomUUID());
        const before = await head();
        const answer = await app.request('POST', '/v1/events', { role: 'feed', rawBody: text, headers: { 'content-type': 'application/json' } });
        expect(answer.status).toBeLessThan(500);
        const after = await head();
        if (answer.status === 201) {
          const appended = (answer.body.events as Array<{ status: string }>).filter((e) => e.status === 'appended').length;
          expect(after - before).toBe(appended);
        } else {
          expect(after).toBe(before);
        }
      }),
      { numRuns: 250 },
    );
    const { rows } = await db.query<{ canonical: string; hash: string; position: string; stream_id: string; stream_version: number; recorded_at: Date; prev_hash: string | null }>(
      `SELECT canonical, encode(hash, 'hex') AS hash, position, stream_id, stream_version, recorded_at, encode(prev_hash, 'hex') AS prev_hash FROM ledger_events`,
    );
    const outside = rows.flatMap((row) => {
      const columns = { streamId: row.stream_id, streamVersion: row.stream_version, position: Number(row.position), recordedAt: row.recorded_at.toISOString(), prevHash: row.prev_hash };
      return storedOutsideSchema(decodeStoredEvent(row.canonical, row.hash, columns).event as LedgerEvent);
    });
    expect(outside).toEqual([]);
  });
});
