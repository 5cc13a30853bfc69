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
  noFinding,
  staffed,
  used,
  violation,
  findings,
  overall,
  party,
} from './test-builders.js';

describe('Article 7: art7.collection-missing', () => {
  const RULE = 'art7.collection-missing';

  it('is violated by a record whose first event is not a collection', () => {
    const use = used({ at: '2026-04-10T09:00' });
    given(contract(), staffed('W-1'), use)
      .when(judgedAt('2026-06-01T00:00'))
      .then(violation(RULE, [use]), article('7', 'violation'));
  });

  it('names the later collection as evidence when the record was collected only afterwards', () => {
    const use = used({ at: '2026-04-10T09:00' });
    const collection = collected({ at: '2026-04-11T09:00' });
    given(contract(), staffed('W-1'), use, collection, copied('C-1', { at: '2026-04-12T09:00' }))
      .when(judgedAt('2026-06-01T00:00'))
      .then(violation(RULE, [use, collection]), findings(RULE, 1));
  });

  it('is met when the collection comes first', () => {
    given(contract(), staffed('W-1'), collected({ at: '2026-04-10T09:00' }), used({ at: '2026-04-10T10:00' }))
      .when(judgedAt('2026-06-01T00:00'))
      .then(noFinding(RULE), article('7', 'compliant'));
  });

  it('accepts a collection at the same instant as the first other event, even recorded after it', () => {
    given(contract(), staffed('W-1'), used({ at: '2026-04-10T09:00' }), collected({ at: '2026-04-10T09:00' }))
      .when(judgedAt('2026-06-01T00:00'))
      .then(noFinding(RULE));
  });

  it('places a late-arriving collection by its occurredAt', () => {
    given(
      contract(),
      staffed('W-1'),
      used({ at: '2026-04-10T10:00', recordedAt: '2026-04-10T10:00' }),
      collected({ at: '2026-04-10T09:00', recordedAt: '2026-04-12T00:00' }),
    )
      .when(judgedAt('2026-06-01T00:00'))
      .then(noFinding(RULE));
  });

  it('gives two verdicts for two knownAt when the collection arrives late', () => {
    const use = used({ at: '2026-04-10T10:00', recordedAt: '2026-04-10T10:00' });
    const scenario = given(contract(), staffed('W-1'), use, collected({ at: '2026-04-10T09:00', recordedAt: '2026-04-12T00:00' }));
    scenario.when(judgedAt('2026-06-01T00:00', { knownAt: '2026-04-11T00:00' })).then(violation(RULE, [use]));
    scenario.when(judgedAt('2026-06-01T00:00', { knownAt: '2026-04-12T00:00' })).then(noFinding(RULE));
  });
});

describe('Article 7: art7.purpose-outside-contract', () => {
  const RULE = 'art7.purpose-outside-contract';

  it('is violated by a collection for a purpose not in the contract', () => {
    const collection = collected({ purpose: 'marketing' });
    given(contract({ purposes: ['care-insurance-operation'] }), staffed('W-1'), collection)
      .when(judgedAt('2026-06-01T00:00'))
      .then(violation(RULE, [collection]), article('7', 'violation'));
  });

  it('is met by a collection for a contract purpose', () => {
    given(contract({ purposes: ['care-insurance-operation', 'system-migration'] }), staffed('W-1'), collected({ purpose: 'system-migration' }))
      .when(judgedAt('2026-06-01T00:00'))
      .then(noFinding(RULE));
  });

  it('judges each collection by the terms in force at its time: an amendment between two collections', () => {
    const later = collected({ purpose: 'system-migration', at: '2026-05-10T09:00' });
    given(
      contract({ purposes: ['care-insurance-operation', 'system-migration'] }),
      staffed('W-1'),
      collected({ purpose: 'system-migration', at: '2026-04-10T09:00' }),
      amended({ at: '2026-05-01T00:00', purposes: ['care-insurance-operation'] }),
      later,
    )
      .when(judgedAt('2026-06-01T00:00'))
      .then(violation(RULE, [later]), findings(RULE, 1));
  });

  it('counts an amendment from its occurredAt even when it is recorded after the collection', () => {
    given(
      contract({ purposes: ['care-insurance-operation'] }),
      staffed('W-1'),
      amended({ at: '2026-04-01T00:00', purposes: ['care-insurance-operation', 'system-migration'], recordedAt: '2026-04-05T00:00' }),
      collected({ purpose: 'system-migration', at: '2026-04-10T09:00' }),
    )
      .when(judgedAt('2026-06-01T00:00'))
      .then(noFinding(RULE));
  });

  it('judges the city\'s own collections too, as the city\'s finding (v2): the contractor\'s status stays clear of it', () => {
    const collection = collected({ purpose: 'marketing', by: CITY });
    const outcome = given(contract(), collection).when(judgedAt('2026-06-01T00:00'));
    outcome.then(violation(RULE, [collection]), party(RULE, 'city'), article('7', 'compliant'), overall('compliant'));
    expect(outcome.finding(RULE).message.ja).toBe(
      '第7条（収集の制限）違反：甲は、令和8年4月10日9時00分に、契約の目的（care-insurance-operation）にない目的「marketing」で保有個人情報（R-1）を収集した。',
    );
  });

  it('is the contractor\'s finding when the contractor collected', () => {
    given(contract(), staffed('W-1'), collected({ purpose: 'marketing' }))
      .when(judgedAt('2026-06-01T00:00'))
      .then(party(RULE, 'contractor'), article('7', 'violation'), overall('violation'));
  });

  it('says which purpose and which purposes the contract allows, in audit style (v2)', () => {
    const outcome = given(contract(), staffed('W-1'), collected({ purpose: 'marketing', at: '2026-04-10T09:00' })).when(judgedAt('2026-06-01T00:00'));
    expect(outcome.finding(RULE).message).toEqual({
      ja: '第7条（収集の制限）違反：乙は、令和8年4月10日9時00分に、契約の目的（care-insurance-operation）にない目的「marketing」で保有個人情報（R-1）を収集した。',
      en: 'Article 7 (Restrictions on collection) violated: the collection at 2026-04-10T09:00:00+09:00 has purpose "marketing", not among the contract\'s purposes in force (care-insurance-operation)',
    });
  });
});

