import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { LedgerClient, type LedgerEvent } from '@ledger/client';
import { startTestApp, TEST_KEYS, type TestApp } from './support/test-app.js';

/**
 * A proxy in front of the ledger that misbehaves as networks do: the first POST answers 503, the
 * second reaches the ledger (which commits it) but its answer is lost with the connection.
 */
async function faultyProxy(target: string): Promise<{ url: string; posts: () => number; close: () => Promise<void> }> {
  let posts = 0;
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', async () => {
      const n = request.method === 'POST' ? ++posts : 0;
      if (n === 1) {
        response.writeHead(503, { 'content-type': 'application/json', 'retry-after': '0' });
        response.end(JSON.stringify({ statusCode: 503, code: 'LEDGER.STORE_UNAVAILABLE', message: 'try later' }));
        return;
      }
      const answer = await fetch(`${target}${request.url}`, { method: request.method, headers: request.headers as Record<string, string>, body: request.method === 'POST' ? Buffer.concat(chunks) : undefined });
      const body = Buffer.from(await answer.arrayBuffer());
      if (n === 2) {
        request.socket.destroy(); // committed by the ledger, but the client never hears of it
        return;
      }
      response.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
      response.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    posts: () => posts,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('the typed client against the real service', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp('client');
  });

  afterAll(async () => {
    await app.close();
  });

  const count = async (contractId: string): Promise<number> => {
    const c = new pg.Client({ connectionString: app.db.url });
    await c.connect();
    try {
      return (await c.query('SELECT count(*)::int AS n FROM ledger_events WHERE contract_id = $1', [contractId])).rows[0].n;
    } finally {
      await c.end();
    }
  };

  it('retries on 503 and after a lost answer without writing anything twice', async () => {
    const proxy = await faultyProxy(app.url);
    const retries: string[] = [];
    const client = new LedgerClient({ baseUrl: proxy.url, apiKey: TEST_KEYS.feed, batchSize: 1000, retry: { initialDelayMs: 10 }, onRetry: (r) => retries.push(r.reason) });
    const contractId = 'client-retries';
    const events: LedgerEvent[] = [
      {
        eventId: randomUUID(), type: 'ContractRegistered', contractId, occurredAt: '2025-04-01T09:00:00+09:00', actor: { org: 'city' },
        data: { title: 'retries', contractorId: 'okayama-systems', purposes: ['運用保守'], dataCategories: ['給付実績'], permitsSubcontracting: false, term: { start: '2025-04-01T00:00:00+09:00', end: '2030-03-31T23:59:59+09:00' } },
      },
      ...Array.from({ length: 2_499 }, (_, i): LedgerEvent => ({
        eventId: randomUUID(), type: 'RecordUsed', contractId, recordId: `R-${i}`, occurredAt: '2026-04-01T09:00:00+09:00',
        actor: { org: 'contractor', workerId: 'W-001' }, data: { purpose: '運用保守' },
      })),
    ];
    try {
      const summary = await client.append(events);
      expect(retries).toEqual(['503', expect.any(String)]);
      expect(proxy.posts()).toBe(5);
      // The first batch was written on the second attempt; the third attempt found it there.
      expect(summary).toEqual({ batches: 3, events: 2_500, appended: 1_500, duplicate: 1_000, refused: 0 });
      expect(await count(contractId)).toBe(2_500);
    } finally {
      await proxy.close();
    }
  });

  it('reads compliance, custody and history as typed answers', async () => {
    const officer = new LedgerClient({ baseUrl: app.url, apiKey: TEST_KEYS.auditor });
    const compliance = await officer.recordCompliance('client-retries', 'R-1');
    expect(compliance).toEqual(expect.objectContaining({ contractId: 'client-retries', recordId: 'R-1', status: expect.any(String) }));
    const custody = await officer.recordCustody('client-retries', 'R-1', { asOf: '2026-05-01T00:00:00+09:00' });
    expect(custody.recordId).toBe('R-1');
    const page = await officer.contractEvents('client-retries', { limit: 10 });
    expect(page.events).toHaveLength(10);
    expect(page.events[0]!.event.type).toBe('ContractRegistered');
    const stream = await officer.recordEvents('client-retries', 'R-1');
    expect(stream.events.map((e) => e.event.type)).toEqual(['RecordUsed']);
    const contract = await officer.contractCompliance('client-retries', { limit: 5 });
    expect(contract.contractId).toBe('client-retries');
  });
});
