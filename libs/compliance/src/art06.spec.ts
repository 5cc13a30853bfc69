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
  cityStatus,
  overall,
  party,
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

  it('says which subcontractor acted and why it was not approved, in audit style (v2)', () => {
    const outcome = given(setup, collected({ by: S1, at: '2026-04-10T09:00' })).when(judgedAt('2026-06-01T00:00'));
    expect(outcome.finding(RECORD_RULE).party).toBe('contractor');
    expect(outcome.finding(RECORD_RULE).message).toEqual({
      ja: '第6条（再委託の制限等）違反：再委託先S-1が保有個人情報（R-1）の収集（令和8年4月10日9時00分）を行ったが、甲の承認がない。',
      en: 'Article 6 (Restrictions on subcontracting) violated: subcontractor S-1 did the collection of record R-1 at 2026-04-10T09:00:00+09:00, but the city never approved it (no SubcontractApproved)',
    });
  });
});

describe('Article 6: art6.approval-without-request (contract)', () => {
  it('is the city\'s violation (v2: party city): an approval with no request before it leaves the contractor\'s Art. 6 compliant', () => {
    const approval = subcontractApproved('S-1');
    given(contract({ permitsSubcontracting: true }), approval)
      .when(contractJudgedAt('2026-06-01T00:00'))
      .then(violation(CONTRACT_RULE, [approval]), party(CONTRACT_RULE, 'city'), article('6', 'compliant'), overall('compliant'), cityStatus('violation'));
  });

  it('says what the city approved without a written application, in audit style', () => {
    const outcome = given(contract({ permitsSubcontracting: true }), subcontractApproved('S-1', { at: '2026-03-20T10:00' })).when(contractJudgedAt('2026-06-01T00:00'));
    expect(outcome.finding(CONTRACT_RULE).message).toEqual({
      ja: '第6条（再委託の制限等）違反：甲は、再委託先S-1の再委託を令和8年3月20日10時00分に承認したが、先行する書面による申請がない。',
      en: 'Article 6 (Restrictions on subcontracting) violated: the approval of subcontractor S-1 at 2026-03-20T10:00:00+09:00 was given although no SubcontractRequested preceded it',
    });
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
      .then(noFinding(CONTRACT_RULE), article('6', 'compliant'), cityStatus('compliant'));
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

describe('Article 6: art6.outside-approved-scope (record, v2)', () => {
  const RULE = 'art6.outside-approved-scope';
  const setup = [contract({ permitsSubcontracting: true }), staffed('W-1'), staffed('W-9', { org: 'subcontractor:S-1' })];
  // The record is collected with insured-number and care-level.
  const collection = collected({ at: '2026-04-10T09:00' });

  it('is met when every collected category is in the approved application\'s categories', () => {
    given(setup, subcontractRequested('S-1'), subcontractApproved('S-1'), collection, used({ by: S1, at: '2026-04-11T09:00' }))
      .when(judgedAt('2026-06-01T00:00'))
      .then(noFinding(RULE), noFinding(RECORD_RULE), article('6', 'compliant'));
  });

  it('is violated when a collected category is outside the application, with the approval and the request as evidence', () => {
    const request = subcontractRequested('S-1', { dataCategories: ['insured-number'] });
    const approval = subcontractApproved('S-1');
    const use = used({ by: S1, at: '2026-04-11T09:00' });
    given(setup, request, approval, collection, use)
      .when(judgedAt('2026-06-01T00:00'))
      .then(violation(RULE, [use, approval, request]), findings(RULE, 1), party(RULE, 'contractor'), noFinding(RECORD_RULE), article('6', 'violation'));
  });

  it('reads the request whose applicationRef the approval names, not another one of the same subcontractor', () => {
    given(
      setup,
      subcontractRequested('S-1', { ref: 'APP-1', dataCategories: ['insured-number'] }),
      subcontractRequested('S-1', { ref: 'APP-2', dataCategories: ['insured-number', 'care-level'] }),
      subcontractApproved('S-1', { ref: 'APP-2' }),
      collection,
      used({ by: S1, at: '2026-04-11T09:00' }),
    )
      .when(judgedAt('2026-06-01T00:00'))
      .then(noFinding(RULE));
    const use = used({ by: S1, at: '2026-04-11T09:00' });
    given(
      setup,
      subcontractRequested('S-1', { ref: 'APP-1', dataCategories: ['insured-number'] }),
      subcontractRequested('S-1', { ref: 'APP-2', dataCategories: ['insured-number', 'care-level'] }),
      subcontractApproved('S-1', { ref: 'APP-1' }),
      collection,
      use,
    )
      .when(judgedAt('2026-06-01T00:00'))
      .then(findings(RULE, 1));
  });

  it('takes every category as outside the scope when the approval names an application that is not known (or came after it)', () => {
    const approval = subcontractApproved('S-1', { ref: 'APP-UNKNOWN', at: '2026-03-20T00:00' });
    const use = used({ by: S1, at: '2026-04-11T09:00' });
    given(setup, approval, subcontractRequested('S-1', { ref: 'APP-UNKNOWN', at: '2026-03-21T00:00' }), collection, use)
      .when(judgedAt('2026-06-01T00:00'))
      .then(violation(RULE, [use, approval]), findings(RULE, 1));
  });

  it('does not count a request of another subcontractor with the same applicationRef', () => {
    const approval = subcontractApproved('S-1', { ref: 'APP-X' });
    const use = used({ by: S1, at: '2026-04-11T09:00' });
    given(setup, subcontractRequested('S-2', { ref: 'APP-X' }), approval, collection, use)
      .when(judgedAt('2026-06-01T00:00'))
      .then(violation(RULE, [use, approval]));
  });

  it('judges each act by the categories collected at or before it: a later collection widens them', () => {
    const use = used({ by: S1, at: '2026-04-12T09:00' });
    const request = subcontractRequested('S-1', { dataCategories: ['insured-number', 'care-level'] });
    const approval = subcontractApproved('S-1');
    given(
      setup,
      request,
      approval,
      collection,
      used({ by: S1, at: '2026-04-11T09:00' }),
      collected({ at: '2026-04-12T08:00', dataCategories: ['benefit-history'] }),
      use,
    )
      .when(judgedAt('2026-06-01T00:00'))
      .then(violation(RULE, [use, approval, request]), findings(RULE, 1));
  });

  it('is not judged for a subcontractor that is not approved (art6.subcontractor-not-approved says it), nor for the contractor\'s own workers', () => {
    const use = used({ by: S1, at: '2026-04-11T09:00' });
    given(setup, subcontractRequested('S-1', { dataCategories: [] }), collection, use, used({ at: '2026-04-11T10:00' }))
      .when(judgedAt('2026-06-01T00:00'))
      .then(noFinding(RULE), violation(RECORD_RULE, [use]));
  });

  it('finds nothing outside the scope on a record with no collection yet (Art. 7 reports that record)', () => {
    const use = used({ by: S1, at: '2026-04-11T09:00' });
    given(setup, subcontractRequested('S-1', { dataCategories: ['insured-number'] }), subcontractApproved('S-1'), use)
      .when(judgedAt('2026-06-01T00:00'))
      .then(noFinding(RULE), violation('art7.collection-missing', [use]));
  });

  it('names the categories and the application, in audit style', () => {
    const outcome = given(
      setup,
      subcontractRequested('S-1', { dataCategories: ['insured-number'] }),
      subcontractApproved('S-1'),
      collection,
      used({ by: S1, at: '2026-04-11T09:00' }),
    ).when(judgedAt('2026-06-01T00:00'));
    expect(outcome.finding(RULE).message).toEqual({
      ja: '第6条（再委託の制限等）違反：再委託先S-1が保有個人情報（R-1）の利用（令和8年4月11日9時00分）を行ったが、この保有個人情報の項目care-levelは、承認された申請APP-S-1の「再委託先が取り扱う個人情報」に含まれていない。',
      en: 'Article 6 (Restrictions on subcontracting) violated: subcontractor S-1 did the use of record R-1 at 2026-04-11T09:00:00+09:00, but the record\'s categories care-level are outside the personal information of the approved application APP-S-1',
    });
  });
});
