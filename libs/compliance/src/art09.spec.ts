import {
  article,
  authorizationRevoked,
  collected,
  contract,
  copied,
  given,
  granted,
  judgedAt,
  noFinding,
  staffed,
  violation,
  findings,
} from './test-builders.js';

const RULE = 'art9.copy-without-authorization';

describe('Article 9: art9.copy-without-authorization', () => {
  it('is violated by a copy with no copy authorization', () => {
    const copy = copied('C-1', { at: '2026-04-10T10:00' });
    given(contract(), staffed('W-1'), collected({ at: '2026-04-10T09:00' }), copy)
      .when(judgedAt('2026-06-01T00:00'))
      .then(violation(RULE, [copy]), article('9', 'violation'));
  });

  it('is met by a copy under a copy authorization naming the record', () => {
    given(
      contract(),
      staffed('W-1'),
      granted('copy', 'A-1', { at: '2026-04-01T00:00', recordIds: ['R-1'] }),
      collected({ at: '2026-04-10T09:00' }),
      copied('C-1', { at: '2026-04-10T10:00' }),
    )
      .when(judgedAt('2026-06-01T00:00'))
      .then(noFinding(RULE), article('9', 'compliant'));
  });

  it('is met under a contract-wide copy authorization (neither recordIds nor dataCategories)', () => {
    given(contract(), staffed('W-1'), granted('copy', 'A-1', { at: '2026-04-01T00:00' }), collected(), copied('C-1'))
      .when(judgedAt('2026-06-01T00:00'))
      .then(noFinding(RULE), article('9', 'compliant'));
  });

  it('is not applicable to a record never copied', () => {
    given(contract(), staffed('W-1'), collected())
      .when(judgedAt('2026-06-01T00:00'))
      .then(article('9', 'not_applicable'));
  });

  describe('an authorization that does not cover the copy', () => {
    it('expired: validUntil equal to the copy time does not cover it', () => {
      const copy = copied('C-1', { at: '2026-04-10T10:00' });
      given(contract(), staffed('W-1'), granted('copy', 'A-1', { at: '2026-04-01T00:00', validUntil: '2026-04-10T10:00' }), collected(), copy)
        .when(judgedAt('2026-06-01T00:00'))
        .then(violation(RULE, [copy]));
    });

    it('validUntil 1 ms after the copy still covers it', () => {
      given(
        contract(),
        staffed('W-1'),
        granted('copy', 'A-1', { at: '2026-04-01T00:00', validUntil: '2026-04-10T10:00:00.001' }),
        collected(),
        copied('C-1', { at: '2026-04-10T10:00' }),
      )
        .when(judgedAt('2026-06-01T00:00'))
        .then(noFinding(RULE));
    });

    it('revoked before the copy', () => {
      const copy = copied('C-1', { at: '2026-04-10T10:00' });
      given(
        contract(),
        staffed('W-1'),
        granted('copy', 'A-1', { at: '2026-04-01T00:00' }),
        authorizationRevoked('A-1', { at: '2026-04-05T00:00' }),
        collected(),
        copy,
      )
        .when(judgedAt('2026-06-01T00:00'))
        .then(violation(RULE, [copy]));
    });

    it('revoked only after the copy: the copy stays covered', () => {
      given(
        contract(),
        staffed('W-1'),
        granted('copy', 'A-1', { at: '2026-04-01T00:00' }),
        collected(),
        copied('C-1', { at: '2026-04-10T10:00' }),
        authorizationRevoked('A-1', { at: '2026-04-20T00:00' }),
      )
        .when(judgedAt('2026-06-01T00:00'))
        .then(noFinding(RULE));
    });

    it('granted only after the act', () => {
      const copy = copied('C-1', { at: '2026-04-10T10:00' });
      given(contract(), staffed('W-1'), collected(), copy, granted('copy', 'A-1', { at: '2026-04-11T00:00' }))
        .when(judgedAt('2026-06-01T00:00'))
        .then(violation(RULE, [copy]));
    });

    it('covering other records only', () => {
      const copy = copied('C-1');
      given(contract(), staffed('W-1'), granted('copy', 'A-1', { recordIds: ['R-2', 'R-3'] }), collected(), copy)
        .when(judgedAt('2026-06-01T00:00'))
        .then(violation(RULE, [copy]));
    });

    it('covering fewer categories than the record was collected with', () => {
      const copy = copied('C-1');
      given(
        contract(),
        staffed('W-1'),
        granted('copy', 'A-1', { dataCategories: ['insured-number'] }),
        collected({ dataCategories: ['insured-number', 'care-level'] }),
        copy,
      )
        .when(judgedAt('2026-06-01T00:00'))
        .then(violation(RULE, [copy]));
    });

    it('covering all the record\'s categories covers it', () => {
      given(
        contract(),
        staffed('W-1'),
        granted('copy', 'A-1', { dataCategories: ['insured-number', 'care-level', 'benefit-history'] }),
        collected({ dataCategories: ['insured-number', 'care-level'] }),
        copied('C-1'),
      )
        .when(judgedAt('2026-06-01T00:00'))
        .then(noFinding(RULE));
    });

    it('with both recordIds and dataCategories, both must hold', () => {
      const copy = copied('C-1');
      given(
        contract(),
        staffed('W-1'),
        granted('copy', 'A-1', { recordIds: ['R-1'], dataCategories: ['insured-number'] }),
        collected({ dataCategories: ['insured-number', 'care-level'] }),
        copy,
      )
        .when(judgedAt('2026-06-01T00:00'))
        .then(violation(RULE, [copy]));
    });

    it('of another kind (provision)', () => {
      const copy = copied('C-1');
      given(contract(), staffed('W-1'), granted('provision', 'A-1'), collected(), copy)
        .when(judgedAt('2026-06-01T00:00'))
        .then(violation(RULE, [copy]));
    });
  });

  it('reads the record\'s categories as every collection at or before the copy: a second collection widens them', () => {
    const copy = copied('C-2', { at: '2026-04-20T10:00' });
    given(
      contract(),
      staffed('W-1'),
      granted('copy', 'A-1', { dataCategories: ['insured-number'] }),
      collected({ dataCategories: ['insured-number'], at: '2026-04-10T09:00' }),
      copied('C-1', { at: '2026-04-10T10:00' }),
      collected({ dataCategories: ['care-level'], at: '2026-04-15T09:00' }),
      copy,
    )
      .when(judgedAt('2026-06-01T00:00'))
      .then(violation(RULE, [copy]), findings(RULE, 1));
  });

  it('names the copy, the record and why the authorization failed, in both languages (v2 audit style)', () => {
    const outcome = given(
      contract(),
      staffed('W-1'),
      granted('copy', 'A-1', { recordIds: ['R-1'], validUntil: '2026-04-05T00:00' }),
      collected(),
      copied('C-1', { at: '2026-04-10T10:00' }),
    ).when(judgedAt('2026-06-01T00:00'));
    const { message } = outcome.finding(RULE);
    expect(message.ja).toBe(
      '第9条（複写、複製の禁止）違反：乙は、甲の承諾なく、保有個人情報（R-1）の原本から複製物C-1を作成した（令和8年4月10日10時00分）（承諾A-1は令和8年4月5日0時00分に期限が切れている）。',
    );
    expect(message.en).toBe(
      'Article 9 (Prohibition of copying and reproduction) violated: copy C-1 of record R-1 was made from the original at 2026-04-10T10:00:00+09:00 with no copy authorization covering the record (A-1 expired at 2026-04-05T00:00:00+09:00)',
    );
  });

  it('judges a copy that arrived late by its occurredAt, and knownAt hides it until it arrives', () => {
    const copy = copied('C-1', { at: '2026-04-10T10:00', recordedAt: '2026-05-20T00:00' });
    const scenario = given(
      contract(),
      staffed('W-1'),
      collected({ at: '2026-04-10T09:00' }),
      granted('copy', 'A-1', { at: '2026-04-15T00:00' }),
      copy,
    );
    scenario.when(judgedAt('2026-06-01T00:00', { knownAt: '2026-05-01T00:00' })).then(noFinding(RULE), article('9', 'not_applicable'));
    scenario.when(judgedAt('2026-06-01T00:00', { knownAt: '2026-06-01T00:00' })).then(violation(RULE, [copy]));
  });
});
