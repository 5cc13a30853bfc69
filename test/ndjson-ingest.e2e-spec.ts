import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { LedgerClient, LedgerStreamStoppedError, type LedgerEvent } from '@ledger/client';
import { exampleEvent } from '@ledger/wire';
import { rawExchange } from './support/raw-http.js';
import { postJson, startServiceProcess, type ServiceProcess } from './support/service-process.js';
import { TEST_KEYS } from './support/test-app.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

const registration = (contractId: string): LedgerEvent => ({
  eventId: randomUUID(), type: 'ContractRegistered', contractId, occurredAt: '2025-04-01T09:00:00+09:00', actor: { org: 'city' },
  data: { title: 'backfill', contractorId: 'okayama-systems', purposes: ['運用保守'], dataCategories: ['給付実績'], permitsSubcontracting: false, term: { start: '2025-04-01T00:00:00+09:00', end: '2030-03-31T23:59:59+09:00' } },
});

/** n events of a contract, made as they are read (nothing held), with IDs that are the same for the same seed. */
function* backfill(contractId: string, n: number, seed: string): Generator<LedgerEvent> {
  for (let i = 0; i < n; i++) {
    const hex = (seed + i.toString(16)).padStart(12, '0').slice(-12);
    yield {
      eventId: `00000000-0000-4000-8000-${hex}`, type: 'RecordUsed', contractId, recordId: `R-${i % 20_000}`,
      occurredAt: '2026-04-01T09:00:00+09:00', actor: { org: 'contractor', workerId: 'W-001' }, source: 'backfill', data: { purpose: '運用保守' },
    };
  }
}

/** Resident memory of a process now (VmRSS), in MB. */
function rssMb(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
}

