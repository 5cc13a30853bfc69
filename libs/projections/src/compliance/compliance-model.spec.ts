import { ContractHistory, judgeRecord } from '@ledger/compliance';
import { instant, isRecordEvent, type ContractEvent, type LedgerEvent, type RecordedEvent } from '@ledger/domain';
import { demoContract } from '../../../../test/generators/demo-contract.js';
import {
  C, collected, contractEvent, copied, disposed, jst, recordEvent, recorded, setup, started, SUBW, used, W1, W2,
} from '../testing/compliance-events.js';
import {
  affectedBy,
  compareItems,
  decodeFindingsCursor,
  encodeFindingsCursor,
  FAR,
  recordRowOf,
  recordStatusAt,
  recordTags,
  storedItem,
  verdictItems,
} from './compliance-model.js';

function split(all: readonly RecordedEvent[], contractId: string): { history: ContractHistory; records: Map<string, RecordedEvent[]> } {
  const history = ContractHistory.of(contractId, all.filter((e) => !isRecordEvent(e.event) && e.event.contractId === contractId));
  const records = new Map<string, RecordedEvent[]>();
  for (const e of all) {
    if (isRecordEvent(e.event) && e.event.contractId === contractId) records.set(e.event.recordId, [...(records.get(e.event.recordId) ?? []), e]);
  }
  return { history, records };
}

/** The read model's row read at `now` says what the rulebook says at asOf = now (every event at or before now). */
function expectRowAgreesWithVerdict(history: ContractHistory, recordId: string, events: readonly RecordedEvent[], now: number): void {
  const row = recordRowOf(history, recordId, events)!;
  const verdict = judgeRecord(history, recordId, events, { asOf: now, knownAt: FAR });
  expect({ recordId, now: new Date(now).toISOString(), items: row.findings.map((f) => storedItem(recordId, f, now)) })
    .toEqual({ recordId, now: new Date(now).toISOString(), items: verdictItems(verdict, recordId) });
  expect({ recordId, status: recordStatusAt(row.baseStatus, row.nextDueAt, now) }).toEqual({ recordId, status: verdict.status });
}

describe('compliance read model: a stored row read at any later instant equals the verdict at that instant', () => {
  const events: LedgerEvent[] = [
    ...setup(),
    collected('R-1', '2026-02-01T09:00'),
    copied('R-1', '2026-02-02T09:00'),
    started('R-1', '2026-02-03T10:00', 'T-1', '2026-02-03T18:00'),
    contractEvent('IncidentDetected', '2026-02-04T09:00', { incidentId: 'I-1', kind: 'loss', affectedRecordIds: ['R-1'] }, W1),
    contractEvent('DisposalInstructed', '2026-02-05T09:00', { recordIds: ['R-1'], dueAt: jst('2026-03-01T17:00') }),
    disposed('R-1', '2026-02-05T10:00', false, 'C-1'),
  ];
  const { history, records } = split(recorded(events), C);
  const r1 = records.get('R-1')!;

  it('keeps open obligations with their due time and both messages, and fixed violations as they are', () => {
    const row = recordRowOf(history, 'R-1', r1)!;
    expect(row.baseStatus).toBe('violation');
    expect(row.nextDueAt).toBe(instant(jst('2026-02-03T18:00')));
    const open = row.findings.filter((f) => f.open).map((f) => [f.rule, new Date(f.dueAt!).toISOString()]);
    expect(open).toEqual([
      ['art13.transport-overdue', '2026-02-03T09:00:00.000Z'],
      ['art14.disposal-overdue', '2026-03-01T08:00:00.000Z'],
      ['art15.report-overdue', '2026-02-05T00:00:00.000Z'],
    ]);
    const transport = row.findings.find((f) => f.rule === 'art13.transport-overdue')!;
    expect(transport.message.en).toContain('not done');
    expect(transport.message.en).not.toContain('not done yet');
    expect(transport.pendingMessage!.en).toContain('not done yet');
    expect(row.findings.filter((f) => !f.open).map((f) => f.rule)).toEqual(['art9.copy-without-authorization', 'art14.disposal-not-witnessed']);
  });

  // From the last event on: the disposal instruction is pending up to its due time (included), then a violation.
  it.each(['2026-02-05T10:00', '2026-02-20T00:00', '2026-03-01T16:59', '2026-03-01T17:00', '2026-03-01T17:00:01+09:00', '2027-01-01T00:00'])('at %s', (t) => {
    expectRowAgreesWithVerdict(history, 'R-1', r1, instant(jst(t)));
  });

  it('agrees on a record with only pending obligations: pending until the earliest due time, then a violation', () => {
    const pendingOnly = split(recorded([...setup(), collected('R-2', '2026-02-01T09:00'), started('R-2', '2026-02-01T10:00', 'T-2')]), C);
    const stream = pendingOnly.records.get('R-2')!;
    const row = recordRowOf(pendingOnly.history, 'R-2', stream)!;
    expect([row.baseStatus, new Date(row.nextDueAt!).toISOString()]).toEqual(['pending', '2026-02-04T01:00:00.000Z']);
    for (const t of ['2026-02-01T10:00', '2026-02-04T10:00', '2026-02-04T10:01']) expectRowAgreesWithVerdict(pendingOnly.history, 'R-2', stream, instant(jst(t)));
  });

  it('agrees on every record of the demo contract, today and in ten years', () => {
    const demo = demoContract();
    const { history: demoHistory, records: demoRecords } = split(recorded(demo.events), demo.contractId);
    for (const [recordId, stream] of demoRecords) {
      for (const now of [Date.parse('2026-11-25T00:00:00Z'), Date.parse('2036-11-25T00:00:00Z')]) {
        expectRowAgreesWithVerdict(demoHistory, recordId, stream, now);
      }
    }
  });

  it('has no row for a record without events', () => {
    expect(recordRowOf(history, 'R-NONE', [])).toBeNull();
  });
});

