import { randomUUID } from 'node:crypto';
import type { LedgerEvent } from './generated/ledger-types.js';
import { LedgerHttpError, LedgerUnavailableError } from './errors.js';
import { LedgerClient } from './ledger-client.js';
import { backoffDelay, DEFAULT_RETRY, retryAfterMs } from './retry.js';
import { generateSigningKey, verifySignedEvent } from './signing.js';

const used = (recordId: string): LedgerEvent => ({
  eventId: randomUUID(), type: 'RecordUsed', contractId: 'c-1', recordId, occurredAt: '2026-04-01T09:00:00+09:00',
  actor: { org: 'contractor', workerId: 'W-001' }, data: { purpose: '運用保守' },
});

type Answer = { status: number; body?: unknown; headers?: Record<string, string> } | Error;

/** A fetch that answers from a script and records what was sent. */
function scripted(answers: Answer[] | ((body: any, call: number) => Answer)) {
  const sent: any[] = [];
  const fetchImpl = (async (_url: string, init: RequestInit) => {
    const body = init.body ? JSON.parse(String(init.body)) : undefined;
    sent.push(body);
    const answer = typeof answers === 'function' ? answers(body, sent.length) : answers.shift()!;
    if (answer instanceof Error) throw answer;
    return new Response(answer.body === undefined ? '' : JSON.stringify(answer.body), { status: answer.status, headers: answer.headers });
  }) as typeof fetch;
  return { fetchImpl, sent };
}

const ok = (body: any) => ({ status: 201, body: { events: body.events.map((e: any, i: number) => ({ eventId: e.eventId, status: 'appended', streamId: 's', streamVersion: i, position: i + 1, hash: 'h', recordedAt: 't' })) } });

function client(fetchImpl: typeof fetch, extra: Partial<ConstructorParameters<typeof LedgerClient>[0]> = {}) {
  const delays: number[] = [];
  const c = new LedgerClient({ baseUrl: 'http://ledger', apiKey: 'k', fetch: fetchImpl, random: () => 0.5, sleep: async (ms) => void delays.push(ms), ...extra });
  return { c, delays };
}

