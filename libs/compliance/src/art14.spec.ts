import {
  amended,
  article,
  collected,
  contract,
  copied,
  disposalInstructed,
  disposed,
  ended,
  given,
  granted,
  judgedAt,
  met,
  noFinding,
  overdue,
  pending,
  returned,
  staffed,
  transportStarted,
  used,
  violation,
  findings,
} from './test-builders.js';

const base = [contract(), staffed('W-1'), granted('copy', 'A-1'), collected({ at: '2026-04-10T09:00' })];

describe('Article 14: art14.disposal-not-witnessed', () => {
  const RULE = 'art14.disposal-not-witnessed';

  it('is violated by a disposal without witnessedBy', () => {
    const disposal = disposed({ witnessed: false, at: '2026-04-20T09:00' });
    given(base, disposal)
      .when(judgedAt('2026-06-01T00:00'))
      .then(violation(RULE, [disposal]), article('14', 'violation'));
  });

  it('is violated by an unwitnessed disposal of a copy', () => {
    const disposal = disposed({ copyId: 'C-1', witnessed: false, at: '2026-04-20T09:00' });
    given(base, copied('C-1', { at: '2026-04-11T09:00' }), disposal)
      .when(judgedAt('2026-06-01T00:00'))
      .then(violation(RULE, [disposal]));
  });

  it('is met by a witnessed disposal', () => {
    given(base, disposed({ witnessed: true, at: '2026-04-20T09:00' }))
      .when(judgedAt('2026-06-01T00:00'))
      .then(noFinding(RULE), article('14', 'compliant'));
  });

  it('makes Art. 14 not applicable to a record never returned, disposed of or instructed', () => {
    given(base, used({ at: '2026-04-11T09:00' }))
      .when(judgedAt('2026-06-01T00:00'))
      .then(article('14', 'not_applicable'));
  });

  it('says which holding was disposed of how', () => {
    const outcome = given(base, disposed({ witnessed: false, at: '2026-04-20T09:00' })).when(judgedAt('2026-06-01T00:00'));
    expect(outcome.finding(RULE).message).toEqual({
      ja: '第14条（廃棄等）違反: 記録 R-1 の原本の廃棄（crypto_erase、2026-04-20T09:00:00+09:00）に甲の立会い（witnessedBy）がありません',
      en: 'Article 14 (Disposal, etc.) violated: the disposal of the original of record R-1 (crypto_erase, 2026-04-20T09:00:00+09:00) was not witnessed by the city (no witnessedBy)',
    });
  });
});

