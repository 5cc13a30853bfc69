import type { ArticleResult, RecordContext } from './context.js';
import { because, holdingName, jst } from './messages.js';
import { violation, type Ranked } from './obligation.js';
import type { RuleInfo } from './verdict.js';

/** Article 9: no copying or reproduction unless the city instructs or consents. */
export const ART9_RULES: readonly RuleInfo[] = [
  {
    id: 'art9.copy-without-authorization',
    article: '9',
    scope: 'record',
    kind: 'violation',
    title: { ja: '甲の承諾のない複写', en: 'Copy made without the city\'s authorization' },
  },
];

export function judgeArt9(ctx: RecordContext): ArticleResult {
  const findings: Ranked[] = [];
  let applicable = false;
  for (const e of ctx.record.entries) {
    const event = e.event;
    if (event.type !== 'RecordCopied') continue;
    applicable = true;
    const coverage = ctx.contract.authorizationCovering('copy', ctx.recordId, ctx.record.categoriesAt(e.at), e.at);
    if (coverage.grant) continue;
    const source = holdingName(event.data.fromCopyId);
    const why = because(coverage.reasons);
    findings.push(
      violation('art9.copy-without-authorization', '9', [e], {
        ja: `記録 ${ctx.recordId} の複写 ${event.data.copyId} を${source.ja}から甲の承諾（copy）なく作成しました（${jst(e.at)}）${why.ja}`,
        en: `copy ${event.data.copyId} of record ${ctx.recordId} was made from ${source.en} at ${jst(e.at)} with no copy authorization covering the record${why.en}`,
      }, ctx.recordId),
    );
  }
  return { applicable, findings };
}
