import { judgeContract, judgeRecord, RULES, type RecordFacts, type RecordVerdict } from '@ledger/compliance';
import { contractStreamId, instant, isRecordEvent, recordStreamId, type LedgerEvent, type RecordedEvent } from '@ledger/domain';
import { ContractHistory } from '@ledger/handling';
import { parseEvents } from '@ledger/wire';
import { demoContract, type DemoContract } from './demo-contract.js';

const NOW = Date.parse('2026-11-25T00:00:00Z');

/** The demo's events as the ledger would record them: positions in posting order, recorded at `recordedAt`. */
function recorded(events: readonly LedgerEvent[], recordedAt = '2026-11-01T00:00:00.000Z'): RecordedEvent[] {
  return events.map((event, i) => ({
    event,
    streamId: isRecordEvent(event) ? recordStreamId(event.contractId, event.recordId) : contractStreamId(event.contractId),
    streamVersion: 0,
    position: i + 1,
    recordedAt,
    prevHash: null,
    hash: '0'.repeat(64),
  }));
}

interface Judgement {
  /** Every violation and pending finding, as `recordId|rule|party|status` ('-' for the contract), sorted. */
  findings: string[];
  records: Map<string, RecordVerdict>;
  cityStatus: string;
  status: string;
}

/** The whole demo judged by the pure rulebook at asOf: contract-level (both parties) and every record. */
function judge(events: readonly LedgerEvent[], contractId: string, asOf: number): Judgement {
  const all = recorded(events);
  const history = ContractHistory.of(contractId, all.filter((e) => !isRecordEvent(e.event)));
  const byRecord = new Map<string, RecordedEvent[]>();
  for (const e of all) if (isRecordEvent(e.event)) byRecord.set(e.event.recordId, [...(byRecord.get(e.event.recordId) ?? []), e]);
  // What the APPI Art. 68 rules read of the records an incident lists: their collections.
  const facts: RecordFacts = {
    collectionsAt: (recordId, t) => {
      const found = (byRecord.get(recordId) ?? [])
        .map((e) => e.event)
        .filter((e) => e.type === 'RecordCollected' && instant(e.occurredAt) <= t)
        .map((e) => ({ categories: (e.data as { dataCategories: string[] }).dataCategories, personCount: (e.data as { personCount?: number }).personCount ?? null }));
      return found.length > 0 ? found : null;
    },
  };
  const cut = { asOf, knownAt: NOW };
  const out: string[] = [];
  const contract = judgeContract(history, cut, facts);
  for (const article of Object.values(contract.articles)) {
    for (const f of article.findings) if (f.status !== 'compliant') out.push(`-|${f.rule}|${f.party}|${f.status}`);
  }
  for (const f of contract.city.findings) if (f.status !== 'compliant') out.push(`-|${f.rule}|${f.party}|${f.status}`);
  const records = new Map<string, RecordVerdict>();
  let status = contract.status;
  for (const [recordId, stream] of byRecord) {
    const verdict = judgeRecord(history, recordId, stream, cut);
    records.set(recordId, verdict);
    if (verdict.status === 'violation') status = 'violation';
    for (const article of Object.values(verdict.articles)) {
      for (const f of article.findings) if (f.status !== 'compliant') out.push(`${recordId}|${f.rule}|${f.party}|${f.status}`);
    }
  }
  return { findings: out.sort(), records, cityStatus: contract.city.status, status };
}

const expected = (demo: DemoContract): string[] => demo.planted.map((p) => `${p.recordId ?? '-'}|${p.rule}|${p.party}|violation`).sort();