describe('which records a contract event can change', () => {
  const base = setup();
  const grantFor = contractEvent('AuthorizationGranted', '2026-02-01T09:00', { authorizationId: 'A-1', kind: 'copy', recordIds: ['R-1', 'R-2'] });
  const grantWide = contractEvent('AuthorizationGranted', '2026-02-01T09:00', { authorizationId: 'A-2', kind: 'copy', dataCategories: ['c'] });
  const incident = contractEvent('IncidentDetected', '2026-02-04T09:00', { incidentId: 'I-1', kind: 'loss', affectedRecordIds: ['R-3'] }, W1);
  const again = contractEvent('IncidentDetected', '2026-02-05T09:00', { incidentId: 'I-1', kind: 'loss', affectedRecordIds: ['R-4'] }, W1);
  const history = ContractHistory.of(C, recorded([...base, grantFor, grantWide, incident, again]));
  const affected = (event: LedgerEvent) => affectedBy(event as ContractEvent, history);

  it.each([
    ['ContractAmended', { policy: { disposalWithin: 'P7D' } }, { all: true }],
    ['ContractEnded', { reason: 'expired' }, { all: true }],
    ['DisposalInstructed', {}, { all: true }],
    ['DisposalInstructed', { recordIds: ['R-9'] }, { all: false, recordIds: ['R-9'], tags: [] }],
    ['WorkerAuthorizationRevoked', { workerId: 'W-1' }, { all: false, recordIds: [], tags: ['w:W-1'] }],
    ['WorkerDeparted', { workerId: 'W-2' }, { all: false, recordIds: [], tags: ['w:W-2'] }],
    ['WorkerBriefed', { workerId: 'W-2', topics: ['penalties'] }, { all: false, recordIds: [], tags: ['w:W-2'] }],
    ['SubcontractApprovalRevoked', { subcontractorId: 'SUB-1' }, { all: false, recordIds: [], tags: ['s:SUB-1'] }],
    ['MyNumberMemorandumConcluded', { reference: 'M-1' }, { all: false, recordIds: [], tags: ['m'] }],
    ['AuthorizationRevoked', { authorizationId: 'A-1' }, { all: false, recordIds: ['R-1', 'R-2'], tags: [] }],
    ['AuthorizationRevoked', { authorizationId: 'A-2' }, { all: true }],
    ['AuthorizationRevoked', { authorizationId: 'A-unknown' }, { all: false, recordIds: [], tags: [] }],
    ['IncidentReported', { incidentId: 'I-1' }, { all: false, recordIds: ['R-3', 'R-4'], tags: [] }],
    ['ReportRequested', { requestId: 'REP-1', dueAt: jst('2026-03-01T00:00') }, { all: false, recordIds: [], tags: [] }],
    ['InspectionConducted', { inspectionId: 'I-1', outcome: 'satisfactory' }, { all: false, recordIds: [], tags: [] }],
    ['WorkerPledgeSubmitted', { workerId: 'W-1' }, { all: false, recordIds: [], tags: [] }],
  ] as const)('%s %j', (type, data, expected) => {
    expect(affected(contractEvent(type, '2026-03-01T09:00', data as Record<string, unknown>))).toEqual(expected);
  });

  it('tags a record with the workers and subcontractors who acted on it, and My Number', () => {
    const stream = recorded([
      collected('R-1', '2026-02-01T09:00', SUBW, { containsMyNumber: true }),
      used('R-1', '2026-02-02T09:00', W2),
      recordEvent('TransportCompleted', 'R-1', '2026-02-03T09:00', { transportId: 'T-9', receivedBy: 'S-010' }, { org: 'city', workerId: 'S-010' }),
    ]);
    expect(recordTags(stream)).toEqual(['m', 's:SUB-1', 'w:SW-1', 'w:W-2']);
  });
});

describe('the contract view order and cursor', () => {
  it('lists contract-level findings first, then records in code-unit order, then by place in the verdict', () => {
    const items = [{ recordId: 'R-b', seq: 0 }, { recordId: null, seq: 3 }, { recordId: 'R-a', seq: 2 }, { recordId: 'R-a', seq: 1 }, { recordId: 'R-B', seq: 9 }];
    expect([...items].sort(compareItems)).toEqual([
      { recordId: null, seq: 3 }, { recordId: 'R-B', seq: 9 }, { recordId: 'R-a', seq: 1 }, { recordId: 'R-a', seq: 2 }, { recordId: 'R-b', seq: 0 },
    ]);
  });

  it('round-trips a cursor and refuses anything else', () => {
    expect(decodeFindingsCursor(encodeFindingsCursor({ recordId: 'R-000101', seq: 4 }))).toEqual({ recordId: 'R-000101', seq: 4 });
    expect(decodeFindingsCursor(encodeFindingsCursor({ recordId: null, seq: 0 }))).toEqual({ recordId: '', seq: 0 });
    for (const bad of ['', 'xyz', Buffer.from('[1,2]').toString('base64url'), Buffer.from('["R",-1]').toString('base64url'), Buffer.from('{"a":1}').toString('base64url')]) {
      expect(decodeFindingsCursor(bad)).toBeNull();
    }
  });
});
