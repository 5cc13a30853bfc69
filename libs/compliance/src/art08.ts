import type { ArticleResult, RecordContext } from './context.js';
import { act, because, jst, listOrNone } from './messages.js';
import { violation, type Ranked } from './obligation.js';
import type { RuleInfo } from './verdict.js';

/** Article 8: no use outside the contract's purposes and no provision to third parties, unless the city instructs or consents. */
export const ART8_RULES: readonly RuleInfo[] = [
  {
    id: 'art8.use-outside-purpose',
    article: '8',
    scope: 'record',
    kind: 'violation',
    title: { ja: '承諾のない目的外利用', en: 'Use outside the contract purposes without authorization' },
  },
  {
    id: 'art8.provision-without-authorization',
    article: '8',
    scope: 'record',
    kind: 'violation',
    title: { ja: '承諾のない第三者提供', en: 'Provision to a third party without authorization' },
  },
  {
    id: 'art8.handled-after-contract-end',
    article: '8',
    scope: 'record',
    kind: 'violation',
    title: { ja: '契約終了後の利用、提供又は複写', en: 'Use, provision or copying after the contract ended' },
  },
];

export function judgeArt8(ctx: RecordContext): ArticleResult {
  const findings: Ranked[] = [];
  const end = ctx.contract.contractEnd();
  let applicable = false;
  for (const e of ctx.record.entries) {
    const event = e.event;
    if (event.type === 'RecordUsed') {
      applicable = true;
      const purposes = ctx.contract.termsAt(e.at).purposes;
      if (!purposes.includes(event.data.purpose)) {
        const coverage = ctx.contract.authorizationCovering('use_outside_purpose', ctx.recordId, ctx.record.categoriesAt(e.at), e.at);
        if (!coverage.grant) {
          const allowed = listOrNone(purposes);
          const why = because(coverage.reasons);
          findings.push(
            violation('art8.use-outside-purpose', '8', [e], {
              ja: `記録 ${ctx.recordId} を契約の目的（${allowed.ja}）外の「${event.data.purpose}」に利用しました（${jst(e.at)}）。目的外利用の承諾（use_outside_purpose）がありません${why.ja}`,
              en: `record ${ctx.recordId} was used at ${jst(e.at)} for "${event.data.purpose}", outside the contract's purposes (${allowed.en}), with no use_outside_purpose authorization covering it${why.en}`,
            }, ctx.recordId),
          );
        }
      }
    } else if (event.type === 'RecordProvided') {
      applicable = true;
      const coverage = ctx.contract.authorizationCovering('provision', ctx.recordId, ctx.record.categoriesAt(e.at), e.at);
      if (!coverage.grant) {
        const why = because(coverage.reasons);
        findings.push(
          violation('art8.provision-without-authorization', '8', [e], {
            ja: `記録 ${ctx.recordId} を ${event.data.recipientId} に提供しました（${jst(e.at)}、目的「${event.data.purpose}」）が、提供の承諾（provision）がありません${why.ja}`,
            en: `record ${ctx.recordId} was provided to ${event.data.recipientId} at ${jst(e.at)} (purpose "${event.data.purpose}") with no provision authorization covering it${why.en}`,
          }, ctx.recordId),
        );
      }
    }
    if ((event.type === 'RecordUsed' || event.type === 'RecordProvided' || event.type === 'RecordCopied') && end && end.at <= e.at) {
      applicable = true;
      const doing = act(event.type, ctx.recordId, e.at);
      findings.push(
        violation('art8.handled-after-contract-end', '8', [e, end], {
          ja: `契約終了（${jst(end.at)}、${end.event.data.reason}）の後に${doing.ja}を行いました`,
          en: `the ${doing.en} came after the contract ended at ${jst(end.at)} (${end.event.data.reason})`,
        }, ctx.recordId),
      );
    }
  }
  return { applicable, findings };
}
