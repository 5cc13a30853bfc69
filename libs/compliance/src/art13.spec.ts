import {
  amended,
  article,
  CITY,
  collected,
  contract,
  copied,
  given,
  granted,
  judgedAt,
  met,
  noFinding,
  overall,
  overdue,
  pending,
  staffed,
  transportCompleted,
  transportStarted,
  violation,
  findings,
  party,
} from './test-builders.js';

const base = [contract(), staffed('W-1'), collected({ at: '2026-04-10T09:00' })];

describe('Article 13: art13.insufficient-safeguards', () => {
  const RULE = 'art13.insufficient-safeguards';

  it('is violated by an electronic transport without encryption', () => {
    const start = transportStarted('T-1', { medium: 'electronic', safeguards: ['tracked'] });
    given(base, start)
      .when(judgedAt('2026-06-01T00:00'))
      .then(violation(RULE, [start]), article('13', 'violation'));
  });

  it('is violated by a paper transport neither sealed nor in a locked container', () => {
    const start = transportStarted('T-1', { medium: 'paper', safeguards: ['escorted', 'tracked'] });
    given(base, start)
      .when(judgedAt('2026-06-01T00:00'))
      .then(violation(RULE, [start]));
  });

  it.each([
    ['electronic', ['encrypted']],
    ['paper', ['sealed']],
    ['paper', ['locked_container']],
  ] as const)('is met by a %s transport with %j', (medium, safeguards) => {
    given(base, transportStarted('T-1', { medium, safeguards: [...safeguards], at: '2026-04-11T09:00' }), transportCompleted('T-1', { at: '2026-04-11T12:00' }))
      .when(judgedAt('2026-06-01T00:00'))
      .then(noFinding(RULE), article('13', 'compliant'));
  });

  it('does not accept encryption for paper', () => {
    const start = transportStarted('T-1', { medium: 'paper', safeguards: ['encrypted'] });
    given(base, start)
      .when(judgedAt('2026-06-01T00:00'))
      .then(violation(RULE, [start]));
  });

  it('names the transport, the holding and the missing safeguard in words, in audit style (v2)', () => {
    const outcome = given(base, granted('copy', 'A-1'), copied('C-1', { at: '2026-04-10T10:00' }), transportStarted('T-1', { copyId: 'C-1', medium: 'paper', safeguards: [], at: '2026-04-11T09:00' }))
      .when(judgedAt('2026-04-11T10:00'));
    expect(outcome.finding(RULE).message).toEqual({
      ja: '第13条（記録の搬送等）違反：乙は、令和8年4月11日9時00分に保有個人情報（R-1）の複製物C-1を紙媒体でDC-OKAYAMA-1からCITY-HALLまで搬送（T-1）したが、封緘又は施錠できる容器の措置を講じていない。',
      en: 'Article 13 (Transport of records, etc.) violated: transport T-1 of copy C-1 of record R-1 (paper, DC-OKAYAMA-1 → CITY-HALL, 2026-04-11T09:00:00+09:00) lacks a seal (sealed) or a locked container (locked_container)',
    });
  });
});

