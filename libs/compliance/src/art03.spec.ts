import {
  article,
  CITY,
  collected,
  contract,
  given,
  judgedAt,
  noFinding,
  overall,
  party,
  responsiblePerson,
  staffedWorker,
  subWorker,
  used,
  violation,
  findings,
  worker,
} from './test-builders.js';

const RULE = 'art3.responsible-person-missing';

describe('Article 3: art3.responsible-person-missing (v2)', () => {
  it('is violated by the record\'s first event by a contractor worker with no responsible person designated', () => {
    const collection = collected({ at: '2026-04-10T09:00' });
    given(contract(), staffedWorker('W-1'), collection, used({ at: '2026-04-11T09:00' }))
      .when(judgedAt('2026-06-01T00:00'))
      .then(violation(RULE, [collection]), findings(RULE, 1), party(RULE, 'contractor'), article('3', 'violation'), overall('violation'));
  });

  it('is met by a designation at the very instant of the first event, and violated by one 1 ms later', () => {
    given(contract(), staffedWorker('W-1'), responsiblePerson({ at: '2026-04-10T09:00' }), collected({ at: '2026-04-10T09:00' }))
      .when(judgedAt('2026-06-01T00:00'))
      .then(noFinding(RULE), article('3', 'compliant'));
    const collection = collected({ at: '2026-04-10T09:00' });
    given(contract(), staffedWorker('W-1'), collection, responsiblePerson({ at: '2026-04-10T09:00:00.001' }))
      .when(judgedAt('2026-06-01T00:00'))
      .then(violation(RULE, [collection]));
  });

  it('judges only the first handling by a worker: a designation after it does not undo the finding, and later events are not judged again', () => {
    const collection = collected({ at: '2026-04-10T09:00' });
    given(contract(), staffedWorker('W-1'), collection, responsiblePerson({ at: '2026-04-10T12:00' }), used({ at: '2026-04-11T09:00' }), used({ at: '2026-04-12T09:00', by: worker('W-1') }))
      .when(judgedAt('2026-06-01T00:00'))
      .then(violation(RULE, [collection]), findings(RULE, 1));
  });

  it('skips the city\'s events: the first judged event is the first by a contractor or subcontractor worker', () => {
    const use = used({ at: '2026-04-11T09:00', by: subWorker('S-1', 'W-9') });
    given(contract(), collected({ at: '2026-04-10T09:00', by: CITY }), use)
      .when(judgedAt('2026-06-01T00:00'))
      .then(violation(RULE, [use]));
    given(contract(), collected({ at: '2026-04-10T09:00', by: CITY }))
      .when(judgedAt('2026-06-01T00:00'))
      .then(noFinding(RULE), article('3', 'not_applicable'));
  });

  it('places a late-arriving first event by its occurredAt, and counts a designation only once known', () => {
    const early = collected({ at: '2026-04-10T09:00', recordedAt: '2026-04-20T00:00' });
    given(contract(), staffedWorker('W-1'), responsiblePerson({ at: '2026-04-10T10:00' }), used({ at: '2026-04-11T09:00' }), early)
      .when(judgedAt('2026-06-01T00:00'))
      .then(violation(RULE, [early]));
    const collection = collected({ at: '2026-04-10T09:00', recordedAt: '2026-04-10T09:00' });
    const scenario = given(contract(), staffedWorker('W-1'), responsiblePerson({ at: '2026-04-01T00:00', recordedAt: '2026-04-15T00:00' }), collection);
    scenario.when(judgedAt('2026-06-01T00:00', { knownAt: '2026-04-14T00:00' })).then(violation(RULE, [collection]));
    scenario.when(judgedAt('2026-06-01T00:00', { knownAt: '2026-04-15T00:00' })).then(noFinding(RULE));
  });

  it('says who handled the record with no responsible person, in audit style', () => {
    const outcome = given(contract(), staffedWorker('W-1'), collected({ at: '2026-04-10T09:00' })).when(judgedAt('2026-06-01T00:00'));
    expect(outcome.finding(RULE).message).toEqual({
      ja: '第3条（責任者の指定）違反：乙は、個人情報受託管理責任者を置かないまま、業務従事者W-1に保有個人情報（R-1）の収集（令和8年4月10日9時00分）を行わせた。',
      en: 'Article 3 (Designation of the responsible person) violated: no responsible person (ResponsiblePersonDesignated) had been designated when worker W-1 first handled the record: collection of record R-1 at 2026-04-10T09:00:00+09:00',
    });
  });
});
