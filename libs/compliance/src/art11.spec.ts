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
  copied,
  disposed,
  granted,
  returned,
  transportCompleted,
  transportStarted,
  party,
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

  it('says who acted and since when they were no longer authorized, in audit style (v2)', () => {
    const outcome = given(
      contract(),
      staffed('W-1'),
      departed('W-1', { at: '2026-04-15T00:00' }),
      collected({ at: '2026-04-20T09:00' }),
    ).when(judgedAt('2026-06-01T00:00'));
    expect(outcome.finding(RECORD_RULE).message).toEqual({
      ja: '第11条（業務従事者の監督等）違反：乙は、業務従事者W-1に保有個人情報（R-1）の収集（令和8年4月20日9時00分）を行わせたが、同人は令和8年4月15日0時00分に退職している。',
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

  it('counts a pledge given within pledgeLookback (P30D) before the departure, bound included (changed in v2: v1 took one "at any time")', () => {
    const pledge = pledged('W-1', { at: '2026-04-01T12:00' });
    given(contract(), staffed('W-1'), pledge, departure)
      .when(contractJudgedAt('2026-06-01T00:00'))
      .then(met(CONTRACT_RULE, [departure, pledge], '2026-05-02T12:00'));
  });

  it('does not count a pledge 1 ms before the lookback window, such as one given at hiring (v2)', () => {
    given(contract(), staffed('W-1'), pledged('W-1', { at: '2026-04-01T11:59:59.999' }), departure)
      .when(contractJudgedAt('2026-06-01T00:00'))
      .then(overdue(CONTRACT_RULE, [departure], '2026-05-02T12:00'), findings(CONTRACT_RULE, 1));
    given(contract(), staffed('W-1'), pledged('W-1', { at: '2026-03-15T09:00' }), departure)
      .when(contractJudgedAt('2026-05-02T00:00'))
      .then(pending(CONTRACT_RULE, [departure], '2026-05-02T12:00'));
  });

  it('uses the pledgeLookback in force at the departure', () => {
    const pledge = pledged('W-1', { at: '2026-03-10T12:00' });
    given(contract(), staffed('W-1'), pledge, amended({ at: '2026-04-01T00:00', policy: { pledgeLookback: 'P60D' } }), departure)
      .when(contractJudgedAt('2026-06-01T00:00'))
      .then(met(CONTRACT_RULE, [departure, pledge], '2026-05-02T12:00'));
  });

  it('says so when the deadline is the ledger\'s default, in audit style', () => {
    const outcome = given(contract(), staffed('W-1'), departure).when(contractJudgedAt('2026-06-01T00:00'));
    expect(outcome.finding(CONTRACT_RULE).message).toEqual({
      ja: '第11条（業務従事者の監督等）違反：令和8年5月1日12時00分に退職した業務従事者W-1の退職後の秘密保持に関する誓約書の提出は、期限である令和8年5月2日12時00分を過ぎても行われていない。（覚書に期限の定めがないため既定値（1日）で判定）',
      en: 'Article 11 (Supervision of workers, etc.) violated: the confidentiality pledge (WorkerPledgeSubmitted) of worker W-1, who departed at 2026-05-01T12:00:00+09:00: due by 2026-05-02T12:00:00+09:00, not done (the memorandum sets no deadline: judged with the default P1D)',
    });
    const explicit = given(contract({ policy: { pledgeWithin: 'P1D' } }), staffed('W-1'), departure).when(contractJudgedAt('2026-06-01T00:00'));
    expect(explicit.finding(CONTRACT_RULE).message.ja).not.toContain('既定値');
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

describe('Article 11: art11.holding-not-surrendered (record, v2)', () => {
  const RULE = 'art11.holding-not-surrendered';
  const setup = [contract(), staffed('W-1'), staffed('W-2'), granted('copy', 'A-1')];
  const collection = collected({ at: '2026-04-10T09:00', by: worker('W-2') });
  const copy = copied('C-1', { at: '2026-04-11T09:00', by: worker('W-1') });
  const departure = departed('W-1', { at: '2026-05-01T12:00' });

  it('is met when the departing worker\'s copy is returned exactly pledgeWithin (P1D) after the departure', () => {
    const back = returned({ copyId: 'C-1', at: '2026-05-02T12:00', by: worker('W-2') });
    given(setup, collection, copy, departure, back)
      .when(judgedAt('2026-06-01T00:00'))
      .then(met(RULE, [departure, back], '2026-05-02T12:00'), findings(RULE, 1), article('11', 'compliant'));
  });

  it('is violated when the copy is disposed of 1 ms late', () => {
    const disposal = disposed({ copyId: 'C-1', at: '2026-05-02T12:00:00.001', by: worker('W-2') });
    given(setup, collection, copy, departure, disposal)
      .when(judgedAt('2026-06-01T00:00'))
      .then(overdue(RULE, [departure, disposal], '2026-05-02T12:00'), party(RULE, 'contractor'), article('11', 'violation'));
  });

  it('is pending while asOf is at or before due, and violated 1 ms after', () => {
    const scenario = given(setup, collection, copy, departure);
    scenario.when(judgedAt('2026-05-02T12:00')).then(pending(RULE, [departure], '2026-05-02T12:00'), article('11', 'pending'));
    scenario.when(judgedAt('2026-05-02T12:00:00.001')).then(overdue(RULE, [departure], '2026-05-02T12:00'));
  });

  it('covers every holding the worker holds, original included, and closes with the last of them', () => {
    const last = returned({ at: '2026-05-02T10:00', by: worker('W-2') });
    given(setup, collected({ at: '2026-04-10T09:00', by: worker('W-1') }), copy, departure, disposed({ copyId: 'C-1', at: '2026-05-01T13:00', by: worker('W-2') }), last)
      .when(judgedAt('2026-06-01T00:00'))
      .then(met(RULE, [departure, last], '2026-05-02T12:00'), findings(RULE, 1));
  });

  it('does not cover what another worker holds, nor what was closed before the departure (a tie at the same instant goes by position)', () => {
    given(setup, collection, copy, disposed({ copyId: 'C-1', at: '2026-05-01T12:00', by: worker('W-2') }), departure)
      .when(judgedAt('2026-06-01T00:00'))
      .then(noFinding(RULE), article('11', 'compliant'));
  });

  it('follows the holder through a transport: the receivedBy of the latest TransportCompleted holds it', () => {
    const handOver = [transportStarted('T-1', { copyId: 'C-1', at: '2026-04-12T09:00' }), transportCompleted('T-1', { at: '2026-04-12T11:00', receivedBy: 'W-2' })];
    given(setup, collection, copy, handOver, departure)
      .when(judgedAt('2026-06-01T00:00'))
      .then(noFinding(RULE));
    const departureOfW2 = departed('W-2', { at: '2026-05-01T12:00' });
    given(setup, collection, copy, handOver, departureOfW2)
      .when(judgedAt('2026-06-01T00:00'))
      .then(overdue(RULE, [departureOfW2], '2026-05-02T12:00'), findings(RULE, 1));
  });

  it('does not ask for a holding that is in transit at the departure (the carrier has it)', () => {
    given(setup, collection, copy, transportStarted('T-1', { copyId: 'C-1', at: '2026-05-01T11:00', expectedArrivalAt: '2026-05-03T00:00' }), departure)
      .when(judgedAt('2026-05-02T00:00'))
      .then(noFinding(RULE));
  });

  it('uses the pledgeWithin in force at the departure and places a departure known late by its occurredAt', () => {
    given(setup, collection, copy, amended({ at: '2026-04-20T00:00', policy: { pledgeWithin: 'P3D' } }), departure)
      .when(judgedAt('2026-05-03T00:00'))
      .then(pending(RULE, [departure], '2026-05-04T12:00'));
    const late = departed('W-1', { at: '2026-05-01T12:00', recordedAt: '2026-05-10T00:00' });
    const scenario = given(setup, collection, copy, late);
    scenario.when(judgedAt('2026-06-01T00:00', { knownAt: '2026-05-09T00:00' })).then(noFinding(RULE));
    scenario.when(judgedAt('2026-06-01T00:00', { knownAt: '2026-05-10T00:00' })).then(overdue(RULE, [late], '2026-05-02T12:00'));
  });

  it('names the worker and the holdings, and says the deadline is the default', () => {
    const outcome = given(setup, collection, copy, departure).when(judgedAt('2026-06-01T00:00'));
    expect(outcome.finding(RULE).message).toEqual({
      ja: '第11条（業務従事者の監督等）違反：令和8年5月1日12時00分に退職した業務従事者W-1が保有していた保有個人情報（R-1）の複製物C-1の返還又は廃棄は、期限である令和8年5月2日12時00分を過ぎても行われていない。（覚書に期限の定めがないため既定値（1日）で判定）',
      en: 'Article 11 (Supervision of workers, etc.) violated: the return or disposal of copy C-1 of record R-1, held by worker W-1 who departed at 2026-05-01T12:00:00+09:00: due by 2026-05-02T12:00:00+09:00, not done (the memorandum sets no deadline: judged with the default P1D)',
    });
  });
});
