import {
  amended,
  article,
  contract,
  contractJudgedAt,
  ended,
  given,
  inspected,
  met,
  ms,
  noFinding,
  overdue,
  pending,
  reportRequested,
  reportSubmitted,
  violation,
  findings,
} from './test-builders.js';
import { inspectionDueAt } from './judge.js';

describe('Article 10: art10.report-overdue', () => {
  const RULE = 'art10.report-overdue';

  it('is met by a report submitted exactly at dueAt', () => {
    const request = reportRequested('RR-1', '2026-05-15T17:00', { at: '2026-05-01T09:00' });
    const report = reportSubmitted('RR-1', { at: '2026-05-15T17:00' });
    given(contract(), request, report)
      .when(contractJudgedAt('2026-06-01T00:00'))
      .then(met(RULE, [request, report], '2026-05-15T17:00'), article('10', 'compliant'));
  });

  it('is violated by a report 1 ms after dueAt', () => {
    const request = reportRequested('RR-1', '2026-05-15T17:00', { at: '2026-05-01T09:00' });
    const report = reportSubmitted('RR-1', { at: '2026-05-15T17:00:00.001' });
    given(contract(), request, report)
      .when(contractJudgedAt('2026-06-01T00:00'))
      .then(overdue(RULE, [request, report], '2026-05-15T17:00'), article('10', 'violation'));
  });

  it('is pending until dueAt, then violated', () => {
    const request = reportRequested('RR-1', '2026-05-15T17:00', { at: '2026-05-01T09:00' });
    const scenario = given(contract(), request);
    scenario.when(contractJudgedAt('2026-05-15T17:00')).then(pending(RULE, [request], '2026-05-15T17:00'), article('10', 'pending'));
    scenario.when(contractJudgedAt('2026-05-15T17:00:00.001')).then(overdue(RULE, [request], '2026-05-15T17:00'));
  });

  it('matches the submission by requestId', () => {
    const request = reportRequested('RR-1', '2026-05-15T17:00', { at: '2026-05-01T09:00' });
    given(contract(), request, reportSubmitted('RR-2', { at: '2026-05-02T09:00' }))
      .when(contractJudgedAt('2026-06-01T00:00'))
      .then(overdue(RULE, [request], '2026-05-15T17:00'));
  });
});

describe('Article 10: art10.inspection-overdue', () => {
  const RULE = 'art10.inspection-overdue';
  // Term 2026-04-01 … 2027-03-31T23:59; inspectionEvery P1Y by default.

  it('is met by an inspection within a year of the term\'s start', () => {
    given(contract(), inspected('IN-1', { at: '2026-10-01T10:00' }))
      .when(contractJudgedAt('2027-03-01T00:00'))
      .then(noFinding(RULE), article('10', 'compliant'));
  });

  it('is violated while the term runs once more than inspectionEvery passed since its start with no inspection', () => {
    const registration = contract({ term: { start: '2026-04-01T00:00', end: '2028-03-31T23:59' } });
    const scenario = given(registration);
    scenario.when(contractJudgedAt('2027-04-01T00:00')).then(noFinding(RULE), article('10', 'compliant'));
    scenario.when(contractJudgedAt('2027-04-01T00:00:00.001')).then(violation(RULE, [registration]), article('10', 'violation'));
  });

  it('accepts an inspection exactly inspectionEvery after the last one, not 1 ms later', () => {
    const term = { start: '2026-04-01T00:00', end: '2029-03-31T23:59' };
    const onTime = inspected('IN-1', { at: '2027-04-01T00:00' });
    given(contract({ term }), onTime, inspected('IN-2', { at: '2028-04-01T00:00' }))
      .when(contractJudgedAt('2028-06-01T00:00'))
      .then(noFinding(RULE));
    const first = inspected('IN-1', { at: '2026-06-01T00:00' });
    const late = inspected('IN-2', { at: '2027-06-01T00:00:00.001' });
    given(contract({ term }), first, late)
      .when(contractJudgedAt('2027-07-01T00:00'))
      .then(violation(RULE, [first, late]), findings(RULE, 1));
  });

  it('still reports an interval that was exceeded and later closed by an inspection', () => {
    const registration = contract({ term: { start: '2026-04-01T00:00', end: '2028-03-31T23:59' } });
    const late = inspected('IN-1', { at: '2027-05-01T00:00' });
    given(registration, late)
      .when(contractJudgedAt('2027-06-01T00:00'))
      .then(violation(RULE, [registration, late]), findings(RULE, 1));
  });

  it('does not count the time after the term ended', () => {
    given(contract({ term: { start: '2026-04-01T00:00', end: '2027-03-31T23:59' } }))
      .when(contractJudgedAt('2027-06-01T00:00'))
      .then(noFinding(RULE));
  });

  it('stops the term at ContractEnded', () => {
    given(contract({ term: { start: '2026-04-01T00:00', end: '2028-03-31T23:59' } }), ended({ at: '2027-03-01T00:00' }))
      .when(contractJudgedAt('2027-06-01T00:00'))
      .then(noFinding(RULE));
  });

  it('uses inspectionEvery as amended, in force at the start of each interval', () => {
    const registration = contract({ term: { start: '2026-04-01T00:00', end: '2028-03-31T23:59' } });
    given(registration, amended({ at: '2026-03-20T00:00', policy: { inspectionEvery: 'P6M' } }))
      .when(contractJudgedAt('2026-10-01T00:00:00.001'))
      .then(violation(RULE, [registration]));
  });

  it('is not applicable before the term starts and without events', () => {
    given(contract({ term: { start: '2026-04-01T00:00', end: '2027-03-31T23:59' } }))
      .when(contractJudgedAt('2026-03-20T00:00'))
      .then(article('10', 'not_applicable'));
  });

  it('tells a read model when the violation will start without any new event', () => {
    const scenario = given(contract({ term: { start: '2026-04-01T00:00', end: '2028-03-31T23:59' } }), inspected('IN-1', { at: '2026-09-01T00:00' }));
    const history = scenario.history();
    expect(inspectionDueAt(history, { asOf: ms('2026-10-01T00:00'), knownAt: ms('2026-10-01T00:00') })).toBe('2027-08-31T15:00:00.000Z');
    expect(inspectionDueAt(history, { asOf: ms('2027-09-01T00:00'), knownAt: ms('2027-09-01T00:00') })).toBe('2027-08-31T15:00:00.000Z');
    expect(inspectionDueAt(history, { asOf: ms('2027-09-01T00:00:00.001'), knownAt: ms('2027-09-01T00:00') })).toBeNull();
  });

  it('has no next inspection due when the term ends first', () => {
    const history = given(contract({ term: { start: '2026-04-01T00:00', end: '2027-03-31T23:59' } })).history();
    expect(inspectionDueAt(history, { asOf: ms('2026-10-01T00:00'), knownAt: ms('2026-10-01T00:00') })).toBeNull();
  });
});
