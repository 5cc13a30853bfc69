import { InvalidRequestError } from '@ledger/domain';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js';
import { exportBundle } from '../bundle/export-bundle.js';
import { verifyBundle } from '../bundle/verify-bundle.js';
import { openAuditLedger, type AuditLedger } from '../testing/audit-ledger.js';
import { AFTER_COPY_BEFORE_DEADLINE, AFTER_DEADLINE, BEFORE_COPY, CONTRACT, eventId, fillerBatch, firstBatch, secondBatch } from '../testing/audit-scenario.js';
import { renderReplay } from './render.js';
import { replay, type ReplayReport } from './replay.js';
import { replayFromLedger } from './replay-ledger.js';

describe("replay: a contract's compliance as of any moment, judged only from verified evidence", () => {
  let db: TestDatabase;
  let ledger: AuditLedger;
  const sources = () => ({ store: ledger.store, proofs: ledger.proofs, keys: ledger.keys });
  const at = (asOf: string, options: { knownAt?: string; treeSize?: number } = {}) => replayFromLedger(sources(), { contractId: CONTRACT, asOf, ...options });
  const article = (report: ReplayReport, n: string) => report.articles.find((a) => a.article === n)!;
  const copied = eventId(`${CONTRACT}/R-1/copied`);
  const incident = eventId(`${CONTRACT}/incident`);

  beforeAll(async () => {
    db = await createTestDatabase('audit_replay');
    ledger = await openAuditLedger(db.url);
    ledger.setClock('2026-04-04T00:00:00Z');
    await ledger.appendAndSeal(firstBatch());
    await ledger.appendAndSeal(fillerBatch(20));
    ledger.setClock('2026-05-10T00:00:00Z');
    await ledger.appendAndSeal(secondBatch());
  });

  afterAll(async () => {
    await ledger.close();
    await db.drop();
  });

  it('before the copy: every article the events touch is compliant', async () => {
    const report = await at(BEFORE_COPY);
    expect(report.status).toBe('compliant');
    expect(report.records).toEqual({ violation: 0, pending: 0, compliant: 2, not_applicable: 0 });
    expect(article(report, '9')).toMatchObject({ status: 'not_applicable', findings: [] });
    expect(article(report, '15')).toMatchObject({ status: 'not_applicable', findings: [] });
    expect(article(report, '4').status).toBe('compliant');
    expect(report.evidence).toEqual({ events: 11, streams: 3, judged: 8, verified: true });
  });

  it('after the copy and the incident: Article 9 violated with the copy as evidence; Article 15 violated for the unreported copy, pending for the incident until its due time', async () => {
    const report = await at(AFTER_COPY_BEFORE_DEADLINE);
    expect(report.status).toBe('violation');
    expect(article(report, '9').findings).toEqual([
      expect.objectContaining({ rule: 'art9.copy-without-authorization', status: 'violation', recordId: 'R-1', eventIds: [copied] }),
    ]);
    // v2: the copy is itself a breach of the memorandum, to be reported within a day (overdue by
    // now); the incident's report is pending until its own due time.
    expect(article(report, '15').status).toBe('violation');
    expect(article(report, '15').findings.map((f) => [f.rule, f.status, f.dueAt, f.recordId ?? null])).toEqual([
      ['art15.report-overdue', 'pending', '2026-05-02T09:00:00.000+09:00', null],
      ['art15.breach-not-reported', 'violation', '2026-04-11T09:00:00.000+09:00', 'R-1'],
      ['art15.report-overdue', 'pending', '2026-05-02T09:00:00.000+09:00', 'R-1'],
    ]);
    expect(report.events[copied]).toMatchObject({ type: 'RecordCopied', recordId: 'R-1', occurredAt: '2026-04-10T09:00:00+09:00', position: 35 });
    expect(report.events[incident]).toMatchObject({ type: 'IncidentDetected', position: 37 });
  });

  it('a month later: the unreported incident is a violation too', async () => {
    const report = await at(AFTER_DEADLINE);
    expect(article(report, '15').status).toBe('violation');
    expect(article(report, '15').findings.every((f) => f.status === 'violation')).toBe(true);
    expect(article(report, '9').status).toBe('violation');
  });

  it('with knownAt before the second batch was recorded: what the ledger knew then, compliant', async () => {
    const report = await at(AFTER_DEADLINE, { knownAt: '2026-04-30T00:00:00Z' });
    expect(report).toMatchObject({ status: 'compliant', knownAt: '2026-04-30T00:00:00Z' });
    expect(article(report, '9').status).toBe('not_applicable');
    expect(report.evidence.events).toBe(8);
  });

  it('gives identical bytes on every run, in every format, naming the checkpoint it was computed from', async () => {
    const first = await at(AFTER_COPY_BEFORE_DEADLINE);
    const second = await at(AFTER_COPY_BEFORE_DEADLINE);
    for (const format of ['json', 'md', 'html'] as const) expect(renderReplay(second, format)).toBe(renderReplay(first, format));
    const checkpoint = await ledger.proofs.latestCheckpoint();
    expect(first.checkpoint).toMatchObject({ treeSize: checkpoint.treeSize, rootHash: checkpoint.rootHash.toString('base64'), keyId: ledger.keys.keyId });
    const md = renderReplay(first, 'md');
    expect(md).toContain(`tree size ${checkpoint.treeSize}, root ${checkpoint.rootHash.toString('base64')}`);
    expect(md).toContain('## 第9条（複写、複製の禁止） / Article 9 (Prohibition of copying and reproduction)');
    expect(md).toContain('- 期限 / Due: 2026-05-02T09:00:00+09:00 (2026-05-02T00:00:00.000Z)');
    expect(md).toContain(copied);
    const html = renderReplay(first, 'html');
    expect(html).toMatch(/^<!DOCTYPE html>\n<html lang="ja">/);
    expect(html).toContain('<section id="article-15">');
    expect(html).toContain(`<td class="hash">${first.events[copied]!.leafHash}</td>`);
    expect(JSON.parse(renderReplay(first, 'json'))).toEqual(JSON.parse(JSON.stringify(first)));
  });

  it('stays byte-identical after the ledger grows, when pinned to the same checkpoint', async () => {
    const size = (await ledger.proofs.latestCheckpoint()).treeSize;
    const before = renderReplay(await at(AFTER_DEADLINE, { treeSize: size }), 'md');
    await ledger.appendAndSeal([...fillerBatch(5, 100)]);
    expect(renderReplay(await at(AFTER_DEADLINE, { treeSize: size }), 'md')).toBe(before);
    expect((await at(AFTER_DEADLINE)).checkpoint.treeSize).toBe(size + 5);
  });

  it('replays an exported bundle offline to the same report as the ledger gives', async () => {
    const size = (await ledger.proofs.latestCheckpoint()).treeSize;
    const { bytes } = await exportBundle(sources(), { contractId: CONTRACT, asOf: AFTER_COPY_BEFORE_DEADLINE, treeSize: size });
    const offline = replay(verifyBundle(bytes, ledger.keys.publicKey));
    expect(renderReplay(offline, 'json')).toBe(renderReplay(await at(AFTER_COPY_BEFORE_DEADLINE, { treeSize: size }), 'json'));
  });

  it('refuses a cut it cannot answer and an unverified bundle', async () => {
    const { bytes } = await exportBundle(sources(), { contractId: CONTRACT, knownAt: '2026-04-30T00:00:00Z' });
    const verified = verifyBundle(bytes, ledger.keys.publicKey);
    const noAsOf = (() => { try { replay(verified); } catch (e) { return e; } })();
    expect(noAsOf).toBeInstanceOf(InvalidRequestError);
    expect((noAsOf as InvalidRequestError).problems[0]).toMatchObject({ field: 'asOf' });
    expect(() => replay(verified, { asOf: AFTER_DEADLINE, knownAt: '2026-06-01T00:00:00Z' })).toThrow(/must not be after the bundle's knownAt/);
    const broken = Buffer.from(bytes);
    broken[200] = broken[200]! ^ 1;
    expect(() => replay(verifyBundle(broken, ledger.keys.publicKey), { asOf: AFTER_DEADLINE })).toThrow(/replay needs a verified bundle/);
  });
});
