import { ContractHistory, judgeContract, judgeRecord } from '@ledger/compliance';
import { contractStreamId, instant, isRecordEvent, recordStreamId, type LedgerEvent, type RecordedEvent } from '@ledger/domain';
import { parseEvents } from '@ledger/wire';
import { demoContract } from './demo-contract.js';

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

/** Every violation and pending finding of the demo at asOf, as `recordId|rule|status` ('-' for the contract). */
function findings(events: readonly LedgerEvent[], contractId: string, asOf: number): string[] {
  const all = recorded(events);
  const history = ContractHistory.of(contractId, all.filter((e) => !isRecordEvent(e.event)));
  const byRecord = new Map<string, RecordedEvent[]>();
  for (const e of all) if (isRecordEvent(e.event)) byRecord.set(e.event.recordId, [...(byRecord.get(e.event.recordId) ?? []), e]);
  const cut = { asOf, knownAt: NOW };
  const out: string[] = [];
  for (const article of Object.values(judgeContract(history, cut).articles)) {
    for (const f of article.findings) if (f.status !== 'compliant') out.push(`-|${f.rule}|${f.status}`);
  }
  for (const [recordId, stream] of byRecord) {
    for (const article of Object.values(judgeRecord(history, recordId, stream, cut).articles)) {
      for (const f of article.findings) if (f.status !== 'compliant') out.push(`${recordId}|${f.rule}|${f.status}`);
    }
  }
  return out.sort();
}

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

  it('breaks exactly the planted rules, each once, on the planted records — today and years later', () => {
    const expected = demo.planted.map((p) => `${p.recordId ?? '-'}|${p.rule}|violation`).sort();
    expect(findings(demo.events, demo.contractId, NOW)).toEqual(expected);
    expect(findings(demo.events, demo.contractId, Date.parse('2031-01-01T00:00:00Z'))).toEqual(expected);
  });

  it('plants at least one violation of every rule a city auditor looks for', () => {
    const rules = new Set(demo.planted.map((p) => p.rule));
    for (const rule of [
      'art9.copy-without-authorization', 'art14.disposal-not-witnessed', 'art13.insufficient-safeguards', 'art13.transport-overdue',
      'art15.report-overdue', 'art4.worker-not-briefed', 'art17.worker-not-briefed', 'art11.unauthorized-handler',
      'art6.subcontractor-not-approved', 'art7.purpose-outside-contract', 'art18.my-number-without-memorandum',
      'art14.disposal-overdue', 'art10.report-overdue', 'art11.pledge-missing', 'art6.approval-without-request',
      'art10.inspection-overdue', 'art12.consultation-overdue', 'art8.use-outside-purpose', 'art8.provision-without-authorization',
    ]) expect(rules).toContain(rule);
    expect(demo.recordIds).toHaveLength(48 + 17);
  });

  it('shows the delayed transport as pending before its expected arrival and overdue after it', () => {
    const { recordId, rule, pendingAsOf, overdueAsOf } = demo.pendingExample;
    expect(findings(demo.events, demo.contractId, instant(pendingAsOf))).toContain(`${recordId}|${rule}|pending`);
    expect(findings(demo.events, demo.contractId, instant(overdueAsOf))).toContain(`${recordId}|${rule}|violation`);
  });

  it('is the same on every run; another contract ID or seed gives other eventIds', () => {
    expect(demoContract()).toEqual(demo);
    expect(demoContract({ contractId: 'okayama-kaigo-demo-2' }).events[0]!.eventId).not.toBe(demo.events[0]!.eventId);
    const big = demoContract({ contractId: 'big', cleanRecords: 500, seed: 7 });
    expect(big.recordIds).toHaveLength(517);
    expect(findings(big.events, 'big', NOW)).toEqual(big.planted.map((p) => `${p.recordId ?? '-'}|${p.rule}|violation`).sort());
  });
});
