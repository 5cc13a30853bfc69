import {
  amended,
  article,
  authorizationRevoked,
  collected,
  contract,
  copied,
  ended,
  given,
  granted,
  judgedAt,
  noFinding,
  provided,
  staffed,
  used,
  violation,
  findings,
  returned,
  subcontractApproved,
  subcontractRequested,
  transportCompleted,
  transportStarted,
  approvalRevoked,
} from './test-builders.js';

const base = [contract({ purposes: ['care-insurance-operation'] }), staffed('W-1'), collected({ at: '2026-04-10T09:00' })];

describe('Article 8: art8.use-outside-purpose', () => {
  const RULE = 'art8.use-outside-purpose';

  it('is violated by a use for a purpose outside the contract without authorization', () => {
    const use = used({ purpose: 'marketing', at: '2026-04-11T09:00' });
    given(base, use)
      .when(judgedAt('2026-06-01T00:00'))
      .then(violation(RULE, [use]), article('8', 'violation'));
  });

  it('is met by a use for a contract purpose', () => {
    given(base, used({ purpose: 'care-insurance-operation', at: '2026-04-11T09:00' }))
      .when(judgedAt('2026-06-01T00:00'))
      .then(noFinding(RULE), article('8', 'compliant'));
  });

  it('is met by an outside use under a use_outside_purpose authorization covering the record', () => {
    given(base, granted('use_outside_purpose', 'A-1', { recordIds: ['R-1'] }), used({ purpose: 'statistics', at: '2026-04-11T09:00' }))
      .when(judgedAt('2026-06-01T00:00'))
      .then(noFinding(RULE));
  });

  it('is violated when that authorization was revoked before the use', () => {
    const use = used({ purpose: 'statistics', at: '2026-04-11T09:00' });
    given(base, granted('use_outside_purpose', 'A-1'), authorizationRevoked('A-1', { at: '2026-04-11T08:00' }), use)
      .when(judgedAt('2026-06-01T00:00'))
      .then(violation(RULE, [use]));
  });

  it('is violated when the authorization expired at the very instant of the use', () => {
    const use = used({ purpose: 'statistics', at: '2026-04-11T09:00' });
    given(base, granted('use_outside_purpose', 'A-1', { validUntil: '2026-04-11T09:00' }), use)
      .when(judgedAt('2026-06-01T00:00'))
      .then(violation(RULE, [use]));
  });

  it('does not accept an authorization of another kind', () => {
    const use = used({ purpose: 'statistics', at: '2026-04-11T09:00' });
    given(base, granted('copy', 'A-1'), use)
      .when(judgedAt('2026-06-01T00:00'))
      .then(violation(RULE, [use]));
  });

  it('reads the purposes in force at each use: an amendment adding the purpose between two uses', () => {
    const early = used({ purpose: 'statistics', at: '2026-04-11T09:00' });
    given(base, early, amended({ at: '2026-04-20T00:00', purposes: ['care-insurance-operation', 'statistics'] }), used({ purpose: 'statistics', at: '2026-04-21T09:00' }))
      .when(judgedAt('2026-06-01T00:00'))
      .then(violation(RULE, [early]), findings(RULE, 1));
  });
});

describe('Article 8: art8.provision-without-authorization', () => {
  const RULE = 'art8.provision-without-authorization';

  it('is violated by a provision with no provision authorization', () => {
    const provision = provided('RECIPIENT-1', { at: '2026-04-11T09:00' });
    given(base, provision)
      .when(judgedAt('2026-06-01T00:00'))
      .then(violation(RULE, [provision]), article('8', 'violation'));
  });

  it('is met under a provision authorization covering the record', () => {
    given(base, granted('provision', 'A-1', { recordIds: ['R-1'] }), provided('RECIPIENT-1', { at: '2026-04-11T09:00' }))
      .when(judgedAt('2026-06-01T00:00'))
      .then(noFinding(RULE), article('8', 'compliant'));
  });

  it('is violated under an authorization granted only after the provision', () => {
    const provision = provided('RECIPIENT-1', { at: '2026-04-11T09:00' });
    given(base, provision, granted('provision', 'A-1', { at: '2026-04-12T00:00' }))
      .when(judgedAt('2026-06-01T00:00'))
      .then(violation(RULE, [provision]));
  });

  it('is violated under an authorization for other records or fewer categories', () => {
    const provision = provided('RECIPIENT-1', { at: '2026-04-11T09:00' });
    given(
      base,
      granted('provision', 'A-1', { recordIds: ['R-2'] }),
      granted('provision', 'A-2', { dataCategories: ['insured-number'] }),
      provision,
    )
      .when(judgedAt('2026-06-01T00:00'))
      .then(violation(RULE, [provision]));
  });

  it('says to whom the record went and why each authorization did not cover it, in audit style (v2)', () => {
    const outcome = given(
      base,
      granted('provision', 'A-2', { dataCategories: ['insured-number'] }),
      provided('RECIPIENT-1', { at: '2026-04-11T09:00', purpose: 'audit' }),
    ).when(judgedAt('2026-06-01T00:00'));
    expect(outcome.finding(RULE).message).toEqual({
      ja: '第8条（利用及び提供の制限）違反：乙は、甲の承諾なく、保有個人情報（R-1）を第三者RECIPIENT-1に提供した（令和8年4月11日9時00分、目的「audit」）（承諾A-2は項目care-levelを含まない）。',
      en: 'Article 8 (Restrictions on use and provision) violated: record R-1 was provided to RECIPIENT-1 at 2026-04-11T09:00:00+09:00 (purpose "audit") with no provision authorization covering it (A-2 does not cover the categories care-level)',
    });
  });
});

