import {
  amended,
  approvalRevoked,
  article,
  CITY,
  collected,
  contract,
  contractJudgedAt,
  given,
  judgedAt,
  noFinding,
  staffed,
  subcontractApproved,
  subcontractRequested,
  subWorker,
  used,
  violation,
  findings,
} from './test-builders.js';

const RECORD_RULE = 'art6.subcontractor-not-approved';
const CONTRACT_RULE = 'art6.approval-without-request';
const S1 = subWorker('S-1', 'W-9');

describe('Article 6: art6.subcontractor-not-approved (record)', () => {
  const setup = [contract({ permitsSubcontracting: true }), staffed('W-9', { org: 'subcontractor:S-1' })];

  it('is violated by a subcontractor that was never approved', () => {
    const collection = collected({ by: S1 });
    given(setup, collection)
      .when(judgedAt('2026-06-01T00:00'))
      .then(violation(RECORD_RULE, [collection]), article('6', 'violation'));
  });

  it('is met when the subcontractor was approved before and the terms permit subcontracting', () => {
    given(setup, subcontractRequested('S-1'), subcontractApproved('S-1'), collected({ by: S1 }))
      .when(judgedAt('2026-06-01T00:00'))
      .then(noFinding(RECORD_RULE), article('6', 'compliant'));
  });

  it('is violated after the approval is revoked, with the revocation as evidence', () => {
    const before = collected({ by: S1, at: '2026-04-10T09:00' });
    const revocation = approvalRevoked('S-1', { at: '2026-04-15T00:00' });
    const after = used({ by: S1, at: '2026-04-20T09:00' });
    given(setup, subcontractRequested('S-1'), subcontractApproved('S-1'), before, revocation, after)
      .when(judgedAt('2026-06-01T00:00'))
      .then(violation(RECORD_RULE, [after, revocation]), findings(RECORD_RULE, 1));
  });

  it('is met again after a new approval following a revocation', () => {
    given(
      setup,
      subcontractRequested('S-1'),
      subcontractApproved('S-1', { at: '2026-03-20T00:00' }),
      approvalRevoked('S-1', { at: '2026-03-25T00:00' }),
      subcontractApproved('S-1', { at: '2026-04-01T00:00' }),
      collected({ by: S1, at: '2026-04-10T09:00' }),
    )
      .when(judgedAt('2026-06-01T00:00'))
      .then(noFinding(RECORD_RULE));
  });

  it('is violated when the terms do not permit subcontracting, even with an approval', () => {
    const collection = collected({ by: S1 });
    given(contract({ permitsSubcontracting: false }), staffed('W-9', { org: 'subcontractor:S-1' }), subcontractRequested('S-1'), subcontractApproved('S-1'), collection)
      .when(judgedAt('2026-06-01T00:00'))
      .then(violation(RECORD_RULE, [collection]));
  });

  it('reads the terms in force at each event: an amendment withdrawing subcontracting between two events', () => {
    const after = used({ by: S1, at: '2026-05-10T09:00' });
    given(
      setup,
      subcontractRequested('S-1'),
      subcontractApproved('S-1'),
      collected({ by: S1, at: '2026-04-10T09:00' }),
      amended({ at: '2026-05-01T00:00', permitsSubcontracting: false }),
      after,
    )
      .when(judgedAt('2026-06-01T00:00'))
      .then(violation(RECORD_RULE, [after]), findings(RECORD_RULE, 1));
  });

  it('is violated by an event before the approval (granted only after the act)', () => {
    const collection = collected({ by: S1, at: '2026-04-10T09:00' });
    given(setup, subcontractRequested('S-1'), collection, subcontractApproved('S-1', { at: '2026-04-11T00:00' }))
      .when(judgedAt('2026-06-01T00:00'))
      .then(violation(RECORD_RULE, [collection]));
  });

  it('is not applicable to the contractor\'s and the city\'s own events', () => {
    given(contract(), staffed('W-1'), collected({ by: CITY }), used())
      .when(judgedAt('2026-06-01T00:00'))
      .then(noFinding(RECORD_RULE), article('6', 'not_applicable'));
  });

  it('says which subcontractor acted and why it was not approved', () => {
    const outcome = given(setup, collected({ by: S1, at: '2026-04-10T09:00' })).when(judgedAt('2026-06-01T00:00'));
    expect(outcome.finding(RECORD_RULE).message).toEqual({
      ja: '第6条（再委託の制限等）違反: 再委託先 S-1 が記録 R-1 の収集（2026-04-10T09:00:00+09:00）を行いましたが、甲の承認（SubcontractApproved）がありません',
      en: 'Article 6 (Restrictions on subcontracting) violated: subcontractor S-1 did the collection of record R-1 at 2026-04-10T09:00:00+09:00, but the city never approved it (no SubcontractApproved)',
    });
  });
});

describe('Article 6: art6.approval-without-request (contract)', () => {
  it('is violated by an approval with no request before it', () => {
    const approval = subcontractApproved('S-1');
    given(contract({ permitsSubcontracting: true }), approval)
      .when(contractJudgedAt('2026-06-01T00:00'))
      .then(violation(CONTRACT_RULE, [approval]), article('6', 'violation'));
  });

  it('is violated when the request had no draft memorandum attached, with the request as evidence', () => {
    const request = subcontractRequested('S-1', { draft: false, at: '2026-03-10T00:00' });
    const approval = subcontractApproved('S-1', { at: '2026-03-20T00:00' });
    given(contract({ permitsSubcontracting: true }), request, approval)
      .when(contractJudgedAt('2026-06-01T00:00'))
      .then(violation(CONTRACT_RULE, [approval, request]));
  });

  it('is met by an earlier request with the draft memorandum attached', () => {
    given(
      contract({ permitsSubcontracting: true }),
      subcontractRequested('S-1', { at: '2026-03-10T00:00' }),
      subcontractApproved('S-1', { at: '2026-03-20T00:00' }),
    )
      .when(contractJudgedAt('2026-06-01T00:00'))
      .then(noFinding(CONTRACT_RULE), article('6', 'compliant'));
  });

  it('does not count a request for another subcontractor, or one made after the approval', () => {
    const approval = subcontractApproved('S-1', { at: '2026-03-20T00:00' });
    given(
      contract({ permitsSubcontracting: true }),
      subcontractRequested('S-2', { at: '2026-03-10T00:00' }),
      approval,
      subcontractRequested('S-1', { at: '2026-03-21T00:00' }),
    )
      .when(contractJudgedAt('2026-06-01T00:00'))
      .then(violation(CONTRACT_RULE, [approval]));
  });

  it('does not require the approval to cite the same applicationRef as the request', () => {
    given(
      contract({ permitsSubcontracting: true }),
      subcontractRequested('S-1', { at: '2026-03-10T00:00', ref: 'APP-7' }),
      subcontractApproved('S-1', { at: '2026-03-20T00:00', ref: 'APP-7-rev1' }),
    )
      .when(contractJudgedAt('2026-06-01T00:00'))
      .then(noFinding(CONTRACT_RULE));
  });

  it('is not applicable without approvals', () => {
    given(contract(), subcontractRequested('S-1'))
      .when(contractJudgedAt('2026-06-01T00:00'))
      .then(article('6', 'not_applicable'));
  });
});
