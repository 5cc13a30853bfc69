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
  authorizationRevoked,
  CITY,
  noLongerNeeded,
  overall,
  party,
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

  it('says which holding was disposed of how, the method in words (v2 audit style)', () => {
    const outcome = given(base, disposed({ witnessed: false, at: '2026-04-20T09:00' })).when(judgedAt('2026-06-01T00:00'));
    expect(outcome.finding(RULE).message).toEqual({
      ja: '第14条（廃棄等）違反：乙は、令和8年4月20日9時00分に保有個人情報（R-1）の原本を甲の立会いなく廃棄（暗号化消去）した。',
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

  it('counts copies of copies, and puts a copy made after the instruction under it with its own due time (v2 Clarification)', () => {
    const instruction = disposalInstructed({ at: '2026-04-20T00:00' });
    const lateCopy = copied('C-3', { from: 'C-2', at: '2026-04-21T00:00' });
    const lastOfFirst = disposed({ copyId: 'C-2', at: '2026-04-24T00:00' });
    const last = disposed({ copyId: 'C-3', at: '2026-04-26T00:00' });
    given(
      base,
      copied('C-1', { at: '2026-04-11T09:00' }),
      copied('C-2', { from: 'C-1', at: '2026-04-12T09:00' }),
      instruction,
      lateCopy,
      disposed({ at: '2026-04-22T00:00' }),
      disposed({ copyId: 'C-1', at: '2026-04-23T00:00' }),
      lastOfFirst,
      last,
    )
      .when(judgedAt('2026-06-01T00:00'))
      .then(met(RULE, [instruction, lastOfFirst], '2026-05-20T00:00'), met(RULE, [lateCopy, last, instruction], '2026-05-21T00:00'), findings(RULE, 2));
  });

  it('lists what is still held while open, in audit style (v2)', () => {
    const outcome = given(base, copied('C-1', { at: '2026-04-11T09:00' }), disposalInstructed({ at: '2026-04-20T00:00' }), disposed({ at: '2026-04-25T00:00' }))
      .when(judgedAt('2026-04-30T00:00'));
    expect(outcome.finding(RULE).message).toEqual({
      ja: '第14条（廃棄等）期限未到来：令和8年4月20日0時00分の甲の指示による保有個人情報（R-1）の原本及び複製物C-1の返還又は廃棄（未了：複製物C-1）の期限は令和8年5月20日0時00分であり、まだ行われていない。（覚書に期限の定めがないため既定値（30日）で判定）',
      en: 'Article 14 (Disposal, etc.) pending: the return or disposal of every holding of record R-1, instructed by the city at 2026-04-20T00:00:00+09:00 (DisposalInstructed) (still held: copy C-1): due by 2026-05-20T00:00:00+09:00, not done yet (the memorandum sets no deadline: judged with the default P30D)',
    });
  });
  it('lists the original first, then the copies in the order they were made (v2: was sorted by copyId), when all are still held', () => {
    const outcome = given(base, copied('C-2', { at: '2026-04-11T09:00' }), copied('C-1', { at: '2026-04-12T09:00' }), disposalInstructed({ at: '2026-04-20T00:00' }))
      .when(judgedAt('2026-04-30T00:00'));
    expect(outcome.finding(RULE).message.en).toContain('(still held: the original, copy C-2, copy C-1)');
    expect(outcome.finding(RULE).message.ja).toContain('（未了：原本及び複製物C-2及び複製物C-1）');
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

  it('says which holding was closed when, in audit style (v2)', () => {
    const outcome = given(base, disposed({ at: '2026-04-20T00:00' }), copied('C-1', { at: '2026-04-21T00:00' })).when(judgedAt('2026-06-01T00:00'));
    expect(outcome.finding(RULE).message).toEqual({
      ja: '第14条（廃棄等）違反：乙は、保有個人情報（R-1）の複写・複製（令和8年4月21日0時00分）を行ったが、原本は令和8年4月20日0時00分に廃棄済みである。',
      en: 'Article 14 (Disposal, etc.) violated: the copying of record R-1 at 2026-04-21T00:00:00+09:00 acts on the original, but the original had already been disposed of at 2026-04-20T00:00:00+09:00',
    });
  });
});

describe('Article 14: art14.disposal-overdue, what opens it and what closes it (v2)', () => {
  const RULE = 'art14.disposal-overdue';

  it('is opened by RecordNoLongerNeeded without copyId for every open holding, due within disposalWithin (1 ms either side)', () => {
    const notNeeded = noLongerNeeded({ at: '2026-04-20T00:00' });
    const last = disposed({ copyId: 'C-1', at: '2026-05-20T00:00' });
    given(base, copied('C-1', { at: '2026-04-11T09:00' }), notNeeded, returned({ at: '2026-04-25T00:00' }), last)
      .when(judgedAt('2026-06-01T00:00'))
      .then(met(RULE, [notNeeded, last], '2026-05-20T00:00'), findings(RULE, 1), party(RULE, 'contractor'), article('14', 'compliant'));
    const late = disposed({ copyId: 'C-1', at: '2026-05-20T00:00:00.001' });
    given(base, copied('C-1', { at: '2026-04-11T09:00' }), notNeeded, returned({ at: '2026-04-25T00:00' }), late)
      .when(judgedAt('2026-06-01T00:00'))
      .then(overdue(RULE, [notNeeded, late], '2026-05-20T00:00'), article('14', 'violation'));
  });

  it('is opened by RecordNoLongerNeeded naming a copy for that copy only', () => {
    const notNeeded = noLongerNeeded({ copyId: 'C-1', at: '2026-04-20T00:00' });
    const scenario = given(base, copied('C-1', { at: '2026-04-11T09:00' }), notNeeded);
    scenario.when(judgedAt('2026-05-20T00:00')).then(pending(RULE, [notNeeded], '2026-05-20T00:00'), findings(RULE, 1));
    scenario.when(judgedAt('2026-05-20T00:00:00.001')).then(overdue(RULE, [notNeeded], '2026-05-20T00:00'), findings(RULE, 1));
    const disposal = disposed({ copyId: 'C-1', at: '2026-04-21T00:00' });
    given(base, copied('C-1', { at: '2026-04-11T09:00' }), notNeeded, disposal)
      .when(judgedAt('2026-07-01T00:00'))
      .then(met(RULE, [notNeeded, disposal], '2026-05-20T00:00'), findings(RULE, 1));
  });

  it('takes a RecordNoLongerNeeded of the city as opening the contractor\'s duty', () => {
    const notNeeded = noLongerNeeded({ at: '2026-04-20T00:00', by: CITY });
    given(base, notNeeded)
      .when(judgedAt('2026-05-21T00:00'))
      .then(overdue(RULE, [notNeeded], '2026-05-20T00:00'), party(RULE, 'contractor'));
  });

  it('does not bind a holding opened after a RecordNoLongerNeeded (only the instruction and the contract\'s end bind later holdings)', () => {
    const notNeeded = noLongerNeeded({ copyId: 'C-1', at: '2026-04-20T00:00' });
    const disposal = disposed({ copyId: 'C-1', at: '2026-04-21T00:00' });
    given(base, copied('C-1', { at: '2026-04-11T09:00' }), notNeeded, disposal, copied('C-2', { at: '2026-04-22T00:00' }))
      .when(judgedAt('2026-07-01T00:00'))
      .then(met(RULE, [notNeeded, disposal], '2026-05-20T00:00'), findings(RULE, 1));
  });

  it('yields nothing and leaves Art. 14 not applicable when nothing is held (v2 Clarification: nothing to dispose of)', () => {
    given(contract(), staffed('W-1'), used({ at: '2026-04-10T09:00' }), disposalInstructed({ at: '2026-04-20T00:00' }), ended({ at: '2026-05-01T00:00' }))
      .when(judgedAt('2026-07-01T00:00'))
      .then(noFinding(RULE), article('14', 'not_applicable'));
    given(base, noLongerNeeded({ copyId: 'C-9', at: '2026-04-20T00:00' }))
      .when(judgedAt('2026-07-01T00:00'))
      .then(noFinding(RULE), article('14', 'not_applicable'));
  });

  it('binds a copy made after ContractEnded at its own opening + disposalWithin (v2 Clarification)', () => {
    const end = ended({ at: '2026-05-01T00:00' });
    const disposal = disposed({ at: '2026-05-02T00:00' });
    const lateCopy = copied('C-1', { at: '2026-05-10T00:00' });
    const scenario = given(base, end, disposal, lateCopy);
    scenario.when(judgedAt('2026-06-09T00:00')).then(met(RULE, [end, disposal], '2026-05-31T00:00'), pending(RULE, [lateCopy, end], '2026-06-09T00:00'));
    scenario.when(judgedAt('2026-06-09T00:00:00.001')).then(overdue(RULE, [lateCopy, end], '2026-06-09T00:00'), violation('art8.handled-after-contract-end', [lateCopy, end]));
  });

  it('binds a collection after ContractEnded that reopens the original', () => {
    const end = ended({ at: '2026-05-01T00:00' });
    const recollection = collected({ at: '2026-05-10T00:00' });
    given(base, end, returned({ at: '2026-05-02T00:00' }), recollection)
      .when(judgedAt('2026-06-10T00:00'))
      .then(overdue(RULE, [recollection, end], '2026-06-09T00:00'));
  });

  it('binds a copy made after a DisposalInstructed with dueAt at the later of dueAt and its own opening + disposalWithin (v2 Clarification)', () => {
    const instruction = disposalInstructed({ at: '2026-04-20T00:00', dueAt: '2026-06-30T00:00' });
    const early = copied('C-1', { at: '2026-04-21T00:00' });
    given(base, instruction, early)
      .when(judgedAt('2026-06-01T00:00'))
      .then(pending(RULE, [instruction], '2026-06-30T00:00'), pending(RULE, [early, instruction], '2026-06-30T00:00'));
    const tight = disposalInstructed({ at: '2026-04-20T00:00', dueAt: '2026-04-25T00:00' });
    const lateCopy = copied('C-1', { at: '2026-04-24T00:00' });
    given(base, tight, lateCopy)
      .when(judgedAt('2026-05-01T00:00'))
      .then(overdue(RULE, [tight], '2026-04-25T00:00'), pending(RULE, [lateCopy, tight], '2026-05-24T00:00'));
  });

  it('treats a copy made at the very instant of the instruction, later in the log, as opened after it (found by the differential test)', () => {
    const instruction = disposalInstructed({ at: '2026-04-20T00:00', dueAt: '2026-04-20T00:00' });
    const sameInstant = copied('C-1', { at: '2026-04-20T00:00' });
    given(base, instruction, sameInstant)
      .when(judgedAt('2026-05-01T00:00'))
      .then(overdue(RULE, [instruction], '2026-04-20T00:00'), pending(RULE, [sameInstant, instruction], '2026-05-20T00:00'), findings(RULE, 2));
  });

  it('is closed only by a return when the instruction says return, and a disposal then is a violation', () => {
    const instruction = disposalInstructed({ at: '2026-04-20T00:00', action: 'return' });
    const disposal = disposed({ at: '2026-04-21T00:00' });
    const outcome = given(base, instruction, disposal).when(judgedAt('2026-06-01T00:00'));
    outcome.then(overdue(RULE, [instruction, disposal], '2026-05-20T00:00'), article('14', 'violation'));
    expect(outcome.finding(RULE).message).toEqual({
      ja: '第14条（廃棄等）違反：令和8年4月20日0時00分の甲の指示による保有個人情報（R-1）の原本の返還について、乙は指示と異なり令和8年4月21日0時00分に廃棄した。',
      en: 'Article 14 (Disposal, etc.) violated: the return of the original of record R-1, instructed by the city at 2026-04-20T00:00:00+09:00 (DisposalInstructed), was not done as instructed: it was disposed of at 2026-04-21T00:00:00+09:00',
    });
    const back = returned({ at: '2026-04-21T00:00' });
    given(base, instruction, back)
      .when(judgedAt('2026-06-01T00:00'))
      .then(met(RULE, [instruction, back], '2026-05-20T00:00'));
  });

  it('is closed only by a disposal when the instruction says dispose; either (the default) takes both', () => {
    const instruction = disposalInstructed({ at: '2026-04-20T00:00', action: 'dispose' });
    const back = returned({ at: '2026-04-21T00:00' });
    given(base, instruction, back)
      .when(judgedAt('2026-06-01T00:00'))
      .then(overdue(RULE, [instruction, back], '2026-05-20T00:00'));
    const either = disposalInstructed({ at: '2026-04-20T00:00', action: 'either' });
    const mixed = [copied('C-1', { at: '2026-04-11T00:00' }), either, returned({ at: '2026-04-21T00:00' })];
    const last = disposed({ copyId: 'C-1', at: '2026-04-22T00:00' });
    given(base, mixed, last)
      .when(judgedAt('2026-06-01T00:00'))
      .then(met(RULE, [either, last], '2026-05-20T00:00'));
  });

  it('says why the duty arose and that the deadline is the default: contract end, instruction, no longer needed', () => {
    const end = given(base, ended({ at: '2026-05-01T00:00', reason: 'expired' })).when(judgedAt('2026-05-02T00:00'));
    expect(end.finding(RULE).message.ja).toBe(
      '第14条（廃棄等）期限未到来：令和8年5月1日0時00分の契約の終了に伴う保有個人情報（R-1）の原本の返還又は廃棄（未了：原本）の期限は令和8年5月31日0時00分であり、まだ行われていない。（覚書に期限の定めがないため既定値（30日）で判定）',
    );
    const notNeeded = given(base, noLongerNeeded({ at: '2026-04-20T00:00' })).when(judgedAt('2026-05-21T00:00'));
    expect(notNeeded.finding(RULE).message.ja).toBe(
      '第14条（廃棄等）違反：令和8年4月20日0時00分に保有する必要がなくなったことに伴う保有個人情報（R-1）の原本の返還又は廃棄（未了：原本）は、期限である令和8年5月20日0時00分を過ぎても行われていない。（覚書に期限の定めがないため既定値（30日）で判定）',
    );
    const dueGiven = given(base, disposalInstructed({ at: '2026-04-20T00:00', dueAt: '2026-05-01T00:00' })).when(judgedAt('2026-04-21T00:00'));
    expect(dueGiven.finding(RULE).message.ja).not.toContain('既定値');
    const byContract = given(contract({ policy: { disposalWithin: 'P30D' } }), staffed('W-1'), collected({ at: '2026-04-10T09:00' }), ended({ at: '2026-05-01T00:00' }))
      .when(judgedAt('2026-05-02T00:00'));
    expect(byContract.finding(RULE).message.ja).not.toContain('既定値');
  });

  it('uses the disposalWithin in force at the opening (amended before it)', () => {
    const notNeeded = noLongerNeeded({ at: '2026-04-20T00:00' });
    given(base, amended({ at: '2026-04-15T00:00', policy: { disposalWithin: 'P7D' } }), notNeeded)
      .when(judgedAt('2026-04-25T00:00'))
      .then(pending(RULE, [notNeeded], '2026-04-27T00:00'));
  });
});

describe('Article 14: art14.copy-retained-after-authorization (v2)', () => {
  const RULE = 'art14.copy-retained-after-authorization';
  const setup = [contract(), staffed('W-1'), collected({ at: '2026-04-10T09:00' })];
  const grant = granted('copy', 'A-9', { at: '2026-04-01T00:00', validUntil: '2026-05-01T00:00' });
  const copy = copied('C-1', { at: '2026-04-11T09:00' });

  it('is opened when the copy authorization expires while the copy is held: pending until + disposalWithin, violated 1 ms after', () => {
    const scenario = given(setup, grant, copy);
    scenario.when(judgedAt('2026-04-30T23:59:59.999')).then(noFinding(RULE), article('14', 'not_applicable'));
    scenario.when(judgedAt('2026-05-31T00:00')).then(pending(RULE, [copy, grant], '2026-05-31T00:00'), party(RULE, 'contractor'), article('14', 'pending'));
    scenario.when(judgedAt('2026-05-31T00:00:00.001')).then(overdue(RULE, [copy, grant], '2026-05-31T00:00'), article('14', 'violation'));
  });

  it('is met by a return or disposal of the copy by the due time, and violated by one 1 ms late', () => {
    const inTime = disposed({ copyId: 'C-1', at: '2026-05-31T00:00' });
    given(setup, grant, copy, inTime)
      .when(judgedAt('2026-07-01T00:00'))
      .then(met(RULE, [copy, inTime, grant], '2026-05-31T00:00'), article('14', 'compliant'));
    const late = returned({ copyId: 'C-1', at: '2026-05-31T00:00:00.001' });
    given(setup, grant, copy, late)
      .when(judgedAt('2026-07-01T00:00'))
      .then(overdue(RULE, [copy, late, grant], '2026-05-31T00:00'));
  });

  it('yields nothing for a copy closed before the authorization ended (1 ms before), and a closing at that instant meets it', () => {
    given(setup, grant, copy, disposed({ copyId: 'C-1', at: '2026-04-30T23:59:59.999' }))
      .when(judgedAt('2026-07-01T00:00'))
      .then(noFinding(RULE));
    const atEnd = disposed({ copyId: 'C-1', at: '2026-05-01T00:00' });
    given(setup, grant, copy, atEnd)
      .when(judgedAt('2026-07-01T00:00'))
      .then(met(RULE, [copy, atEnd, grant], '2026-05-31T00:00'));
  });

  it('is opened by a revocation of the authorization, with the revocation as evidence', () => {
    const open = granted('copy', 'A-9', { at: '2026-04-01T00:00' });
    const revocation = authorizationRevoked('A-9', { at: '2026-04-20T00:00' });
    given(setup, open, copy, revocation)
      .when(judgedAt('2026-05-20T00:00:00.001'))
      .then(overdue(RULE, [copy, revocation], '2026-05-20T00:00'));
  });

  it('takes the earlier of validUntil and the revocation', () => {
    const revocation = authorizationRevoked('A-9', { at: '2026-04-20T00:00' });
    given(setup, grant, copy, revocation)
      .when(judgedAt('2026-05-19T00:00'))
      .then(pending(RULE, [copy, revocation], '2026-05-20T00:00'), findings(RULE, 1));
  });

  it('yields nothing while the authorization runs, for a copy made with no authorization (Art. 9 reports it), or for another authorization\'s revocation', () => {
    given(setup, granted('copy', 'A-9', { at: '2026-04-01T00:00' }), copy, authorizationRevoked('A-8', { at: '2026-04-20T00:00' }))
      .when(judgedAt('2027-01-01T00:00'))
      .then(noFinding(RULE));
    const unauthorized = copied('C-1', { at: '2026-04-11T09:00' });
    given(setup, unauthorized)
      .when(judgedAt('2027-01-01T00:00'))
      .then(noFinding(RULE), violation('art9.copy-without-authorization', [unauthorized]));
  });

  it('sees a revocation only from its knownAt on', () => {
    const open = granted('copy', 'A-9', { at: '2026-04-01T00:00' });
    const revocation = authorizationRevoked('A-9', { at: '2026-04-20T00:00', recordedAt: '2026-06-01T00:00' });
    const scenario = given(setup, open, copy, revocation);
    scenario.when(judgedAt('2026-07-01T00:00', { knownAt: '2026-05-31T00:00' })).then(noFinding(RULE));
    scenario.when(judgedAt('2026-07-01T00:00', { knownAt: '2026-06-01T00:00' })).then(overdue(RULE, [copy, revocation], '2026-05-20T00:00'));
  });

  it('says which authorization ended how, and that the deadline is the default', () => {
    const outcome = given(setup, grant, copy).when(judgedAt('2026-06-01T00:00'));
    expect(outcome.finding(RULE).message).toEqual({
      ja: '第14条（廃棄等）違反：複写・複製の承諾A-9が令和8年5月1日0時00分に期限が切れた後の、複製物C-1の返還又は廃棄は、期限である令和8年5月31日0時00分を過ぎても行われていない。（覚書に期限の定めがないため既定値（30日）で判定）',
      en: 'Article 14 (Disposal, etc.) violated: the return or disposal of copy C-1 of record R-1 after its copy authorization A-9 expired at 2026-05-01T00:00:00+09:00: due by 2026-05-31T00:00:00+09:00, not done (the memorandum sets no deadline: judged with the default P30D)',
    });
  });
});

describe('Article 14 and the contractor\'s status', () => {
  it('counts a wrong-action closing as the contractor\'s violation, and reports the breach under Art. 15 (v2)', () => {
    given(base, disposalInstructed({ at: '2026-04-20T00:00', action: 'return' }), disposed({ at: '2026-04-21T00:00' }))
      .when(judgedAt('2026-06-01T00:00'))
      .then(overall('violation'), article('15', 'violation'));
  });
});