describe('Article 13: art13.transport-overdue', () => {
  const RULE = 'art13.transport-overdue';

  it('is met when completed exactly at expectedArrivalAt', () => {
    const start = transportStarted('T-1', { at: '2026-04-11T09:00', expectedArrivalAt: '2026-04-11T17:00' });
    const done = transportCompleted('T-1', { at: '2026-04-11T17:00' });
    given(base, start, done)
      .when(judgedAt('2026-06-01T00:00'))
      .then(met(RULE, [start, done], '2026-04-11T17:00'), article('13', 'compliant'));
  });

  it('is violated when completed 1 ms after expectedArrivalAt', () => {
    const start = transportStarted('T-1', { at: '2026-04-11T09:00', expectedArrivalAt: '2026-04-11T17:00' });
    const done = transportCompleted('T-1', { at: '2026-04-11T17:00:00.001' });
    given(base, start, done)
      .when(judgedAt('2026-06-01T00:00'))
      .then(overdue(RULE, [start, done], '2026-04-11T17:00'), article('13', 'violation'));
  });

  it('is due within transportWithin (v2 default PT24H, was PT72H) when no expectedArrivalAt is given', () => {
    const start = transportStarted('T-1', { at: '2026-04-11T09:00' });
    given(base, start)
      .when(judgedAt('2026-04-12T09:00'))
      .then(pending(RULE, [start], '2026-04-12T09:00'), article('13', 'pending'), overall('pending'));
  });

  it('is violated once asOf is 1 ms past the default due time with no completion', () => {
    const start = transportStarted('T-1', { at: '2026-04-11T09:00' });
    given(base, start)
      .when(judgedAt('2026-04-12T09:00:00.001'))
      .then(overdue(RULE, [start], '2026-04-12T09:00'), article('13', 'violation'));
  });

  it('keeps the v1 deadline where the contract sets transportWithin PT72H itself', () => {
    const start = transportStarted('T-1', { at: '2026-04-11T09:00' });
    const scenario = given(contract({ policy: { transportWithin: 'PT72H' } }), staffed('W-1'), collected({ at: '2026-04-10T09:00' }), start);
    scenario.when(judgedAt('2026-04-14T09:00')).then(pending(RULE, [start], '2026-04-14T09:00'));
    scenario.when(judgedAt('2026-04-14T09:00:00.001')).then(overdue(RULE, [start], '2026-04-14T09:00'));
  });

  it('uses the transportWithin in force when the transport started (amended before it)', () => {
    const start = transportStarted('T-1', { at: '2026-04-11T09:00' });
    given(base, amended({ at: '2026-04-01T00:00', policy: { transportWithin: 'PT4H' } }), start)
      .when(judgedAt('2026-04-11T12:00'))
      .then(pending(RULE, [start], '2026-04-11T13:00'));
  });

  it('keeps the earlier deadline when the policy is amended after the transport started', () => {
    const start = transportStarted('T-1', { at: '2026-04-11T09:00' });
    given(base, start, amended({ at: '2026-04-11T10:00', policy: { transportWithin: 'PT4H' } }))
      .when(judgedAt('2026-04-12T00:00'))
      .then(pending(RULE, [start], '2026-04-12T09:00'));
  });

  it('pairs each start with the completion of the same transportId', () => {
    const t1 = transportStarted('T-1', { at: '2026-04-11T09:00' });
    const t2 = transportStarted('T-2', { at: '2026-04-11T10:00' });
    const done2 = transportCompleted('T-2', { at: '2026-04-11T11:00' });
    given(base, t1, t2, done2)
      .when(judgedAt('2026-04-20T00:00'))
      .then(met(RULE, [t2, done2], '2026-04-12T10:00'), overdue(RULE, [t1], '2026-04-12T09:00'), findings(RULE, 2));
  });

  it('closes the earliest open start of a reused transportId first', () => {
    const first = transportStarted('T-1', { at: '2026-04-11T09:00', expectedArrivalAt: '2026-04-11T12:00' });
    const second = transportStarted('T-1', { at: '2026-04-11T10:00', expectedArrivalAt: '2026-04-11T13:00' });
    const done = transportCompleted('T-1', { at: '2026-04-11T11:00' });
    given(base, first, second, done)
      .when(judgedAt('2026-04-11T13:00'))
      .then(met(RULE, [first, done], '2026-04-11T12:00'), pending(RULE, [second], '2026-04-11T13:00'), findings(RULE, 2));
  });

  it('accepts a completion by the city', () => {
    const start = transportStarted('T-1', { at: '2026-04-11T09:00' });
    const done = transportCompleted('T-1', { at: '2026-04-11T12:00', by: CITY });
    given(base, start, done)
      .when(judgedAt('2026-06-01T00:00'))
      .then(met(RULE, [start, done], '2026-04-12T09:00'));
  });

  it('sees a late-arriving completion only from its knownAt on', () => {
    const start = transportStarted('T-1', { at: '2026-04-11T09:00' });
    const done = transportCompleted('T-1', { at: '2026-04-11T12:00', recordedAt: '2026-04-20T00:00' });
    const scenario = given(base, start, done);
    scenario.when(judgedAt('2026-04-19T00:00')).then(overdue(RULE, [start], '2026-04-12T09:00'));
    scenario.when(judgedAt('2026-04-20T00:00')).then(met(RULE, [start, done], '2026-04-12T09:00'));
  });

  it('places a late-arriving start before the completion it answers', () => {
    const start = transportStarted('T-1', { at: '2026-04-11T09:00', recordedAt: '2026-04-11T13:00' });
    const done = transportCompleted('T-1', { at: '2026-04-11T12:00', recordedAt: '2026-04-11T12:00' });
    given(base, done, start)
      .when(judgedAt('2026-04-20T00:00'))
      .then(met(RULE, [start, done], '2026-04-12T09:00'), noFinding('art13.completion-without-start'));
  });

  it('says what is due when, and that the deadline is the ledger\'s default (v2)', () => {
    const outcome = given(base, transportStarted('T-1', { at: '2026-04-11T09:00' })).when(judgedAt('2026-04-12T00:00'));
    expect(outcome.finding(RULE).message).toEqual({
      ja: '第13条（記録の搬送等）期限未到来：乙が令和8年4月11日9時00分に開始した搬送T-1（DC-OKAYAMA-1からCITY-HALLまで）の完了の期限は令和8年4月12日9時00分であり、まだ行われていない。（覚書に期限の定めがないため既定値（24時間）で判定）',
      en: 'Article 13 (Transport of records, etc.) pending: the completion (TransportCompleted) of transport T-1 (DC-OKAYAMA-1 → CITY-HALL) started at 2026-04-11T09:00:00+09:00: due by 2026-04-12T09:00:00+09:00, not done yet (the memorandum sets no deadline: judged with the default PT24H)',
    });
  });

  it('says nothing of a default when the producer gave expectedArrivalAt or the contract set transportWithin', () => {
    const byProducer = given(base, transportStarted('T-1', { at: '2026-04-11T09:00', expectedArrivalAt: '2026-04-11T17:00' })).when(judgedAt('2026-04-11T10:00'));
    expect(byProducer.finding(RULE).message.ja).toBe(
      '第13条（記録の搬送等）期限未到来：乙が令和8年4月11日9時00分に開始した搬送T-1（DC-OKAYAMA-1からCITY-HALLまで）の完了の期限は令和8年4月11日17時00分であり、まだ行われていない。',
    );
    const byContract = given(contract({ policy: { transportWithin: 'PT24H' } }), staffed('W-1'), collected({ at: '2026-04-10T09:00' }), transportStarted('T-1', { at: '2026-04-11T09:00' }))
      .when(judgedAt('2026-04-11T10:00'));
    expect(byContract.finding(RULE).message.ja).not.toContain('既定値');
    expect(byContract.finding(RULE).message.en).not.toContain('default');
  });
});

