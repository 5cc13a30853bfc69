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

  it('names the separate memorandum', () => {
    const outcome = given(contract(), staffed('W-1'), collected({ containsMyNumber: true, at: '2026-04-10T09:00' })).when(judgedAt('2026-06-01T00:00'));
    expect(outcome.finding(RULE).message.ja).toBe(
      '第18条（特定個人情報等）違反: 記録 R-1 は個人番号を含む収集（2026-04-10T09:00:00+09:00）ですが、それ以前に「市の保有する特定個人情報等の取扱委託に関する覚書」（MyNumberMemorandumConcluded）が締結されていません',
    );
  });
});
