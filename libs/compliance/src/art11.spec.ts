import {
  article,
  briefed,
  CITY,
  collected,
  contract,
  contractJudgedAt,
  departed,
  given,
  judgedAt,
  met,
  noFinding,
  overdue,
  pending,
  pledged,
  staffed,
  subWorker,
  used,
  violation,
  worker,
  workerAuthorized,
  workerRevoked,
  findings,
  amended,
} from './test-builders.js';

const RECORD_RULE = 'art11.unauthorized-handler';
const CONTRACT_RULE = 'art11.pledge-missing';

describe('Article 11: art11.unauthorized-handler (record)', () => {
  it('is violated by a worker never authorized', () => {
    const collection = collected({ by: worker('W-1') });
    given(contract(), briefed('W-1', ['confidentiality', 'penalties']), collection)
      .when(judgedAt('2026-06-01T00:00'))
      .then(violation(RECORD_RULE, [collection]), article('11', 'violation'));
  });

  it('is met by a worker authorized before the event', () => {
    given(contract(), staffed('W-1'), collected())
      .when(judgedAt('2026-06-01T00:00'))
      .then(noFinding(RECORD_RULE), article('11', 'compliant'));
  });

  it('is violated after the worker\'s authorization is revoked, with the revocation as evidence', () => {
    const revocation = workerRevoked('W-1', { at: '2026-04-15T00:00' });
    const later = used({ at: '2026-04-20T09:00' });
    given(contract(), staffed('W-1'), collected({ at: '2026-04-10T09:00' }), revocation, later)
      .when(judgedAt('2026-06-01T00:00'))
      .then(violation(RECORD_RULE, [later, revocation]), findings(RECORD_RULE, 1));
  });

  it('is violated after the worker departed', () => {
    const departure = departed('W-1', { at: '2026-04-15T00:00' });
    const later = used({ at: '2026-04-20T09:00' });
    given(contract(), staffed('W-1'), collected({ at: '2026-04-10T09:00' }), departure, later)
      .when(judgedAt('2026-06-01T00:00'))
      .then(violation(RECORD_RULE, [later, departure]));
  });

  it('treats a revocation at the very instant of the event as in effect', () => {
    const revocation = workerRevoked('W-1', { at: '2026-04-10T09:00' });
    const collection = collected({ at: '2026-04-10T09:00' });
    given(contract(), staffed('W-1', { at: '2026-04-01T00:00' }), revocation, collection)
      .when(judgedAt('2026-06-01T00:00'))
      .then(violation(RECORD_RULE, [collection, revocation]));
  });

  it('is met again once the worker is authorized anew', () => {
    given(
      contract(),
      staffed('W-1', { at: '2026-03-01T00:00' }),
      departed('W-1', { at: '2026-03-10T00:00' }),
      workerAuthorized('W-1', { at: '2026-04-01T00:00' }),
      collected({ at: '2026-04-10T09:00' }),
    )
      .when(judgedAt('2026-06-01T00:00'))
      .then(noFinding(RECORD_RULE));
  });

  it('is violated by an event before the authorization', () => {
    const collection = collected({ at: '2026-04-10T09:00' });
    given(contract(), collection, workerAuthorized('W-1', { at: '2026-04-11T00:00' }))
      .when(judgedAt('2026-06-01T00:00'))
      .then(violation(RECORD_RULE, [collection]));
  });

  it('requires the authorization to be for the org the worker acted for', () => {
    const collection = collected({ by: subWorker('S-1', 'W-1') });
    given(contract(), staffed('W-1', { org: 'contractor' }), collection)
      .when(judgedAt('2026-06-01T00:00'))
      .then(violation(RECORD_RULE, [collection]));
  });

  it('exempts the city (not applicable when only the city handled the record)', () => {
    given(contract(), collected({ by: CITY }))
      .when(judgedAt('2026-06-01T00:00'))
      .then(article('11', 'not_applicable'));
  });

  it('says who acted and since when they were no longer authorized', () => {
    const outcome = given(
      contract(),
      staffed('W-1'),
      departed('W-1', { at: '2026-04-15T00:00' }),
      collected({ at: '2026-04-20T09:00' }),
    ).when(judgedAt('2026-06-01T00:00'));
    expect(outcome.finding(RECORD_RULE).message).toEqual({
      ja: '第11条（業務従事者の監督等）違反: 業務従事者 W-1 が記録 R-1 の収集（2026-04-20T09:00:00+09:00）を行いましたが、2026-04-15T00:00:00+09:00 に退職しています',
      en: 'Article 11 (Supervision of workers, etc.) violated: worker W-1 did the collection of record R-1 at 2026-04-20T09:00:00+09:00, but they departed at 2026-04-15T00:00:00+09:00',
    });
  });
});

