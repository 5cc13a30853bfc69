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
  cityStatus,
  overall,
  party,
} from './test-builders.js';
import { inspectionDueAt } from './judge.js';

describe('Article 10: art10.report-overdue', () => {
  const RULE = 'art10.report-overdue';

  it('is met by a report submitted exactly at dueAt', () => {
    const request = reportRequested('RR-1', '2026-05-15T17:00', { at: '2026-05-01T09:00' });
    const report = reportSubmitted('RR-1', { at: '2026-05-15T17:00' });
    given(contract(), request, report)
      .when(contractJudgedAt('2026-06-01T00:00'))
      .then(met(RULE, [request, report], '2026-05-15T17:00'), article('10', 'compliant'), party(RULE, 'contractor'));
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

describe('Article 10: art10.inspection-overdue, rolling cycle (v1 behaviour, kept with inspectionCycle: rolling)', () => {
  const RULE = 'art10.inspection-overdue';
  const rolling = { inspectionCycle: 'rolling' as const };
  // inspectionEvery P1Y by default.

  it('is met by an inspection within a year of the term\'s start', () => {
    given(contract({ policy: rolling }), inspected('IN-1', { at: '2026-10-01T10:00' }))
      .when(contractJudgedAt('2027-03-01T00:00'))
      .then(noFinding(RULE), article('10', 'compliant'), cityStatus('compliant'));
  });

  it('is the city\'s violation once more than inspectionEvery passed since the term\'s start with no inspection (v2: party city, the contractor\'s Art. 10 stays compliant)', () => {
    const registration = contract({ term: { start: '2026-04-01T00:00', end: '2028-03-31T23:59' }, policy: rolling });
    const scenario = given(registration);
    scenario.when(contractJudgedAt('2027-04-01T00:00')).then(noFinding(RULE), article('10', 'compliant'), cityStatus('compliant'));
    scenario
      .when(contractJudgedAt('2027-04-01T00:00:00.001'))
      .then(violation(RULE, [registration]), party(RULE, 'city'), article('10', 'compliant'), overall('compliant'), cityStatus('violation'));
  });

  it('accepts an inspection exactly inspectionEvery after the last one, not 1 ms later', () => {
    const term = { start: '2026-04-01T00:00', end: '2029-03-31T23:59' };
    const onTime = inspected('IN-1', { at: '2027-04-01T00:00' });
    given(contract({ term, policy: rolling }), onTime, inspected('IN-2', { at: '2028-04-01T00:00' }))
      .when(contractJudgedAt('2028-06-01T00:00'))
      .then(noFinding(RULE));
    const first = inspected('IN-1', { at: '2026-06-01T00:00' });
    const late = inspected('IN-2', { at: '2027-06-01T00:00:00.001' });
    given(contract({ term, policy: rolling }), first, late)
      .when(contractJudgedAt('2027-07-01T00:00'))
      .then(violation(RULE, [first, late]), findings(RULE, 1));
  });

  it('still reports an interval that was exceeded and later closed by an inspection', () => {
    const registration = contract({ term: { start: '2026-04-01T00:00', end: '2028-03-31T23:59' }, policy: rolling });
    const late = inspected('IN-1', { at: '2027-05-01T00:00' });
    given(registration, late)
      .when(contractJudgedAt('2027-06-01T00:00'))
      .then(violation(RULE, [registration, late]), findings(RULE, 1));
  });

  it('does not count the time after the term ended (an interval running past the end needs no inspection)', () => {
    given(contract({ term: { start: '2026-04-01T00:00', end: '2027-06-30T23:59' }, policy: rolling }), inspected('IN-1', { at: '2026-08-01T00:00' }))
      .when(contractJudgedAt('2027-09-01T00:00'))
      .then(noFinding(RULE));
  });

  it('needs one inspection during a term shorter than inspectionEvery, due at its end (changed in v2: v1 asked for none)', () => {
    const registration = contract({ term: { start: '2026-04-01T00:00', end: '2027-03-31T23:59' }, policy: rolling });
    const scenario = given(registration);
    scenario.when(contractJudgedAt('2027-03-31T23:59')).then(noFinding(RULE));
    scenario.when(contractJudgedAt('2027-03-31T23:59:00.001')).then(violation(RULE, [registration]));
    given(registration, inspected('IN-1', { at: '2027-03-31T23:59' }))
      .when(contractJudgedAt('2027-06-01T00:00'))
      .then(noFinding(RULE), cityStatus('compliant'));
  });

  it('stops the term at ContractEnded, and the term cut short still needs its inspection by then (changed in v2)', () => {
    const registration = contract({ term: { start: '2026-04-01T00:00', end: '2028-03-31T23:59' }, policy: rolling });
    const scenario = given(registration, ended({ at: '2027-03-01T00:00' }));
    scenario.when(contractJudgedAt('2027-03-01T00:00')).then(noFinding(RULE));
    scenario.when(contractJudgedAt('2027-06-01T00:00')).then(violation(RULE, [registration]), findings(RULE, 1));
    given(registration, inspected('IN-1', { at: '2026-09-01T00:00' }), ended({ at: '2027-03-01T00:00' }))
      .when(contractJudgedAt('2028-06-01T00:00'))
      .then(noFinding(RULE));
  });

  it('uses inspectionEvery as amended, in force at the start of each interval', () => {
    const registration = contract({ term: { start: '2026-04-01T00:00', end: '2028-03-31T23:59' }, policy: rolling });
    given(registration, amended({ at: '2026-03-20T00:00', policy: { inspectionEvery: 'P6M' } }))
      .when(contractJudgedAt('2026-10-01T00:00:00.001'))
      .then(violation(RULE, [registration]));
  });

  it('is not applicable before the term starts and without events', () => {
    given(contract({ term: { start: '2026-04-01T00:00', end: '2027-03-31T23:59' }, policy: rolling }))
      .when(contractJudgedAt('2026-03-20T00:00'))
      .then(article('10', 'not_applicable'), cityStatus('not_applicable'));
  });

  it('tells a read model when the violation will start without any new event', () => {
    const scenario = given(contract({ term: { start: '2026-04-01T00:00', end: '2028-03-31T23:59' }, policy: rolling }), inspected('IN-1', { at: '2026-09-01T00:00' }));
    const history = scenario.history();
    expect(inspectionDueAt(history, { asOf: ms('2026-10-01T00:00'), knownAt: ms('2026-10-01T00:00') })).toBe(ms('2027-09-01T00:00'));
    expect(inspectionDueAt(history, { asOf: ms('2027-09-01T00:00'), knownAt: ms('2027-09-01T00:00') })).toBe(ms('2027-09-01T00:00'));
    expect(inspectionDueAt(history, { asOf: ms('2027-09-01T00:00:00.001'), knownAt: ms('2027-09-01T00:00') })).toBeNull();
  });

  it('is next due at the end of a term shorter than inspectionEvery (changed in v2: v1 had none due)', () => {
    const history = given(contract({ term: { start: '2026-04-01T00:00', end: '2027-03-31T23:59' }, policy: rolling })).history();
    expect(inspectionDueAt(history, { asOf: ms('2026-10-01T00:00'), knownAt: ms('2026-10-01T00:00') })).toBe(ms('2027-03-31T23:59'));
  });

  it('says since when no inspection was made, in audit style', () => {
    const outcome = given(contract({ term: { start: '2026-04-01T00:00', end: '2028-03-31T23:59' }, policy: rolling })).when(contractJudgedAt('2027-06-01T00:00'));
    expect(outcome.finding(RULE).message).toEqual({
      ja: '第10条（安全管理の確認）違反：甲は、契約期間の開始（令和8年4月1日0時00分）から期限である令和9年4月1日0時00分を過ぎても実地検査を行っていない。',
      en: 'Article 10 (Confirmation of security management) violated: no inspection (InspectionConducted) since the term\'s start at 2026-04-01T00:00:00+09:00; one was due by 2027-04-01T00:00:00+09:00',
    });
  });
});

describe('Article 10: art10.inspection-overdue, fiscal_year cycle (the v2 default)', () => {
  const RULE = 'art10.inspection-overdue';

  it('is met by one inspection in the only 年度 the term overlaps', () => {
    given(contract(), inspected('IN-1', { at: '2026-10-01T10:00' }))
      .when(contractJudgedAt('2027-06-01T00:00'))
      .then(noFinding(RULE), article('10', 'compliant'), cityStatus('compliant'));
  });

  it('is due at the end of the term when it ends before the 年度: not violated at that instant, violated 1 ms after', () => {
    // TERM ends 2027-03-31T23:59, before the 年度 ends (2027-03-31T23:59:59.999).
    const registration = contract();
    const scenario = given(registration);
    scenario.when(contractJudgedAt('2027-03-31T23:59')).then(noFinding(RULE), cityStatus('compliant'));
    scenario.when(contractJudgedAt('2027-03-31T23:59:00.001')).then(violation(RULE, [registration]), party(RULE, 'city'), overall('compliant'), cityStatus('violation'));
    expect(inspectionDueAt(scenario.history(), { asOf: ms('2026-06-01T00:00'), knownAt: ms('2026-06-01T00:00') })).toBe(ms('2027-03-31T23:59'));
  });

  it('is due at the end of each 年度 the term overlaps: one finding per 年度 without an inspection', () => {
    const registration = contract({ term: { start: '2026-10-01T00:00', end: '2028-09-30T23:59' } });
    const scenario = given(registration, inspected('IN-1', { at: '2026-12-01T00:00' }), inspected('IN-3', { at: '2028-06-01T00:00' }));
    scenario.when(contractJudgedAt('2028-03-31T23:59:59.999')).then(noFinding(RULE));
    scenario.when(contractJudgedAt('2028-04-01T00:00')).then(violation(RULE, [registration]), findings(RULE, 1));
    scenario.when(contractJudgedAt('2028-12-01T00:00')).then(findings(RULE, 1));
  });

  it('places an inspection in its 年度 by JST: 31 March 23:59:59.999 is the old 年度, 1 April 00:00 the new one', () => {
    const term = { start: '2026-04-01T00:00', end: '2028-03-31T23:59' };
    given(contract({ term }), inspected('IN-1', { at: '2027-03-31T23:59:59.999' }), inspected('IN-2', { at: '2027-04-01T00:00' }))
      .when(contractJudgedAt('2028-06-01T00:00'))
      .then(noFinding(RULE));
    given(contract({ term }), inspected('IN-1', { at: '2027-04-01T00:00' }), inspected('IN-2', { at: '2027-04-02T00:00' }))
      .when(contractJudgedAt('2028-06-01T00:00'))
      .then(findings(RULE, 1));
  });

  it('needs an inspection in each 年度 even of a term shorter than a year that spans two 年度 (interpretation)', () => {
    const registration = contract({ term: { start: '2026-12-01T00:00', end: '2027-05-31T23:59' } });
    given(registration, inspected('IN-1', { at: '2027-01-15T00:00' }))
      .when(contractJudgedAt('2027-06-01T00:00'))
      .then(violation(RULE, [registration]), findings(RULE, 1));
    given(registration, inspected('IN-1', { at: '2027-01-15T00:00' }), inspected('IN-2', { at: '2027-05-31T23:59' }))
      .when(contractJudgedAt('2027-06-01T00:00'))
      .then(noFinding(RULE));
  });

  it('needs one inspection during a term shorter than a year inside one 年度, due at the term\'s end', () => {
    const registration = contract({ term: { start: '2026-06-01T00:00', end: '2026-11-30T23:59' } });
    given(registration)
      .when(contractJudgedAt('2026-11-30T23:59:00.001'))
      .then(violation(RULE, [registration]));
    given(registration, inspected('IN-0', { at: '2026-05-31T23:59:59.999' }))
      .when(contractJudgedAt('2026-12-01T00:00'))
      .then(violation(RULE, [registration]));
  });

  it('cuts the last 年度 at ContractEnded: due then, and nothing is due for later 年度', () => {
    const registration = contract({ term: { start: '2026-04-01T00:00', end: '2029-03-31T23:59' } });
    const scenario = given(registration, inspected('IN-1', { at: '2026-06-01T00:00' }), ended({ at: '2027-06-01T00:00' }));
    scenario.when(contractJudgedAt('2027-06-01T00:00')).then(noFinding(RULE));
    scenario.when(contractJudgedAt('2027-06-01T00:00:00.001')).then(violation(RULE, [registration]), findings(RULE, 1));
    scenario.when(contractJudgedAt('2029-06-01T00:00')).then(findings(RULE, 1));
  });

  it('reads the term as amended: an extension adds its 年度', () => {
    const registration = contract();
    const extension = amended({ at: '2027-02-01T00:00', term: { start: '2026-04-01T00:00', end: '2028-03-31T23:59' } });
    given(registration, inspected('IN-1', { at: '2026-06-01T00:00' }), extension)
      .when(contractJudgedAt('2028-04-01T00:00'))
      .then(violation(RULE, [extension]), findings(RULE, 1));
  });

  it('counts an inspection recorded late only from its knownAt on', () => {
    const registration = contract();
    const scenario = given(registration, inspected('IN-1', { at: '2026-10-01T00:00', recordedAt: '2027-05-01T00:00' }));
    scenario.when(contractJudgedAt('2027-04-15T00:00')).then(violation(RULE, [registration]));
    scenario.when(contractJudgedAt('2027-05-01T00:00')).then(noFinding(RULE));
  });

  it('names the 年度 in 和暦 and the city as the one that did not inspect', () => {
    const outcome = given(contract({ term: { start: '2026-10-01T00:00', end: '2028-09-30T23:59' } }), inspected('IN-1', { at: '2026-12-01T00:00' }))
      .when(contractJudgedAt('2028-06-01T00:00'));
    expect(outcome.finding(RULE).message).toEqual({
      ja: '第10条（安全管理の確認）違反：甲は、令和9年度（令和9年4月1日0時00分から令和10年3月31日23時59分59秒まで）に実地検査を行っていない。',
      en: 'Article 10 (Confirmation of security management) violated: no inspection (InspectionConducted) in fiscal year 2027 (2027-04-01T00:00:00+09:00 to 2028-03-31T23:59:59.999+09:00)',
    });
  });
});
