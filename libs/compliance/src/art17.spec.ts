import {
  article,
  briefed,
  CITY,
  collected,
  contract,
  copied,
  given,
  granted,
  judgedAt,
  noFinding,
  subWorker,
  violation,
  worker,
  workerAuthorized,
  findings,
} from './test-builders.js';

const RULE = 'art17.worker-not-briefed';

describe('Article 17: art17.worker-not-briefed', () => {
  it('is violated by a record event of a worker briefed on confidentiality only, not on penalties', () => {
    const collection = collected({ by: worker('W-1') });
    given(contract(), workerAuthorized('W-1'), briefed('W-1', ['confidentiality']), collection)
      .when(judgedAt('2026-06-01T00:00'))
      .then(violation(RULE, [collection]), article('17', 'violation'), noFinding('art4.worker-not-briefed'));
  });

  it('is met when the worker was briefed on penalties before the event', () => {
    given(contract(), workerAuthorized('W-1'), briefed('W-1', ['penalties']), collected())
      .when(judgedAt('2026-06-01T00:00'))
      .then(noFinding(RULE), article('17', 'compliant'));
  });

  it('flags only the events before the briefing', () => {
    const early = collected({ at: '2026-04-10T09:00' });
    given(
      contract(),
      workerAuthorized('W-1'),
      granted('copy', 'A-1'),
      early,
      briefed('W-1', ['penalties'], { at: '2026-04-10T12:00' }),
      copied('C-1', { at: '2026-04-10T12:00' }),
    )
      .when(judgedAt('2026-06-01T00:00'))
      .then(violation(RULE, [early]), findings(RULE, 1));
  });

  it('applies to subcontractor workers and exempts the city', () => {
    const bySub = copied('C-1', { by: subWorker('S-1', 'W-9'), at: '2026-04-11T09:00' });
    given(contract(), collected({ by: CITY }), bySub)
      .when(judgedAt('2026-06-01T00:00'))
      .then(violation(RULE, [bySub]), findings(RULE, 1));
  });

  it('is not applicable when only the city handled the record', () => {
    given(contract(), collected({ by: CITY }))
      .when(judgedAt('2026-06-01T00:00'))
      .then(article('17', 'not_applicable'));
  });

  it('names the topic and the penal provisions, in audit style (v2)', () => {
    const outcome = given(contract(), workerAuthorized('W-1'), collected({ at: '2026-04-10T09:00' })).when(judgedAt('2026-06-01T00:00'));
    const { message } = outcome.finding(RULE);
    expect(message.ja).toBe('第17条（罰則等の周知）違反：乙は、業務従事者W-1に罰則（法第176条、第180条）に関する周知を行わないまま、保有個人情報（R-1）の収集（令和8年4月10日9時00分）を行わせた。');
    expect(message.en).toContain('Article 17 (Informing of penalties, etc.) violated: worker W-1 handled the record without having been briefed on penalties (Act Art. 176 and 180)');
  });
});
