import { ContractHistory } from '@ledger/handling';
import { isoInZone } from '@ledger/domain';
import { judgeContract, judgeRecord } from './judge.js';
import { allFindings, CONTRACT_ID, ms, overdue, scaleScenario, violation, type Expectation } from './test-builders.js';

describe('a record judged against a 10,000-event contract history', () => {
  const scenario = scaleScenario(10_000);
  const contractEvents = scenario.events.filter((e) => e.event.recordId === undefined);
  const recordEvents = scenario.events.filter((e) => e.event.recordId === scenario.recordId);
  const cut = { asOf: ms('2027-06-01T00:00'), knownAt: ms('2027-06-01T00:00') };
  const history = ContractHistory.of(CONTRACT_ID, contractEvents);
  const verdict = judgeRecord(history, scenario.recordId, recordEvents, cut);

  it('has the sizes it claims', () => {
    expect(contractEvents).toHaveLength(10_000);
    expect(recordEvents).toHaveLength(45);
  });

  it('finds what the record did wrong', () => {
    const { useByDeparted, departure, copyAfterExpiry, incident, lateReport, instruction } = scenario.marks;
    const expectations: Expectation[] = [
      violation('art11.unauthorized-handler', [useByDeparted, departure]),
      violation('art9.copy-without-authorization', [copyAfterExpiry]),
      overdue('art15.report-overdue', [incident, lateReport], isoInZone(ms('2026-03-01T00:00') + (160_000 + 1_440) * 60_000)),
    ];
    for (const expectation of expectations) expectation(verdict);
    expect(allFindings(verdict).filter((f) => f.rule === 'art8.provision-without-authorization')).toHaveLength(4);
    expect(allFindings(verdict).find((f) => f.rule === 'art14.disposal-overdue')?.eventIds[0]).toBe(instruction.event.eventId);
    expect(verdict.status).toBe('violation');
  });

  it('gives the same verdict as a history holding only the events that bear on the record', () => {
    const relevant = contractEvents.filter((e) => scenario.relevantContractEventIds.has(e.event.eventId));
    expect(relevant.length).toBeLessThan(40);
    const small = ContractHistory.of(CONTRACT_ID, relevant);
    expect(JSON.stringify(judgeRecord(small, scenario.recordId, recordEvents, cut))).toBe(JSON.stringify(verdict));
  });

  it('judges the contract as a whole over the same history', () => {
    const contractVerdict = judgeContract(history, cut);
    expect(contractVerdict.articles['15']!.findings.length).toBeGreaterThan(500);
    expect(contractVerdict.articles['11']!.status).not.toBe('not_applicable');
  });
});
