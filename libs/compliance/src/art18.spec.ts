import {
  article,
  collected,
  contract,
  given,
  judgedAt,
  myNumberMemorandum,
  noFinding,
  staffed,
  violation,
  CITY,
  findings,
  granted,
  overall,
  party,
  provided,
  subcontractApproved,
  subcontractRequested,
  used,
} from './test-builders.js';

const RULE = 'art18.my-number-without-memorandum';

describe('Article 18: art18.my-number-without-memorandum', () => {
  it('is violated by a collection with My Number and no memorandum', () => {
    const collection = collected({ containsMyNumber: true });
    given(contract(), staffed('W-1'), collection)
      .when(judgedAt('2026-06-01T00:00'))
      .then(violation(RULE, [collection]), article('18', 'violation'));
  });

  it('is met when the memorandum was concluded before the collection', () => {
    given(contract(), staffed('W-1'), myNumberMemorandum({ at: '2026-03-20T00:00' }), collected({ containsMyNumber: true, at: '2026-04-10T09:00' }))
      .when(judgedAt('2026-06-01T00:00'))
      .then(noFinding(RULE), article('18', 'compliant'));
  });

  it('accepts a memorandum at the very instant of the collection, not one 1 ms later', () => {
    const early = collected({ containsMyNumber: true, at: '2026-04-10T08:59:59.999' });
    given(contract(), staffed('W-1'), early, myNumberMemorandum({ at: '2026-04-10T09:00' }), collected({ containsMyNumber: true, at: '2026-04-10T09:00' }))
      .when(judgedAt('2026-06-01T00:00'))
      .then(violation(RULE, [early]));
  });

  it('is not applicable to collections without My Number', () => {
    given(contract(), staffed('W-1'), collected({ containsMyNumber: false }))
      .when(judgedAt('2026-06-01T00:00'))
      .then(article('18', 'not_applicable'));
  });

  it('names the separate memorandum, in audit style (v2)', () => {
    const outcome = given(contract(), staffed('W-1'), collected({ containsMyNumber: true, at: '2026-04-10T09:00' })).when(judgedAt('2026-06-01T00:00'));
    expect(outcome.finding(RULE).message.ja).toBe(
      '第18条（特定個人情報等）違反：乙は、令和8年4月10日9時00分に個人番号を含む保有個人情報（R-1）を収集したが、それ以前に「市の保有する特定個人情報等の取扱委託に関する覚書」が締結されていない。',
    );
  });
});

describe('Article 18: art18.my-number-without-memorandum, parties (v2)', () => {
  it('is the city\'s finding when the city handed over My Number data without the memorandum', () => {
    const collection = collected({ containsMyNumber: true, by: CITY });
    given(contract(), collection)
      .when(judgedAt('2026-06-01T00:00'))
      .then(violation(RULE, [collection]), party(RULE, 'city'), article('18', 'compliant'), overall('compliant'));
  });
});

describe('Article 18: art18.my-number-beyond-contract (v2)', () => {
  const BEYOND = 'art18.my-number-beyond-contract';
  const setup = [contract({ permitsSubcontracting: true }), staffed('W-1'), myNumberMemorandum({ at: '2026-03-20T00:00' }), collected({ containsMyNumber: true, at: '2026-04-10T09:00' })];

  it('is violated by a provision of My Number data even under the city\'s provision authorization', () => {
    const provision = provided('RECIPIENT-1', { at: '2026-04-11T09:00' });
    given(setup, granted('provision', 'A-1'), provision)
      .when(judgedAt('2026-06-01T00:00'))
      .then(violation(BEYOND, [provision]), party(BEYOND, 'contractor'), noFinding('art8.provision-without-authorization'), article('18', 'violation'));
  });

  it('is violated by a use outside the contract\'s purposes even under a use_outside_purpose authorization', () => {
    const use = used({ purpose: 'statistics', at: '2026-04-11T09:00' });
    given(setup, granted('use_outside_purpose', 'A-1'), use)
      .when(judgedAt('2026-06-01T00:00'))
      .then(violation(BEYOND, [use]), noFinding('art8.use-outside-purpose'), findings(BEYOND, 1));
  });

  it('is met by a use for a contract purpose and by a hand-over to an approved subcontractor within its scope', () => {
    given(setup, subcontractRequested('S-1'), subcontractApproved('S-1'), used({ at: '2026-04-11T09:00' }), provided('S-1', { at: '2026-04-12T09:00' }))
      .when(judgedAt('2026-06-01T00:00'))
      .then(noFinding(BEYOND), article('18', 'compliant'));
  });

  it('is violated by a hand-over to a subcontractor outside its approved scope', () => {
    const provision = provided('S-1', { at: '2026-04-12T09:00' });
    given(setup, subcontractRequested('S-1', { dataCategories: ['insured-number'] }), subcontractApproved('S-1'), provision)
      .when(judgedAt('2026-06-01T00:00'))
      .then(violation(BEYOND, [provision]));
  });

  it('judges only records collected with My Number, from that collection on', () => {
    const before = provided('RECIPIENT-1', { at: '2026-04-11T09:00' });
    given(contract(), staffed('W-1'), collected({ at: '2026-04-10T09:00' }), before, collected({ containsMyNumber: true, at: '2026-04-12T09:00' }), provided('RECIPIENT-1', { at: '2026-04-13T09:00' }))
      .when(judgedAt('2026-06-01T00:00'))
      .then(findings(BEYOND, 1));
    given(contract(), staffed('W-1'), collected(), granted('provision', 'A-1'), provided('RECIPIENT-1', { at: '2026-04-11T09:00' }))
      .when(judgedAt('2026-06-01T00:00'))
      .then(noFinding(BEYOND), article('18', 'not_applicable'));
  });

  it('says that no consent of the city makes it lawful, in audit style', () => {
    const outcome = given(setup, granted('provision', 'A-1'), provided('RECIPIENT-1', { at: '2026-04-11T09:00' })).when(judgedAt('2026-06-01T00:00'));
    expect(outcome.finding(BEYOND).message).toEqual({
      ja: '第18条（特定個人情報等）違反：乙は、個人番号を含む保有個人情報（R-1）をRECIPIENT-1に提供した（令和8年4月11日9時00分）。特定個人情報の提供は番号法が認める場合に限られ、甲の承諾によっても適法とならない。',
      en: 'Article 18 (Specific personal information, etc.) violated: record R-1, which holds My Number, was provided to RECIPIENT-1 at 2026-04-11T09:00:00+09:00: specific personal information may be provided only where the My Number Act allows, whatever the city consented to',
    });
  });
});
