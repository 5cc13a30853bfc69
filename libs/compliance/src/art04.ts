import type { BriefingTopic } from '@ledger/domain';
import { workerEvents, type ArticleResult, type RecordContext } from './context.js';
import { act, who } from './messages.js';
import { violation, type Ranked } from './obligation.js';
import type { Message, RuleInfo } from './verdict.js';

/** Article 4: workers are told of their duty of confidentiality (業務従事者への周知). */
export const ART4_RULES: readonly RuleInfo[] = [
  {
    id: 'art4.worker-not-briefed',
    article: '4',
    scope: 'record',
    kind: 'violation',
    title: { ja: '秘密保持の周知を受けていない業務従事者による取扱い', en: 'Handling by a worker not briefed on confidentiality' },
  },
];

const TOPIC_NAMES: { readonly [T in BriefingTopic]: Message } = {
  confidentiality: { ja: '秘密保持', en: 'confidentiality' },
  penalties: { ja: '罰則（法第176条、第180条）', en: 'penalties (Act Art. 176 and 180)' },
};

/**
 * Every record event by a worker of the contractor or a subcontractor needs a WorkerBriefed for
 * that worker with the topic at or before it. The city's own events are exempt.
 */
export function judgeBriefing(ctx: RecordContext, topic: BriefingTopic, rule: string, article: string): ArticleResult {
  const events = workerEvents(ctx.record);
  const findings: Ranked[] = [];
  for (const e of events) {
    const { org, workerId } = e.event.actor;
    const briefed = workerId === undefined ? null : ctx.contract.briefingAt(workerId, topic, e.at);
    if (briefed) continue;
    const person = who(org, workerId);
    const doing = act(e.event.type, ctx.recordId, e.at);
    const name = TOPIC_NAMES[topic];
    findings.push(
      violation(rule, article, [e], {
        ja: `${person.ja} は${name.ja}の周知（WorkerBriefed: ${topic}）を受ける前に${doing.ja}を行いました`,
        en: `${person.en} handled the record without having been briefed on ${name.en} (WorkerBriefed: ${topic}): ${doing.en}`,
      }, ctx.recordId),
    );
  }
  return { applicable: events.length > 0, findings };
}

export function judgeArt4(ctx: RecordContext): ArticleResult {
  return judgeBriefing(ctx, 'confidentiality', 'art4.worker-not-briefed', '4');
}
