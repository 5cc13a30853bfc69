import {
  article,
  briefed,
  CITY,
  collected,
  contract,
  given,
  judgedAt,
  noFinding,
  subWorker,
  used,
  violation,
  worker,
  workerAuthorized,
  findings,
} from './test-builders.js';

const RULE = 'art4.worker-not-briefed';

describe('Article 4: art4.worker-not-briefed', () => {
  it('is violated by a record event of a worker never briefed on confidentiality', () => {
    const collection = collected({ by: worker('W-1') });
    given(contract(), workerAuthorized('W-1'), briefed('W-1', ['penalties']), collection)
      .when(judgedAt('2026-06-01T00:00'))
      .then(violation(RULE, [collection]), article('4', 'violation'));
  });

  it('is met when the worker was briefed on confidentiality before the event', () => {
    given(contract(), workerAuthorized('W-1'), briefed('W-1', ['confidentiality']), collected({ by: worker('W-1') }))
      .when(judgedAt('2026-06-01T00:00'))
      .then(noFinding(RULE), article('4', 'compliant'));
  });

  it('counts a briefing at the very instant of the event, but not one 1 ms later', () => {
    const early = used({ at: '2026-04-10T09:59:59.999' });
    given(
      contract(),
      workerAuthorized('W-1'),
      collected({ at: '2026-04-10T09:00', by: CITY }),
      early,
      briefed('W-1', ['confidentiality'], { at: '2026-04-10T10:00' }),
      used({ at: '2026-04-10T10:00' }),
    )
      .when(judgedAt('2026-06-01T00:00'))
      .then(violation(RULE, [early]), findings(RULE, 1));
  });

  it('judges each worker by their own briefing', () => {
    const byW2 = used({ by: worker('W-2'), at: '2026-04-11T09:00' });
    given(
      contract(),
      workerAuthorized('W-1'),
      workerAuthorized('W-2'),
      briefed('W-1', ['confidentiality']),
      collected({ by: worker('W-1') }),
      byW2,
    )
      .when(judgedAt('2026-06-01T00:00'))
      .then(violation(RULE, [byW2]), findings(RULE, 1));
  });

  it('applies to subcontractor workers', () => {
    const collection = collected({ by: subWorker('S-1', 'W-9') });
    given(contract(), collection)
      .when(judgedAt('2026-06-01T00:00'))
      .then(violation(RULE, [collection]));
  });

  it('exempts the city\'s own events (not applicable when the city alone handled the record)', () => {
    given(contract(), collected({ by: CITY }))
      .when(judgedAt('2026-06-01T00:00'))
      .then(noFinding(RULE), article('4', 'not_applicable'));
  });

  it('hides a briefing not yet known at knownAt, and counts it once known', () => {
    const collection = collected({ at: '2026-04-10T09:00', recordedAt: '2026-04-10T09:00' });
    const scenario = given(
      contract(),
      workerAuthorized('W-1'),
      briefed('W-1', ['confidentiality'], { at: '2026-04-01T00:00', recordedAt: '2026-05-01T00:00' }),
      collection,
    );
    scenario.when(judgedAt('2026-06-01T00:00', { knownAt: '2026-04-20T00:00' })).then(violation(RULE, [collection]));
    scenario.when(judgedAt('2026-06-01T00:00', { knownAt: '2026-05-01T00:00' })).then(noFinding(RULE));
  });

  it('says which worker handled what without the briefing, in audit style (v2), as the contractor\'s finding', () => {
    const outcome = given(contract(), workerAuthorized('W-1'), collected({ at: '2026-04-10T09:00' })).when(judgedAt('2026-06-01T00:00'));
    const { message } = outcome.finding(RULE);
    expect(message.ja).toBe(
      '第4条（業務従事者への周知）違反：乙は、業務従事者W-1に秘密保持に関する周知を行わないまま、保有個人情報（R-1）の収集（令和8年4月10日9時00分）を行わせた。',
    );
    expect(outcome.finding(RULE).party).toBe('contractor');
    expect(message.en).toBe(
      'Article 4 (Informing workers) violated: worker W-1 handled the record without having been briefed on confidentiality (WorkerBriefed: confidentiality): collection of record R-1 at 2026-04-10T09:00:00+09:00',
    );
  });
});