describe('POST /v1/events as NDJSON, against the real service', () => {
  let db: TestDatabase;
  let service: ServiceProcess;
  let dir: string;
  let client: LedgerClient;

  const contractCount = async (contractId: string): Promise<number> => {
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    try {
      return (await c.query("SELECT count(*)::int AS n FROM ledger_events WHERE contract_id = $1 AND type <> 'ContractRegistered'", [contractId])).rows[0].n;
    } finally {
      await c.end();
    }
  };
  const register = async (contractId: string): Promise<void> => {
    expect((await postJson(service.url, '/v1/events', registration(contractId))).status).toBe(201);
  };

  beforeAll(async () => {
    db = await createTestDatabase('ndjson');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledger-ndjson-'));
    // The heap is capped as `npm start` caps it: a service that held the stream would run out of it.
    service = await startServiceProcess(dir, { DATABASE_URL: db.url, LEDGER_WORKERS: 'off', NODE_OPTIONS: '--max-old-space-size=192' });
    client = new LedgerClient({ baseUrl: service.url, apiKey: TEST_KEYS.feed });
  }, 60_000);

  afterAll(async () => {
    await service?.stop();
    await db?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('takes a 200,000-event stream with the service\'s memory flat, acknowledging every event in order', async () => {
    await register('nd-big');
    await register('nd-warm');
    // A first stream warms the service up (JIT, pools, caches); then the big one must not grow it much.
    await client.appendStream(backfill('nd-warm', 20_000, 'a'));
    let peak = 0;
    const baseline = rssMb(service.pid);
    const sampler = setInterval(() => (peak = Math.max(peak, rssMb(service.pid))), 50);
    let next = 0;
    let inOrder = true;
    const summary = await client.appendStream(backfill('nd-big', 200_000, 'b'), {
      onAck: (ack) => {
        if (ack.index !== next++ || ack.status !== 'appended') inOrder = false;
      },
    });
    clearInterval(sampler);
    expect(summary).toEqual({ events: 200_000, appended: 200_000, duplicate: 0, lines: 200_000 });
    expect(inOrder).toBe(true);
    expect(await contractCount('nd-big')).toBe(200_000);
    // The stream is ~70 MB of JSON and several times that as objects: held whole, it would not fit
    // the heap; read chunk by chunk, the process grows by little more than garbage not yet collected.
    expect(peak - baseline).toBeLessThan(100);
  }, 600_000);

  it('stops at a malformed line in the middle: the chunks before it are kept, and the answer says where it stopped', async () => {
    await register('nd-bad');
    const lines = [...backfill('nd-bad', 5_000, 'c')].map((e) => JSON.stringify(e));
    lines[3_499] = '{"eventId": "broken';
    const response = await fetch(`${service.url}/v1/events`, {
      method: 'POST', headers: { authorization: `Bearer ${TEST_KEYS.feed}`, 'content-type': 'application/x-ndjson' }, body: `${lines.join('\n')}\n`,
    });
    expect(response.status).toBe(200);
    const answers = (await response.text()).trim().split('\n').map((l) => JSON.parse(l));
    const last = answers.at(-1);
    expect(last.error).toEqual(expect.objectContaining({ code: 'LEDGER.MALFORMED_NDJSON', acknowledged: 3_499, stoppedAt: { index: 3_499, line: 3_500 } }));
    expect(last.error.errors).toEqual([expect.objectContaining({ line: 3_500, rule: 'json' })]);
    expect(answers).toHaveLength(3_500);
    expect(await contractCount('nd-bad')).toBe(3_499);

    // An event the contract refuses stops the stream at its chunk: nothing of that chunk is written.
    const refused = [...backfill('nd-bad', 2_500, 'd')];
    (refused[1_500]!.data as Record<string, unknown>).patientName = '岡山 花子';
    const error = await client.appendStream(refused).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LedgerStreamStoppedError);
    // Where the refused chunk begins depends on how the lines arrived (a chunk is cut at 1,000 lines
    // or when the sender pauses); whatever the cut, everything before it is written and nothing after.
    const stopped = error as LedgerStreamStoppedError;
    expect(stopped.problems).toEqual([expect.objectContaining({ index: 1_500, line: 1_501, field: 'data.patientName' })]);
    expect(stopped.acknowledged).toBeLessThanOrEqual(1_500);
    expect(stopped.stoppedAt).toEqual({ index: stopped.acknowledged, line: stopped.acknowledged + 1 });
    expect(await contractCount('nd-bad')).toBe(3_499 + stopped.acknowledged);
  }, 120_000);

  it('throws away the unread rest of a stopped stream, so the kept-alive connection serves the next request', async () => {
    const body = `not json\n${[...backfill('nd-rest', 8_000, '9')].map((e) => JSON.stringify(e)).join('\n')}\n`;
    const head = `POST /v1/events HTTP/1.1\r\nHost: ledger\r\nAuthorization: Bearer ${TEST_KEYS.feed}\r\nContent-Type: application/x-ndjson\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`;
    const next = 'GET /health HTTP/1.1\r\nHost: ledger\r\nConnection: close\r\n\r\n';
    // The stream stops at its first line, about 2 MB unread; the next request on the same connection is still answered.
    const answer = await rawExchange(service.url, { send: head + body + next, timeoutMs: 15_000 });
    expect(answer.text).toContain('"code":"LEDGER.MALFORMED_NDJSON"');
    expect(answer.text.match(/^HTTP\/1\.1 \d{3}/gm)).toHaveLength(2);
    expect(answer.closedByServer).toBe(true);
  });

  it('loses nothing acknowledged when the client disconnects mid-stream; sending the stream again answers duplicate for what was written', async () => {
    await register('nd-cut');
    const events = [...backfill('nd-cut', 30_000, 'e')];
    const acknowledged = await new Promise<number>((resolve, reject) => {
      const { hostname, port } = new URL(service.url);
      const request = http.request({ host: hostname, port, agent: false, path: '/v1/events', method: 'POST', headers: { authorization: `Bearer ${TEST_KEYS.feed}`, 'content-type': 'application/x-ndjson' } });
      let acks = 0;
      let rest = '';
      request.on('response', (response) => {
        response.setEncoding('utf8');
        response.on('data', (piece: string) => {
          rest += piece;
          const lines = rest.split('\n');
          rest = lines.pop()!;
          acks += lines.length;
          if (acks >= 2_000) {
            request.destroy();
            resolve(acks);
          }
        });
      });
      request.on('error', (error) => {
        if (acks < 2_000) reject(error);
      });
      (async () => {
        for (const event of events) {
          if (request.destroyed) return;
          if (!request.write(`${JSON.stringify(event)}\n`)) await new Promise((r) => request.once('drain', r));
        }
      })().catch(reject);
    });
    // The service finishes or drops the chunk it was on; what it acknowledged is there.
    await new Promise((r) => setTimeout(r, 500));
    const written = await contractCount('nd-cut');
    expect(written).toBeGreaterThanOrEqual(acknowledged);
    expect(written).toBeLessThan(events.length);
    expect((await fetch(`${service.url}/health`)).status).toBe(200);

    const summary = await client.appendStream(events);
    expect(summary).toEqual({ events: 30_000, appended: 30_000 - written, duplicate: written, lines: 30_000 });
    expect(await contractCount('nd-cut')).toBe(30_000);
  }, 120_000);

  it('authenticates before reading the stream, and refuses other media types', async () => {
    const post = (headers: Record<string, string>): Promise<{ status: number; connection: string | undefined }> =>
      new Promise((resolve, reject) => {
        const { hostname, port } = new URL(service.url);
        const request = http.request({ host: hostname, port, agent: false, path: '/v1/events', method: 'POST', headers }, (response) => {
          response.resume();
          response.on('end', () => resolve({ status: response.statusCode!, connection: response.headers.connection }));
        });
        request.on('error', reject);
        request.end('{}\n');
      });
    // Refused before a byte of the stream is read; the connection is closed rather than kept for another request.
    expect(await post({ 'content-type': 'application/x-ndjson' })).toEqual({ status: 401, connection: 'close' });
    expect(await post({ authorization: `Bearer ${TEST_KEYS.officer}`, 'content-type': 'application/x-ndjson' })).toEqual({ status: 403, connection: 'close' });
    expect(await post({ authorization: `Bearer ${TEST_KEYS.feed}`, 'content-type': 'application/x-ndjson; charset=latin1' })).toEqual({ status: 415, connection: 'close' });
  });

  it("holds a contractor's stream to its own contracts and facts as a batch would: the refused event named by stream index and line, nothing of its chunk written", async () => {
    await register('nd-own'); // contractor okayama-systems
    const created = await fetch(`${service.url}/v1/admin/api-keys`, {
      method: 'POST', headers: { authorization: `Bearer ${TEST_KEYS.admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'feed', label: 'vendor stream', party: 'contractor:other-vendor' }),
    });
    expect(created.status).toBe(201);
    const vendor = new LedgerClient({ baseUrl: service.url, apiKey: ((await created.json()) as { secret: string }).secret });
    const error = await vendor.appendStream([...backfill('nd-own', 10, 'e')]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LedgerStreamStoppedError);
    const stopped = error as LedgerStreamStoppedError;
    expect(stopped).toMatchObject({ acknowledged: 0, stoppedAt: { index: 0, line: 1 } });
    expect(stopped.problems[0]).toMatchObject({ index: 0, line: 1, field: 'contractId', rule: 'ownContract' });
    expect(await contractCount('nd-own')).toBe(0);

    // The contract's own contractor may stream its facts, but not one the city states.
    const own = await fetch(`${service.url}/v1/admin/api-keys`, {
      method: 'POST', headers: { authorization: `Bearer ${TEST_KEYS.admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'feed', label: 'own vendor stream', party: 'contractor:okayama-systems' }),
    });
    const contractor = new LedgerClient({ baseUrl: service.url, apiKey: ((await own.json()) as { secret: string }).secret });
    const events: LedgerEvent[] = [...backfill('nd-own', 5, 'f')];
    events.push(exampleEvent('AuthorizationGranted', randomUUID(), { contractId: 'nd-own' })); // the city's fact, as the city
    const refused = (await contractor.appendStream(events).catch((e: unknown) => e)) as LedgerStreamStoppedError;
    expect(refused).toBeInstanceOf(LedgerStreamStoppedError);
    expect(refused.problems).toEqual([
      expect.objectContaining({ index: 5, line: 6, field: 'type', rule: 'statedByCity' }),
      expect.objectContaining({ index: 5, line: 6, field: 'actor.org', rule: 'ownParty' }),
    ]);
    expect(refused.status).toBe(403);
    expect(await contractCount('nd-own')).toBe(refused.acknowledged);
    expect(refused.acknowledged).toBeLessThanOrEqual(5);
  });
});
