import { categoriesAt } from '@ledger/handling';
import type { ArticleResult, ContractContext, RecordRule } from './context.js';
import { act, list, wa, jst } from './messages.js';
import { violation, type Judged } from './obligation.js';
import type { Message } from './verdict.js';

/** The subcontractor of an actor org `subcontractor:<s>`, else null. */
export function subcontractorOf(org: string): string | null {
  return org.startsWith('subcontractor:') ? org.slice('subcontractor:'.length) : null;
}

/**
 * Article 6: no subcontracting without the city's prior approval of a written application (with
 * the draft memorandum attached), and a subcontractor handles only what it was approved for.
 */
export const ART6: RecordRule<null> = {
  article: '6',
  rules: [
    {
      id: 'art6.subcontractor-not-approved', article: '6', scope: 'record', kind: 'violation', party: 'contractor',
      title: { ja: '承認のない再委託先による取扱い', en: 'Handling by a subcontractor not approved' },
    },
    {
      id: 'art6.outside-approved-scope', article: '6', scope: 'record', kind: 'violation', party: 'contractor',
      title: { ja: '承認された範囲外の保有個人情報の再委託先による取扱い', en: 'Handling by a subcontractor outside its approved scope' },
    },
  ],
  init: () => null,
  step(ctx, _state, { entry }) {
    const subcontractorId = subcontractorOf(entry.event.actor.org);
    if (subcontractorId === null) return;
    ctx.applies('6');
    const doing = act(entry.event.type, ctx.recordId, entry.at);
    const standing = ctx.contract.subcontractorStanding(subcontractorId, entry.at);
    if (!standing.approved) {
      const reasons: Message[] = [];
      if (!standing.approvedBy) {
        reasons.push({ ja: '甲の承認がない', en: 'the city never approved it (no SubcontractApproved)' });
      } else if (standing.revokedBy) {
        reasons.push({ ja: `承認は${wa(standing.revokedBy.at)}に取り消されている`, en: `its approval was revoked at ${jst(standing.revokedBy.at)}` });
      }
      if (!standing.permitted) reasons.push({ ja: 'その時点の契約は再委託を認めていない', en: 'the contract terms in force did not permit subcontracting' });
      ctx.emit(
        violation('art6.subcontractor-not-approved', '6', 'contractor', [entry, standing.revokedBy], {
          ja: `再委託先${subcontractorId}が${doing.ja}を行ったが、${reasons.map((r) => r.ja).join('。また、')}。`,
          en: `subcontractor ${subcontractorId} did the ${doing.en}, but ${reasons.map((r) => r.en).join(', and ')}`,
        }, ctx.recordId),
      );
      return;
    }
    const scope = ctx.contract.approvedScope(subcontractorId, entry.at);
    const categories = categoriesAt(ctx.handling, entry.at);
    if (!scope || categories === null) return;
    const allowed = scope.request?.event.data.dataCategories ?? [];
    const outside = categories.filter((c) => !allowed.includes(c));
    if (outside.length === 0) return;
    const ref = scope.approval.event.data.applicationRef;
    const names = list(outside);
    ctx.emit(
      violation('art6.outside-approved-scope', '6', 'contractor', [entry, scope.approval, scope.request], {
        ja: `再委託先${subcontractorId}が${doing.ja}を行ったが、この保有個人情報の項目${names.ja}は、承認された申請${ref}の「再委託先が取り扱う個人情報」に含まれていない。`,
        en: `subcontractor ${subcontractorId} did the ${doing.en}, but the record's categories ${names.en} are outside the personal information of the approved application ${ref}${scope.request ? '' : ' (no SubcontractRequested with that reference)'}`,
      }, ctx.recordId),
    );
  },
};

/** Contract rule (the city's duty): SubcontractApproved for s needs an earlier SubcontractRequested for s with the draft memorandum attached. */
export function judgeArt6Contract(ctx: ContractContext): ArticleResult {
  const approvals = ctx.contract.approvals();
  const findings: Judged[] = [];
  for (const approval of approvals) {
    const s = approval.event.data.subcontractorId;
    const requests = ctx.contract.subcontractRequestsBefore(s, approval);
    if (requests.some((r) => r.event.data.draftMemorandumAttached)) continue;
    const last = requests.at(-1) ?? null;
    const why: Message = last
      ? {
          ja: `申請${last.event.data.applicationRef}（${wa(last.at)}）には覚書案が添付されていない`,
          en: `request ${last.event.data.applicationRef} (${jst(last.at)}) had no draft memorandum attached`,
        }
      : { ja: '先行する書面による申請がない', en: 'no SubcontractRequested preceded it' };
    findings.push(
      violation('art6.approval-without-request', '6', 'city', [approval, last], {
        ja: `甲は、再委託先${s}の再委託を${wa(approval.at)}に承認したが、${why.ja}。`,
        en: `the approval of subcontractor ${s} at ${jst(approval.at)} was given although ${why.en}`,
      }),
    );
  }
  return { applicable: approvals.length > 0, findings };
}

export const ART6_CONTRACT_RULES = [
  {
    id: 'art6.approval-without-request', article: '6' as const, scope: 'contract' as const, kind: 'violation' as const, party: 'city' as const,
    title: { ja: '書面申請によらない再委託の承認', en: 'Subcontracting approved without a written application' },
  },
];
