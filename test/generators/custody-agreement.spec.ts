import { recordEntries, RecordFold, type Judged } from '@ledger/compliance';
import { instant, isRecordEvent, type LedgerEvent, type RecordedEvent } from '@ledger/domain';
import { ContractHistory, custodyView, type CustodyView } from '@ledger/handling';
import { record } from '../../libs/handling/src/testing/builders.js';
import { generateHistory } from './care-insurance-history.js';
import { demoContract } from './demo-contract.js';

/**
 * Custody's "overdue" and the rulebook's Art. 13 and 14 verdicts are read from one holdings fold
 * (libs/handling/src/holdings.ts). This holds them equal on whole histories, at many moments: a
 * change to either side that lets them drift fails here.
 */

interface Agreement {
  /** Transports in transit past their due time, by transportId. */
  transports: string[];
  /** Whether some holding is held past the due time of a disposal duty. */
  disposal: boolean;
}

/** What custody answers at asOf. */
function custodySays(view: CustodyView): Agreement {
  return {
    transports: view.holdings.flatMap((h) => (h.overdueReasons.includes('transport') ? [h.transport!.transportId] : [])).sort(),
    disposal: view.holdings.some((h) => h.overdueReasons.includes('disposal')),
  };
}

/** What the rulebook finds at asOf: Art. 13/14 obligations still open and overdue. */
function rulebookSays(findings: readonly Judged[], transportOf: ReadonlyMap<string, string>): Agreement {
  const openOverdue = (rule: string): Judged[] => findings.filter((f) => f.rule === rule && f.open !== undefined && f.status === 'violation');
  return {
    transports: openOverdue('art13.transport-overdue').map((f) => transportOf.get(f.events[0]!.id)!).sort(),
    disposal: openOverdue('art14.disposal-overdue').length > 0,
  };
}

interface Checked {
  judgements: number;
  transportsOverdue: number;
  disposalOverdue: number;
}

/** Judges every record of every contract at each asOf and compares both answers. */
function checkAgreement(events: readonly LedgerEvent[], moments: readonly number[]): Checked {
  const recorded = record(events.map((event) => ({ event })));
  const transportOf = new Map<string, string>();
  const contracts = new Map<string, { contract: RecordedEvent[]; records: Map<string, RecordedEvent[]> }>();
  for (const r of recorded) {
    const e = r.event;
    const entry = contracts.get(e.contractId) ?? { contract: [] as RecordedEvent[], records: new Map<string, RecordedEvent[]>() };
    contracts.set(e.contractId, entry);
    if (!isRecordEvent(e)) {
      entry.contract.push(r);
      continue;
    }
    entry.records.set(e.recordId, [...(entry.records.get(e.recordId) ?? []), r]);
    if (e.type === 'TransportStarted') transportOf.set(e.eventId, e.data.transportId);
  }
  const checked: Checked = { judgements: 0, transportsOverdue: 0, disposalOverdue: 0 };
  for (const [contractId, { contract, records }] of contracts) {
    const history = ContractHistory.of(contractId, contract);
    const judge = (recordId: string, stream: readonly RecordedEvent[], asOf: number) => {
      const cut = { asOf, knownAt: Number.MAX_SAFE_INTEGER };
      const findings: Judged[] = [];
      const fold = new RecordFold(history.view(cut), recordId, undefined, (f) => findings.push(f));
      for (const entry of recordEntries(contractId, recordId, stream, cut)) fold.fold(entry);
      const result = fold.finish(asOf);
      findings.push(...result.atFinish);
      return { findings, handling: result.handling };
    };
    // The edges: 1 ms either side of every Art. 13/14 due time the last moment's judgement names.
    const edges = new Set<number>();
    for (const [recordId, stream] of records) {
      for (const f of judge(recordId, stream, moments.at(-1)!).findings) {
        if ((f.rule === 'art13.transport-overdue' || f.rule === 'art14.disposal-overdue') && f.due !== undefined) [f.due - 1, f.due, f.due + 1].forEach((t) => edges.add(t));
      }
    }
    for (const asOf of [...moments, ...[...edges].sort((a, b) => a - b)]) {
      for (const [recordId, stream] of records) {
        const { findings, handling } = judge(recordId, stream, asOf);
        const custody = custodySays(custodyView(handling, asOf));
        const rulebook = rulebookSays(findings, transportOf);
        if (JSON.stringify(custody) !== JSON.stringify(rulebook)) {
          throw new Error(`${contractId}/${recordId} at ${new Date(asOf).toISOString()}: custody ${JSON.stringify(custody)}, rulebook ${JSON.stringify(rulebook)}`);
        }
        checked.judgements += 1;
        checked.transportsOverdue += custody.transports.length;
        if (custody.disposal) checked.disposalOverdue += 1;
      }
    }
  }
  return checked;
}

/** Evenly spread moments from the first event to three months after the last. */
function momentsOver(events: readonly LedgerEvent[], count: number): number[] {
  const times = events.map((e) => instant(e.occurredAt));
  const first = Math.min(...times);
  const last = Math.max(...times) + 90 * 86_400_000;
  return Array.from({ length: count }, (_, i) => first + Math.floor(((last - first) * i) / (count - 1)));
}

describe("custody's overdue agrees with the rulebook's Art. 13 and 14 on whole histories", () => {
  it('on the demo contract, at 40 moments from its first event to three months after its last, and 1 ms either side of every due time', () => {
    const demo = demoContract();
    const checked = checkAgreement(demo.events, momentsOver(demo.events, 40));
    expect(checked.judgements).toBeGreaterThan(40 * demo.recordIds.length);
    // The demo plants overdue transports and disposals: the comparison met both kinds.
    expect(checked.transportsOverdue).toBeGreaterThan(0);
    expect(checked.disposalOverdue).toBeGreaterThan(0);
  });

  it('on generated histories with violations (three seeds), at 25 moments each and at the edges of every due time', () => {
    for (const seed of [11, 12, 13]) {
      const events = [...generateHistory({ seed, contracts: 2, recordsPerContract: 40, violationRate: 0.3 })].flat();
      const checked = checkAgreement(events, momentsOver(events, 25));
      expect(checked.judgements).toBeGreaterThan(25 * 80);
      expect(checked.transportsOverdue + checked.disposalOverdue).toBeGreaterThan(0);
    }
  });
});
