import type { RecordRule } from './context.js';
import { toApprovedSubcontractor } from './art08.js';
import { jst, wa } from './messages.js';
import { violation } from './obligation.js';

/**
 * Article 18: specific personal information (My Number) needs its own memorandum, concluded
 * before it is handled, and that memorandum prevails: no route the city's consent opens for
 * ordinary information (番号法 第9条・第19条) makes a provision or a use outside the contract lawful.
 */
export const ART18: RecordRule<null> = {
  article: '18',
  rules: [
    {
      id: 'art18.my-number-without-memorandum', article: '18', scope: 'record', kind: 'violation', party: 'actor',
      title: { ja: '特定個人情報等の覚書のない個人番号の取扱い', en: 'My Number handled without its memorandum' },
    },
    {
      id: 'art18.my-number-beyond-contract', article: '18', scope: 'record', kind: 'violation', party: 'contractor',
      title: { ja: '個人番号を含む保有個人情報の契約外の提供又は利用', en: 'Provision or use of My Number data beyond the contract' },
    },
  ],
  init: () => null,
  step(ctx, _state, { entry }) {
    const event = entry.event;
    const r = ctx.recordId;
    if (event.type === 'RecordCollected' && event.data.containsMyNumber) {
      ctx.applies('18');
      if (!ctx.contract.myNumberMemorandumAt(entry.at)) {
        const subject = event.actor.org === 'city' ? '甲' : '乙';
        ctx.emit(
          violation('art18.my-number-without-memorandum', '18', event.actor.org === 'city' ? 'city' : 'contractor', [entry], {
            ja: `${subject}は、${wa(entry.at)}に個人番号を含む保有個人情報（${r}）を収集したが、それ以前に「市の保有する特定個人情報等の取扱委託に関する覚書」が締結されていない。`,
            en: `record ${r} was collected with My Number at ${jst(entry.at)}, but no memorandum on specific personal information (MyNumberMemorandumConcluded) was concluded at or before it`,
          }, r),
        );
      }
      return;
    }
    if (!ctx.handling.containsMyNumber) return;
    if (event.type === 'RecordProvided') {
      ctx.applies('18');
      if (toApprovedSubcontractor(ctx.contract, ctx.handling, event.data.recipientId, entry.at)) return;
      ctx.emit(
        violation('art18.my-number-beyond-contract', '18', 'contractor', [entry], {
          ja: `乙は、個人番号を含む保有個人情報（${r}）を${event.data.recipientId}に提供した（${wa(entry.at)}）。特定個人情報の提供は番号法が認める場合に限られ、甲の承諾によっても適法とならない。`,
          en: `record ${r}, which holds My Number, was provided to ${event.data.recipientId} at ${jst(entry.at)}: specific personal information may be provided only where the My Number Act allows, whatever the city consented to`,
        }, r),
      );
    } else if (event.type === 'RecordUsed') {
      ctx.applies('18');
      if (ctx.contract.termsAt(entry.at).purposes.includes(event.data.purpose)) return;
      ctx.emit(
        violation('art18.my-number-beyond-contract', '18', 'contractor', [entry], {
          ja: `乙は、個人番号を含む保有個人情報（${r}）を契約の目的外の「${event.data.purpose}」のために利用した（${wa(entry.at)}）。特定個人情報の目的外利用は甲の承諾によっても適法とならない。`,
          en: `record ${r}, which holds My Number, was used at ${jst(entry.at)} for "${event.data.purpose}", outside the contract's purposes: no consent of the city makes that lawful for specific personal information`,
        }, r),
      );
    }
  },
};