describe('Article 7: art7.categories-outside-contract', () => {
  const RULE = 'art7.categories-outside-contract';

  it('is violated by a collected category not in the contract', () => {
    const collection = collected({ dataCategories: ['insured-number', 'bank-account'] });
    given(contract({ dataCategories: ['insured-number', 'care-level'] }), staffed('W-1'), collection)
      .when(judgedAt('2026-06-01T00:00'))
      .then(violation(RULE, [collection]), noFinding('art7.purpose-outside-contract'));
  });

  it('is met when every collected category is in the contract', () => {
    given(contract({ dataCategories: ['insured-number', 'care-level'] }), staffed('W-1'), collected({ dataCategories: ['care-level'] }))
      .when(judgedAt('2026-06-01T00:00'))
      .then(noFinding(RULE), article('7', 'compliant'));
  });

  it('follows an amendment that adds a category before the collection', () => {
    given(
      contract({ dataCategories: ['insured-number'] }),
      staffed('W-1'),
      amended({ at: '2026-04-01T00:00', dataCategories: ['insured-number', 'bank-account'] }),
      collected({ dataCategories: ['bank-account'], at: '2026-04-10T09:00' }),
    )
      .when(judgedAt('2026-06-01T00:00'))
      .then(noFinding(RULE));
  });

  it('judges a second collection on its own', () => {
    const second = collected({ dataCategories: ['bank-account'], at: '2026-04-20T09:00' });
    given(contract({ dataCategories: ['insured-number'] }), staffed('W-1'), collected({ dataCategories: ['insured-number'] }), second)
      .when(judgedAt('2026-06-01T00:00'))
      .then(violation(RULE, [second]), findings(RULE, 1));
  });

  it('names the categories outside the contract', () => {
    const outcome = given(contract({ dataCategories: ['insured-number'] }), staffed('W-1'), collected({ dataCategories: ['insured-number', 'bank-account', 'income'], at: '2026-04-10T09:00' }))
      .when(judgedAt('2026-06-01T00:00'));
    expect(outcome.finding(RULE).message.ja).toBe(
      '第7条（収集の制限）違反：乙は、令和8年4月10日9時00分に、契約の項目（insured-number）にない項目bank-account、incomeを収集した。',
    );
    expect(outcome.finding(RULE).message.en).toContain('includes bank-account, income, not among the contract\'s data categories in force (insured-number)');
  });
});

describe('Article 7 without a registered contract in the cut', () => {
  it('finds every collection outside the (empty) terms', () => {
    const collection = collected({ at: '2026-04-10T09:00' });
    given(staffed('W-1'), granted('copy', 'A-1'), collection, contract({ at: '2026-03-01T00:00', recordedAt: '2026-05-01T00:00' }))
      .when(judgedAt('2026-06-01T00:00', { knownAt: '2026-04-30T00:00' }))
      .then(violation('art7.purpose-outside-contract', [collection]), violation('art7.categories-outside-contract', [collection]));
  });
});
