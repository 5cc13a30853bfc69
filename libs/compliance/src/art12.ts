import { addDuration, instant } from '@ledger/domain';
import type { ArticleResult, ContractContext } from './context.js';
import { jst, say, wa } from './messages.js';
import { firstClosing, obligation, type Judged } from './obligation.js';
import type { RuleInfo } from './verdict.js';

/** Article 12: on the city's request for improvement, the contractor consults with the city. */
export const ART12_RULES: readonly RuleInfo[] = [
  {
    id: 'art12.consultation-overdue', article: '12', scope: 'contract', kind: 'obligation', party: 'contractor',
    title: { ja: '改善要請に対する協議', en: 'Consultation on a request for improvement' },
  },
];

/**
 * The consultation is due by the request's dueAt, else by consultationWithin when the contract
 * sets one. With neither, the memorandum sets no deadline: the obligation stays pending while
 * open and is met when the consultation is held.
 */
export function judgeArt12(ctx: ContractContext): ArticleResult {
  const requests = ctx.contract.improvementRequests();
  const findings: Judged[] = requests.map((request) => {
    const { requestId, dueAt } = request.event.data;
    const within = ctx.contract.durationAt('consultationWithin', request.at);
    const due = dueAt !== undefined ? instant(dueAt) : within !== null ? addDuration(request.at, within) : null;
    const closing = firstClosing(ctx.contract.consultations(requestId), request);
    const subject = {
      ja: `甲の${wa(request.at)}の改善の要請${requestId}についての乙による甲との協議`,
      en: `the consultation (ImprovementConsultationHeld) on improvement request ${requestId} of ${jst(request.at)}`,
    };
    if (due !== null) {
      return obligation({ rule: 'art12.consultation-overdue', article: '12', party: 'contractor', opening: request, closing, due, asOf: ctx.asOf, subject });
    }
    const status = closing ? 'compliant' : 'pending';
    const text = closing
      ? { ja: `${subject.ja}は、${wa(closing.at)}に行われた。`, en: `${subject.en}: done at ${jst(closing.at)} (the memorandum sets no deadline)` }
      : { ja: `${subject.ja}は、まだ行われていない（覚書に期限の定めがない）。`, en: `${subject.en}: not done yet (the memorandum sets no deadline)` };
    return {
      rule: 'art12.consultation-overdue',
      article: '12',
      status,
      party: 'contractor',
      events: closing ? [request, closing] : [request],
      message: say('12', status, text),
      obligation: true,
      ...(closing ? {} : { open: { from: request.at, pending: say('12', 'pending', text), overdue: say('12', 'pending', text) } }),
    } satisfies Judged;
  });
  return { applicable: requests.length > 0, findings };
}