describe('LedgerClient', () => {
  it('sends the highest position its appends were answered with on every read (X-Ledger-Min-Position), unless readYourWrites is false', async () => {
    const headers: Array<string | null> = [];
    const fetchImpl = (async (_url: string, init: RequestInit) => {
      headers.push(new Headers(init.headers).get('x-ledger-min-position'));
      if (init.method === 'POST') return new Response(JSON.stringify(ok(JSON.parse(String(init.body))).body), { status: 201 });
      return new Response(JSON.stringify({ events: [], next: null }), { status: 200 });
    }) as typeof fetch;
    const { c } = client(fetchImpl);
    await c.contractEvents('c-1');
    await c.appendBatch([used('R-1'), used('R-2')]);
    await c.contractEvents('c-1');
    expect(c.seenPosition).toBe(2);
    expect(headers).toEqual([null, null, '2']);

    const { c: plain } = client(fetchImpl, { readYourWrites: false });
    await plain.appendBatch([used('R-3')]);
    await plain.contractEvents('c-1');
    expect(headers.slice(3)).toEqual([null, null]);
  });

  it('retries a batch on 503, 429 and network errors with growing delays, sending the same events each time', async () => {
    const events = [used('R-1'), used('R-2')];
    const { fetchImpl, sent } = scripted((body, call) =>
      call === 1 ? { status: 503, body: { code: 'LEDGER.STORE_UNAVAILABLE', message: 'down' } }
        : call === 2 ? new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } })
          : call === 3 ? { status: 429, body: {}, headers: { 'retry-after': '2' } }
            : ok(body));
    const { c, delays } = client(fetchImpl);
    const answers = await c.appendBatch(events);
    expect(answers.map((a) => a.eventId)).toEqual(events.map((e) => e.eventId));
    expect(sent).toHaveLength(4);
    expect(new Set(sent.map((b) => JSON.stringify(b))).size).toBe(1);
    expect(delays).toEqual([188, 375, 2000]);
  });

  it('gives up after the configured retries with LedgerUnavailableError, and never retries a 400', async () => {
    const down = scripted(() => ({ status: 503, body: {} }));
    await expect(client(down.fetchImpl, { retry: { retries: 2 } }).c.appendBatch([used('R-1')])).rejects.toBeInstanceOf(LedgerUnavailableError);
    expect(down.sent).toHaveLength(3);
    const refused = scripted(() => ({ status: 400, body: { code: 'LEDGER.INVALID_EVENTS', message: 'bad', errors: [{ index: 0, field: 'data.x', rule: 'unknownField', message: 'm' }] } }));
    const error = await client(refused.fetchImpl).c.appendBatch([used('R-1')]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LedgerHttpError);
    expect((error as LedgerHttpError).problems).toEqual([expect.objectContaining({ field: 'data.x' })]);
    expect(refused.sent).toHaveLength(1);
  });

  it('cuts any number of events into batches and delivers them in order, several in flight', async () => {
    const events = Array.from({ length: 25 }, (_, i) => used(`R-${i}`));
    let calls = 0;
    const fetchImpl = (async (_url: string, init: RequestInit) => {
      const body = JSON.parse(String(init.body));
      await new Promise((r) => setTimeout(r, (++calls % 2) * 20)); // odd batches answer later
      return new Response(JSON.stringify(ok(body).body), { status: 201 });
    }) as typeof fetch;
    const { c } = client(fetchImpl, { batchSize: 10 });
    const seen: number[] = [];
    const summary = await c.append(events, { concurrency: 3, onBatch: (b) => void seen.push(b.index) });
    expect(seen).toEqual([0, 1, 2]);
    expect(summary).toEqual({ batches: 3, events: 25, appended: 25, duplicate: 0, refused: 0 });
  });

  it('with refusals: skip, takes refused events out of their batch and sends the rest again', async () => {
    const events = [used('R-1'), used('R-2'), used('R-3')];
    const { fetchImpl, sent } = scripted((body) => {
      if (body.events.length === 3) return { status: 400, body: { code: 'LEDGER.INVALID_EVENTS', message: 'bad', errors: [{ index: 1, field: 'recordId', rule: 'matches', message: 'm' }] } };
      if (body.events.length === 2) return { status: 409, body: { code: 'LEDGER.EVENT_ID_CONFLICT', message: 'conflict', details: { eventId: body.events[1].eventId, index: 1 } } };
      return ok(body);
    });
    const { c } = client(fetchImpl);
    let results: any[] = [];
    const summary = await c.append(events, { refusals: 'skip', onBatch: (b) => void (results = b.results) });
    expect(sent.map((b) => b.events.length)).toEqual([3, 2, 1]);
    expect(results.map((r) => r.status)).toEqual(['appended', 'refused', 'refused']);
    expect(results[1]).toEqual(expect.objectContaining({ code: 'LEDGER.INVALID_EVENTS', problems: [expect.objectContaining({ field: 'recordId' })] }));
    expect(results[2]).toEqual(expect.objectContaining({ code: 'LEDGER.EVENT_ID_CONFLICT', eventId: events[2]!.eventId }));
    expect(summary).toEqual(expect.objectContaining({ appended: 1, refused: 2 }));
  });

  it('signs every event with the party key when given one: the ledger\'s own verification accepts it', async () => {
    const key = generateSigningKey();
    const { fetchImpl, sent } = scripted((body) => ok(body));
    await client(fetchImpl, { signing: { keyId: 'key-1', privateKey: key.privateKey } }).c.appendBatch([used('R-1')]);
    const signed = sent[0].events[0];
    expect(signed.signature).toEqual({ keyId: 'key-1', sig: expect.any(String) });
    expect(verifySignedEvent(signed, key.publicKey)).toBe(true);
    expect(verifySignedEvent({ ...signed, recordId: 'R-2' }, key.publicKey)).toBe(false);
  });

  it('computes backoff with jitter, caps it, and reads Retry-After', () => {
    expect([1, 2, 3, 10].map((n) => backoffDelay(DEFAULT_RETRY, n, () => 1))).toEqual([250, 500, 1000, 15000]);
    expect(backoffDelay(DEFAULT_RETRY, 1, () => 0)).toBe(125);
    expect(retryAfterMs('3', 0)).toBe(3000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(retryAfterMs('soon', 0)).toBeUndefined();
  });
});