describe('the demo contract', () => {
  const demo = demoContract();

  it('is accepted by the wire contract, in occurredAt order, with no business time after the present', () => {
    expect(() => parseEvents(demo.events, NOW)).not.toThrow();
    const times = demo.events.map((e) => instant(e.occurredAt));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(Math.max(...times)).toBeLessThan(NOW);
    expect(demo.events[0]!.type).toBe('ContractRegistered');
    expect(new Set(demo.events.map((e) => e.eventId)).size).toBe(demo.events.length);
  });

  it('breaks exactly the planted rules, with the planted party, on the planted records — today and years later', () => {
    expect(judge(demo.events, demo.contractId, NOW).findings).toEqual(expected(demo));
    expect(judge(demo.events, demo.contractId, Date.parse('2031-01-01T00:00:00Z')).findings).toEqual(expected(demo));
  });

  it('plants at least one violation of every rule of the rulebook, each with the party the rule names', () => {
    expect([...new Set(demo.planted.map((p) => p.rule))].sort()).toEqual([...new Set(RULES.map((r) => r.id))].sort());
    for (const p of demo.planted) {
      const rule = RULES.find((r) => r.id === p.rule && r.scope === (p.recordId === null ? 'contract' : 'record'))!;
      expect({ rule: p.rule, article: p.article, party: p.party }).toEqual({ rule: p.rule, article: rule.article, party: rule.party === 'actor' ? p.party : rule.party });
    }
    expect(demo.planted.filter((p) => p.party === 'city').map((p) => p.rule).sort()).toEqual([
      'appi68.final-report-overdue', 'appi68.persons-not-notified', 'appi68.preliminary-report-overdue',
      'art10.inspection-overdue', 'art6.approval-without-request',
    ]);
    expect(demo.recordIds).toHaveLength(48 + 28);
  });

  it('plants a disposal duty of each cause: an instruction, the end of the term, and no longer needed — and a wrong action', () => {
    const opening = (recordId: string) => demo.events.filter((e) => 'recordId' in e && e.recordId === recordId).map((e) => e.type);
    expect(opening('R-000125')).toContain('RecordNoLongerNeeded');
    const instructions = demo.events.filter((e) => e.type === 'DisposalInstructed').map((e) => e.data as { recordIds?: string[]; action?: string });
    expect(instructions).toContainEqual(expect.objectContaining({ recordIds: ['R-000126'], action: 'return' }));
  });

  it('keeps the city\'s omissions out of the contractor\'s status and judges every compliant case compliant', () => {
    const { records, cityStatus } = judge(demo.events, demo.contractId, NOW);
    expect(cityStatus).toBe('violation');
    for (const c of demo.compliant) {
      const verdict = records.get(c.recordId!)!;
      const article = verdict.articles[c.article]!;
      expect({ case: c.what, status: article.status }).toEqual({ case: c.what, status: 'compliant' });
      expect(article.findings.filter((f) => f.rule === c.rule && f.status !== 'compliant')).toEqual([]);
    }
    // Clean records are clean: every article compliant or not judged.
    const planted = new Set(demo.planted.map((p) => p.recordId));
    for (const [recordId, verdict] of records) if (!planted.has(recordId)) expect({ recordId, status: verdict.status }).toEqual({ recordId, status: 'compliant' });
  });

  it('shows the delayed transport as pending before its expected arrival and overdue after it', () => {
    const { recordId, rule, pendingAsOf, overdueAsOf } = demo.pendingExample;
    expect(judge(demo.events, demo.contractId, instant(pendingAsOf)).findings).toContain(`${recordId}|${rule}|contractor|pending`);
    expect(judge(demo.events, demo.contractId, instant(overdueAsOf)).findings).toContain(`${recordId}|${rule}|contractor|violation`);
  });

  it('is the same on every run; another contract ID or seed gives other eventIds', () => {
    expect(demoContract()).toEqual(demo);
    expect(demoContract({ contractId: 'okayama-kaigo-demo-2' }).events[0]!.eventId).not.toBe(demo.events[0]!.eventId);
    const big = demoContract({ contractId: 'big', cleanRecords: 500, seed: 7 });
    expect(big.recordIds).toHaveLength(528);
    expect(judge(big.events, 'big', NOW).findings).toEqual(expected(big));
  });
});
