import { instant, isoInZone, type LedgerEvent } from '@ledger/domain';
import type { Projector } from '@ledger/projections';
import { createProjectorWorker } from '@ledger/runtime';
import { demoContract } from './generators/demo-contract.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const demo = demoContract();
const CONTRACT = demo.contractId;
const byId = new Map(demo.events.map((e) => [e.eventId, e]));
/** Answers give every time in the ledger's zone (Asia/Tokyo by default). */
const jst = (ms: number): string => isoInZone(ms, 'Asia/Tokyo');
const JST_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+09:00$/;

/** The demo is posted in two goes, five days apart, so that a past knownAt sees only the first. */
const FIRST_POSTED = instant('2026-11-20T09:00:00+09:00');
const SECOND_POSTED = instant('2026-11-25T09:00:00+09:00');
const BETWEEN = '2026-11-22T09:00:00+09:00';
const SPLIT = instant('2026-06-01T00:00:00+09:00');
const RECORD_ARTICLES = ['3', '4', '5', '6', '7', '8', '9', '11', '13', '14', '15', '17', '18'];
const CONTRACT_ARTICLES = ['6', '10', '11', '12', '15', 'appi68'];

type Role = 'officer' | 'auditor' | 'feed' | 'admin' | 'none';

describe('compliance through the real service and PostgreSQL', () => {
  let app: TestApp;
  let projector: Projector;
  let now = FIRST_POSTED;
  /** When set, the clock moves on by 1 ms at every reading (time passes within a request). */
  let ticking = false;

  async function post(events: readonly LedgerEvent[]): Promise<void> {
    for (let i = 0; i < events.length; i += 1000) {
      const answer = await app.request('POST', '/v1/events', { role: 'feed', body: { events: events.slice(i, i + 1000) } });
      expect(answer.status).toBe(201);
      await projector.waitFor(answer.body.events[answer.body.events.length - 1].position);
    }
  }

  const get = (path: string, role: Role = 'officer') => app.request('GET', path, role === 'none' ? {} : { role });
  const recordPath = (recordId: string, query = '', contractId = CONTRACT) => `/v1/contracts/${contractId}/records/${recordId}/compliance${query}`;
  const contractPath = (query = '', contractId = CONTRACT) => `/v1/contracts/${contractId}/compliance${query}`;
  const findingsPath = (recordId: string, query: string, contractId = CONTRACT) => `/v1/contracts/${contractId}/records/${recordId}/findings${query}`;
  const q = (text: string) => encodeURIComponent(text);

  /** Every finding of the contract view, page by page (`query` starts with `&`). */
  async function allFindings(query: string, limit: number, contractId = CONTRACT): Promise<any[]> {
    const out: any[] = [];
    let after: string | null = null;
    do {
      const answer = await get(contractPath(`?limit=${limit}${query}${after ? `&after=${after}` : ''}`, contractId));
      expect(answer.status).toBe(200);
      expect(answer.body.findings.length).toBeLessThanOrEqual(limit);
      out.push(...answer.body.findings);
      after = answer.body.next;
    } while (after !== null);
    return out;
  }

  /** A contract-level incident the contractor detected, naming one record (Art. 15 then asks for its report). */
  const incidentDetected = (incidentId: string, recordId: string, eventId: string, occurredAt: string) =>
    ({
      type: 'IncidentDetected',
      actor: { org: 'contractor', workerId: 'W-MGR-1' },
      data: { incidentId, kind: 'leak', affectedRecordIds: [recordId], affectedPersonCount: 3 },
      eventId,
      occurredAt,
      contractId: CONTRACT,
    }) as unknown as LedgerEvent;

  const key = (f: any) => `${f.recordId ?? '-'}|${f.rule}|${f.party}|${f.status}`;
  /** A listed finding in one key order, to compare lists made by different paths. */
  const canonical = (f: any, recordId = f.recordId, article = f.article) =>
    ({ recordId, article, rule: f.rule, status: f.status, party: f.party, eventIds: f.eventIds, message: f.message, ...(f.dueAt ? { dueAt: f.dueAt } : {}) });
  const sorted = (items: any[]) => items.map((f) => JSON.stringify(f)).sort();
  /** The violations and pending findings of a record's verdict, in the contract view's form. */
  const listedOf = (recordId: string, body: any) =>
    Object.entries<any>(body.articles).flatMap(([article, judged]) =>
      judged.findings.filter((f: any) => f.status !== 'compliant').map((f: any) => canonical(f, recordId, article)),
    );

  beforeAll(async () => {
    app = await startTestApp('compliance', {
      clock: () => (ticking ? (now += 1) : now),
      workers: (runtime) => {
        projector = createProjectorWorker(runtime, () => undefined) as Projector;
        return [projector];
      },
    });
    await post(demo.events.filter((e) => instant(e.occurredAt) < SPLIT));
    now = SECOND_POSTED;
    await post(demo.events.filter((e) => instant(e.occurredAt) >= SPLIT));
  });

  afterAll(async () => {
    await app.close();
  });

  it("answers a record's verdict: every record article with its status, counts and findings, each finding with its party, times in +09:00", async () => {
    const answer = await get(recordPath('R-000101'));
    expect(answer.status).toBe(200);
    const copy = demo.events.find((e) => e.type === 'RecordCopied' && 'recordId' in e && e.recordId === 'R-000101')!;
    expect(answer.body).toEqual({
      contractId: CONTRACT,
      recordId: 'R-000101',
      asOf: '2026-11-25T09:00:00.000+09:00',
      knownAt: '2026-11-25T09:00:00.000+09:00',
      status: 'violation',
      articles: expect.any(Object),
    });
    expect(Object.keys(answer.body.articles)).toEqual(RECORD_ARTICLES);
    expect(answer.body.articles['9']).toEqual({
      status: 'violation',
      counts: { violation: 1, pending: 0, compliant: 0 },
      findings: [{
        rule: 'art9.copy-without-authorization',
        status: 'violation',
        party: 'contractor',
        eventIds: [copy.eventId],
        message: { ja: expect.stringMatching(/^第9条（複写、複製の禁止）違反：/), en: expect.stringMatching(/^Article 9 \(Prohibition of copying and reproduction\) violated: /) },
      }],
    });
    // Art. 5: the copy in the development room was anonymized in time: a compliant obligation, with its due time.
    expect(answer.body.articles['5']).toMatchObject({ status: 'compliant', counts: { violation: 0, pending: 0, compliant: 1 } });
    expect(answer.body.articles['5'].findings[0]).toMatchObject({ rule: 'art5.anonymization-overdue', status: 'compliant', party: 'contractor', dueAt: '2025-07-03T10:00:00.000+09:00' });
    // Art. 15: the copy was never reported to the city.
    expect(answer.body.articles['15'].findings).toMatchObject([{ rule: 'art15.breach-not-reported', status: 'violation', party: 'contractor', eventIds: [copy.eventId] }]);
    expect(answer.body.articles['6']).toEqual({ status: 'not_applicable', counts: { violation: 0, pending: 0, compliant: 0 }, findings: [] });
    expect(answer.body.articles['3'].status).toBe('compliant');
    // No Japanese message holds an ISO time or a wire code of an enumeration; every time field is in +09:00.
    for (const judged of Object.values<any>(answer.body.articles)) {
      for (const f of judged.findings) {
        expect(f.message.ja).not.toMatch(/\d{4}-\d\d-\d\dT|electronic|overwrite|contractor/);
        if (f.dueAt) expect(f.dueAt).toMatch(JST_TIME);
      }
    }
  });

  it.each(demo.planted.filter((p) => p.recordId !== null).map((p) => [p.recordId!, p.rule, p.article, p.party] as const))(
    'finds the planted violation of %s: %s (Article %s), the %s answering for it',
    async (recordId, rule, article, party) => {
      const answer = await get(recordPath(recordId));
      expect(answer.status).toBe(200);
      expect(answer.body.status).toBe('violation');
      const finding = answer.body.articles[article].findings.find((f: any) => f.rule === rule);
      expect(finding).toMatchObject({ status: 'violation', party, message: { ja: expect.stringContaining(`第${article}条`), en: expect.stringContaining(`Article ${article} `) } });
      expect(finding.eventIds.every((id: string) => byId.has(id))).toBe(true);
      const others = Object.values(answer.body.articles).flatMap((a: any) => a.findings).filter((f: any) => f.status !== 'compliant' && f.rule !== rule);
      expect(others.map((f: any) => f.rule).sort()).toEqual(demo.planted.filter((p) => p.recordId === recordId && p.rule !== rule).map((p) => p.rule).sort());
    },
  );

  it.each(demo.compliant.map((c) => [c.recordId!, c.rule, c.article, c.what] as const))(
    'judges the case handled correctly on %s compliant: %s (Article %s): %s',
    async (recordId, rule, article) => {
      const answer = await get(recordPath(recordId));
      expect(answer.body.articles[article].status).toBe('compliant');
      expect(answer.body.articles[article].findings.filter((f: any) => f.rule === rule && f.status !== 'compliant')).toEqual([]);
    },
  );

  it('judges any moment: pending before the due time, overdue after, late once done; asOf and knownAt answered in +09:00', async () => {
    const { recordId, pendingAsOf, overdueAsOf } = demo.pendingExample;
    const transport = (body: any) => body.articles['13'].findings.find((f: any) => f.rule === 'art13.transport-overdue');
    const pending = await get(recordPath(recordId, `?asOf=${q(pendingAsOf)}`));
    expect(pending.body).toMatchObject({ asOf: '2026-03-10T12:00:00.000+09:00', knownAt: jst(now), status: 'pending' });
    expect(transport(pending.body)).toMatchObject({ status: 'pending', party: 'contractor', dueAt: '2026-03-10T18:00:00.000+09:00', message: { en: expect.stringContaining('not done yet') } });
    const overdue = await get(recordPath(recordId, `?asOf=${q(overdueAsOf)}&knownAt=2026-12-01T00:00:00Z`));
    expect(overdue.body).toMatchObject({ asOf: '2026-03-11T09:00:00.000+09:00', knownAt: '2026-12-01T09:00:00.000+09:00', status: 'violation' });
    expect(transport(overdue.body)).toMatchObject({ status: 'violation', eventIds: [expect.any(String)], message: { en: expect.stringMatching(/not done$/) } });
    // Not reported to the city either: the breach turns into a violation a day after the transport's due time.
    expect(overdue.body.articles['15'].findings).toMatchObject([{ rule: 'art15.breach-not-reported', status: 'pending', dueAt: '2026-03-11T18:00:00.000+09:00' }]);
    const late = await get(recordPath(recordId));
    expect(transport(late.body)).toMatchObject({ status: 'violation', eventIds: [expect.any(String), expect.any(String)], message: { en: expect.stringContaining('done only at') } });
  });

  it('answers a known record at a cut before its first event with every article not applicable; 404 for what the ledger does not know', async () => {
    const before = await get(recordPath('R-000101', `?asOf=${q('2025-01-01T00:00:00+09:00')}`));
    expect(before.status).toBe(200);
    expect(before.body.status).toBe('not_applicable');
    expect(Object.values<any>(before.body.articles).every((a) => a.status === 'not_applicable' && a.findings.length === 0)).toBe(true);
    // R-000115 was posted in the second go: at the knownAt between the two, the ledger knew nothing of it.
    const unknownThen = await get(recordPath('R-000115', `?knownAt=${q(BETWEEN)}`));
    expect(unknownThen.body).toMatchObject({ status: 'not_applicable', knownAt: '2026-11-22T09:00:00.000+09:00' });
    expect((await get(recordPath('R-000101', '', 'no-such-contract'))).body).toMatchObject({ statusCode: 404, code: 'LEDGER.NOT_FOUND' });
    expect((await get(recordPath('R-999999'))).status).toBe(404);
    expect((await get(findingsPath('R-999999', '?article=4'))).status).toBe(404);
    expect((await get(findingsPath('R-000101', '?article=4', 'no-such-contract'))).status).toBe(404);
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
    expect(await field(contractPath('?article=16'))).toEqual(['article']);
    expect(await field(contractPath('?rule=art9.copy'))).toEqual(['rule']);
    expect(await field(contractPath('?status=compliant'))).toEqual(['status']);
    expect(await field(contractPath('?party=both'))).toEqual(['party']);
    expect(await field(contractPath('?limit=0'))).toEqual(['limit']);
    expect(await field(contractPath('?limit=1001'))).toEqual(['limit']);
    expect(await field(contractPath('?after=not-a-cursor'))).toEqual(['after']);
    expect(await field(contractPath('?after=%22%3B--'))).toEqual(['after']);
    expect(await field(contractPath('?asOf=2026-13-01T00:00:00Z&knownAt=x'))).toEqual(['asOf', 'knownAt']);
    expect(await field(findingsPath('R-000101', ''))).toEqual(['article']);
    expect(await field(findingsPath('R-000101', '?article=16'))).toEqual(['article']);
    expect(await field(findingsPath('R-000101', '?article=4&after=x'))).toEqual(['after']);
    expect(await field(findingsPath('R-000101', '?article=4&limit=1001'))).toEqual(['limit']);
    expect(await field(findingsPath('R-000101', '?article=4&asOf=2026-01-01T00:00:00Z'))).toEqual(['asOf']);
    expect((await get(recordPath('R-000101'), 'none')).status).toBe(401);
    expect((await get(recordPath('R-000101'), 'feed')).status).toBe(403);
    expect((await get(contractPath(), 'feed')).status).toBe(403);
    expect((await get(findingsPath('R-000101', '?article=9'), 'feed')).status).toBe(403);
    expect((await get(recordPath('R-000101'), 'auditor')).status).toBe(200);
    expect((await get(contractPath(), 'admin')).status).toBe(200);
  });

  it("answers the contract's verdict at the present from the read model: the contractor's articles, the city's duties apart, records by status, every planted finding with its party", async () => {
    const answer = await get(contractPath('?limit=1000'));
    expect(answer.status).toBe(200);
    const recordsPlanted = new Set(demo.planted.filter((p) => p.recordId !== null && p.party === 'contractor').map((p) => p.recordId));
    expect(answer.body).toMatchObject({
      contractId: CONTRACT,
      asOf: '2026-11-25T09:00:00.000+09:00',
      knownAt: '2026-11-25T09:00:00.000+09:00',
      status: 'violation',
      source: { kind: 'read-model', position: await app.runtime.eventStore.headPosition() },
      records: { total: demo.recordIds.length, violation: recordsPlanted.size, pending: 0, compliant: demo.recordIds.length - recordsPlanted.size, not_applicable: 0 },
      next: null,
    });
    expect(Object.keys(answer.body.articles)).toEqual(CONTRACT_ARTICLES);
    expect(answer.body.findings.map(key).sort()).toEqual(demo.planted.map((p) => `${p.recordId ?? '-'}|${p.rule}|${p.party}|violation`).sort());
    expect(answer.body.findings.slice(0, 7).every((f: any) => f.recordId === null)).toBe(true);
    expect(answer.body.summary).toContainEqual({ article: '10', rule: 'art10.inspection-overdue', violation: 1, pending: 0 });
    expect(answer.body.summary.reduce((n: number, s: any) => n + s.violation, 0)).toBe(demo.planted.length);

    // The city's own duties: in `city`, never among the contractor's findings nor in its status.
    const city = demo.planted.filter((p) => p.party === 'city');
    expect(answer.body.city.status).toBe('violation');
    expect(answer.body.city.findings.map((f: any) => `${f.rule}|${f.party}|${f.status}`).sort()).toEqual(city.map((p) => `${p.rule}|city|violation`).sort());
    expect(Object.values<any>(answer.body.articles).flatMap((a) => a.findings).every((f) => f.party === 'contractor')).toBe(true);
    // Art. 6 and APPI 68: only the city's findings, so the contractor's article is compliant (counts count both parties).
    expect(answer.body.articles['6']).toEqual({ status: 'compliant', counts: { violation: 1, pending: 0, compliant: 0 }, findings: [] });
    expect(answer.body.articles.appi68).toMatchObject({ status: 'compliant', counts: { violation: 3, pending: 0, compliant: 0 }, findings: [] });
    const appi = answer.body.city.findings.filter((f: any) => f.article === 'appi68');
    expect(appi.map((f: any) => [f.rule, f.dueAt])).toEqual(expect.arrayContaining([
      ['appi68.preliminary-report-overdue', '2025-12-09T09:00:00.000+09:00'],
      ['appi68.final-report-overdue', '2026-01-03T09:00:00.000+09:00'],
      ['appi68.persons-not-notified', '2026-01-03T09:00:00.000+09:00'],
    ]));
    expect(appi[0].message.ja).toMatch(/要配慮個人情報を含む、本人の数が100人を超える/);
    // The misdelivery of 12 persons' benefit data is not reportable: no duty of the city follows from it.
    expect(appi.every((f: any) => f.message.en.includes('INC-2025-002'))).toBe(true);
    expect(answer.body.articles['10'].status).toBe('violation');
    expect(answer.body.articles['10'].findings.map((f: any) => `${f.rule}|${f.status}`)).toEqual([
      'art10.report-overdue|compliant', 'art10.report-overdue|compliant', 'art10.report-overdue|violation',
    ]);
  });

  it.each([
    ['the present', ''],
    ['a past asOf', `&asOf=${q('2026-06-01T00:00:00+09:00')}`],
    ['a past knownAt', `&knownAt=${q(BETWEEN)}`],
  ])('agrees with every per-record verdict and with its own contract-level and city findings, page by page, at %s', async (_label, cut) => {
    const first = await get(contractPath(`?limit=1000${cut}`));
    expect(first.status).toBe(200);
    const recordStatuses = { violation: 0, pending: 0, compliant: 0 };
    const fromRecords: any[] = [];
    for (const recordId of demo.recordIds) {
      const answer = await get(recordPath(recordId, cut.replace('&', '?')));
      expect(answer.status).toBe(200);
      if (answer.body.status !== 'not_applicable') recordStatuses[answer.body.status as keyof typeof recordStatuses] += 1;
      fromRecords.push(...listedOf(recordId, answer.body));
    }
    // Small pages, so that pages end inside a record's findings (the read model's at the present, the folds' else).
    const paged = await allFindings(cut, cut === '' ? 3 : 7);
    expect(sorted(paged.filter((f) => f.recordId !== null).map((f) => canonical(f)))).toEqual(sorted(fromRecords));
    expect(first.body.records).toMatchObject(recordStatuses);
    // Contract-level: the contractor's articles, then the city's duties, as listed.
    const contractLevel = [
      ...Object.entries<any>(first.body.articles).flatMap(([article, a]) => a.findings.map((f: any) => canonical(f, null, article))),
      ...first.body.city.findings.map((f: any) => canonical(f, null)),
    ].filter((f) => f.status !== 'compliant');
    expect(sorted(paged.filter((f) => f.recordId === null).map((f) => canonical(f)))).toEqual(sorted(contractLevel));
    // The contractor's status: the worst of its articles and its records; the city's, of the city's duties alone.
    const statuses = [...Object.values<any>(first.body.articles).map((a) => a.status), ...Object.entries(recordStatuses).filter(([, n]) => n > 0).map(([s]) => s)];
    expect(first.body.status).toBe(['violation', 'pending', 'compliant'].find((s) => statuses.includes(s)));
    expect(first.body.city.status).toBe('violation');
  }, 180_000);

  it('gives the same view from the read model and judged from the stored folds at the same cut', async () => {
    const present = await get(contractPath('?limit=1000'));
    const folds = await get(contractPath(`?limit=1000&asOf=${q(jst(now))}`));
    expect(present.body.source).toEqual({ kind: 'read-model', position: await app.runtime.eventStore.headPosition() });
    const same = (body: any) => ({ ...body, findings: sorted(body.findings) });
    expect(same(folds.body)).toEqual(same(present.body));
    // And differs where it should: at the knownAt between the two goes, the contract had not ended yet.
    const then = await get(contractPath(`?knownAt=${q(BETWEEN)}&rule=art8.handled-after-contract-end`));
    expect(then.body.findings).toEqual([]);
    expect(then.body.records.total).toBeLessThan(demo.recordIds.length);
  });

  it('filters by article, rule, status and party, from the read model and from the folds alike', async () => {
    const rules = (findings: any[]) => findings.map((f: any) => `${f.recordId ?? '-'}|${f.rule}`).sort();
    expect(rules((await get(contractPath('?rule=art13.transport-overdue'))).body.findings)).toEqual(['R-000104|art13.transport-overdue']);
    expect(rules((await get(contractPath('?article=10'))).body.findings)).toEqual(['-|art10.inspection-overdue', '-|art10.report-overdue']);
    expect(rules((await get(contractPath('?article=14&status=violation'))).body.findings)).toEqual([
      'R-000102|art14.disposal-not-witnessed', 'R-000114|art14.disposal-overdue', 'R-000117|art14.handled-after-closure',
      'R-000124|art14.copy-retained-after-authorization', 'R-000125|art14.disposal-overdue', 'R-000126|art14.disposal-overdue',
    ]);
    const city = (await get(contractPath('?party=city'))).body.findings;
    expect(city.map((f: any) => `${f.recordId}|${f.rule}`).sort()).toEqual(demo.planted.filter((p) => p.party === 'city').map((p) => `null|${p.rule}`).sort());
    expect((await get(contractPath('?party=contractor&article=appi68'))).body.findings).toEqual([]);
    expect(rules((await get(contractPath('?article=appi68'))).body.findings)).toEqual([
      '-|appi68.final-report-overdue', '-|appi68.persons-not-notified', '-|appi68.preliminary-report-overdue',
    ]);
    expect((await get(contractPath('?status=pending'))).body.findings).toEqual([]);
    const { recordId, pendingAsOf } = demo.pendingExample;
    const past = await get(contractPath(`?asOf=${q(pendingAsOf)}&status=pending`));
    expect(past.body).toMatchObject({ source: { kind: 'read-model' }, asOf: '2026-03-10T12:00:00.000+09:00' });
    expect(rules(past.body.findings)).toContain(`${recordId}|art13.transport-overdue`);
    expect(past.body.findings.every((f: any) => f.status === 'pending')).toBe(true);
    expect(past.body.records.total).toBeLessThan(demo.recordIds.length);
    for (const query of ['&article=8', '&rule=art7.collection-missing', '&status=violation', '&article=15', '&party=city', '&party=contractor&article=14']) {
      const fromFolds = await allFindings(`&asOf=${q(jst(now))}${query}`, 5);
      const fromRows = await allFindings(query, 2);
      expect(sorted(fromFolds)).toEqual(sorted(fromRows));
      expect(fromRows.length).toBeGreaterThan(0);
    }
  }, 180_000);

  it('lists at most 100 findings of an article in a verdict, counts them all, and pages through the rest', async () => {
    // A record used 150 times by a worker never briefed: 151 findings under Art. 4 and as many under Art. 17.
    const caps = 'okayama-kaigo-caps';
    const t = (minutes: number) => jst(now - 3 * 86_400_000 + minutes * 60_000);
    const id = (n: number) => `00000000-0000-4000-8000-${String(0xca000000 + n).padStart(12, '0')}`;
    const uses = Array.from({ length: 150 }, (_, i) => ({
      eventId: id(100 + i), type: 'RecordUsed', contractId: caps, recordId: 'R-1', occurredAt: t(10 + i), actor: { org: 'contractor', workerId: 'W-1' }, data: { purpose: '運用保守' },
    }));
    await post([
      { eventId: id(1), type: 'ContractRegistered', contractId: caps, occurredAt: t(0), actor: { org: 'city' },
        data: { title: '介護保険', contractorId: 'okayama-systems', purposes: ['運用保守'], dataCategories: ['給付実績'], permitsSubcontracting: false, term: { start: t(-60), end: '2030-03-31T00:00:00+09:00' } } },
      { eventId: id(2), type: 'ResponsiblePersonDesignated', contractId: caps, occurredAt: t(1), actor: { org: 'contractor', workerId: 'W-MGR' }, data: { personId: 'P-1', title: '個人情報受託管理責任者' } },
      { eventId: id(3), type: 'WorkerAuthorized', contractId: caps, occurredAt: t(2), actor: { org: 'contractor', workerId: 'W-MGR' }, data: { workerId: 'W-1', org: 'contractor' } },
      { eventId: id(4), type: 'RecordCollected', contractId: caps, recordId: 'R-1', occurredAt: t(5), actor: { org: 'contractor', workerId: 'W-1' },
        data: { purpose: '運用保守', dataCategories: ['給付実績'], medium: 'electronic', containsMyNumber: false } },
      ...uses,
    ] as LedgerEvent[]);
    const recordEvents = [id(4), ...uses.map((u) => u.eventId)];

    const verdict = (await get(recordPath('R-1', '', caps))).body;
    for (const article of ['4', '17']) {
      const judged = verdict.articles[article];
      expect(judged).toMatchObject({ status: 'violation', counts: { violation: 151, pending: 0, compliant: 0 }, more: { listed: 100, total: 151, next: expect.stringMatching(`^/v1/contracts/${caps}/records/R-1/findings\\?article=${article}&after=`) } });
      expect(judged.findings).toHaveLength(100);
      // The rest, from where the verdict stops: every finding once, in the order of the events.
      const rest: any[] = [];
      for (let next: string | null = judged.more.next; next !== null;) {
        const page = await get(next);
        expect(page.status).toBe(200);
        expect(page.body).toMatchObject({ contractId: caps, recordId: 'R-1', article });
        rest.push(...page.body.findings);
        next = page.body.next === null ? null : findingsPath('R-1', `?article=${article}&after=${page.body.next}`, caps);
      }
      expect([...judged.findings, ...rest].map((f: any) => f.eventIds[0])).toEqual(recordEvents);
      // From the start, 40 at a time: the same findings, as the verdict lists its first 100.
      const all: any[] = [];
      let after: string | null = null;
      do {
        const page = await get(findingsPath('R-1', `?article=${article}&limit=40${after ? `&after=${after}` : ''}`, caps));
        expect(page.body.findings.length).toBeLessThanOrEqual(40);
        all.push(...page.body.findings);
        after = page.body.next;
      } while (after !== null);
      expect(all).toHaveLength(151);
      expect(all.slice(0, 100)).toEqual(judged.findings);
      expect(all.every((f: any) => f.party === 'contractor' && f.status === 'violation' && !('article' in f) && !('recordId' in f))).toBe(true);
    }
    expect(verdict.articles['15'].findings).toMatchObject([{ rule: 'art15.breach-not-reported', status: 'violation' }]);
    // The contract view lists all of them, capped per page.
    const listed = await allFindings('', 100, caps);
    expect(listed.filter((f) => f.rule === 'art4.worker-not-briefed')).toHaveLength(151);
    expect(listed).toHaveLength(151 * 2 + 1);
    expect((await get(findingsPath('R-1', '?article=9', caps))).body).toEqual({ contractId: caps, recordId: 'R-1', article: '9', findings: [], next: null });
  });

  it('turns pending into violation when the clock passes the due time, with no new event', async () => {
    const other = 'okayama-kaigo-clock';
    const t = (minutes: number) => jst(now + minutes * 60_000);
    await post([
      { eventId: '00000000-0000-4000-8000-00000000c001', type: 'ContractRegistered', contractId: other, occurredAt: t(-600), actor: { org: 'city' },
        data: { title: '介護保険', contractorId: 'okayama-systems', purposes: ['運用保守'], dataCategories: ['給付実績'], permitsSubcontracting: false, term: { start: t(-700), end: '2030-03-31T00:00:00+09:00' } } },
      { eventId: '00000000-0000-4000-8000-00000000c006', type: 'ResponsiblePersonDesignated', contractId: other, occurredAt: t(-595), actor: { org: 'contractor', workerId: 'W-MGR' }, data: { personId: 'P-1', title: '個人情報受託管理責任者' } },
      { eventId: '00000000-0000-4000-8000-00000000c002', type: 'WorkerAuthorized', contractId: other, occurredAt: t(-590), actor: { org: 'contractor', workerId: 'W-MGR' }, data: { workerId: 'W-1', org: 'contractor' } },
      { eventId: '00000000-0000-4000-8000-00000000c003', type: 'WorkerBriefed', contractId: other, occurredAt: t(-580), actor: { org: 'contractor', workerId: 'W-MGR' }, data: { workerId: 'W-1', topics: ['confidentiality', 'penalties'] } },
      { eventId: '00000000-0000-4000-8000-00000000c004', type: 'RecordCollected', contractId: other, recordId: 'R-1', occurredAt: t(-120), actor: { org: 'contractor', workerId: 'W-1' },
        data: { purpose: '運用保守', dataCategories: ['給付実績'], medium: 'paper', containsMyNumber: false } },
      { eventId: '00000000-0000-4000-8000-00000000c005', type: 'TransportStarted', contractId: other, recordId: 'R-1', occurredAt: t(-60), actor: { org: 'contractor', workerId: 'W-1' },
        data: { transportId: 'T-1', from: 'DC-1', to: 'CITY-HALL', carrierId: 'CARRIER-1', medium: 'paper', safeguards: ['sealed'], expectedArrivalAt: t(120) } },
    ] as LedgerEvent[]);
    const position = await app.runtime.eventStore.headPosition();
    const before = await get(contractPath('', other));
    expect(before.body).toMatchObject({ status: 'pending', source: { kind: 'read-model', position }, records: { pending: 1, violation: 0 }, city: { status: 'compliant', findings: [] } });
    expect(before.body.findings).toMatchObject([{ recordId: 'R-1', rule: 'art13.transport-overdue', status: 'pending', party: 'contractor', dueAt: t(120) }]);
    expect((await get(recordPath('R-1', '', other))).body.status).toBe('pending');

    now += 121 * 60_000;
    const after = await get(contractPath('', other));
    expect(after.body).toMatchObject({ status: 'violation', source: { kind: 'read-model', position }, records: { pending: 0, violation: 1 } });
    // Overdue, and from then on a breach the contractor has a day to report: pending.
    expect(after.body.findings.map((f: any) => `${f.rule}|${f.status}`).sort()).toEqual(['art13.transport-overdue|violation', 'art15.breach-not-reported|pending']);
    expect(after.body.findings.find((f: any) => f.rule === 'art13.transport-overdue').message.en).toMatch(/not done$/);
    expect((await get(recordPath('R-1', '', other))).body.status).toBe('violation');
    const same = (body: any) => ({ ...body, source: null, findings: sorted(body.findings) });
    expect(same((await get(contractPath(`?asOf=${q(jst(now))}`, other))).body)).toEqual(same(after.body));
  });

  it('given no knownAt while time passes within the request, then the present counts every event recorded so far with no lookup of its log position; a past knownAt is looked up', async () => {
    const store = app.runtime.eventStore;
    const readAll = store.readAll;
    let lookups = 0;
    // A knownAt is looked up one event at a time (positionKnownAt); other reads take pages.
    store.readAll = ((...args: Parameters<typeof readAll>) => {
      if (args[0]?.limit === 1) lookups += 1;
      return readAll.apply(store, args);
    }) as typeof readAll;
    const started = now;
    ticking = true;
    try {
      const present = await get(recordPath('R-000102'));
      const custody = await app.request('GET', `/v1/contracts/${CONTRACT}/records/R-000102/custody`, { role: 'officer' });
      const view = await get(contractPath());
      expect([present.status, custody.status, view.status]).toEqual([200, 200, 200]);
      expect(lookups).toBe(0);
      // The same answer as a knownAt past every event (the whole log known).
      const known = await get(recordPath('R-000102', `?knownAt=${q('2030-01-01T00:00:00+09:00')}`));
      expect({ ...known.body, asOf: null, knownAt: null }).toEqual({ ...present.body, asOf: null, knownAt: null });
      const past = await get(recordPath('R-000102', `?knownAt=${q(BETWEEN)}`));
      expect(past.status).toBe(200);
      expect(lookups).toBeGreaterThan(0);
    } finally {
      ticking = false;
      now = started;
      store.readAll = readAll;
    }
  });

  it('records every compliance read in the access log, with the cut asked for', async () => {
    await get(recordPath('R-000102', '?asOf=2026-01-01T00:00:00Z'));
    await get(findingsPath('R-000102', '?article=14&limit=5'));
    await get(contractPath('?party=city&knownAt=2026-11-22T00:00:00Z'));
    const log = await app.request('GET', `/v1/access-log?contractId=${CONTRACT}&limit=1000`, { role: 'auditor' });
    expect(log.status).toBe(200);
    expect(log.body.entries).toContainEqual(expect.objectContaining({
      route: '/v1/contracts/:contractId/records/:recordId/compliance', recordId: 'R-000102', asOf: '2026-01-01T00:00:00Z', status: 200, role: 'officer',
    }));
    expect(log.body.entries).toContainEqual(expect.objectContaining({
      route: '/v1/contracts/:contractId/records/:recordId/findings', recordId: 'R-000102', status: 200, query: expect.objectContaining({ article: '14', limit: '5' }),
    }));
    expect(log.body.entries).toContainEqual(expect.objectContaining({
      route: '/v1/contracts/:contractId/compliance', recordId: null, knownAt: '2026-11-22T00:00:00Z', status: 200, query: expect.objectContaining({ party: 'city' }),
    }));
  });
  it('given a contract view served (the service keeps the contract it read), when a contract-level event is recorded, then the next contract view at the present judges it: the kept contract is checked in the answer\'s own snapshot', async () => {
    const before = await get(contractPath());
    expect(before.status).toBe(200);
    const incident = incidentDetected('INC-E2E-KEPT', 'R-000101', '7e57ab1e-0000-4000-8000-00000000c0de', '2026-11-24T10:00:00+09:00');
    await post([incident]);
    const after = await get(contractPath());
    expect(after.status).toBe(200);
    expect(after.body.source).toEqual({ kind: 'read-model', position: await app.runtime.eventStore.headPosition() });
    const naming = (body: any) => body.findings.filter((f: any) => f.eventIds.includes(incident.eventId));
    expect(naming(before.body)).toEqual([]);
    // The contract-level finding (Art. 15, the report to the city) and the record's own, which the
    // statement reads because the incident names the record.
    expect(naming(after.body)).toEqual(expect.arrayContaining([
      expect.objectContaining({ recordId: null, rule: 'art15.report-overdue', party: 'contractor' }),
      expect.objectContaining({ recordId: 'R-000101', rule: 'art15.report-overdue', party: 'contractor' }),
    ]));
    expect(after.body.articles['15'].findings.some((f: any) => f.eventIds.includes(incident.eventId))).toBe(true);
  });

  it('given a record verdict served (the service keeps the contract it read), when a contract-level incident naming the record is recorded, then the next verdict judges it: the kept contract is checked by the read\'s opening', async () => {
    const findingsNaming = (body: any, eventId: string) =>
      Object.values<any>(body.articles).flatMap((a) => a.findings).filter((f: any) => f.eventIds.includes(eventId));
    const before = await get(recordPath('R-000102'));
    expect(before.status).toBe(200);
    const incident = incidentDetected('INC-E2E-RECORD', 'R-000102', '7e57ab1e-0000-4000-8000-00000000c0d2', '2026-11-24T11:00:00+09:00');
    expect(findingsNaming(before.body, incident.eventId)).toEqual([]);
    await post([incident]);
    const after = await get(recordPath('R-000102'));
    expect(after.status).toBe(200);
    expect(findingsNaming(after.body, incident.eventId)).toEqual([expect.objectContaining({ rule: 'art15.report-overdue', party: 'contractor' })]);
    // Custody reads the contract the same way: the record is still there, and the service answers it.
    expect((await get(`/v1/contracts/${CONTRACT}/records/R-000102/custody`)).status).toBe(200);
  });

  it('given the projector stopped behind the log, when an event makes a new record violate, then the contract view at the present judges it live: it is listed, counted and summed (not answered from the read model alone)', async () => {
    const copy = demo.events.find((e) => e.type === 'RecordCopied' && 'recordId' in e && e.recordId === 'R-000101')!;
    const before = await get(contractPath());
    expect(before.status).toBe(200);
    await projector.stop();
    const live = { ...copy, eventId: '7e57ab1e-0000-4000-8000-000000000001', recordId: 'R-LIVE-1' } as LedgerEvent;
    const posted = await app.request('POST', '/v1/events', { role: 'feed', body: { events: [live] } });
    expect(posted.status).toBe(201);
    const rule = 'art9.copy-without-authorization';
    const after = await get(contractPath());
    expect(after.status).toBe(200);
    expect(after.body.records.total).toBe(before.body.records.total + 1);
    expect(after.body.records.violation).toBe(before.body.records.violation + 1);
    const summed = (body: any) => body.summary.find((r: any) => r.rule === rule)?.violation ?? 0;
    expect(summed(after.body)).toBe(summed(before.body) + 1);
    expect((await allFindings(`&rule=${rule}`, 100)).filter((f) => f.recordId === 'R-LIVE-1')).toEqual([
      expect.objectContaining({ recordId: 'R-LIVE-1', rule, status: 'violation', party: 'contractor', eventIds: [live.eventId] }),
    ]);
  });
});
