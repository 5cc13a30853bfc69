import pg from 'pg';
import { RecordFold, recordEntries } from '@ledger/compliance';
import { contractStreamId, instant, isoInZone, recordStreamId, type LedgerEvent } from '@ledger/domain';
import { ContractHistory, custodyView } from '@ledger/handling';
import type { Projector } from '@ledger/projections';
import { createProjectorWorker } from '@ledger/runtime';
import * as b from '../libs/handling/src/testing/builders.js';
import { capturingErrors } from './support/capturing-errors.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const CONTRACT = b.CONTRACT_ID;
const jst = b.jstTime;
const W1 = b.worker('W-1');
const CITY_STAFF = { org: 'city' as const, workerId: 'S-010' };
const registered = (policy: Record<string, string> = {}, contract = CONTRACT): LedgerEvent =>
  b.contract({ contract, at: '2026-03-01T09:00', term: { start: '2026-03-01T00:00', end: '2030-03-31T00:00' }, policy }).event;
const briefed = (at: string): LedgerEvent => b.briefed('W-1', ['confidentiality', 'penalties'], { at }).event;
const collected = (record: string, at: string, location = 'DC-1', contract = CONTRACT): LedgerEvent => b.collected({ record, at, location, contract }).event;
const copied = (record: string, at: string, copyId: string, from?: string, location = 'DC-1'): LedgerEvent =>
  b.copied(copyId, { record, at, location, ...(from ? { from } : {}) }).event;
const started = (record: string, at: string, transportId: string, copyId?: string, expectedArrivalAt?: string): LedgerEvent =>
  b.transportStarted(transportId, { record, at, from: 'DC-1', to: 'CITY-HALL', ...(copyId ? { copyId } : {}), ...(expectedArrivalAt ? { expectedArrivalAt } : {}) }).event;
const completed = (record: string, at: string, transportId: string): LedgerEvent =>
  b.transportCompleted(transportId, { record, at, by: CITY_STAFF, receivedBy: 'S-010' }).event;
const returned = (record: string, at: string, copyId?: string): LedgerEvent => b.returned({ record, at, ...(copyId ? { copyId } : {}) }).event;
const disposed = (record: string, at: string, copyId?: string): LedgerEvent => b.disposed({ record, at, ...(copyId ? { copyId } : {}) }).event;
const instructed = (at: string, data: { recordIds?: string[]; dueAt?: string }): LedgerEvent => b.disposalInstructed({ at, ...data }).event;
const ended = (at: string, contract: string): LedgerEvent => b.ended({ at, contract, reason: 'expired' }).event;
void W1;

const OTHER = 'okayama-kaigo-ended';
const at = (text: string): number => instant(jst(text));
void contractStreamId;

