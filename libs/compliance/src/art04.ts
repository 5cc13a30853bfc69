import type { BriefingTopic } from '@ledger/domain';
import type { ArticleId, RecordArticle } from './articles.js';
import { byWorker, type RecordRule } from './context.js';
import { act, TERMS, who } from './messages.js';
import { violation } from './obligation.js';

const TOPIC_EN: { readonly [T in BriefingTopic]: string } = {
  confidentiality: 'confidentiality',
  penalties: 'penalties (Act Art. 176 and 180)',
};

/**
 * Every record event by a worker of the contractor or a subcontractor needs a WorkerBriefed for
 * that worker with the topic at or before it. The city's own events are exempt.
 */
export function briefingRule(article: RecordArticle & ArticleId, topic: BriefingTopic, rule: string, title: { ja: string; en: string }): RecordRule<null> {
  return {
    article,
    rules: [{ id: rule, article, scope: 'record', kind: 'violation', party: 'contractor', title }],
    init: () => null,
    step(ctx, _state, { entry }) {
      const event = entry.event;
      if (!byWorker(event)) return;
      ctx.applies(article);
      const { org, workerId } = event.actor;
      if (workerId !== undefined && ctx.contract.briefingAt(workerId, topic, entry.at)) return;
      const person = who(org, workerId);
      const doing = act(event.type, ctx.recordId, entry.at);
      ctx.emit(
        violation(rule, article, 'contractor', [entry], {
          ja: `乙は、${person.ja}に${TERMS.briefingTopic[topic]}に関する周知を行わないまま、${doing.ja}を行わせた。`,
          en: `${person.en} handled the record without having been briefed on ${TOPIC_EN[topic]} (WorkerBriefed: ${topic}): ${doing.en}`,
        }, ctx.recordId),
      );
    },
  };
}

/** Article 4: workers are told of their duty of confidentiality (業務従事者への周知). */
export const ART4 = briefingRule('4', 'confidentiality', 'art4.worker-not-briefed', {
  ja: '秘密保持の周知を受けていない業務従事者による取扱い',
  en: 'Handling by a worker not briefed on confidentiality',
});