describe('Article 8: art8.handled-after-contract-end', () => {
  const RULE = 'art8.handled-after-contract-end';

  it('is violated by a use, a provision and a copy after ContractEnded, with the end as evidence', () => {
    const end = ended({ at: '2026-05-01T00:00' });
    const use = used({ at: '2026-05-02T09:00' });
    const provision = provided('RECIPIENT-1', { at: '2026-05-03T09:00' });
    const copy = copied('C-1', { at: '2026-05-04T09:00' });
    given(base, granted('provision', 'A-1'), granted('copy', 'A-2'), end, use, provision, copy)
      .when(judgedAt('2026-06-01T00:00'))
      .then(violation(RULE, [use, end]), violation(RULE, [provision, end]), violation(RULE, [copy, end]), findings(RULE, 3));
  });

  it('is met by handling before the end', () => {
    given(base, used({ at: '2026-04-30T23:59:59.999' }), ended({ at: '2026-05-01T00:00' }))
      .when(judgedAt('2026-06-01T00:00'))
      .then(noFinding(RULE), article('8', 'compliant'));
  });

  it('treats an event at the very instant of the end, later in the log, as after it', () => {
    const end = ended({ at: '2026-05-01T00:00' });
    const use = used({ at: '2026-05-01T00:00' });
    given(base, end, use)
      .when(judgedAt('2026-06-01T00:00'))
      .then(violation(RULE, [use, end]));
  });

  it('treats an event at the very instant of the end, earlier in the log, as before it (v2 Clarification: ties go by position)', () => {
    const use = used({ at: '2026-05-01T00:00' });
    const copy = copied('C-1', { at: '2026-05-01T00:00' });
    given(base, granted('copy', 'A-1'), use, copy, ended({ at: '2026-05-01T00:00' }))
      .when(judgedAt('2026-06-01T00:00'))
      .then(noFinding(RULE), article('8', 'compliant'));
  });

  it('orders a tie by position even when the earlier event was recorded after the end (a late arrival keeps its position)', () => {
    const end = ended({ at: '2026-05-01T00:00', recordedAt: '2026-05-01T00:00' });
    const use = used({ at: '2026-05-01T00:00', recordedAt: '2026-05-02T00:00' });
    given(base, end, use)
      .when(judgedAt('2026-06-01T00:00'))
      .then(violation(RULE, [use, end]));
  });

  it('judges 1 ms before the end as before and 1 ms after as after', () => {
    const after = provided('RECIPIENT-1', { at: '2026-05-01T00:00:00.001' });
    const end = ended({ at: '2026-05-01T00:00' });
    given(base, granted('provision', 'A-1'), provided('RECIPIENT-1', { at: '2026-04-30T23:59:59.999' }), end, after)
      .when(judgedAt('2026-06-01T00:00'))
      .then(findings(RULE, 1), violation(RULE, [after, end]));
  });

  it('sees the end only once known: a ContractEnded recorded late makes earlier answers clean', () => {
    const end = ended({ at: '2026-05-01T00:00', recordedAt: '2026-05-20T00:00' });
    const use = used({ at: '2026-05-02T09:00', recordedAt: '2026-05-02T09:00' });
    const scenario = given(base, use, end);
    scenario.when(judgedAt('2026-06-01T00:00', { knownAt: '2026-05-19T23:59:59.999' })).then(noFinding(RULE));
    scenario.when(judgedAt('2026-06-01T00:00', { knownAt: '2026-05-20T00:00' })).then(violation(RULE, [use, end]));
  });

  it('is met after the end under an after_term authorization covering the record (v2: 「甲の指示又は承諾がある場合を除き」)', () => {
    given(
      base,
      granted('provision', 'A-1'),
      granted('copy', 'A-2'),
      ended({ at: '2026-05-01T00:00' }),
      granted('after_term', 'AT-1', { at: '2026-05-01T00:00', recordIds: ['R-1'] }),
      used({ at: '2026-05-02T09:00' }),
      provided('RECIPIENT-1', { at: '2026-05-03T09:00' }),
      copied('C-1', { at: '2026-05-04T09:00' }),
    )
      .when(judgedAt('2026-06-01T00:00'))
      .then(noFinding(RULE), article('8', 'compliant'));
  });

  it('is violated when the after_term authorization does not cover the act: another record, expired, revoked, or granted after it', () => {
    const end = ended({ at: '2026-05-01T00:00' });
    const otherRecord = used({ at: '2026-05-02T09:00' });
    given(base, end, granted('after_term', 'AT-1', { recordIds: ['R-2'], at: '2026-05-01T00:00' }), otherRecord)
      .when(judgedAt('2026-06-01T00:00'))
      .then(violation(RULE, [otherRecord, end]));
    const expired = used({ at: '2026-05-10T00:00' });
    given(base, end, granted('after_term', 'AT-1', { at: '2026-05-01T00:00', validUntil: '2026-05-10T00:00' }), used({ at: '2026-05-09T23:59:59.999' }), expired)
      .when(judgedAt('2026-06-01T00:00'))
      .then(violation(RULE, [expired, end]), findings(RULE, 1));
    const revoked = used({ at: '2026-05-10T00:00' });
    given(base, end, granted('after_term', 'AT-1', { at: '2026-05-01T00:00' }), authorizationRevoked('AT-1', { at: '2026-05-10T00:00' }), revoked)
      .when(judgedAt('2026-06-01T00:00'))
      .then(violation(RULE, [revoked, end]));
    const early = used({ at: '2026-05-02T09:00' });
    given(base, end, early, granted('after_term', 'AT-1', { at: '2026-05-03T00:00' }))
      .when(judgedAt('2026-06-01T00:00'))
      .then(violation(RULE, [early, end]));
  });

  it('is met under an authorization of the kind the act needs whose validUntil runs past the end (v2)', () => {
    given(
      base,
      granted('use_outside_purpose', 'U-1', { validUntil: '2026-06-01T00:00' }),
      granted('provision', 'P-1', { validUntil: '2026-06-01T00:00' }),
      granted('copy', 'C-A', { validUntil: '2026-06-01T00:00' }),
      ended({ at: '2026-05-01T00:00' }),
      used({ at: '2026-05-02T09:00' }),
      provided('RECIPIENT-1', { at: '2026-05-03T09:00' }),
      copied('C-1', { at: '2026-05-04T09:00' }),
    )
      .when(judgedAt('2026-07-01T00:00'))
      .then(noFinding(RULE));
  });

  it('is violated under a kind authorization that does not run past the end: no validUntil, validUntil exactly at the end, or another kind', () => {
    const end = ended({ at: '2026-05-01T00:00' });
    const noLimit = used({ at: '2026-05-02T09:00' });
    given(base, granted('use_outside_purpose', 'U-1'), end, noLimit)
      .when(judgedAt('2026-06-01T00:00'))
      .then(violation(RULE, [noLimit, end]));
    const atEnd = provided('RECIPIENT-1', { at: '2026-04-30T23:59:59.999' });
    given(base, granted('provision', 'P-1', { validUntil: '2026-05-01T00:00' }), atEnd, ended({ at: '2026-05-01T00:00' }))
      .when(judgedAt('2026-06-01T00:00'))
      .then(noFinding(RULE));
    const copy = copied('C-1', { at: '2026-05-01T00:00:00.001' });
    const end2 = ended({ at: '2026-05-01T00:00' });
    given(base, granted('copy', 'C-A', { validUntil: '2026-05-01T00:00:00.002' }), end2, copy)
      .when(judgedAt('2026-06-01T00:00'))
      .then(noFinding(RULE));
    const copyAtEnd = copied('C-1', { at: '2026-05-01T00:00:00.001' });
    given(base, granted('copy', 'C-A', { validUntil: '2026-05-01T00:00' }), end2, copyAtEnd)
      .when(judgedAt('2026-06-01T00:00'))
      .then(violation(RULE, [copyAtEnd, end2]));
    const wrongKind = used({ at: '2026-05-02T09:00' });
    given(base, granted('provision', 'P-1', { validUntil: '2026-06-01T00:00' }), end, wrongKind)
      .when(judgedAt('2026-06-01T00:00'))
      .then(violation(RULE, [wrongKind, end]));
  });

  it('does not judge returns, disposals or transports after the end (Art. 14 asks for them)', () => {
    given(base, ended({ at: '2026-05-01T00:00' }), transportStarted('T-1', { at: '2026-05-02T09:00' }), transportCompleted('T-1', { at: '2026-05-02T10:00' }), returned({ at: '2026-05-02T11:00' }))
      .when(judgedAt('2026-06-01T00:00'))
      .then(noFinding(RULE), article('8', 'not_applicable'));
  });

  it('names the end and its reason in words, in audit style (v2)', () => {
    const outcome = given(base, ended({ at: '2026-05-01T00:00', reason: 'expired' }), used({ at: '2026-05-02T09:00' })).when(judgedAt('2026-06-01T00:00'));
    expect(outcome.finding(RULE).message).toEqual({
      ja: '第8条（利用及び提供の制限）違反：乙は、契約の終了（令和8年5月1日0時00分、期間満了）の後に、甲の指示又は承諾なく保有個人情報（R-1）の利用（令和8年5月2日9時00分）を行った。',
      en: 'Article 8 (Restrictions on use and provision) violated: the use of record R-1 at 2026-05-02T09:00:00+09:00 came after the contract ended at 2026-05-01T00:00:00+09:00 (expired)',
    });
  });

  it('keeps the contract ended after a later ContractAmended', () => {
    const end = ended({ at: '2026-05-01T00:00' });
    const use = used({ at: '2026-05-10T09:00' });
    given(base, end, amended({ at: '2026-05-05T00:00', term: { start: '2026-04-01T00:00', end: '2028-03-31T23:59' } }), use)
      .when(judgedAt('2026-06-01T00:00'))
      .then(violation(RULE, [use, end]));
  });

  it('is not applicable to a record only collected', () => {
    given(base)
      .when(judgedAt('2026-06-01T00:00'))
      .then(article('8', 'not_applicable'));
  });
});

