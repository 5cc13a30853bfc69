import {
  amended,
  article,
  collected,
  contract,
  contractJudgedAt,
  given,
  incidentDetected,
  incidentReported,
  judgedAt,
  met,
  noFinding,
  overdue,
  pending,
  staffed,
  findings,
} from './test-builders.js';

const RULE = 'art15.report-overdue';
const base = [contract(), staffed('W-1'), collected({ at: '2026-04-10T09:00' }), collected({ at: '2026-04-10T09:00', record: 'R-2' })];

describe('Article 15: art15.report-overdue (record)', () => {
  it('is met by a report exactly incidentReportWithin (PT24H) after detection', () => {
    const incident = incidentDetected('I-1', ['R-1'], { at: '2026-04-20T10:00' });
    const report = incidentReported('I-1', { at: '2026-04-21T10:00' });
    given(base, incident, report)
      .when(judgedAt('2026-06-01T00:00'))
      .then(met(RULE, [incident, report], '2026-04-21T10:00'), article('15', 'compliant'));
  });

  it('is violated by a report 1 ms late', () => {
    const incident = incidentDetected('I-1', ['R-1'], { at: '2026-04-20T10:00' });
    const report = incidentReported('I-1', { at: '2026-04-21T10:00:00.001' });
    given(base, incident, report)
      .when(judgedAt('2026-06-01T00:00'))
      .then(overdue(RULE, [incident, report], '2026-04-21T10:00'), article('15', 'violation'));
  });

  it('is pending until due, then violated', () => {
    const incident = incidentDetected('I-1', ['R-1'], { at: '2026-04-20T10:00' });
    const scenario = given(base, incident);
    scenario.when(judgedAt('2026-04-21T10:00')).then(pending(RULE, [incident], '2026-04-21T10:00'), article('15', 'pending'));
    scenario.when(judgedAt('2026-04-21T10:00:00.001')).then(overdue(RULE, [incident], '2026-04-21T10:00'));
  });

  it('is not applicable to a record the incident does not list', () => {
    given(base, incidentDetected('I-1', ['R-2'], { at: '2026-04-20T10:00' }))
      .when(judgedAt('2026-06-01T00:00'))
      .then(noFinding(RULE), article('15', 'not_applicable'));
  });

  it('does not accept a report of another incident', () => {
    const incident = incidentDetected('I-1', ['R-1'], { at: '2026-04-20T10:00' });
    given(base, incident, incidentReported('I-2', { at: '2026-04-20T11:00' }))
      .when(judgedAt('2026-06-01T00:00'))
      .then(overdue(RULE, [incident], '2026-04-21T10:00'));
  });

  it('uses the incidentReportWithin in force at detection, not one amended later', () => {
    const first = incidentDetected('I-1', ['R-1'], { at: '2026-04-20T10:00' });
    const second = incidentDetected('I-2', ['R-1'], { at: '2026-04-25T10:00' });
    given(base, first, amended({ at: '2026-04-22T00:00', policy: { incidentReportWithin: 'PT2H' } }), second)
      .when(judgedAt('2026-04-25T11:00'))
      .then(overdue(RULE, [first], '2026-04-21T10:00'), pending(RULE, [second], '2026-04-25T12:00'), findings(RULE, 2));
  });

  it('reads the contract-level policy of the registration', () => {
    const incident = incidentDetected('I-1', ['R-1'], { at: '2026-04-20T10:00' });
    given(contract({ policy: { incidentReportWithin: 'P3D' } }), staffed('W-1'), collected({ at: '2026-04-10T09:00' }), incident)
      .when(judgedAt('2026-04-22T00:00'))
      .then(pending(RULE, [incident], '2026-04-23T10:00'));
  });

  it('says which incident must be reported by when', () => {
    const outcome = given(base, incidentDetected('I-1', ['R-1'], { at: '2026-04-20T10:00' })).when(judgedAt('2026-04-22T00:00'));
    expect(outcome.finding(RULE).message).toEqual({
      ja: '第15条（事故発生時における報告）違反: 2026-04-20T10:00:00+09:00 に検知した事故 I-1（loss）の甲への報告（IncidentReported）は期限 2026-04-21T10:00:00+09:00 を過ぎても行われていません',
      en: 'Article 15 (Reporting when an incident occurs) violated: the report to the city (IncidentReported) of incident I-1 (loss) detected at 2026-04-20T10:00:00+09:00: due by 2026-04-21T10:00:00+09:00, not done',
    });
    expect(outcome.finding(RULE).recordId).toBe('R-1');
  });
});

describe('Article 15: art15.report-overdue (contract)', () => {
  it('judges every incident, including one that lists no record', () => {
    const listed = incidentDetected('I-1', ['R-1'], { at: '2026-04-20T10:00' });
    const unlisted = incidentDetected('I-2', [], { at: '2026-04-20T12:00' });
    const report = incidentReported('I-1', { at: '2026-04-20T11:00' });
    given(base, listed, unlisted, report)
      .when(contractJudgedAt('2026-04-21T12:00'))
      .then(met(RULE, [listed, report], '2026-04-21T10:00'), pending(RULE, [unlisted], '2026-04-21T12:00'), article('15', 'pending'));
  });

  it('is violated 1 ms after due without a report, and carries no recordId', () => {
    const incident = incidentDetected('I-1', [], { at: '2026-04-20T10:00' });
    const outcome = given(base, incident).when(contractJudgedAt('2026-04-21T10:00:00.001'));
    outcome.then(overdue(RULE, [incident], '2026-04-21T10:00'), article('15', 'violation'));
    expect(outcome.finding(RULE).recordId).toBeUndefined();
  });

  it('does not accept a report made before the detection', () => {
    const incident = incidentDetected('I-1', [], { at: '2026-04-20T10:00' });
    given(base, incidentReported('I-1', { at: '2026-04-20T09:00' }), incident)
      .when(contractJudgedAt('2026-04-22T00:00'))
      .then(overdue(RULE, [incident], '2026-04-21T10:00'));
  });

  it('is not applicable without incidents', () => {
    given(base)
      .when(contractJudgedAt('2026-06-01T00:00'))
      .then(article('15', 'not_applicable'));
  });
});