describe('custody through the real service', () => {
  let app: TestApp;
  let projector: Projector;
  let now = at('2026-05-01T09:00');
  let posted = 0;

  async function post(...events: LedgerEvent[]): Promise<void> {
    const answer = await app.request('POST', '/v1/events', { role: 'feed', body: { events } });
    expect(answer.status).toBe(201);
    posted += events.length;
    await projector.waitFor(answer.body.events[answer.body.events.length - 1].position);
  }

  const get = (path: string, role: 'officer' | 'auditor' | 'feed' | 'admin' | 'none' = 'officer') =>
    app.request('GET', path, role === 'none' ? {} : { role });
  const custodyPath = (recordId: string, query = '') => `/v1/contracts/${CONTRACT}/records/${recordId}/custody${query}`;

  /** The whole stream folded at a cut, in the HTTP answer's shape: what the stored folds must answer. */
  async function fromStreams(recordId: string, asOf: number, knownAt: number): Promise<unknown> {
    const store = app.runtime.eventStore;
    const cut = { asOf, knownAt };
    const history = ContractHistory.of(CONTRACT, await store.readStream(contractStreamId(CONTRACT)));
    const fold = new RecordFold(history.view(cut), recordId);
    const steps = new Map<string, ReturnType<typeof fold.fold>['custody'][number][]>();
    for (const entry of recordEntries(CONTRACT, recordId, await store.readStream(recordStreamId(CONTRACT, recordId)), cut)) {
      for (const step of fold.fold(entry).custody) steps.set(step.holding, [...(steps.get(step.holding) ?? []), step].slice(-20));
    }
    return JSON.parse(JSON.stringify(custodyView(fold.finish(asOf).handling, asOf, steps)));
  }

  const strip = ({ contractId: _c, recordId: _r, asOf: _a, knownAt: _k, ...rest }: Record<string, unknown>) => rest;

  beforeAll(async () => {
    app = await startTestApp('custody', {
      clock: () => now,
      workers: (runtime) => {
        projector = createProjectorWorker(runtime, () => undefined) as Projector;
        return [projector];
      },
    });
    await post(registered(), briefed('2026-03-02T09:00'), registered({ disposalWithin: 'PT1H' }, OTHER));
    await post(
      collected('R-1', '2026-04-01T09:00'),
      copied('R-1', '2026-04-02T09:00', 'C-1'),
      copied('R-1', '2026-04-03T09:00', 'C-2', 'C-1', 'DEV-ROOM'),
      started('R-1', '2026-04-04T09:00', 'T-1', 'C-1', '2026-04-04T17:00'),
      collected('R-2', '2026-04-01T10:00'),
      returned('R-2', '2026-04-05T09:00'),
      collected('R-3', '2026-04-01T11:00'),
      started('R-3', '2026-04-30T20:00', 'T-3', undefined, '2026-05-01T12:00'),
    );
  });

  afterAll(async () => {
    await app.close();
  });

  it("answers a record's chain of custody: every holding with state, location, holder, since and history", async () => {
    const answer = await get(custodyPath('R-1'));
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ contractId: CONTRACT, recordId: 'R-1', asOf: isoInZone(now), knownAt: isoInZone(now) });
    expect(answer.body.holdings.map((h: any) => [h.copyId, h.copiedFrom, h.state, h.location])).toEqual([
      [null, null, 'held', 'DC-1'],
      ['C-1', { copyId: null }, 'in_transit', null],
      ['C-2', { copyId: 'C-1' }, 'held', 'DEV-ROOM'],
    ]);
    expect(answer.body.holdings[1]).toMatchObject({
      from: 'DC-1', to: 'CITY-HALL', holder: { org: null, workerId: null, carrierId: 'CARRIER-1' }, overdue: true, overdueReasons: ['transport'],
    });
    expect(answer.body.holdings[0].history.map((s: any) => [s.type, s.newCopyId ?? null])).toEqual([['RecordCollected', null], ['RecordCopied', 'C-1']]);
    expect(answer.body.holdings[0].historyCount).toBe(2);
    expect(answer.body.transports).toEqual([expect.objectContaining({ transportId: 'T-1', copyId: 'C-1', state: 'in_transit', overdue: true })]);
  });

  it('answers the present and any past asOf or knownAt as the whole stream folded at that cut would', async () => {
    for (const recordId of ['R-1', 'R-2', 'R-3']) {
      const present = await get(custodyPath(recordId));
      expect(strip(present.body)).toEqual(await fromStreams(recordId, now, now));
    }
    const asOf = '2026-04-03T12:00:00+09:00';
    const past = await get(custodyPath('R-1', `?asOf=${encodeURIComponent(asOf)}`));
    expect(past.body.asOf).toBe('2026-04-03T12:00:00.000+09:00');
    expect(past.body.holdings.map((h: any) => [h.copyId, h.state])).toEqual([[null, 'held'], ['C-1', 'held'], ['C-2', 'held']]);
    expect(strip(past.body)).toEqual(await fromStreams('R-1', instant(asOf), now));
  });

  it('places a late event by its occurredAt; knownAt shows what the ledger knew before it', async () => {
    const before = now;
    now += 3_600_000;
    await post(completed('R-1', '2026-04-04T15:00', 'T-1'));
    const today = await get(custodyPath('R-1'));
    expect(today.body.holdings[1]).toMatchObject({ copyId: 'C-1', state: 'held', location: 'CITY-HALL', holder: { org: 'city', workerId: 'S-010', carrierId: null }, overdue: false });
    expect(strip(today.body)).toEqual(await fromStreams('R-1', now, now));
    const knownAt = new Date(before).toISOString();
    const then = await get(custodyPath('R-1', `?knownAt=${knownAt}`));
    expect(then.body.holdings[1]).toMatchObject({ state: 'in_transit', overdue: true });
    expect(strip(then.body)).toEqual(await fromStreams('R-1', now, before));
  });

  it('lists what is in transit now, and turns a transport overdue as time passes with no new event', async () => {
    const moving = await get(`/v1/contracts/${CONTRACT}/holdings?state=in_transit`);
    expect(moving.status).toBe(200);
    expect(moving.body.holdings.map((h: any) => [h.recordId, h.copyId, h.from, h.to])).toEqual([['R-3', null, 'DC-1', 'CITY-HALL']]);
    expect(moving.body.holdings[0]).toMatchObject({ overdue: false, transport: expect.objectContaining({ transportId: 'T-3', dueAt: isoInZone(at('2026-05-01T12:00')) }) });
    expect((await get(`/v1/contracts/${CONTRACT}/holdings?overdue=true`)).body.holdings).toEqual([]);
    now = at('2026-05-01T12:01');
    const late = await get(`/v1/contracts/${CONTRACT}/holdings?overdue=true`);
    expect(late.body.holdings).toEqual([expect.objectContaining({ recordId: 'R-3', state: 'in_transit', overdue: true, overdueReasons: ['transport'] })]);
    expect(late.body.at).toBe(isoInZone(now));
  });

  it('lists holdings still open after a disposal instruction\'s due time, and after the contract ended', async () => {
    await post(instructed('2026-05-01T10:00', { recordIds: ['R-1'], dueAt: '2026-05-01T11:00' }), disposed('R-1', '2026-05-01T10:30', 'C-2'));
    const overdue = await get(`/v1/contracts/${CONTRACT}/holdings?overdue=true`);
    expect(overdue.body.holdings.map((h: any) => [h.recordId, h.copyId, h.overdueReasons])).toEqual([
      ['R-1', null, ['disposal']],
      ['R-1', 'C-1', ['disposal']],
      ['R-3', null, ['transport']],
    ]);
    expect(overdue.body.holdings[0].disposal).toEqual({
      dueAt: isoInZone(at('2026-05-01T11:00')),
      orderedBy: expect.objectContaining({ type: 'DisposalInstructed', occurredAt: isoInZone(at('2026-05-01T10:00')) }),
    });
    await post(collected('R-9', '2026-04-01T09:00', 'DC-9', OTHER), ended('2026-05-01T10:00', OTHER));
    const after = await get(`/v1/contracts/${OTHER}/holdings?overdue=true&state=held`);
    expect(after.body.holdings).toEqual([
      expect.objectContaining({ recordId: 'R-9', location: 'DC-9', disposal: expect.objectContaining({ orderedBy: expect.objectContaining({ type: 'ContractEnded' }) }) }),
    ]);
    const notOverdue = await get(`/v1/contracts/${CONTRACT}/holdings?overdue=false`);
    expect(notOverdue.body.holdings.every((h: any) => !h.overdue)).toBe(true);
  });

  it('pages the holdings with a cursor', async () => {
    const all = (await get(`/v1/contracts/${CONTRACT}/holdings`)).body.holdings.map((h: any) => `${h.recordId}/${h.copyId}`);
    const seen: string[] = [];
    let next: string | null = null;
    do {
      const page: any = await get(`/v1/contracts/${CONTRACT}/holdings?limit=2${next ? `&after=${next}` : ''}`);
      seen.push(...page.body.holdings.map((h: any) => `${h.recordId}/${h.copyId}`));
      next = page.body.next;
    } while (next);
    expect(seen).toEqual(all);
    expect(all.length).toBeGreaterThan(4);
  });

  it('answers 400 naming the parameter, 404 for an unknown contract or record, 401 and 403 without the role; never 500', async () => {
    const cases: Array<[string, number, string?]> = [
      [custodyPath('R-1', '?asOf=yesterday'), 400, 'asOf'],
      [custodyPath('R-1', '?knownAt=2026-05-01T09:00'), 400, 'knownAt'],
      [custodyPath('R-1', '?asof=2026-05-01T09:00:00Z'), 400, 'asof'],
      [custodyPath('R-1', '?asOf=1&asOf=2'), 400, 'asOf'],
      [`/v1/contracts/${CONTRACT}/records/${encodeURIComponent('R 1')}/custody`, 400, 'recordId'],
      [`/v1/contracts/${CONTRACT}/holdings?state=lost`, 400, 'state'],
      [`/v1/contracts/${CONTRACT}/holdings?overdue=yes`, 400, 'overdue'],
      [`/v1/contracts/${CONTRACT}/holdings?limit=0`, 400, 'limit'],
      [`/v1/contracts/${CONTRACT}/holdings?after=bm9wZQ`, 400, 'after'],
      [`/v1/contracts/${CONTRACT}/holdings?after=${'%00'.repeat(3)}`, 400, 'after'],
      [custodyPath('R-404'), 404],
      ['/v1/contracts/no-such-contract/records/R-1/custody', 404],
      ['/v1/contracts/no-such-contract/holdings', 404],
    ];
    for (const [path, status, field] of cases) {
      const answer = await get(path);
      expect({ path, status: answer.status }).toEqual({ path, status });
      if (field) expect(answer.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expect((await get(custodyPath('R-1'), 'none')).status).toBe(401);
    expect((await get(custodyPath('R-1'), 'feed')).status).toBe(403);
    expect((await get(`/v1/contracts/${CONTRACT}/holdings`, 'feed')).status).toBe(403);
    expect((await get(custodyPath('R-1'), 'auditor')).status).toBe(200);
  });

  it('records every custody read in the access log, which only auditors can list', async () => {
    const officer = app.keyId('officer');
    await get(custodyPath('R-2', '?asOf=2026-04-30T00:00:00%2B09:00'));
    const page = await get(`/v1/access-log?recordId=R-2&keyId=${officer}`, 'auditor');
    expect(page.status).toBe(200);
    expect(page.body.entries.at(-1)).toEqual({
      id: expect.any(Number), at: new Date(now).toISOString(), keyId: officer, role: 'officer', method: 'GET',
      route: '/v1/contracts/:contractId/records/:recordId/custody', contractId: CONTRACT, recordId: 'R-2',
      asOf: '2026-04-30T00:00:00+09:00', knownAt: null, query: {}, status: 200,
    });
    const contractLog = (await get(`/v1/access-log?contractId=${CONTRACT}&limit=1000`, 'auditor')).body.entries;
    expect(contractLog.some((e: any) => e.route === '/v1/contracts/:contractId/holdings' && e.query.state === 'in_transit')).toBe(true);
    expect(contractLog.some((e: any) => e.recordId === 'R-404' && e.status === 404)).toBe(true);
    // A read refused for its parameters is recorded with their names only.
    expect(contractLog.some((e: any) => e.status === 400 && e.asOf === null)).toBe(true);
    expect(JSON.stringify(contractLog)).not.toContain('yesterday');
    expect((await get('/v1/access-log', 'officer')).status).toBe(403);
    expect((await get('/v1/access-log?role=chief', 'auditor')).status).toBe(400);
    // The auditor's own reading of the log is recorded too.
    const auditor = app.keyId('auditor');
    const own = (await get(`/v1/access-log?keyId=${auditor}&limit=1000`, 'auditor')).body.entries;
    expect(own.some((e: any) => e.route === '/v1/access-log' && e.contractId === CONTRACT)).toBe(true);
    const paged = await get(`/v1/access-log?limit=2`, 'auditor');
    expect(paged.body.entries).toHaveLength(2);
    expect((await get(`/v1/access-log?limit=2&after=${paged.body.next}`, 'auditor')).body.entries[0].id).toBeGreaterThan(paged.body.next);
  });

  it('refuses to answer (503, no data) when the read cannot be recorded, and the log itself cannot be altered', async () => {
    const client = new pg.Client({ connectionString: app.db.url });
    await client.connect();
    try {
      await client.query('ALTER TABLE access_log RENAME TO access_log_away');
      // The service logs each failed record as an error; captured here, where it is provoked.
      const { errors } = await capturingErrors(async () => {
        const refused = await get(custodyPath('R-1'));
        expect(refused.status).toBe(503);
        expect(refused.body).toEqual({
          statusCode: 503, code: 'LEDGER.STORE_UNAVAILABLE', message: expect.stringContaining('access log'), details: { reason: 'access_log_unavailable' },
        });
        expect(JSON.stringify(refused.body)).not.toContain('DC-1');
        expect((await get(`/v1/contracts/${CONTRACT}/holdings`)).status).toBe(503);
        // An error answer still goes out as it was (it holds nothing the caller did not send).
        expect((await get(custodyPath('R-404'))).status).toBe(404);
      });
      expect(errors.some((e) => e.includes('could not record a read'))).toBe(true);
      await client.query('ALTER TABLE access_log_away RENAME TO access_log');
      await expect(client.query('DELETE FROM access_log')).rejects.toThrow(/append-only/);
      await expect(client.query(`UPDATE access_log SET key_id = 'x'`)).rejects.toThrow(/append-only/);
    } finally {
      await client.query('ALTER TABLE IF EXISTS access_log_away RENAME TO access_log').catch(() => undefined);
      await client.end();
    }
    const metrics = await app.request('GET', '/metrics');
    expect(metrics.body).toMatch(/^ledger_access_log_failures_total [1-9]\d*$/m);
  });

  it('exposes ingest counters, requests by status, projector lag and memory on /metrics without credentials, and no IDs', async () => {
    const answer = await app.request('GET', '/metrics');
    expect(answer.status).toBe(200);
    const text: string = answer.body;
    expect(text).toMatch(/^ledger_events_appended_total (\d+)$/m);
    expect(Number(/^ledger_events_appended_total (\d+)$/m.exec(text)![1])).toBe(posted);
    expect(text).toMatch(/^ledger_events_duplicate_total 0$/m);
    expect(text).toMatch(/^ledger_http_requests_total\{method="GET",route="\/v1\/contracts\/:contractId\/records\/:recordId\/custody",status="200"\} [1-9]\d*$/m);
    expect(text).toMatch(/^ledger_http_requests_total\{method="GET",route="\/v1\/contracts\/:contractId\/records\/:recordId\/custody",status="401"\} 1$/m);
    expect(text).toMatch(/^ledger_worker_lag_events\{worker="projector"\} 0$/m);
    expect(text).toMatch(/^ledger_worker_running\{worker="projector"\} 1$/m);
    expect(text).toMatch(/^ledger_read_model_position\{projection="handling"\} \d+$/m);
    expect(text).toMatch(/^ledger_read_model_lag_events\{projection="handling"\} 0$/m);
    expect(text).toMatch(/^process_resident_memory_bytes \d+$/m);
    expect(text).toMatch(/^# TYPE ledger_events_appended_total counter$/m);
    expect(text).not.toContain(CONTRACT);
    expect(text).not.toContain('R-1');
  });

  it('reports the projector with its lag on /health', async () => {
    const health = await app.request('GET', '/health');
    expect(health.status).toBe(200);
    expect(health.body.workers).toEqual([
      expect.objectContaining({ name: 'projector', state: 'running', position: health.body.headPosition, lagEvents: 0, lagSeconds: 0 }),
    ]);
  });
});