describe('Article 8: messages about many authorizations', () => {
  it('spell out at most three reasons, then count the rest', () => {
    const outcome = given(
      base,
      granted('provision', 'A-1', { dataCategories: ['insured-number'] }),
      granted('provision', 'A-2', { dataCategories: ['insured-number'] }),
      granted('provision', 'A-3', { dataCategories: ['insured-number'] }),
      granted('provision', 'A-4', { dataCategories: ['insured-number'] }),
      granted('provision', 'A-5', { dataCategories: ['insured-number'] }),
      provided('RECIPIENT-1', { at: '2026-04-11T09:00' }),
    ).when(judgedAt('2026-06-01T00:00'));
    const { message } = outcome.finding('art8.provision-without-authorization');
    expect(message.en).toMatch(/\(A-1 does not cover the categories care-level; A-2 [^;]+; A-3 [^;]+; and 2 more\)$/);
    expect(message.ja).toMatch(/（承諾A-1は項目care-levelを含まない、承諾A-2は[^、]+、承諾A-3は[^、]+、ほか2件）。$/);
  });
});

describe('Article 8: art8.provision-without-authorization (changed in v2): a hand-over to an approved subcontractor within its scope is 再委託, not 提供', () => {
  const setup = [contract({ permitsSubcontracting: true }), staffed('W-1'), collected({ at: '2026-04-10T09:00' })];

  it('is no provision without authorization when the recipient is approved and the record is within its scope', () => {
    given(setup, subcontractRequested('S-1'), subcontractApproved('S-1'), provided('S-1', { at: '2026-04-11T09:00' }))
      .when(judgedAt('2026-06-01T00:00'))
      .then(noFinding('art8.provision-without-authorization'), article('8', 'compliant'));
  });

  it('is a provision without authorization when the record is outside the approved scope, or the approval was revoked', () => {
    const outside = provided('S-1', { at: '2026-04-11T09:00' });
    given(setup, subcontractRequested('S-1', { dataCategories: ['insured-number'] }), subcontractApproved('S-1'), outside)
      .when(judgedAt('2026-06-01T00:00'))
      .then(violation('art8.provision-without-authorization', [outside]));
    const afterRevocation = provided('S-1', { at: '2026-04-11T09:00' });
    given(setup, subcontractRequested('S-1'), subcontractApproved('S-1'), approvalRevoked('S-1', { at: '2026-04-11T08:59:59.999' }), afterRevocation)
      .when(judgedAt('2026-06-01T00:00'))
      .then(violation('art8.provision-without-authorization', [afterRevocation]));
  });

  it('is a provision without authorization when the contract does not permit subcontracting', () => {
    const provision = provided('S-1', { at: '2026-04-11T09:00' });
    given(contract({ permitsSubcontracting: false }), staffed('W-1'), collected({ at: '2026-04-10T09:00' }), subcontractRequested('S-1'), subcontractApproved('S-1'), provision)
      .when(judgedAt('2026-06-01T00:00'))
      .then(violation('art8.provision-without-authorization', [provision]));
  });

  it('still lets a provision authorization cover a recipient that is not an approved subcontractor', () => {
    given(setup, granted('provision', 'A-1'), provided('RECIPIENT-1', { at: '2026-04-11T09:00' }), copied('C-1', { at: '2026-04-12T09:00' }))
      .when(judgedAt('2026-06-01T00:00'))
      .then(noFinding('art8.provision-without-authorization'));
  });
});
