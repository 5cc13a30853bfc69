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

  it('says to whom the record went and why each authorization did not cover it', () => {
    const outcome = given(
      base,
      granted('provision', 'A-2', { dataCategories: ['insured-number'] }),
      provided('RECIPIENT-1', { at: '2026-04-11T09:00', purpose: 'audit' }),
    ).when(judgedAt('2026-06-01T00:00'));
    expect(outcome.finding(RULE).message).toEqual({
      ja: '第8条（利用及び提供の制限）違反: 記録 R-1 を RECIPIENT-1 に提供しました（2026-04-11T09:00:00+09:00、目的「audit」）が、提供の承諾（provision）がありません（A-2 は項目 care-level を含みません）',
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

  it('treats an event at the very instant of the end as after it', () => {
    const end = ended({ at: '2026-05-01T00:00' });
    const use = used({ at: '2026-05-01T00:00' });
    given(base, end, use)
      .when(judgedAt('2026-06-01T00:00'))
      .then(violation(RULE, [use, end]));
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
    expect(message.ja).toMatch(/、ほか 2 件）$/);
  });
});
