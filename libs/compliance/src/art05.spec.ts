import {
  amended,
  anonymized,
  article,
  collected,
  contract,
  copied,
  given,
  granted,
  judgedAt,
  met,
  noFinding,
  overdue,
  party,
  pending,
  staffed,
  findings,
} from './test-builders.js';

const RULE = 'art5.anonymization-overdue';
const TEST_ENV = 'DEV-ENV-1';
const setup = [contract({ policy: { anonymizeLocations: [TEST_ENV] } }), staffed('W-1'), granted('copy', 'A-1'), collected({ at: '2026-04-10T09:00' })];

describe('Article 5: art5.anonymization-overdue (v2)', () => {
  it('is met by an anonymization of the copy exactly anonymizeWithin (PT24H) after the copy', () => {
    const copy = copied('C-1', { at: '2026-04-11T09:00', location: TEST_ENV });
    const done = anonymized({ copyId: 'C-1', at: '2026-04-12T09:00' });
    given(setup, copy, done)
      .when(judgedAt('2026-06-01T00:00'))
      .then(met(RULE, [copy, done], '2026-04-12T09:00'), party(RULE, 'contractor'), article('5', 'compliant'));
  });

  it('is violated by an anonymization 1 ms late', () => {
    const copy = copied('C-1', { at: '2026-04-11T09:00', location: TEST_ENV });
    const done = anonymized({ copyId: 'C-1', at: '2026-04-12T09:00:00.001' });
    given(setup, copy, done)
      .when(judgedAt('2026-06-01T00:00'))
      .then(overdue(RULE, [copy, done], '2026-04-12T09:00'), article('5', 'violation'));
  });

  it('is pending while asOf is at or before due, and violated 1 ms after', () => {
    const copy = copied('C-1', { at: '2026-04-11T09:00', location: TEST_ENV });
    const scenario = given(setup, copy);
    scenario.when(judgedAt('2026-04-12T09:00')).then(pending(RULE, [copy], '2026-04-12T09:00'), article('5', 'pending'));
    scenario.when(judgedAt('2026-04-12T09:00:00.001')).then(overdue(RULE, [copy], '2026-04-12T09:00'));
  });

  it('is not applicable to copies made elsewhere, nor by default (anonymizeLocations is empty)', () => {
    given(setup, copied('C-1', { at: '2026-04-11T09:00', location: 'DC-OKAYAMA-1' }))
      .when(judgedAt('2026-06-01T00:00'))
      .then(noFinding(RULE), article('5', 'not_applicable'));
    given(contract(), staffed('W-1'), granted('copy', 'A-1'), collected(), copied('C-1', { location: TEST_ENV }))
      .when(judgedAt('2026-06-01T00:00'))
      .then(noFinding(RULE), article('5', 'not_applicable'));
  });

  it('is closed only by an anonymization naming that copy, at or after it', () => {
    const copy = copied('C-1', { at: '2026-04-11T09:00', location: TEST_ENV });
    given(setup, anonymized({ copyId: 'C-1', at: '2026-04-11T08:00' }), copy, anonymized({ at: '2026-04-11T10:00' }), anonymized({ copyId: 'C-2', at: '2026-04-11T10:00' }))
      .when(judgedAt('2026-06-01T00:00'))
      .then(overdue(RULE, [copy], '2026-04-12T09:00'), findings(RULE, 1));
  });

  it('reads anonymizeLocations and anonymizeWithin in force at the copy', () => {
    const before = copied('C-1', { at: '2026-04-11T09:00', location: 'TEST-2' });
    const after = copied('C-2', { at: '2026-04-21T09:00', location: 'TEST-2' });
    given(setup, before, amended({ at: '2026-04-20T00:00', policy: { anonymizeLocations: ['TEST-2'], anonymizeWithin: 'PT2H' } }), after)
      .when(judgedAt('2026-04-21T10:00'))
      .then(pending(RULE, [after], '2026-04-21T11:00'), findings(RULE, 1));
  });

  it('sees an anonymization known late only from its knownAt on', () => {
    const copy = copied('C-1', { at: '2026-04-11T09:00', location: TEST_ENV });
    const done = anonymized({ copyId: 'C-1', at: '2026-04-11T12:00', recordedAt: '2026-04-20T00:00' });
    const scenario = given(setup, copy, done);
    scenario.when(judgedAt('2026-06-01T00:00', { knownAt: '2026-04-19T00:00' })).then(overdue(RULE, [copy], '2026-04-12T09:00'));
    scenario.when(judgedAt('2026-06-01T00:00', { knownAt: '2026-04-20T00:00' })).then(met(RULE, [copy, done], '2026-04-12T09:00'));
  });

  it('names the copy and where it was made, and says the deadline is the default', () => {
    const outcome = given(setup, copied('C-1', { at: '2026-04-11T09:00', location: TEST_ENV })).when(judgedAt('2026-04-11T10:00'));
    expect(outcome.finding(RULE).message).toEqual({
      ja: '第5条（適正な安全管理）期限未到来：乙が令和8年4月11日9時00分にDEV-ENV-1へ作成した複製物C-1の匿名化の期限は令和8年4月12日9時00分であり、まだ行われていない。（覚書に期限の定めがないため既定値（24時間）で判定）',
      en: 'Article 5 (Proper security management) pending: the anonymization (RecordAnonymized) of copy C-1, made to DEV-ENV-1 at 2026-04-11T09:00:00+09:00: due by 2026-04-12T09:00:00+09:00, not done yet (the memorandum sets no deadline: judged with the default PT24H)',
    });
  });
});