describe('Article 14: art14.disposal-overdue', () => {
  const RULE = 'art14.disposal-overdue';

  it('is met when the last holding is closed exactly at the instructed dueAt', () => {
    const instruction = disposalInstructed({ recordIds: ['R-1'], dueAt: '2026-05-01T00:00', at: '2026-04-20T00:00' });
    const disposal = disposed({ at: '2026-05-01T00:00' });
    given(base, instruction, disposal)
      .when(judgedAt('2026-06-01T00:00'))
      .then(met(RULE, [instruction, disposal], '2026-05-01T00:00'), article('14', 'compliant'));
  });

  it('is violated when the last holding is closed 1 ms after dueAt', () => {
    const instruction = disposalInstructed({ recordIds: ['R-1'], dueAt: '2026-05-01T00:00', at: '2026-04-20T00:00' });
    const disposal = returned({ at: '2026-05-01T00:00:00.001' });
    given(base, instruction, disposal)
      .when(judgedAt('2026-06-01T00:00'))
      .then(overdue(RULE, [instruction, disposal], '2026-05-01T00:00'), article('14', 'violation'));
  });

  it('is pending while asOf is at or before due, and violated 1 ms after', () => {
    const instruction = disposalInstructed({ dueAt: '2026-05-01T00:00', at: '2026-04-20T00:00' });
    const scenario = given(base, instruction);
    scenario.when(judgedAt('2026-05-01T00:00')).then(pending(RULE, [instruction], '2026-05-01T00:00'), article('14', 'pending'));
    scenario.when(judgedAt('2026-05-01T00:00:00.001')).then(overdue(RULE, [instruction], '2026-05-01T00:00'));
  });

  it('covers every record when the instruction names none, and no record it does not name', () => {
    const forAll = disposalInstructed({ at: '2026-04-20T00:00' });
    given(base, forAll, disposalInstructed({ recordIds: ['R-2'], at: '2026-04-21T00:00' }))
      .when(judgedAt('2026-04-25T00:00'))
      .then(pending(RULE, [forAll], '2026-05-20T00:00'), findings(RULE, 1));
  });

  it('is due within disposalWithin as amended before the instruction', () => {
    const instruction = disposalInstructed({ at: '2026-04-20T00:00' });
    given(base, amended({ at: '2026-04-15T00:00', policy: { disposalWithin: 'P7D' } }), instruction)
      .when(judgedAt('2026-04-25T00:00'))
      .then(pending(RULE, [instruction], '2026-04-27T00:00'));
  });

  it('is opened by ContractEnded, due within disposalWithin', () => {
    const end = ended({ at: '2026-05-01T00:00' });
    const disposal = disposed({ at: '2026-05-31T00:00' });
    given(base, end, disposal)
      .when(judgedAt('2026-06-01T00:00'))
      .then(met(RULE, [end, disposal], '2026-05-31T00:00'));
  });

  it('opens only at the first ContractEnded', () => {
    const end = ended({ at: '2026-05-01T00:00' });
    given(base, end, ended({ at: '2026-05-05T00:00', reason: 'expired' }))
      .when(judgedAt('2026-05-10T00:00'))
      .then(pending(RULE, [end], '2026-05-31T00:00'), findings(RULE, 1));
  });

  it('yields nothing when no holding is open at the opening', () => {
    given(base, returned({ at: '2026-04-15T00:00' }), disposalInstructed({ at: '2026-04-20T00:00' }), ended({ at: '2026-05-01T00:00' }))
      .when(judgedAt('2026-07-01T00:00'))
      .then(noFinding(RULE), article('14', 'compliant'));
  });

  it('stays open while a copy is held: closing the original does not close its copies', () => {
    const instruction = disposalInstructed({ at: '2026-04-20T00:00', dueAt: '2026-05-01T00:00' });
    const copyReturn = returned({ copyId: 'C-1', at: '2026-05-10T00:00' });
    const scenario = given(base, copied('C-1', { at: '2026-04-11T09:00' }), instruction, disposed({ at: '2026-04-25T00:00' }), copyReturn);
    scenario.when(judgedAt('2026-04-30T00:00')).then(pending(RULE, [instruction], '2026-05-01T00:00'));
    scenario.when(judgedAt('2026-06-01T00:00')).then(overdue(RULE, [instruction, copyReturn], '2026-05-01T00:00'));
  });

  it('counts copies of copies and copies made after the instruction', () => {
    const instruction = disposalInstructed({ at: '2026-04-20T00:00' });
    const last = disposed({ copyId: 'C-3', at: '2026-04-26T00:00' });
    given(
      base,
      copied('C-1', { at: '2026-04-11T09:00' }),
      copied('C-2', { from: 'C-1', at: '2026-04-12T09:00' }),
      instruction,
      copied('C-3', { from: 'C-2', at: '2026-04-21T00:00' }),
      disposed({ at: '2026-04-22T00:00' }),
      disposed({ copyId: 'C-1', at: '2026-04-23T00:00' }),
      disposed({ copyId: 'C-2', at: '2026-04-24T00:00' }),
      last,
    )
      .when(judgedAt('2026-06-01T00:00'))
      .then(met(RULE, [instruction, last], '2026-05-20T00:00'));
  });

  it('lists what is still held while open', () => {
    const outcome = given(base, copied('C-1', { at: '2026-04-11T09:00' }), disposalInstructed({ at: '2026-04-20T00:00' }), disposed({ at: '2026-04-25T00:00' }))
      .when(judgedAt('2026-04-30T00:00'));
    expect(outcome.finding(RULE).message).toEqual({
      ja: '第14条（廃棄等）期限待ち: 2026-04-20T00:00:00+09:00 の甲の指示（DisposalInstructed）による記録 R-1 の全保有（原本及び複写）の返却又は廃棄（未了: 複写 C-1）の期限は 2026-05-20T00:00:00+09:00 です（未了）',
      en: 'Article 14 (Disposal, etc.) pending: the return or disposal of every holding of record R-1, instructed by the city at 2026-04-20T00:00:00+09:00 (DisposalInstructed) (still held: copy C-1): due by 2026-05-20T00:00:00+09:00, not done yet',
    });
  });
  it('lists the original first, then the copies, when all are still held', () => {
    const outcome = given(base, copied('C-2', { at: '2026-04-11T09:00' }), copied('C-1', { at: '2026-04-12T09:00' }), disposalInstructed({ at: '2026-04-20T00:00' }))
      .when(judgedAt('2026-04-30T00:00'));
    expect(outcome.finding(RULE).message.en).toContain('(still held: the original, copy C-1, copy C-2)');
  });
});