describe('Article 11: art11.pledge-missing (contract)', () => {
  const departure = departed('W-1', { at: '2026-05-01T12:00' });

  it('is met by a pledge within pledgeWithin (P1D) of the departure, exactly at the due time', () => {
    const pledge = pledged('W-1', { at: '2026-05-02T12:00' });
    given(contract(), staffed('W-1'), departure, pledge)
      .when(contractJudgedAt('2026-06-01T00:00'))
      .then(met(CONTRACT_RULE, [departure, pledge], '2026-05-02T12:00'), article('11', 'compliant'));
  });

  it('is violated by a pledge 1 ms after the due time', () => {
    const pledge = pledged('W-1', { at: '2026-05-02T12:00:00.001' });
    given(contract(), staffed('W-1'), departure, pledge)
      .when(contractJudgedAt('2026-06-01T00:00'))
      .then(overdue(CONTRACT_RULE, [departure, pledge], '2026-05-02T12:00'), article('11', 'violation'));
  });

  it('is pending while asOf is at or before the due time', () => {
    given(contract(), staffed('W-1'), departure)
      .when(contractJudgedAt('2026-05-02T12:00'))
      .then(pending(CONTRACT_RULE, [departure], '2026-05-02T12:00'), article('11', 'pending'));
  });

  it('is violated with no pledge once asOf is past due', () => {
    given(contract(), staffed('W-1'), departure)
      .when(contractJudgedAt('2026-05-02T12:00:00.001'))
      .then(overdue(CONTRACT_RULE, [departure], '2026-05-02T12:00'));
  });

  it('counts a pledge given before the departure ("at any time")', () => {
    const pledge = pledged('W-1', { at: '2026-04-01T00:00' });
    given(contract(), staffed('W-1'), pledge, departure)
      .when(contractJudgedAt('2026-06-01T00:00'))
      .then(met(CONTRACT_RULE, [departure, pledge], '2026-05-02T12:00'));
  });

  it('does not count a pledge of another worker', () => {
    given(contract(), staffed('W-1'), departure, pledged('W-2', { at: '2026-05-01T13:00' }))
      .when(contractJudgedAt('2026-06-01T00:00'))
      .then(overdue(CONTRACT_RULE, [departure], '2026-05-02T12:00'));
  });

  it('needs a new pledge for a second departure', () => {
    const first = departed('W-1', { at: '2026-04-01T00:00' });
    const pledge = pledged('W-1', { at: '2026-04-01T10:00' });
    const second = departed('W-1', { at: '2026-05-01T12:00' });
    given(contract(), staffed('W-1'), first, pledge, workerAuthorized('W-1', { at: '2026-04-10T00:00' }), second)
      .when(contractJudgedAt('2026-06-01T00:00'))
      .then(met(CONTRACT_RULE, [first, pledge], '2026-04-02T00:00'), overdue(CONTRACT_RULE, [second], '2026-05-02T12:00'));
  });

  it('uses the pledgeWithin in force at the departure', () => {
    const pledge = pledged('W-1', { at: '2026-05-04T12:00' });
    given(contract(), staffed('W-1'), amended({ at: '2026-04-01T00:00', policy: { pledgeWithin: 'P3D' } }), departure, pledge)
      .when(contractJudgedAt('2026-06-01T00:00'))
      .then(met(CONTRACT_RULE, [departure, pledge], '2026-05-04T12:00'));
  });

  it('is not applicable without departures', () => {
    given(contract(), staffed('W-1'))
      .when(contractJudgedAt('2026-06-01T00:00'))
      .then(article('11', 'not_applicable'));
  });
});
