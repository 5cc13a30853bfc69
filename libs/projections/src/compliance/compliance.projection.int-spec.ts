import { ContractHistory } from '@ledger/compliance';
import { contractStreamId, instant, isRecordEvent, recordStreamId, type LedgerEvent, type RecordedEvent } from '@ledger/domain';
import { demoContract } from '../../../../test/generators/demo-contract.js';
import { readActiveGeneration } from '../runner/read-active.js';
import { rebuildReadModels } from '../runner/rebuild.js';
import { openHarness, type Harness } from '../testing/harness.js';
import {
  C, collected, completed, contractEvent, copied, disposed, jst, setup, started, SUBW, used, W1, W2,
} from '../testing/compliance-events.js';
import { decodeFindingsCursor, FAR, type FindingsFilter } from './compliance-model.js';
import { ComplianceProjection, COMPLIANCE_TABLES } from './compliance.projection.js';
import { contractViewFromReadModel, contractViewFromStreams, type ContractComplianceView } from './contract-compliance.js';

const at = (text: string): number => instant(jst(text));

async function history(h: Harness, contractId: string): Promise<ContractHistory> {
  return ContractHistory.of(contractId, await h.store.readStream(contractStreamId(contractId)));
}

async function fromReadModel(h: Harness, contractId: string, now: number, filter: FindingsFilter = {}, limit = 1000): Promise<ContractComplianceView | null> {
  const contract = await history(h, contractId);
  return readActiveGeneration(h.dataSource, (q) =>
    contractViewFromReadModel(q, {
      contractId, now, history: contract, readRecord: (r) => h.store.readStream(recordStreamId(contractId, r)), query: { filter, limit },
    }),
  );
}

async function fromStreams(h: Harness, contractId: string, now: number, filter: FindingsFilter = {}, limit = 1000): Promise<ContractComplianceView> {
  const streams = new Map<string, RecordedEvent[]>();
  for (const e of await h.store.readAll({ after: 0, limit: 1_000_000, contractId })) {
    if (isRecordEvent(e.event)) streams.set(e.event.recordId, [...(streams.get(e.event.recordId) ?? []), e]);
  }
  return contractViewFromStreams(await history(h, contractId), streams, { asOf: now, knownAt: FAR }, { filter, limit });
}

/** The read model's present answer equals the one computed from the streams, at each instant. */
async function expectSameAsStreams(h: Harness, contractId: string, ...nows: number[]): Promise<ContractComplianceView> {
  let last: ContractComplianceView | null = null;
  for (const now of nows) {
    last = await fromReadModel(h, contractId, now);
    expect({ now: new Date(now).toISOString(), view: last }).toEqual({ now: new Date(now).toISOString(), view: await fromStreams(h, contractId, now) });
  }
  return last!;
}

const rules = (view: ContractComplianceView): string[] => view.findings.map((f) => `${f.recordId ?? '-'}|${f.rule}|${f.status}`);

