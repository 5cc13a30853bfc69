import type { ArticleResult, RecordContext } from './context.js';
import { act, jst, list, listOrNone } from './messages.js';
import { violation, type Ranked } from './obligation.js';
import type { Message, RuleInfo } from './verdict.js';

/** Article 7: collection only as needed for the contract's purposes. */
export const ART7_RULES: readonly RuleInfo[] = [
  {
    id: 'art7.collection-missing',
    article: '7',
    scope: 'record',
    kind: 'violation',
    title: { ja: '収集の記録がない取扱い', en: 'Handling with no recorded collection' },
  },
  {
    id: 'art7.purpose-outside-contract',
    article: '7',
    scope: 'record',
    kind: 'violation',
    title: { ja: '契約の目的外の収集', en: 'Collection for a purpose outside the contract' },
  },
  {
    id: 'art7.categories-outside-contract',
    article: '7',
    scope: 'record',
    kind: 'violation',
    title: { ja: '契約の範囲外の項目の収集', en: 'Collection of data categories outside the contract' },
  },
];

const UNREGISTERED: Message = { ja: '（契約の登録がありません）', en: ' (no ContractRegistered in force)' };

export function judgeArt7(ctx: RecordContext): ArticleResult {
  const findings: Ranked[] = [];
  const entries = ctx.record.entries;

  const firstOther = entries.find((e) => e.event.type !== 'RecordCollected');
  if (firstOther && !ctx.record.collections.some((c) => c.at <= firstOther.at)) {
    const later = ctx.record.collections[0] ?? null;
    const doing = act(firstOther.event.type, ctx.recordId, firstOther.at);
    findings.push(
      violation('art7.collection-missing', '7', [firstOther, later], {
        ja: `${doing.ja}の時点で収集（RecordCollected）の記録がありません${later ? `（収集は ${jst(later.at)}）` : ''}`,
        en: `the ${doing.en} has no RecordCollected at or before it${later ? ` (collected only at ${jst(later.at)})` : ''}`,
      }, ctx.recordId),
    );
  }

  for (const c of ctx.record.collections) {
    const terms = ctx.contract.termsAt(c.at);
    const note = terms.registered ? { ja: '', en: '' } : UNREGISTERED;
    const { purpose, dataCategories } = c.event.data;
    if (!terms.purposes.includes(purpose)) {
      const allowed = listOrNone(terms.purposes);
      findings.push(
        violation('art7.purpose-outside-contract', '7', [c], {
          ja: `${jst(c.at)} の収集の目的「${purpose}」は契約の目的（${allowed.ja}）にありません${note.ja}`,
          en: `the collection at ${jst(c.at)} has purpose "${purpose}", not among the contract's purposes in force (${allowed.en})${note.en}`,
        }, ctx.recordId),
      );
    }
    const outside = dataCategories.filter((category) => !terms.dataCategories.includes(category));
    if (outside.length > 0) {
      const names = list(outside);
      const allowed = listOrNone(terms.dataCategories);
      findings.push(
        violation('art7.categories-outside-contract', '7', [c], {
          ja: `${jst(c.at)} の収集項目 ${names.ja} は契約の項目（${allowed.ja}）にありません${note.ja}`,
          en: `the collection at ${jst(c.at)} includes ${names.en}, not among the contract's data categories in force (${allowed.en})${note.en}`,
        }, ctx.recordId),
      );
    }
  }
  return { applicable: entries.length > 0, findings };
}
