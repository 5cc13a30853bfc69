import { refOf, type Ref } from '@ledger/handling';
import type { RecordEvent } from '@ledger/domain';
import type { RecordContext, RecordRule } from './context.js';
import { act, list, listOrNone, wa, jst } from './messages.js';
import { violation } from './obligation.js';
import { partyOf } from './party.js';
import type { Message, Party } from './verdict.js';

const UNREGISTERED: Message = { ja: '（契約の登録がない）', en: ' (no ContractRegistered in force)' };

interface State {
  collected: boolean;
  /** The record's first event other than a collection, when no collection came at or before its time (yet). */
  missing: { ref: Ref; type: RecordEvent['type']; party: Party } | null;
  /** Judged: the first other event was followed by a collection at a later time, or none came. */
  done: boolean;
}

function missingFinding(ctx: RecordContext, missing: NonNullable<State['missing']>, later: Ref | null) {
  const doing = act(missing.type, ctx.recordId, missing.ref.at);
  return violation('art7.collection-missing', '7', missing.party, [missing.ref, later], {
    ja: `${doing.ja}の時点で、収集の記録がない${later ? `（収集は${wa(later.at)}）` : ''}。`,
    en: `the ${doing.en} has no RecordCollected at or before it${later ? ` (collected only at ${jst(later.at)})` : ''}`,
  }, ctx.recordId);
}

/**
 * Article 7: collect only what the contract's purposes need (its purposes and data categories in
 * force), and a record's handling starts with its collection.
 */
export const ART7: RecordRule<State> = {
  article: '7',
  rules: [
    {
      id: 'art7.collection-missing', article: '7', scope: 'record', kind: 'violation', party: 'actor',
      title: { ja: '収集の記録がない保有個人情報の取扱い', en: 'Handling of a record with no collection' },
    },
    {
      id: 'art7.purpose-outside-contract', article: '7', scope: 'record', kind: 'violation', party: 'actor',
      title: { ja: '契約の目的外の収集', en: 'Collection for a purpose outside the contract' },
    },
    {
      id: 'art7.categories-outside-contract', article: '7', scope: 'record', kind: 'violation', party: 'actor',
      title: { ja: '契約の範囲外の項目の収集', en: 'Collection of data categories outside the contract' },
    },
  ],
  init: () => ({ collected: false, missing: null, done: false }),
  step(ctx, state, { entry }) {
    const event = entry.event;
    ctx.applies('7');
    if (event.type !== 'RecordCollected') {
      if (!state.collected && !state.done && state.missing === null) state.missing = { ref: refOf(entry), type: event.type, party: partyOf(event) };
      return;
    }
    if (state.missing && !state.done) {
      // A collection at the same instant as the first other event still came "at or before" it.
      if (entry.at > state.missing.ref.at) ctx.emit(missingFinding(ctx, state.missing, refOf(entry)));
      state.missing = null;
      state.done = true;
    }
    state.collected = true;
    const party = partyOf(event);
    const terms = ctx.contract.termsAt(entry.at);
    const note = terms.registered ? { ja: '', en: '' } : UNREGISTERED;
    const { purpose, dataCategories } = event.data;
    const subject = party === 'city' ? '甲' : '乙';
    if (!terms.purposes.includes(purpose)) {
      const allowed = listOrNone(terms.purposes);
      ctx.emit(
        violation('art7.purpose-outside-contract', '7', party, [entry], {
          ja: `${subject}は、${wa(entry.at)}に、契約の目的（${allowed.ja}）にない目的「${purpose}」で保有個人情報（${ctx.recordId}）を収集した${note.ja}。`,
          en: `the collection at ${jst(entry.at)} has purpose "${purpose}", not among the contract's purposes in force (${allowed.en})${note.en}`,
        }, ctx.recordId),
      );
    }
    const outside = dataCategories.filter((category) => !terms.dataCategories.includes(category));
    if (outside.length > 0) {
      const names = list(outside);
      const allowed = listOrNone(terms.dataCategories);
      ctx.emit(
        violation('art7.categories-outside-contract', '7', party, [entry], {
          ja: `${subject}は、${wa(entry.at)}に、契約の項目（${allowed.ja}）にない項目${names.ja}を収集した${note.ja}。`,
          en: `the collection at ${jst(entry.at)} includes ${names.en}, not among the contract's data categories in force (${allowed.en})${note.en}`,
        }, ctx.recordId),
      );
    }
  },
  finish(ctx, state) {
    if (state.missing && !state.done) ctx.emit(missingFinding(ctx, state.missing, null));
  },
};
