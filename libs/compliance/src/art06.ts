import { subcontractorOf } from '@ledger/domain';
import type { ArticleResult, ContractContext, RecordContext } from './context.js';
import { act, jst } from './messages.js';
import { violation, type Ranked } from './obligation.js';
import type { Message, RuleInfo } from './verdict.js';

/** Article 6: subcontracting only where the contract permits it, on written application, with the city's approval. */
export const ART6_RULES: readonly RuleInfo[] = [
  {
    id: 'art6.subcontractor-not-approved',
    article: '6',
    scope: 'record',
    kind: 'violation',
    title: { ja: '承認のない再委託先による取扱い', en: 'Handling by a subcontractor not approved' },
  },
  {
    id: 'art6.approval-without-request',
    article: '6',
    scope: 'contract',
    kind: 'violation',
    title: {
      ja: '覚書案を添付した書面申請のない再委託承認',
      en: 'Subcontract approved without a written request with the draft memorandum',
    },
  },
];

/** Record rule: an event whose actor org is `subcontractor:s`, s not approved at its time. */
export function judgeArt6Record(ctx: RecordContext): ArticleResult {
  const findings: Ranked[] = [];
  let applicable = false;
  for (const e of ctx.record.entries) {
    const subcontractorId = subcontractorOf(e.event.actor.org);
    if (subcontractorId === null) continue;
    applicable = true;
    const standing = ctx.contract.subcontractorStanding(subcontractorId, e.at);
    if (standing.approved) continue;
    const reasons: Message[] = [];
    if (!standing.approvedBy) {
      reasons.push({ ja: '甲の承認（SubcontractApproved）がありません', en: 'the city never approved it (no SubcontractApproved)' });
    } else if (standing.revokedBy) {
      reasons.push({
        ja: `承認は ${jst(standing.revokedBy.at)} に取り消されています`,
        en: `its approval was revoked at ${jst(standing.revokedBy.at)}`,
      });
    }
    if (!standing.permitted) {
      reasons.push({ ja: 'その時点の契約は再委託を認めていません', en: 'the contract terms in force did not permit subcontracting' });
    }
    const doing = act(e.event.type, ctx.recordId, e.at);
    findings.push(
      violation('art6.subcontractor-not-approved', '6', [e, standing.revokedBy], {
        ja: `再委託先 ${subcontractorId} が${doing.ja}を行いましたが、${reasons.map((r) => r.ja).join('。また、')}`,
        en: `subcontractor ${subcontractorId} did the ${doing.en}, but ${reasons.map((r) => r.en).join(', and ')}`,
      }, ctx.recordId),
    );
  }
  return { applicable, findings };
}

/** Contract rule: SubcontractApproved for s needs an earlier SubcontractRequested for s with the draft memorandum attached. */
export function judgeArt6Contract(ctx: ContractContext): ArticleResult {
  const approvals = ctx.contract.approvals();
  const findings: Ranked[] = [];
  for (const approval of approvals) {
    const s = approval.event.data.subcontractorId;
    const requests = ctx.contract.subcontractRequestsBefore(s, approval);
    if (requests.some((r) => r.event.data.draftMemorandumAttached)) continue;
    const last = requests.at(-1) ?? null;
    const why: Message = last
      ? {
          ja: `申請 ${last.event.data.applicationRef}（${jst(last.at)}）に覚書案が添付されていません`,
          en: `request ${last.event.data.applicationRef} (${jst(last.at)}) had no draft memorandum attached`,
        }
      : { ja: '先行する書面申請（SubcontractRequested）がありません', en: 'no SubcontractRequested preceded it' };
    findings.push(
      violation('art6.approval-without-request', '6', [approval, last], {
        ja: `再委託先 ${s} の承認（${jst(approval.at)}）について、${why.ja}`,
        en: `the approval of subcontractor ${s} at ${jst(approval.at)} was given although ${why.en}`,
      }),
    );
  }
  return { applicable: approvals.length > 0, findings };
}
