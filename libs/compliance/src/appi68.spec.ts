import { reportability } from './appi68.js';
import {
  amended,
  article,
  CITY,
  cityStatus,
  collected,
  contract,
  contractJudgedAt,
  given,
  incidentDetected,
  incidentReported,
  met,
  ms,
  noFinding,
  overall,
  overdue,
  pending,
  personsNotified,
  ppcReported,
  staffed,
  findings,
  type Givens,
} from './test-builders.js';

const PRELIMINARY = 'appi68.preliminary-report-overdue';
const FINAL = 'appi68.final-report-overdue';
const NOTICE = 'appi68.persons-not-notified';
const SENSITIVE = { sensitiveCategories: ['care-level'] };

/** Whether incident I-1 is reportable, judged at 2026-06-01 on the givens. */
function reportabilityOf(...items: Givens[]) {
  const scenario = given(...items);
  const cut = { asOf: ms('2026-06-01T00:00'), knownAt: ms('2026-06-01T00:00') };
  const view = scenario.history().view(cut);
  return reportability(view, view.incident('I-1')!, scenario.recordFacts(cut.knownAt));
}

describe('reportability (個人情報保護委員会規則, 行政機関等)', () => {
  const base = [contract({ policy: SENSITIVE }), staffed('W-1')];

  it('is none for a loss of ordinary data of few persons without risk of financial harm', () => {
    expect(reportabilityOf(base, collected({ dataCategories: ['insured-number'], personCount: 10 }), incidentDetected('I-1', ['R-1'], { at: '2026-04-20T10:00' })))
      .toEqual({ reportable: false, triggers: [], persons: 10 });
  });

  it('is sensitive when a listed record was collected, by the incident, with a category the contract marks sensitive', () => {
    expect(reportabilityOf(base, collected({ dataCategories: ['care-level'] }), incidentDetected('I-1', ['R-1'], { at: '2026-04-20T10:00' })).triggers).toEqual(['sensitive']);
    expect(reportabilityOf(base, incidentDetected('I-1', ['R-1'], { at: '2026-04-20T10:00' }), collected({ dataCategories: ['care-level'], at: '2026-04-21T00:00' })).reportable).toBe(false);
    expect(reportabilityOf(contract(), collected({ dataCategories: ['care-level'] }), incidentDetected('I-1', ['R-1'], { at: '2026-04-20T10:00' })).reportable).toBe(false);
  });

  it.each([
    ['unauthorized_access', ['unauthorized_access']],
    ['theft', ['theft']],
    ['leak', []],
    ['misdelivery', []],
  ] as const)('is reportable by kind %s: %j', (kind, triggers) => {
    expect(reportabilityOf(base, collected({ dataCategories: ['insured-number'] }), incidentDetected('I-1', ['R-1'], { kind, at: '2026-04-20T10:00' })).triggers).toEqual(triggers);
  });

  it('is reportable on a risk of financial harm, also for kind other', () => {
    expect(reportabilityOf(base, incidentDetected('I-1', [], { kind: 'other', financialHarmRisk: true, at: '2026-04-20T10:00' }))).toEqual({ reportable: true, triggers: ['financial_harm'], persons: null });
    expect(reportabilityOf(base, incidentDetected('I-1', [], { kind: 'other', financialHarmRisk: false, at: '2026-04-20T10:00' })).reportable).toBe(false);
  });

  it('is reportable above 100 persons: affectedPersonCount when given, else the sum of the listed records\' personCount', () => {
    expect(reportabilityOf(base, incidentDetected('I-1', [], { persons: 101, at: '2026-04-20T10:00' })).triggers).toEqual(['over_100_persons']);
    expect(reportabilityOf(base, incidentDetected('I-1', [], { persons: 100, at: '2026-04-20T10:00' })).reportable).toBe(false);
    const records = [collected({ personCount: 60, dataCategories: ['insured-number'] }), collected({ record: 'R-2', personCount: 41, dataCategories: ['insured-number'] })];
    expect(reportabilityOf(base, records, incidentDetected('I-1', ['R-1', 'R-2'], { at: '2026-04-20T10:00' }))).toEqual({ reportable: true, triggers: ['over_100_persons'], persons: 101 });
    expect(reportabilityOf(base, records, incidentDetected('I-1', ['R-1', 'R-2'], { persons: 50, at: '2026-04-20T10:00' }))).toEqual({ reportable: false, triggers: [], persons: 50 });
  });

  it('lists every trigger that holds', () => {
    expect(reportabilityOf(base, collected({ dataCategories: ['care-level'], personCount: 500 }), incidentDetected('I-1', ['R-1'], { kind: 'theft', financialHarmRisk: true, at: '2026-04-20T10:00' })).triggers)
      .toEqual(['sensitive', 'theft', 'financial_harm', 'over_100_persons']);
  });
});