describe('Article 13: art13.completion-without-start', () => {
  const RULE = 'art13.completion-without-start';

  it('is violated by a completion of a transport never started for this record', () => {
    const done = transportCompleted('T-9', { at: '2026-04-11T12:00' });
    given(base, transportStarted('T-1', { at: '2026-04-11T09:00', record: 'R-2' }), done)
      .when(judgedAt('2026-06-01T00:00'))
      .then(violation(RULE, [done]), article('13', 'violation'));
  });

  it('is violated by a completion before its start (by occurredAt)', () => {
    const done = transportCompleted('T-1', { at: '2026-04-11T08:00' });
    given(base, done, transportStarted('T-1', { at: '2026-04-11T09:00' }))
      .when(judgedAt('2026-04-12T00:00'))
      .then(violation(RULE, [done]));
  });

  it('is met by a completion of a started transport', () => {
    given(base, transportStarted('T-1', { at: '2026-04-11T09:00' }), transportCompleted('T-1', { at: '2026-04-11T12:00' }))
      .when(judgedAt('2026-06-01T00:00'))
      .then(noFinding(RULE));
  });

  it('does not count a second completion of the same transport as one without start', () => {
    given(base, transportStarted('T-1', { at: '2026-04-11T09:00' }), transportCompleted('T-1', { at: '2026-04-11T12:00' }), transportCompleted('T-1', { at: '2026-04-11T13:00' }))
      .when(judgedAt('2026-06-01T00:00'))
      .then(noFinding(RULE), article('13', 'compliant'));
  });

  it('is the city\'s finding when the city recorded the completion (v2: party of the actor)', () => {
    const done = transportCompleted('T-9', { at: '2026-04-11T12:00', by: CITY });
    given(base, done)
      .when(judgedAt('2026-06-01T00:00'))
      .then(violation(RULE, [done]), party(RULE, 'city'), article('13', 'compliant'), overall('compliant'));
  });

  it('says which completion had no start, in audit style', () => {
    const outcome = given(base, transportCompleted('T-9', { at: '2026-04-11T12:00' })).when(judgedAt('2026-06-01T00:00'));
    expect(outcome.finding(RULE).message).toEqual({
      ja: '第13条（記録の搬送等）違反：令和8年4月11日12時00分に搬送T-9の完了（受領者CITY-STAFF-7）が記録されたが、保有個人情報（R-1）についてその搬送の開始の記録がない。',
      en: 'Article 13 (Transport of records, etc.) violated: transport T-9 was completed at 2026-04-11T12:00:00+09:00 (received by CITY-STAFF-7) but never started for record R-1 (no TransportStarted at or before it)',
    });
  });

  it('is not applicable to a record never transported', () => {
    given(base)
      .when(judgedAt('2026-06-01T00:00'))
      .then(article('13', 'not_applicable'));
  });
});
