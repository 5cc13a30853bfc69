import {
  amended,
  article,
  consultationHeld,
  contract,
  contractJudgedAt,
  given,
  improvementRequested,
  met,
  noFinding,
  overdue,
  pending,
  findings,
} from './test-builders.js';

const RULE = 'art12.consultation-overdue';

describe('Article 12: art12.consultation-overdue', () => {
  it('is met by a consultation exactly at the request\'s dueAt', () => {
    const request = improvementRequested('IR-1', { at: '2026-05-01T09:00', dueAt: '2026-05-08T17:00' });
    const consultation = consultationHeld('IR-1', { at: '2026-05-08T17:00' });
    given(contract(), request, consultation)
      .when(contractJudgedAt('2026-06-01T00:00'))
      .then(met(RULE, [request, consultation], '2026-05-08T17:00'), article('12', 'compliant'));
  });

  it('is violated by a consultation 1 ms after dueAt', () => {
    const request = improvementRequested('IR-1', { at: '2026-05-01T09:00', dueAt: '2026-05-08T17:00' });
    const consultation = consultationHeld('IR-1', { at: '2026-05-08T17:00:00.001' });
    given(contract(), request, consultation)
      .when(contractJudgedAt('2026-06-01T00:00'))
      .then(overdue(RULE, [request, consultation], '2026-05-08T17:00'), article('12', 'violation'));
  });

  it('is due within consultationWithin when the contract sets it (P14D) and no dueAt is given: pending, then violated', () => {
    const request = improvementRequested('IR-1', { at: '2026-05-01T09:00' });
    const scenario = given(contract({ policy: { consultationWithin: 'P14D' } }), request);
    scenario.when(contractJudgedAt('2026-05-15T09:00')).then(pending(RULE, [request], '2026-05-15T09:00'), article('12', 'pending'));
    scenario.when(contractJudgedAt('2026-05-15T09:00:00.001')).then(overdue(RULE, [request], '2026-05-15T09:00'));
  });

  it('uses consultationWithin as amended before the request', () => {
    const request = improvementRequested('IR-1', { at: '2026-05-01T09:00' });
    given(contract(), amended({ at: '2026-04-01T00:00', policy: { consultationWithin: 'P7D' } }), request)
      .when(contractJudgedAt('2026-05-02T00:00'))
      .then(pending(RULE, [request], '2026-05-08T09:00'));
  });

  it('does not accept a consultation on another request', () => {
    const request = improvementRequested('IR-1', { at: '2026-05-01T09:00', dueAt: '2026-05-15T09:00' });
    given(contract(), request, consultationHeld('IR-2', { at: '2026-05-02T09:00' }))
      .when(contractJudgedAt('2026-06-01T00:00'))
      .then(overdue(RULE, [request], '2026-05-15T09:00'));
  });

  it('does not accept a consultation held before the request', () => {
    const request = improvementRequested('IR-1', { at: '2026-05-01T09:00', dueAt: '2026-05-15T09:00' });
    given(contract(), consultationHeld('IR-1', { at: '2026-05-01T08:59:59.999' }), request)
      .when(contractJudgedAt('2026-06-01T00:00'))
      .then(overdue(RULE, [request], '2026-05-15T09:00'));
  });

  it('has no deadline by default (changed in v2: consultationWithin none, was P14D): pending while open however long, with no dueAt', () => {
    const request = improvementRequested('IR-1', { at: '2026-05-01T09:00' });
    const outcome = given(contract(), request).when(contractJudgedAt('2027-05-01T00:00'));
    outcome.then(article('12', 'pending'), findings(RULE, 1));
    const finding = outcome.finding(RULE);
    expect(finding).toMatchObject({ status: 'pending', party: 'contractor', eventIds: [request.event.eventId] });
    expect(finding.dueAt).toBeUndefined();
    expect(finding.message).toEqual({
      ja: '第12条（改善の指示）期限未到来：甲の令和8年5月1日9時00分の改善の要請IR-1についての乙による甲との協議は、まだ行われていない（覚書に期限の定めがない）。',
      en: 'Article 12 (Instructions for improvement) pending: the consultation (ImprovementConsultationHeld) on improvement request IR-1 of 2026-05-01T09:00:00+09:00: not done yet (the memorandum sets no deadline)',
    });
  });

  it('is met whenever the consultation is held when no deadline is set (v2)', () => {
    const request = improvementRequested('IR-1', { at: '2026-05-01T09:00' });
    const consultation = consultationHeld('IR-1', { at: '2026-12-01T09:00' });
    const outcome = given(contract(), request, consultation).when(contractJudgedAt('2027-05-01T00:00'));
    outcome.then(article('12', 'compliant'));
    expect(outcome.finding(RULE)).toMatchObject({ status: 'compliant', eventIds: [request.event.eventId, consultation.event.eventId] });
    expect(outcome.finding(RULE).message.ja).toBe('第12条（改善の指示）履行済み：甲の令和8年5月1日9時00分の改善の要請IR-1についての乙による甲との協議は、令和8年12月1日9時00分に行われた。');
  });

  it('takes a consultationWithin set by an amendment from the requests after it, and none for those before', () => {
    const before = improvementRequested('IR-1', { at: '2026-05-01T09:00' });
    const after = improvementRequested('IR-2', { at: '2026-06-01T09:00' });
    given(contract(), before, amended({ at: '2026-05-15T00:00', policy: { consultationWithin: 'P7D' } }), after)
      .when(contractJudgedAt('2026-06-08T09:00:00.001'))
      .then(overdue(RULE, [after], '2026-06-08T09:00'), findings(RULE, 2), article('12', 'violation'));
  });

  it('says what is due by when, without a default note when the contract sets the deadline', () => {
    const outcome = given(contract({ policy: { consultationWithin: 'P14D' } }), improvementRequested('IR-1', { at: '2026-05-01T09:00' })).when(contractJudgedAt('2026-05-02T00:00'));
    expect(outcome.finding(RULE).message).toEqual({
      ja: '第12条（改善の指示）期限未到来：甲の令和8年5月1日9時00分の改善の要請IR-1についての乙による甲との協議の期限は令和8年5月15日9時00分であり、まだ行われていない。',
      en: 'Article 12 (Instructions for improvement) pending: the consultation (ImprovementConsultationHeld) on improvement request IR-1 of 2026-05-01T09:00:00+09:00: due by 2026-05-15T09:00:00+09:00, not done yet',
    });
  });

  it('is not applicable without requests', () => {
    given(contract())
      .when(contractJudgedAt('2026-06-01T00:00'))
      .then(noFinding(RULE), article('12', 'not_applicable'));
  });
});
