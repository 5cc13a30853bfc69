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
  CITY,
  copied,
  overall,
  party,
  transportStarted,
  transportCompleted,
  disposalInstructed,
  disposed,
  used,
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

  it('says which incident must be reported by when, the kind in words and the default read from 「直ちに」 (v2)', () => {
    const outcome = given(base, incidentDetected('I-1', ['R-1'], { at: '2026-04-20T10:00' })).when(judgedAt('2026-04-22T00:00'));
    expect(outcome.finding(RULE).message).toEqual({
      ja: '第15条（事故発生時における報告）違反：令和8年4月20日10時00分に発生した事故I-1（滅失）の甲への報告は、期限である令和8年4月21日10時00分を過ぎても行われていない。（覚書の「直ちに」を既定値（24時間）と解して判定）',
      en: 'Article 15 (Reporting when an incident occurs) violated: the report to the city (IncidentReported) of incident I-1 (loss) detected at 2026-04-20T10:00:00+09:00: due by 2026-04-21T10:00:00+09:00, not done (the memorandum\'s "直ちに" read as the default PT24H)',
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

  it('does not ask the contractor to report an incident the city detected itself (interpretation)', () => {
    given(base, incidentDetected('I-1', ['R-1'], { at: '2026-04-20T10:00', by: CITY }))
      .when(contractJudgedAt('2026-06-01T00:00'))
      .then(noFinding(RULE), article('15', 'not_applicable'));
    given(base, incidentDetected('I-1', ['R-1'], { at: '2026-04-20T10:00', by: CITY }))
      .when(judgedAt('2026-06-01T00:00'))
      .then(noFinding(RULE), article('15', 'not_applicable'));
  });

  it('is not applicable without incidents', () => {
    given(base)
      .when(contractJudgedAt('2026-06-01T00:00'))
      .then(article('15', 'not_applicable'));
  });
});

describe('Article 15: art15.breach-not-reported (record, v2)', () => {
  const BREACH = 'art15.breach-not-reported';
  const setup = [contract(), staffed('W-1'), collected({ at: '2026-04-10T09:00' })];
  /** A report to the city: an incident the city itself detected (so no art15.report-overdue of its own) listing R-1, and the contractor's report of it. */
  const reportAt = (at: string, id = `I-${at}`) => [incidentDetected(id, ['R-1'], { at, by: CITY }), incidentReported(id, { at })];

  it('opens at a violating event and is met by a report of an incident listing the record within incidentReportWithin, bound included', () => {
    const copy = copied('C-1', { at: '2026-04-11T09:00' });
    const [detected, report] = reportAt('2026-04-12T09:00');
    given(setup, copy, detected!, report!)
      .when(judgedAt('2026-06-01T00:00'))
      .then(met(BREACH, [copy, report!], '2026-04-12T09:00'), party(BREACH, 'contractor'), article('15', 'compliant'));
  });

  it('is violated by a report 1 ms late, and pending then overdue without one', () => {
    const copy = copied('C-1', { at: '2026-04-11T09:00' });
    const [detected, report] = reportAt('2026-04-12T09:00:00.001');
    given(setup, copy, detected!, report!)
      .when(judgedAt('2026-06-01T00:00'))
      .then(overdue(BREACH, [copy, report!], '2026-04-12T09:00'), article('15', 'violation'));
    const scenario = given(setup, copy);
    scenario.when(judgedAt('2026-04-12T09:00')).then(pending(BREACH, [copy], '2026-04-12T09:00'), article('15', 'pending'));
    scenario.when(judgedAt('2026-04-12T09:00:00.001')).then(overdue(BREACH, [copy], '2026-04-12T09:00'), article('15', 'violation'));
  });

  it('does not take a report made before the violation, nor one of an incident that does not list the record', () => {
    const copy = copied('C-1', { at: '2026-04-11T09:00' });
    given(setup, reportAt('2026-04-11T08:59:59.999'), copy, incidentDetected('I-X', ['R-2'], { at: '2026-04-11T10:00', by: CITY }), incidentReported('I-X', { at: '2026-04-11T10:00' }))
      .when(judgedAt('2026-06-01T00:00'))
      .then(overdue(BREACH, [copy], '2026-04-12T09:00'));
  });

  it('opens an obligation\'s breach at its dueAt: a report before the transport was overdue does not count, one after it does', () => {
    const start = transportStarted('T-1', { at: '2026-04-11T09:00' });
    given(setup, start, reportAt('2026-04-12T08:00'))
      .when(judgedAt('2026-04-13T09:00'))
      .then(overdue('art13.transport-overdue', [start], '2026-04-12T09:00'), pending(BREACH, [start], '2026-04-13T09:00'));
    const [detected, report] = reportAt('2026-04-12T09:00');
    given(setup, start, detected!, report!)
      .when(judgedAt('2026-06-01T00:00'))
      .then(met(BREACH, [start, report!], '2026-04-13T09:00'));
  });

  it('opens a late-closed obligation\'s breach at its dueAt too, even when the violation is known only at the closing', () => {
    const start = transportStarted('T-1', { at: '2026-04-11T09:00' });
    const [detected, report] = reportAt('2026-04-12T10:00');
    given(setup, start, detected!, report!, transportCompleted('T-1', { at: '2026-04-14T09:00' }))
      .when(judgedAt('2026-06-01T00:00'))
      .then(met(BREACH, [start, report!], '2026-04-13T09:00'), findings(BREACH, 1));
  });

  it('does not open for art7.collection-missing, the city\'s own violations, or Art. 15\'s own findings', () => {
    given(contract(), staffed('W-1'), used({ at: '2026-04-10T09:00' }), collected({ at: '2026-04-10T10:00', by: CITY, purpose: 'marketing' }), incidentDetected('I-1', ['R-1'], { at: '2026-04-11T09:00' }))
      .when(judgedAt('2026-06-01T00:00'))
      .then(noFinding(BREACH), findings('art7.collection-missing', 1), findings('art7.purpose-outside-contract', 1), findings('art15.report-overdue', 1));
  });

  it('groups the violations closed by the same report into one finding, judged by the earliest deadline: the status is that of a finding per violation', () => {
    const first = copied('C-1', { at: '2026-04-11T09:00' });
    const second = copied('C-2', { at: '2026-04-11T20:00' });
    // Per violation: the first is due 04-12 09:00 (the report is late for it), the second 04-12 20:00 (in time): the article is violated.
    const [detected, report] = reportAt('2026-04-12T10:00');
    const outcome = given(setup, first, second, detected!, report!).when(judgedAt('2026-06-01T00:00'));
    outcome.then(overdue(BREACH, [first, report!], '2026-04-12T09:00'), findings(BREACH, 1), article('15', 'violation'));
    expect(outcome.finding(BREACH).message.ja).toContain('覚書違反の事態（2件）');
  });

  it('splits the violations by the report that closes them', () => {
    const first = copied('C-1', { at: '2026-04-11T09:00' });
    const second = copied('C-2', { at: '2026-04-13T09:00' });
    const [d1, r1] = reportAt('2026-04-11T12:00');
    const [d2, r2] = reportAt('2026-04-13T12:00');
    given(setup, first, d1!, r1!, second, d2!, r2!)
      .when(judgedAt('2026-06-01T00:00'))
      .then(met(BREACH, [first, r1!], '2026-04-12T09:00'), met(BREACH, [second, r2!], '2026-04-14T09:00'), findings(BREACH, 2), article('15', 'compliant'));
  });

  it('judges a group by the earliest deadline even when an amendment shortened incidentReportWithin between its violations', () => {
    const first = copied('C-1', { at: '2026-04-11T09:00' });
    const second = copied('C-2', { at: '2026-04-12T10:00' });
    // First: due 04-14 09:00 (P3D). Second: due 04-12 11:00 (PT1H). A report at 12:00 is in time for the first, late for the second.
    const [detected, report] = reportAt('2026-04-12T12:00');
    given(contract({ policy: { incidentReportWithin: 'P3D' } }), staffed('W-1'), collected({ at: '2026-04-10T09:00' }), first,
      amended({ at: '2026-04-12T00:00', policy: { incidentReportWithin: 'PT1H' } }), second, detected!, report!)
      .when(judgedAt('2026-06-01T00:00'))
      .then(overdue(BREACH, [second, report!], '2026-04-12T11:00'), findings(BREACH, 1), article('15', 'violation'));
    given(contract({ policy: { incidentReportWithin: 'P3D' } }), staffed('W-1'), collected({ at: '2026-04-10T09:00' }), first,
      amended({ at: '2026-04-12T00:00', policy: { incidentReportWithin: 'PT1H' } }), second)
      .when(judgedAt('2026-04-12T11:00:00.001'))
      .then(overdue(BREACH, [second], '2026-04-12T11:00'), article('15', 'violation'));
  });

  it('opens at once for an order closed the wrong way: a report the next day is in time', () => {
    const instruction = disposalInstructed({ at: '2026-04-20T00:00', action: 'return' });
    const disposal = disposed({ at: '2026-04-21T00:00' });
    const [detected, report] = reportAt('2026-04-21T12:00');
    given(setup, instruction, disposal, detected!, report!)
      .when(judgedAt('2026-06-01T00:00'))
      .then(met(BREACH, [disposal, report!], '2026-04-22T00:00'), article('15', 'compliant'), overall('violation'));
  });

  it('sees a report known late only from its knownAt on', () => {
    const copy = copied('C-1', { at: '2026-04-11T09:00' });
    const detected = incidentDetected('I-1', ['R-1'], { at: '2026-04-11T10:00', by: CITY });
    const report = incidentReported('I-1', { at: '2026-04-11T10:00', recordedAt: '2026-04-20T00:00' });
    const scenario = given(setup, copy, detected, report);
    scenario.when(judgedAt('2026-06-01T00:00', { knownAt: '2026-04-19T00:00' })).then(overdue(BREACH, [copy], '2026-04-12T09:00'));
    scenario.when(judgedAt('2026-06-01T00:00', { knownAt: '2026-04-20T00:00' })).then(met(BREACH, [copy, report], '2026-04-12T09:00'));
  });

  it('says how many violations went unreported and that 「直ちに」 was read as the default', () => {
    const outcome = given(setup, copied('C-1', { at: '2026-04-11T09:00' })).when(judgedAt('2026-06-01T00:00'));
    expect(outcome.finding(BREACH).message).toEqual({
      ja: '第15条（事故発生時における報告）違反：令和8年4月11日9時00分に生じた保有個人情報（R-1）に関する覚書違反の事態（1件）の甲への報告は、期限である令和8年4月12日9時00分を過ぎても行われていない。（覚書の「直ちに」を既定値（24時間）と解して判定）',
      en: 'Article 15 (Reporting when an incident occurs) violated: the report to the city (IncidentReported) of the breach of the memorandum at 2026-04-11T09:00:00+09:00 (1 violation of record R-1): due by 2026-04-12T09:00:00+09:00, not done (the memorandum\'s "直ちに" read as the default PT24H)',
    });
  });
});