describe('APPI Art. 68: the city\'s duties after a reportable incident (v2)', () => {
  const base = [contract({ policy: SENSITIVE }), staffed('W-1'), collected({ at: '2026-04-10T09:00', dataCategories: ['care-level'] })];
  const incident = incidentDetected('I-1', ['R-1'], { kind: 'leak', at: '2026-04-20T10:00' });
  const report = incidentReported('I-1', { at: '2026-04-20T12:00' });

  it('starts when the contractor reports: nothing is due from the city before it knows', () => {
    given(base, incident)
      .when(contractJudgedAt('2026-04-20T11:00'))
      .then(noFinding(PRELIMINARY), noFinding(FINAL), noFinding(NOTICE), article('appi68', 'not_applicable'), cityStatus('compliant'));
  });

  it('asks a preliminary report within ppcPreliminaryWithin (P5D) of the report to the city, 1 ms either side', () => {
    const inTime = ppcReported('I-1', 'preliminary', { at: '2026-04-25T12:00' });
    given(base, incident, report, inTime)
      .when(contractJudgedAt('2026-06-01T00:00'))
      .then(met(PRELIMINARY, [incident, inTime, report], '2026-04-25T12:00'));
    const late = ppcReported('I-1', 'preliminary', { at: '2026-04-25T12:00:00.001' });
    given(base, incident, report, late)
      .when(contractJudgedAt('2026-06-01T00:00'))
      .then(overdue(PRELIMINARY, [incident, late, report], '2026-04-25T12:00'), cityStatus('violation'), overall('compliant'));
    const scenario = given(base, incident, report);
    scenario.when(contractJudgedAt('2026-04-25T12:00')).then(pending(PRELIMINARY, [incident, report], '2026-04-25T12:00'), cityStatus('pending'));
    scenario.when(contractJudgedAt('2026-04-25T12:00:00.001')).then(overdue(PRELIMINARY, [incident, report], '2026-04-25T12:00'));
  });

  it('asks a final report within P30D, or P60D for unauthorized_access and theft (不正の目的)', () => {
    given(base, incident, report)
      .when(contractJudgedAt('2026-05-20T12:00:00.001'))
      .then(overdue(FINAL, [incident, report], '2026-05-20T12:00'));
    for (const kind of ['unauthorized_access', 'theft'] as const) {
      const malicious = incidentDetected('I-1', ['R-1'], { kind, at: '2026-04-20T10:00' });
      given(base, malicious, report)
        .when(contractJudgedAt('2026-06-19T12:00'))
        .then(pending(FINAL, [malicious, report], '2026-06-19T12:00'));
    }
    const final = ppcReported('I-1', 'final', { at: '2026-05-01T00:00' });
    given(base, incident, report, final)
      .when(contractJudgedAt('2026-06-01T00:00'))
      .then(met(FINAL, [incident, final, report], '2026-05-20T12:00'), overdue(PRELIMINARY, [incident, report], '2026-04-25T12:00'));
  });

  it('applies a ppcFinalWithin override to every kind, malicious ones included', () => {
    const theft = incidentDetected('I-1', ['R-1'], { kind: 'theft', at: '2026-04-20T10:00' });
    given(contract({ policy: { ...SENSITIVE, ppcFinalWithin: 'P45D' } }), staffed('W-1'), collected({ at: '2026-04-10T09:00' }), theft, report)
      .when(contractJudgedAt('2026-05-01T00:00'))
      .then(pending(FINAL, [theft, report], '2026-06-04T12:00'));
  });

  it('asks notice to the persons within personNoticeWithin (P30D)', () => {
    const notice = personsNotified('I-1', { at: '2026-05-20T12:00' });
    given(base, incident, report, notice)
      .when(contractJudgedAt('2026-06-01T00:00'))
      .then(met(NOTICE, [incident, notice, report], '2026-05-20T12:00'));
    given(base, incident, report, personsNotified('I-2', { at: '2026-05-01T00:00' }))
      .when(contractJudgedAt('2026-05-20T12:00:00.001'))
      .then(overdue(NOTICE, [incident, report], '2026-05-20T12:00'));
  });

  it('starts at the city\'s own detection, and the contractor owes no report of it', () => {
    const byCity = incidentDetected('I-1', ['R-1'], { kind: 'leak', at: '2026-04-20T10:00', by: CITY });
    given(base, byCity)
      .when(contractJudgedAt('2026-04-25T10:00:00.001'))
      .then(overdue(PRELIMINARY, [byCity], '2026-04-25T10:00'), noFinding('art15.report-overdue'), overall('compliant'), cityStatus('violation'));
  });

  it('moves with a late report to the city: the city is judged from when it learnt', () => {
    const lateReport = incidentReported('I-1', { at: '2026-04-23T10:00' });
    given(base, incident, lateReport)
      .when(contractJudgedAt('2026-04-27T00:00'))
      .then(pending(PRELIMINARY, [incident, lateReport], '2026-04-28T10:00'), overdue('art15.report-overdue', [incident, lateReport], '2026-04-21T10:00'), overall('violation'));
  });

  it('reads the deadlines in force when the city learnt, and sees the report only once known', () => {
    given(base, amended({ at: '2026-04-01T00:00', policy: { ppcPreliminaryWithin: 'P3D', personNoticeWithin: 'P10D' } }), incident, report)
      .when(contractJudgedAt('2026-04-21T00:00'))
      .then(pending(PRELIMINARY, [incident, report], '2026-04-23T12:00'), pending(NOTICE, [incident, report], '2026-04-30T12:00'));
    const known = incidentReported('I-1', { at: '2026-04-20T12:00', recordedAt: '2026-04-22T00:00' });
    const scenario = given(base, incident, known);
    scenario.when(contractJudgedAt('2026-04-23T00:00', { knownAt: '2026-04-21T00:00' })).then(noFinding(PRELIMINARY));
    scenario.when(contractJudgedAt('2026-04-23T00:00')).then(pending(PRELIMINARY, [incident, known], '2026-04-25T12:00'));
  });

  it('asks nothing of the city for an incident that is not reportable', () => {
    given(contract(), staffed('W-1'), collected({ at: '2026-04-10T09:00' }), incident, report)
      .when(contractJudgedAt('2026-12-01T00:00'))
      .then(noFinding(PRELIMINARY), noFinding(FINAL), noFinding(NOTICE), article('appi68', 'not_applicable'), findings('art15.report-overdue', 1));
  });

  it('keeps the city\'s findings in the city block, never in the contractor\'s articles or status', () => {
    const verdict = given(base, incident, report).verdict(contractJudgedAt('2026-07-01T00:00'));
    expect(verdict.status).toBe('compliant');
    expect(verdict.articles['appi68']!.findings).toEqual([]);
    expect(verdict.articles['appi68']!.status).toBe('compliant');
    expect('city' in verdict && verdict.city.findings.map((f) => [f.rule, f.party, f.status])).toEqual([
      [FINAL, 'city', 'violation'],
      [NOTICE, 'city', 'violation'],
      [PRELIMINARY, 'city', 'violation'],
    ]);
    expect('city' in verdict && verdict.city.findings.every((f) => f.dueAt !== undefined && f.dueAt.endsWith('+09:00'))).toBe(true);
  });

  it('says what the city must do by when, why the incident is reportable, and which deadlines are defaults', () => {
    const outcome = given(base, incident, report).when(contractJudgedAt('2026-04-21T00:00'));
    expect(outcome.finding(PRELIMINARY).message).toEqual({
      ja: '個人情報保護法第68条（漏えい等の報告等）期限未到来：甲が令和8年4月20日12時00分に把握した漏えいの事故I-1（要配慮個人情報を含む）の甲による個人情報保護委員会への速報の期限は令和8年4月25日12時00分であり、まだ行われていない。（法令の「速やかに」を既定値（5日）と解して判定）',
      en: 'APPI Article 68 (Reporting of leaks, etc.) pending: the preliminary report to the PPC of incident I-1 (leak; reportable: sensitive (要配慮) information), which the city learnt of at 2026-04-20T12:00:00+09:00: due by 2026-04-25T12:00:00+09:00, not done yet (the Act\'s "速やかに" read as the default P5D)',
    });
    expect(outcome.finding(FINAL).message).toEqual({
      ja: '個人情報保護法第68条（漏えい等の報告等）期限未到来：甲が令和8年4月20日12時00分に把握した漏えいの事故I-1（要配慮個人情報を含む）の甲による個人情報保護委員会への確報の期限は令和8年5月20日12時00分であり、まだ行われていない。',
      en: 'APPI Article 68 (Reporting of leaks, etc.) pending: the final report to the PPC of incident I-1 (leak; reportable: sensitive (要配慮) information), which the city learnt of at 2026-04-20T12:00:00+09:00: due by 2026-05-20T12:00:00+09:00, not done yet',
    });
    expect(outcome.finding(NOTICE).message).toEqual({
      ja: '個人情報保護法第68条（漏えい等の報告等）期限未到来：甲が令和8年4月20日12時00分に把握した漏えいの事故I-1（要配慮個人情報を含む）の甲による本人への通知の期限は令和8年5月20日12時00分であり、まだ行われていない。（法令に期限の定めがないため既定値（30日）で判定）',
      en: 'APPI Article 68 (Reporting of leaks, etc.) pending: the notice to the persons concerned by incident I-1 (leak; reportable: sensitive (要配慮) information), which the city learnt of at 2026-04-20T12:00:00+09:00: due by 2026-05-20T12:00:00+09:00, not done yet (the Act sets no deadline: judged with the default P30D)',
    });
  });
});
