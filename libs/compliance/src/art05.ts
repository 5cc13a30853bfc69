import { refOf, type Ref } from '@ledger/handling';
import type { FinishContext, RecordContext, RecordRule } from './context.js';
import { defaultNote, jst, wa } from './messages.js';
import { obligation } from './obligation.js';
import { dueAfter } from './due.js';

interface Anonymization {
  copyId: string;
  location: string;
  opening: Ref;
  due: number;
  isDefault: boolean;
  duration: string;
}

/**
 * Article 5: 「必要に応じ、氏名を番号に置き換える等の匿名化措置」. A copy made to a location the
 * contract lists in `anonymizeLocations` (a test or development environment) must be anonymized
 * (RecordAnonymized naming the copy) within anonymizeWithin.
 */
export const ART5: RecordRule<{ open: Anonymization[] }> = {
  article: '5',
  rules: [
    {
      id: 'art5.anonymization-overdue', article: '5', scope: 'record', kind: 'obligation', party: 'contractor',
      title: { ja: '指定された場所への複製物の匿名化', en: 'Anonymization of a copy made to a listed location' },
    },
  ],
  init: () => ({ open: [] }),
  step(ctx, state, step) {
    const { entry } = step;
    const event = entry.event;
    if (event.type === 'RecordCopied') {
      const terms = ctx.contract.termsAt(entry.at);
      if (!terms.policy.anonymizeLocations.includes(event.data.location)) return;
      ctx.applies('5');
      state.open = state.open.filter((a) => a.copyId !== event.data.copyId);
      state.open.push({
        copyId: event.data.copyId,
        location: event.data.location,
        opening: refOf(entry),
        due: dueAfter(ctx.contract, 'anonymizeWithin', entry.at),
        isDefault: !terms.explicit.has('anonymizeWithin'),
        duration: terms.policy.anonymizeWithin,
      });
    } else if (event.type === 'RecordAnonymized' && event.data.copyId !== undefined) {
      const i = state.open.findIndex((a) => a.copyId === event.data.copyId);
      if (i < 0) return;
      const [anonymization] = state.open.splice(i, 1);
      ctx.emit(finding(ctx, anonymization!, refOf(entry), Number.POSITIVE_INFINITY));
    }
  },
  finish(ctx, state) {
    for (const anonymization of state.open) ctx.emit(finding(ctx, anonymization, null, ctx.asOf));
  },
};

function finding(ctx: RecordContext | FinishContext, a: Anonymization, closing: Ref | null, asOf: number) {
  return obligation({
    rule: 'art5.anonymization-overdue',
    article: '5',
    party: 'contractor',
    opening: a.opening,
    closing,
    due: a.due,
    asOf,
    subject: {
      ja: `乙が${wa(a.opening.at)}に${a.location}へ作成した複製物${a.copyId}の匿名化`,
      en: `the anonymization (RecordAnonymized) of copy ${a.copyId}, made to ${a.location} at ${jst(a.opening.at)}`,
    },
    note: defaultNote(a.isDefault, a.duration),
    recordId: ctx.recordId,
  });
}
