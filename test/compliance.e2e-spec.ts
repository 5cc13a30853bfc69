import { instant, type LedgerEvent } from '@ledger/domain';
import type { Projector } from '@ledger/projections';
import { createProjectorWorker } from '@ledger/runtime';
import { demoContract } from './generators/demo-contract.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const demo = demoContract();
const CONTRACT = demo.contractId;
const byId = new Map(demo.events.map((e) => [e.eventId, e]));

describe('compliance through the real service and PostgreSQL', () => {
  let app: TestApp;
  let projector: Projector;
  let now = instant('2026-11-25T09:00:00+09:00');

  async function post(events: readonly LedgerEvent[]): Promise<void> {
    for (let i = 0; i < events.length; i += 1000) {
      const answer = await app.request('POST', '/v1/events', { role: 'feed', body: { events: events.slice(i, i + 1000) } });
      expect(answer.status).toBe(201);
      await projector.waitFor(answer.body.events[answer.body.events.length - 1].position);
    }
  }

  const get = (path: string, role: 'officer' | 'auditor' | 'feed' | 'admin' | 'none' = 'officer') =>
    app.request('GET', path, role === 'none' ? {} : { role });
  const recordPath = (recordId: string, query = '', contractId = CONTRACT) => `/v1/contracts/${contractId}/records/${recordId}/compliance${query}`;
  const contractPath = (query = '', contractId = CONTRACT) => `/v1/contracts/${contractId}/compliance${query}`;

  /** Every finding of the contract view, page by page. */
  async function allFindings(query: string, limit: number): Promise<any[]> {
    const out: any[] = [];
    let after: string | null = null;
    do {
      const answer = await get(contractPath(`?limit=${limit}${query}${after ? `&after=${after}` : ''}`));
      expect(answer.status).toBe(200);
      expect(answer.body.findings.length).toBeLessThanOrEqual(limit);
      out.push(...answer.body.findings);
      after = answer.body.next;
    } while (after !== null);
    return out;
  }

  beforeAll(async () => {
    app = await startTestApp('compliance', {
      clock: () => now,
      workers: (runtime) => {
        projector = createProjectorWorker(runtime, () => undefined) as Projector;
        return [projector];
      },
    });
    await post(demo.events);
  });

  afterAll(async () => {
    await app.close();
  });

  it("answers a record's verdict in the shape of docs/events.md, every record article with its findings", async () => {
    const answer = await get(recordPath('R-000101'));
    expect(answer.status).toBe(200);
    const copy = demo.events.find((e) => e.type === 'RecordCopied' && 'recordId' in e && e.recordId === 'R-000101')!;
    expect(answer.body).toEqual({
      contractId: CONTRACT,
      recordId: 'R-000101',
      asOf: new Date(now).toISOString(),
      knownAt: new Date(now).toISOString(),
      status: 'violation',
      articles: expect.any(Object),
    });
    expect(Object.keys(answer.body.articles)).toEqual(['4', '6', '7', '8', '9', '11', '13', '14', '15', '17', '18']);
    expect(answer.body.articles['9']).toEqual({
      status: 'violation',
      findings: [{
        rule: 'art9.copy-without-authorization',
        status: 'violation',
        eventIds: [copy.eventId],
        message: { ja: expect.stringMatching(/^第9条（複写、複製の禁止）違反: /), en: expect.stringMatching(/^Article 9 \(Prohibition of copying and reproduction\) violated: /) },
      }],
    });
    expect(answer.body.articles['6']).toEqual({ status: 'not_applicable', findings: [] });
    expect(answer.body.articles['14'].status).toBe('compliant');
  });

  it.each(demo.planted.filter((p) => p.recordId !== null).map((p) => [p.recordId!, p.rule, p.article] as const))(
    'finds the planted violation of %s: %s (Article %s)',
    async (recordId, rule, article) => {
      const answer = await get(recordPath(recordId));
      expect(answer.status).toBe(200);
      expect(answer.body.status).toBe('violation');
      const finding = answer.body.articles[article].findings.find((f: any) => f.rule === rule);
      expect(finding).toMatchObject({ status: 'violation', message: { ja: expect.stringContaining(`第${article}条`), en: expect.stringContaining(`Article ${article} `) } });
      expect(finding.eventIds.every((id: string) => byId.has(id))).toBe(true);
      const others = Object.values(answer.body.articles).flatMap((a: any) => a.findings).filter((f: any) => f.status !== 'compliant' && f.rule !== rule);
      expect(others.map((f: any) => f.rule)).toEqual(demo.planted.filter((p) => p.recordId === recordId && p.rule !== rule).map((p) => p.rule));
    },
  );

  it('judges any moment: pending before the due time, overdue after, late once done; asOf and knownAt echoed as given', async () => {
    const { recordId, pendingAsOf, overdueAsOf } = demo.pendingExample;
    const transport = (body: any) => body.articles['13'].findings.find((f: any) => f.rule === 'art13.transport-overdue');
    const pending = await get(recordPath(recordId, `?asOf=${encodeURIComponent(pendingAsOf)}`));
    expect(pending.body).toMatchObject({ asOf: pendingAsOf, knownAt: new Date(now).toISOString(), status: 'pending' });
    expect(transport(pending.body)).toMatchObject({ status: 'pending', dueAt: '2026-03-10T09:00:00.000Z', message: { en: expect.stringContaining('not done yet') } });
    const overdue = await get(recordPath(recordId, `?asOf=${encodeURIComponent(overdueAsOf)}&knownAt=2026-12-01T00:00:00Z`));
    expect(overdue.body).toMatchObject({ asOf: overdueAsOf, knownAt: '2026-12-01T00:00:00Z', status: 'violation' });
    expect(transport(overdue.body)).toMatchObject({ status: 'violation', eventIds: [expect.any(String)], message: { en: expect.stringMatching(/not done$/) } });
    const late = await get(recordPath(recordId));
    expect(transport(late.body)).toMatchObject({ status: 'violation', eventIds: [expect.any(String), expect.any(String)], message: { en: expect.stringContaining('done only at') } });
  });

  it('answers 404 for an unknown contract, an unknown record, and a record with no event inside the cut', async () => {
    expect((await get(recordPath('R-000101', '', 'no-such-contract'))).status).toBe(404);
    expect((await get(recordPath('R-999999'))).status).toBe(404);
    expect((await get(recordPath('R-000101', '?asOf=2025-01-01T00:00:00%2B09:00'))).status).toBe(404);
    // Every demo event was recorded at `now`: the ledger knew nothing a second before.
    const before = new Date(now - 1000).toISOString();
    expect((await get(recordPath('R-000101', `?knownAt=${before}`))).body).toMatchObject({ statusCode: 404, code: 'LEDGER.NOT_FOUND' });
    expect((await get(contractPath('', 'no-such-contract'))).status).toBe(404);
    expect((await get(contractPath('?asOf=2026-01-01T00:00:00Z', 'no-such-contract'))).status).toBe(404);
  });

  it('refuses bad parameters with a 400 naming the field, and wrong credentials', async () => {
    const field = async (path: string) => {
      const answer = await get(path);
      expect(answer.status).toBe(400);
      return answer.body.errors.map((e: { field: string }) => e.field);
    };
    expect(await field(recordPath('R-000101', '?asOf=yesterday'))).toEqual(['asOf']);
    expect(await field(recordPath('R-000101', '?knownAt=2026-01-01T00:00:00'))).toEqual(['knownAt']);
    expect(await field(recordPath('R-000101', '?asOf=2026-01-01T00:00:00Z&asOf=2026-01-02T00:00:00Z'))).toEqual(['asOf']);
    expect(await field(recordPath('R-000101', '?status=violation'))).toEqual(['status']);
    expect(await field(recordPath('R%20000101'))).toEqual(['recordId']);
    expect(await field(contractPath('?article=5'))).toEqual(['article']);
    expect(await field(contractPath('?rule=art9.copy'))).toEqual(['rule']);
    expect(await field(contractPath('?status=compliant'))).toEqual(['status']);
    expect(await field(contractPath('?limit=0'))).toEqual(['limit']);
    expect(await field(contractPath('?limit=1001'))).toEqual(['limit']);
    expect(await field(contractPath('?after=not-a-cursor'))).toEqual(['after']);
    expect(await field(contractPath('?after=%22%3B--'))).toEqual(['after']);
    expect(await field(contractPath('?asOf=2026-13-01T00:00:00Z&knownAt=x'))).toEqual(['asOf', 'knownAt']);
    expect((await get(recordPath('R-000101'), 'none')).status).toBe(401);
    expect((await get(recordPath('R-000101'), 'feed')).status).toBe(403);
    expect((await get(contractPath(), 'feed')).status).toBe(403);
    expect((await get(recordPath('R-000101'), 'auditor')).status).toBe(200);
    expect((await get(contractPath(), 'admin')).status).toBe(200);
  });

  it("answers the contract's verdict at the present from the read model: contract articles, records by status, every planted violation", async () => {
    const answer = await get(contractPath());
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      contractId: CONTRACT,
      asOf: new Date(now).toISOString(),
      knownAt: new Date(now).toISOString(),
      status: 'violation',
      source: { kind: 'read-model', position: await app.runtime.eventStore.headPosition() },
      records: { total: 65, violation: 17, pending: 0, compliant: 48, not_applicable: 0 },
      next: null,
    });
    expect(Object.keys(answer.body.articles)).toEqual(['6', '10', '11', '12', '15']);
    const listed = answer.body.findings.map((f: any) => `${f.recordId ?? '-'}|${f.article}|${f.rule}|${f.status}`).sort();
    expect(listed).toEqual(demo.planted.map((p) => `${p.recordId ?? '-'}|${p.article}|${p.rule}|violation`).sort());
    expect(answer.body.findings.slice(0, 6).every((f: any) => f.recordId === null)).toBe(true);
    expect(answer.body.summary).toContainEqual({ article: '10', rule: 'art10.inspection-overdue', violation: 1, pending: 0 });
    expect(answer.body.summary.reduce((n: number, s: any) => n + s.violation, 0)).toBe(demo.planted.length);
  });

  it('agrees with the per-record verdicts, page by page, and with the same view computed from the streams', async () => {
    const fromRecords: string[] = [];
    for (const recordId of demo.recordIds) {
      const answer = await get(recordPath(recordId));
      for (const [article, judged] of Object.entries<any>(answer.body.articles)) {
        for (const f of judged.findings) {
          if (f.status !== 'compliant') fromRecords.push(JSON.stringify({ recordId, article, rule: f.rule, status: f.status, eventIds: f.eventIds, message: f.message, dueAt: f.dueAt }));
        }
      }
    }
    const paged = await allFindings('', 4);
    const recordLevel = paged.filter((f) => f.recordId !== null).map((f) => JSON.stringify({ ...f, dueAt: f.dueAt }));
    expect(recordLevel.sort()).toEqual(fromRecords.sort());

    const present = await get(contractPath());
    const streams = await get(contractPath(`?asOf=${new Date(now).toISOString()}`));
    expect(streams.body.source).toEqual({ kind: 'streams' });
    expect({ ...streams.body, source: null }).toEqual({ ...present.body, source: null });
  });

  it('filters by article, rule and status, from the read model and from the streams alike', async () => {
    const rules = (body: any) => body.findings.map((f: any) => `${f.recordId ?? '-'}|${f.rule}`);
    expect(rules((await get(contractPath('?rule=art13.transport-overdue'))).body)).toEqual(['R-000104|art13.transport-overdue']);
    expect(rules((await get(contractPath('?article=10'))).body)).toEqual(['-|art10.inspection-overdue', '-|art10.report-overdue']);
    expect(rules((await get(contractPath('?article=14&status=violation'))).body)).toEqual([
      'R-000102|art14.disposal-not-witnessed', 'R-000114|art14.disposal-overdue', 'R-000117|art14.handled-after-closure',
    ]);
    expect((await get(contractPath('?status=pending'))).body.findings).toEqual([]);
    const { recordId, pendingAsOf } = demo.pendingExample;
    const past = await get(contractPath(`?asOf=${encodeURIComponent(pendingAsOf)}&status=pending`));
    expect(past.body).toMatchObject({ source: { kind: 'streams' }, asOf: pendingAsOf });
    expect(rules(past.body)).toContain(`${recordId}|art13.transport-overdue`);
    expect(past.body.records.total).toBeLessThan(65);
    for (const query of ['&article=8', '&rule=art7.collection-missing', '&status=violation', '&article=15']) {
      expect(await allFindings(`&asOf=${new Date(now).toISOString()}${query}`, 2)).toEqual(await allFindings(query, 2));
    }
  });

  it('turns pending into violation when the clock passes the due time, with no new event', async () => {
    const other = 'okayama-kaigo-clock';
    const t = (minutes: number) => new Date(now + minutes * 60_000).toISOString();
    await post([
      { eventId: '00000000-0000-4000-8000-00000000c001', type: 'ContractRegistered', contractId: other, occurredAt: t(-600), actor: { org: 'city' },
        data: { title: '介護保険', contractorId: 'okayama-systems', purposes: ['運用保守'], dataCategories: ['給付実績'], permitsSubcontracting: false, term: { start: t(-700), end: '2030-03-31T00:00:00+09:00' } } },
      { eventId: '00000000-0000-4000-8000-00000000c002', type: 'WorkerAuthorized', contractId: other, occurredAt: t(-590), actor: { org: 'contractor', workerId: 'W-MGR' }, data: { workerId: 'W-1', org: 'contractor' } },
      { eventId: '00000000-0000-4000-8000-00000000c003', type: 'WorkerBriefed', contractId: other, occurredAt: t(-580), actor: { org: 'contractor', workerId: 'W-MGR' }, data: { workerId: 'W-1', topics: ['confidentiality', 'penalties'] } },
      { eventId: '00000000-0000-4000-8000-00000000c004', type: 'RecordCollected', contractId: other, recordId: 'R-1', occurredAt: t(-120), actor: { org: 'contractor', workerId: 'W-1' },
        data: { purpose: '運用保守', dataCategories: ['給付実績'], medium: 'paper', containsMyNumber: false } },
      { eventId: '00000000-0000-4000-8000-00000000c005', type: 'TransportStarted', contractId: other, recordId: 'R-1', occurredAt: t(-60), actor: { org: 'contractor', workerId: 'W-1' },
        data: { transportId: 'T-1', from: 'DC-1', to: 'CITY-HALL', carrierId: 'CARRIER-1', medium: 'paper', safeguards: ['sealed'], expectedArrivalAt: t(120) } },
    ] as LedgerEvent[]);
    const position = await app.runtime.eventStore.headPosition();
    const before = await get(contractPath('', other));
    expect(before.body).toMatchObject({ status: 'pending', source: { kind: 'read-model', position }, records: { pending: 1, violation: 0 } });
    expect(before.body.findings).toMatchObject([{ recordId: 'R-1', rule: 'art13.transport-overdue', status: 'pending', dueAt: new Date(now + 120 * 60_000).toISOString() }]);
    expect((await get(recordPath('R-1', '', other))).body.status).toBe('pending');

    now += 121 * 60_000;
    const after = await get(contractPath('', other));
    expect(after.body).toMatchObject({ status: 'violation', source: { kind: 'read-model', position }, records: { pending: 0, violation: 1 } });
    expect(after.body.findings).toMatchObject([{ recordId: 'R-1', rule: 'art13.transport-overdue', status: 'violation', message: { en: expect.stringMatching(/not done$/) } }]);
    expect((await get(recordPath('R-1', '', other))).body.status).toBe('violation');
    expect({ ...(await get(contractPath(`?asOf=${new Date(now).toISOString()}`, other))).body, source: null }).toEqual({ ...after.body, source: null });
  });

  it('records every compliance read in the access log, with the cut asked for', async () => {
    await get(recordPath('R-000102', '?asOf=2026-01-01T00:00:00Z'));
    const log = await app.request('GET', `/v1/access-log?contractId=${CONTRACT}&recordId=R-000102`, { role: 'auditor' });
    expect(log.status).toBe(200);
    expect(log.body.entries).toContainEqual(expect.objectContaining({
      route: '/v1/contracts/:contractId/records/:recordId/compliance', recordId: 'R-000102', asOf: '2026-01-01T00:00:00Z', status: 200, role: 'officer',
    }));
  });
});