describe('compliance projection: the read model answers what the streams say', () => {
  let h: Harness;
  const projection = new ComplianceProjection({ chunkSize: 2 });

  async function given(...events: LedgerEvent[]): Promise<void> {
    if (events.length > 0) await h.append(events);
    const projector = await h.catchUp([projection], { batchSize: 3 });
    await projector.stop();
  }

  beforeAll(async () => {
    h = await openHarness('compliance_rows');
    await given(...setup());
  });

  afterAll(async () => {
    await h.close();
  });

  it('a registered contract without records: no records, the contract-level articles judged at query time', async () => {
    const view = await expectSameAsStreams(h, C, at('2026-02-01T00:00'));
    expect(view.records).toEqual({ total: 0, violation: 0, pending: 0, compliant: 0, not_applicable: 0 });
    expect(view.articles['6']!.status).toBe('compliant');
  });

  it('a record event: the record is judged from its whole stream; a late event is placed by occurredAt', async () => {
    await given(collected('R-1', '2026-02-01T09:00'), used('R-1', '2026-02-02T09:00'), collected('R-2', '2026-02-01T09:00', SUBW));
    let view = await expectSameAsStreams(h, C, at('2026-02-03T00:00'));
    expect(view.records).toEqual({ total: 2, violation: 0, pending: 0, compliant: 2, not_applicable: 0 });
    // A use of R-3 arrives before its collection is reported, then the collection, dated earlier.
    await given(used('R-3', '2026-02-05T09:00'));
    view = await expectSameAsStreams(h, C, at('2026-02-06T00:00'));
    expect(rules(view)).toEqual(['R-3|art7.collection-missing|violation']);
    await given(collected('R-3', '2026-02-04T09:00'));
    view = await expectSameAsStreams(h, C, at('2026-02-06T00:00'));
    expect(rules(view)).toEqual([]);
  });

  it('a contract event re-judges the records it can change: a late revocation, a late grant, a subcontractor revoked', async () => {
    await given(used('R-1', '2026-02-10T09:00', W2), copied('R-2', '2026-02-10T09:00'));
    expect(rules(await expectSameAsStreams(h, C, at('2026-02-11T00:00')))).toEqual(['R-2|art9.copy-without-authorization|violation']);
    // Revoked on the 9th, reported only now: W-2's use of R-1 on the 10th was unauthorized.
    await given(contractEvent('WorkerAuthorizationRevoked', '2026-02-09T09:00', { workerId: 'W-2' }));
    // A copy authorization for R-2, granted on the 8th, recorded late.
    await given(contractEvent('AuthorizationGranted', '2026-02-08T09:00', { authorizationId: 'A-R2', kind: 'copy', recordIds: ['R-2'] }));
    expect(rules(await expectSameAsStreams(h, C, at('2026-02-11T00:00')))).toEqual(['R-1|art11.unauthorized-handler|violation']);
    // SUB-1's approval is revoked before SW-1 collected R-2.
    await given(contractEvent('SubcontractApprovalRevoked', '2026-01-20T09:00', { subcontractorId: 'SUB-1' }));
    expect(rules(await expectSameAsStreams(h, C, at('2026-02-11T00:00')))).toEqual([
      'R-1|art11.unauthorized-handler|violation',
      'R-2|art6.subcontractor-not-approved|violation',
    ]);
  });

  it('deadlines that pass turn pending into violation at query time, with no new event', async () => {
    await given(collected('R-4', '2026-03-01T09:00'), started('R-4', '2026-03-01T11:00', 'T-4'));
    // Default transportWithin PT72H: due 2026-03-04T11:00 JST.
    const before = await expectSameAsStreams(h, C, at('2026-03-02T00:00'), at('2026-03-04T11:00'));
    expect(rules(before)).toContain('R-4|art13.transport-overdue|pending');
    expect(before.records.pending).toBe(1);
    const after = await expectSameAsStreams(h, C, at('2026-03-04T11:01'));
    expect(rules(after)).toContain('R-4|art13.transport-overdue|violation');
    expect(after.records.pending).toBe(0);
    expect(after.findings.find((f) => f.recordId === 'R-4')!.message.en).toMatch(/not done$/);
    // An amendment re-judges every record: a longer transportWithin makes it pending again.
    await given(contractEvent('ContractAmended', '2026-02-01T00:00', { policy: { transportWithin: 'P30D' } }));
    expect(rules(await expectSameAsStreams(h, C, at('2026-03-05T00:00')))).toContain('R-4|art13.transport-overdue|pending');
    await given(completed('R-4', '2026-03-05T09:00', 'T-4'));
    expect(rules(await expectSameAsStreams(h, C, at('2026-03-06T00:00')))).not.toContain('R-4|art13.transport-overdue|pending');
  });

  it('disposal instructions, incidents and their reports reach the records they name', async () => {
    await given(
      contractEvent('DisposalInstructed', '2026-03-10T09:00', { recordIds: ['R-1'], dueAt: jst('2026-03-20T17:00') }),
      contractEvent('IncidentDetected', '2026-03-11T09:00', { incidentId: 'I-1', kind: 'loss', affectedRecordIds: ['R-3', 'R-NONE'] }, W1),
    );
    const view = await expectSameAsStreams(h, C, at('2026-03-12T00:00'), at('2026-03-12T09:01'), at('2026-03-21T00:00'));
    expect(rules(view)).toEqual(expect.arrayContaining([
      '-|art15.report-overdue|violation', 'R-1|art14.disposal-overdue|violation', 'R-3|art15.report-overdue|violation',
    ]));
    expect(view.records.total).toBe(4);
    await given(contractEvent('IncidentReported', '2026-03-11T15:00', { incidentId: 'I-1' }, W1), disposed('R-1', '2026-03-15T10:00'));
    const reported = await expectSameAsStreams(h, C, at('2026-03-21T00:00'));
    expect(rules(reported).filter((r) => r.includes('art15') || r.includes('art14'))).toEqual([]);
  });

  it('filters by article, rule and status, and pages with a cursor, the same way from both sources', async () => {
    const now = at('2026-03-21T00:00');
    for (const filter of [{ article: '11' }, { rule: 'art9.copy-without-authorization' }, { status: 'pending' as const }, { status: 'violation' as const }]) {
      expect(await fromReadModel(h, C, now, filter)).toEqual(await fromStreams(h, C, now, filter));
    }
    const all = (await fromStreams(h, C, now)).findings;
    expect(all.length).toBeGreaterThanOrEqual(2);
    const paged: string[] = [];
    let after: string | null = null;
    do {
      const cursor = after === null ? undefined : decodeFindingsCursor(after)!;
      const page: ContractComplianceView = (await readActiveGeneration(h.dataSource, async (q) =>
        contractViewFromReadModel(q, {
          contractId: C, now, history: await history(h, C), readRecord: (r) => h.store.readStream(recordStreamId(C, r)),
          query: { filter: {}, after: cursor, limit: 1 },
        })))!;
      expect(page.findings.length).toBeLessThanOrEqual(1);
      paged.push(...page.findings.map((f) => `${f.recordId}|${f.rule}`));
      after = page.next;
    } while (after !== null);
    expect(paged).toEqual(all.map((f) => `${f.recordId}|${f.rule}`));
  });

  it('events dated after the query instant (up to 5 minutes ahead) are left out of the present, as from the streams', async () => {
    await given(used('R-2', '2026-04-01T10:00', W1, 'other purpose'));
    const view = await expectSameAsStreams(h, C, at('2026-04-01T09:58'), at('2026-04-01T10:00'));
    expect(rules(view)).toContain('R-2|art8.use-outside-purpose|violation');
    await given(contractEvent('IncidentDetected', '2026-04-02T10:00', { incidentId: 'I-2', kind: 'leak', affectedRecordIds: ['R-2'] }, W1));
    await expectSameAsStreams(h, C, at('2026-04-02T09:57'), at('2026-04-03T10:01'));
    await given(contractEvent('ContractAmended', '2026-04-03T10:00', { purposes: ['p', 'other purpose'] }));
    expect(await fromReadModel(h, C, at('2026-04-03T09:58'))).toBeNull();
    // In force from its occurredAt: the use of 1 April stays outside the purposes then in force.
    expect(rules(await expectSameAsStreams(h, C, at('2026-04-03T10:00')))).toContain('R-2|art8.use-outside-purpose|violation');
  });

  it('several contracts in one batch: each record judged against its own contract, counts kept per contract', async () => {
    const D = 'okayama-kaigo-d';
    const E = 'okayama-kaigo-e';
    await given(...setup(D), ...setup(E));
    const inD = (e: LedgerEvent): LedgerEvent => ({ ...e, contractId: D }) as LedgerEvent;
    const inE = (e: LedgerEvent): LedgerEvent => ({ ...e, contractId: E }) as LedgerEvent;
    await given(
      inD(collected('R-1', '2026-05-01T09:00')), inE(collected('R-1', '2026-05-01T09:00')),
      inD(used('R-1', '2026-05-02T09:00', W2)), inE(used('R-1', '2026-05-02T09:00', W2)),
      inE(collected('R-2', '2026-05-01T10:00')),
    );
    // One batch: W-2 revoked in D only (a tag lookup), and E amended (every record of E).
    await given(
      contractEvent('WorkerAuthorizationRevoked', '2026-05-01T12:00', { workerId: 'W-2' }, undefined, D),
      contractEvent('ContractAmended', '2026-04-01T00:00', { purposes: ['q'] }, undefined, E),
      inD(collected('R-3', '2026-05-03T09:00')),
    );
    const now = at('2026-05-04T00:00');
    expect(rules(await expectSameAsStreams(h, D, now))).toEqual(['R-1|art11.unauthorized-handler|violation']);
    const e = await expectSameAsStreams(h, E, now);
    expect(rules(e)).toEqual(['R-1|art7.purpose-outside-contract|violation', 'R-1|art8.use-outside-purpose|violation', 'R-2|art7.purpose-outside-contract|violation']);
    expect(e.records).toEqual({ total: 2, violation: 2, pending: 0, compliant: 0, not_applicable: 0 });
  });

  it('gives the same rows whatever the batch boundaries: a rebuild one event per transaction equals the live tables', async () => {
    const live = await h.active();
    const rebuilt = await rebuildReadModels(h.set([new ComplianceProjection()]), { batchSize: 1 });
    expect(rebuilt.switched).toBe(true);
    expect(await h.dump(COMPLIANCE_TABLES, rebuilt.generation)).toEqual(await h.dump(COMPLIANCE_TABLES, live));
  });
});

describe('compliance projection on the demo contract', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await openHarness('compliance_demo');
  });

  afterAll(async () => {
    await h.close();
  });

  it('finds exactly the planted violations, and a small record cache changes nothing', async () => {
    const demo = demoContract();
    for (let i = 0; i < demo.events.length; i += 100) await h.append(demo.events.slice(i, i + 100));
    const projector = await h.catchUp([new ComplianceProjection({ recordCacheSize: 3, contractCacheSize: 1, readConcurrency: 2 })], { batchSize: 37 });
    await projector.stop();
    const now = Date.parse('2026-11-25T00:00:00Z');
    const view = await expectSameAsStreams(h, demo.contractId, now);
    expect(rules(view).sort()).toEqual(demo.planted.map((p) => `${p.recordId ?? '-'}|${p.rule}|violation`).sort());
    expect(view.records).toEqual({ total: 65, violation: 17, pending: 0, compliant: 48, not_applicable: 0 });
    const live = await h.active();
    const rebuilt = await rebuildReadModels(h.set([new ComplianceProjection()]), { batchSize: 1000 });
    expect(await h.dump(COMPLIANCE_TABLES, rebuilt.generation)).toEqual(await h.dump(COMPLIANCE_TABLES, live));
  });
});
