import { addDuration, instant } from '@ledger/domain';
import type { ArticleResult, ContractContext } from './context.js';
import { jst } from './messages.js';
import { firstClosing, obligation, type Ranked } from './obligation.js';
import type { RuleInfo } from './verdict.js';

/** Article 12: on the city's request for improvement, the contractor consults with the city. */
export const ART12_RULES: readonly RuleInfo[] = [
  {
    id: 'art12.consultation-overdue',
    article: '12',
    scope: 'contract',
    kind: 'obligation',
    title: { ja: '改善要請に対する協議', en: 'Consultation on a request for improvement' },
  },
];

export function judgeArt12(ctx: ContractContext): ArticleResult {
  const requests = ctx.contract.improvementRequests();
  const findings: Ranked[] = requests.map((request) => {
    const { requestId, dueAt } = request.event.data;
    const due = dueAt !== undefined
      ? instant(dueAt)
      : addDuration(request.at, ctx.contract.durationAt('consultationWithin', request.at));
    return obligation({
      rule: 'art12.consultation-overdue',
      article: '12',
      opening: request,
      closing: firstClosing(ctx.contract.consultations(requestId), request),
      due,
      asOf: ctx.asOf,
      subject: {
        ja: `${jst(request.at)} の改善要請 ${requestId} についての甲との協議（ImprovementConsultationHeld）`,
        en: `the consultation (ImprovementConsultationHeld) on improvement request ${requestId} of ${jst(request.at)}`,
      },
    });
  });
  return { applicable: requests.length > 0, findings };
}
