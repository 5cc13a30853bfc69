import type { ArticleResult, RecordContext } from './context.js';
import { jst } from './messages.js';
import { violation, type Ranked } from './obligation.js';
import type { RuleInfo } from './verdict.js';

/** Article 18: information with My Number needs the separate memorandum on specific personal information. */
export const ART18_RULES: readonly RuleInfo[] = [
  {
    id: 'art18.my-number-without-memorandum',
    article: '18',
    scope: 'record',
    kind: 'violation',
    title: { ja: '特定個人情報等の覚書のない個人番号の収集', en: 'My Number collected without the specific personal information memorandum' },
  },
];

export function judgeArt18(ctx: RecordContext): ArticleResult {
  const findings: Ranked[] = [];
  let applicable = false;
  for (const c of ctx.record.collections) {
    if (!c.event.data.containsMyNumber) continue;
    applicable = true;
    if (ctx.contract.myNumberMemorandumAt(c.at)) continue;
    findings.push(
      violation('art18.my-number-without-memorandum', '18', [c], {
        ja: `記録 ${ctx.recordId} は個人番号を含む収集（${jst(c.at)}）ですが、それ以前に「市の保有する特定個人情報等の取扱委託に関する覚書」（MyNumberMemorandumConcluded）が締結されていません`,
        en: `record ${ctx.recordId} was collected with My Number at ${jst(c.at)}, but no memorandum on specific personal information (MyNumberMemorandumConcluded) was concluded at or before it`,
      }, ctx.recordId),
    );
  }
  return { applicable, findings };
}