describe('Article 14: art14.handled-after-closure', () => {
  const RULE = 'art14.handled-after-closure';

  it('is violated by a copy made from a disposed original, with the disposal as evidence', () => {
    const disposal = disposed({ at: '2026-04-20T00:00' });
    const copy = copied('C-1', { at: '2026-04-21T00:00' });
    given(base, disposal, copy)
      .when(judgedAt('2026-06-01T00:00'))
      .then(violation(RULE, [copy, disposal]), article('14', 'violation'));
  });

  it('is violated by a copy made from a returned copy (fromCopyId)', () => {
    const copyReturn = returned({ copyId: 'C-1', at: '2026-04-20T00:00' });
    const copy = copied('C-2', { from: 'C-1', at: '2026-04-21T00:00' });
    given(base, copied('C-1', { at: '2026-04-11T00:00' }), copyReturn, copy)
      .when(judgedAt('2026-06-01T00:00'))
      .then(violation(RULE, [copy, copyReturn]), findings(RULE, 1));
  });

  it('is violated by a transport of a closed holding', () => {
    const disposal = disposed({ copyId: 'C-1', at: '2026-04-20T00:00' });
    const transport = transportStarted('T-1', { copyId: 'C-1', at: '2026-04-21T00:00' });
    given(base, copied('C-1', { at: '2026-04-11T00:00' }), disposal, transport)
      .when(judgedAt('2026-04-22T00:00'))
      .then(violation(RULE, [transport, disposal]));
  });

  it('is violated by returning or disposing of a holding already closed', () => {
    const first = returned({ at: '2026-04-20T00:00' });
    const again = disposed({ at: '2026-04-21T00:00' });
    given(base, first, again)
      .when(judgedAt('2026-06-01T00:00'))
      .then(violation(RULE, [again, first]), findings(RULE, 1));
  });

  it('is violated by a use after every holding was closed, with the last closing as evidence', () => {
    const last = disposed({ copyId: 'C-1', at: '2026-04-21T00:00' });
    const use = used({ at: '2026-04-22T00:00' });
    given(base, copied('C-1', { at: '2026-04-11T00:00' }), disposed({ at: '2026-04-20T00:00' }), last, use)
      .when(judgedAt('2026-06-01T00:00'))
      .then(violation(RULE, [use, last]));
  });

  it('is met by a use while a copy is still held, even after the original was disposed of', () => {
    given(base, copied('C-1', { at: '2026-04-11T00:00' }), disposed({ at: '2026-04-20T00:00' }), used({ at: '2026-04-22T00:00' }))
      .when(judgedAt('2026-06-01T00:00'))
      .then(noFinding(RULE), article('14', 'compliant'));
  });

  it('is violated by a transport of a copy that no RecordCopied created', () => {
    const transport = transportStarted('T-1', { copyId: 'C-9', at: '2026-04-21T00:00' });
    given(base, transport)
      .when(judgedAt('2026-04-22T00:00'))
      .then(violation(RULE, [transport]), article('14', 'violation'));
  });

  it('is met by acting on open holdings, and a new collection reopens the original', () => {
    given(
      base,
      copied('C-1', { at: '2026-04-11T00:00' }),
      transportStarted('T-1', { copyId: 'C-1', at: '2026-04-12T00:00' }),
      returned({ at: '2026-04-13T00:00' }),
      collected({ at: '2026-04-14T00:00' }),
      used({ at: '2026-04-15T00:00' }),
      disposed({ at: '2026-04-16T00:00' }),
    )
      .when(judgedAt('2026-04-17T00:00'))
      .then(noFinding(RULE));
  });

  it('does not call a record that never had a holding "every holding closed": Art. 7 reports it instead', () => {
    const use = used({ at: '2026-04-11T09:00' });
    const transport = transportStarted('T-1', { at: '2026-04-12T09:00' });
    given(contract(), staffed('W-1'), use, transport)
      .when(judgedAt('2026-04-13T00:00'))
      .then(noFinding(RULE), violation('art7.collection-missing', [use]));
  });

  it('says which holding was closed when', () => {
    const outcome = given(base, disposed({ at: '2026-04-20T00:00' }), copied('C-1', { at: '2026-04-21T00:00' })).when(judgedAt('2026-06-01T00:00'));
    expect(outcome.finding(RULE).message).toEqual({
      ja: '第14条（廃棄等）違反: 記録 R-1 の複写（2026-04-21T00:00:00+09:00）は原本に対するものですが、原本は 2026-04-20T00:00:00+09:00 に廃棄済みです',
      en: 'Article 14 (Disposal, etc.) violated: the copying of record R-1 at 2026-04-21T00:00:00+09:00 acts on the original, but the original had already been disposed of at 2026-04-20T00:00:00+09:00',
    });
  });
});
