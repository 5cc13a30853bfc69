import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { capturingErrors } from './support/capturing-errors.js';
import { EXAMPLE_CONTRACT_ID, EXAMPLE_EVENTS } from '@ledger/wire';
import { createMerkleLogWorkers } from '@ledger/runtime';
import { startTestApp, type TestApp } from './support/test-app.js';

const CONTRACT = EXAMPLE_CONTRACT_ID;

async function waitFor<T>(probe: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting; last: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}


describe('reads that reveal events, and continuous verification of what is stored', () => {
  let app: TestApp;
  let db: pg.Client;
  const used = Array.from({ length: 60 }, (_, i) => ({ ...structuredClone(EXAMPLE_EVENTS.RecordUsed), eventId: randomUUID(), recordId: `R-${i % 6}` }));

  const health = async (): Promise<any> => (await app.request('GET', '/health')).body;
  const metric = async (name: string, checker: string): Promise<number> => {
    const text: string = (await app.request('GET', '/metrics')).body;
    return Number(new RegExp(`^${name}\\{checker="${checker}"\\} (\\S+)$`, 'm').exec(text)?.[1]);
  };

  beforeAll(async () => {
    app = await startTestApp('integrity_reads', {
      config: { checkpointIntervalMs: 100, scrubber: { eventsPerSecond: 20_000, pauseMs: 100 } },
      workers: (runtime) => createMerkleLogWorkers(runtime, () => undefined),
    });
    db = new pg.Client({ connectionString: app.db.url });
    await db.connect();
    expect((await app.request('POST', '/v1/events', { role: 'feed', body: { ...EXAMPLE_EVENTS.ContractRegistered, eventId: randomUUID() } })).status).toBe(201);
    expect((await app.request('POST', '/v1/events', { role: 'feed', body: { events: used } })).status).toBe(201);
    await waitFor(() => app.request('GET', '/v1/log/checkpoint', { headers: { accept: 'application/json' } }), (a) => a.status === 200 && a.body.treeSize === 61);
  });

  afterAll(async () => {
    await db.end();
    await app.close();
  });

  it('records in the access log every read that returns events: history, bundle, replay, an inclusion proof and log entries', async () => {
    const reads = [
      [`/v1/contracts/${CONTRACT}/events?limit=10`, '/v1/contracts/:contractId/events'],
      [`/v1/contracts/${CONTRACT}/records/R-1/events`, '/v1/contracts/:contractId/records/:recordId/events'],
      [`/v1/contracts/${CONTRACT}/audit-bundle`, '/v1/contracts/:contractId/audit-bundle'],
      [`/v1/contracts/${CONTRACT}/replay?asOf=2026-06-01T00:00:00%2B09:00&format=md`, '/v1/contracts/:contractId/replay'],
      [`/v1/log/inclusion-proof?eventId=${used[3]!.eventId}`, '/v1/log/inclusion-proof'],
      ['/v1/log/entries?from=1&limit=5', '/v1/log/entries'],
    ] as const;
    const before = Number((await db.query('SELECT coalesce(max(id), 0) AS id FROM access_log')).rows[0].id);
    for (const [pathname] of reads) expect({ pathname, status: (await app.request('GET', pathname, { role: 'auditor' })).status }).toEqual({ pathname, status: 200 });
    const { rows } = await db.query('SELECT route, contract_id, record_id, status FROM access_log WHERE id > $1 ORDER BY id', [before]);
    expect(rows.map((r) => r.route)).toEqual(reads.map(([, route]) => route));
    expect(rows[1]).toMatchObject({ contract_id: CONTRACT, record_id: 'R-1', status: 200 });
  });

  it('records a read refused for its parameters by their names only, never the values', async () => {
    const answer = await app.request('GET', `/v1/contracts/${CONTRACT}/events?limit=${encodeURIComponent('岡山太郎')}&phone=090-1234-5678`, { role: 'auditor' });
    expect(answer.status).toBe(400);
    const refused = await app.request('GET', `/v1/contracts/${CONTRACT}/records/R-1/events?knownAt=${encodeURIComponent('山田花子')}`, { role: 'auditor' });
    expect(refused.status).toBe(400);
    const { rows } = await db.query(`SELECT route, as_of, known_at, query, status FROM access_log WHERE status = 400 ORDER BY id`);
    expect(rows.map((r) => [r.query, r.as_of, r.known_at])).toEqual([[{ limit: null, phone: null }, null, null], [{}, null, null]]);
    expect(JSON.stringify(rows)).not.toMatch(/岡山|山田|090/);
  });

  it('says ok on /health and counts no mismatch while the stored log is intact', async () => {
    await waitFor(() => metric('ledger_integrity_passes_total', 'integrity-scrubber'), (passes) => passes >= 1);
    expect(await health()).toMatchObject({ status: 'ok', reasons: [] });
    expect(await metric('ledger_integrity_mismatches', 'integrity-scrubber')).toBe(0);
  });

  it('reports an event edited as the database superuser on /health within a pass of the scrubber, counts it, and never serves it', async () => {
    const { rows } = await db.query(`SELECT position FROM ledger_events WHERE event_id = $1`, [used[25]!.eventId]);
    const position = Number(rows[0].position);
    await db.query('ALTER TABLE ledger_events DISABLE TRIGGER USER');
    await db.query(`UPDATE ledger_events SET canonical = replace(canonical, '"purpose":"', '"purpose":"marketing ') WHERE position = $1`, [position]);
    await db.query('ALTER TABLE ledger_events ENABLE TRIGGER USER');

    const degraded = await waitFor(health, (h) => h.status === 'degraded');
    expect(degraded.reasons).toEqual([expect.objectContaining({ code: 'integrity_failure', worker: 'integrity-scrubber', position })]);
    expect(await metric('ledger_integrity_mismatches', 'integrity-scrubber')).toBe(1);

    const { result: history, errors } = await capturingErrors(() => app.request('GET', `/v1/contracts/${CONTRACT}/records/${used[25]!.recordId}/events`, { role: 'auditor' }));
    expect(history).toMatchObject({ status: 500, body: { code: 'LEDGER.LOG_INTEGRITY', details: { position } } });
    expect(JSON.stringify(history.body)).not.toContain('marketing');
    expect(errors.join('\n')).toContain(`position ${position}`);
    expect((await health()).reasons.map((r: { worker: string }) => r.worker)).toEqual(['integrity-scrubber', 'api']);
    expect(await metric('ledger_integrity_mismatches', 'api')).toBe(1);
  });
});
