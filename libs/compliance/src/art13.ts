import { addDuration, instant, type EventOfType } from '@ledger/domain';
import type { ArticleResult, RecordContext } from './context.js';
import type { Entry } from './entry.js';
import { holdingName, jst } from './messages.js';
import { obligation, violation, type Ranked } from './obligation.js';
import type { Message, RuleInfo } from './verdict.js';

/** Article 13: transport safely and surely, assuming an accident in transit. */
export const ART13_RULES: readonly RuleInfo[] = [
  {
    id: 'art13.insufficient-safeguards',
    article: '13',
    scope: 'record',
    kind: 'violation',
    title: { ja: '搬送時の安全措置の不足', en: 'Insufficient safeguards in transport' },
  },
  {
    id: 'art13.transport-overdue',
    article: '13',
    scope: 'record',
    kind: 'obligation',
    title: { ja: '搬送の完了', en: 'Completion of a transport' },
  },
  {
    id: 'art13.completion-without-start',
    article: '13',
    scope: 'record',
    kind: 'violation',
    title: { ja: '開始の記録がない搬送の完了', en: 'Transport completed but never started' },
  },
];

type Started = Entry<EventOfType<'TransportStarted'>>;

/** What is missing: electronic needs `encrypted`; paper needs `sealed` or `locked_container`. */
function missingSafeguard(start: Started): Message | null {
  const { medium, safeguards } = start.event.data;
  if (medium === 'electronic') {
    return safeguards.includes('encrypted') ? null : { ja: '暗号化（encrypted）', en: 'encryption (encrypted)' };
  }
  return safeguards.includes('sealed') || safeguards.includes('locked_container')
    ? null
    : { ja: '封緘（sealed）又は施錠できる容器（locked_container）', en: 'a seal (sealed) or a locked container (locked_container)' };
}

export function judgeArt13(ctx: RecordContext): ArticleResult {
  const findings: Ranked[] = [];
  const startsById = new Map<string, Started[]>();
  for (const e of ctx.record.entries) {
    if (e.event.type !== 'TransportStarted') continue;
    const started = e as Started;
    const list = startsById.get(started.event.data.transportId);
    if (list) list.push(started);
    else startsById.set(started.event.data.transportId, [started]);
  }
  const completedBy = new Map<Started, Entry>();
  let applicable = false;

  for (const e of ctx.record.entries) {
    const event = e.event;
    if (event.type === 'TransportStarted') {
      applicable = true;
      const missing = missingSafeguard(e as Started);
      if (missing) {
        const holding = holdingName(event.data.copyId);
        findings.push(
          violation('art13.insufficient-safeguards', '13', [e], {
            ja: `記録 ${ctx.recordId} の${holding.ja}の搬送 ${event.data.transportId}（${event.data.medium}、${event.data.from} → ${event.data.to}、${jst(e.at)}）に${missing.ja}がありません`,
            en: `transport ${event.data.transportId} of ${holding.en} of record ${ctx.recordId} (${event.data.medium}, ${event.data.from} → ${event.data.to}, ${jst(e.at)}) lacks ${missing.en}`,
          }, ctx.recordId),
        );
      }
    } else if (event.type === 'TransportCompleted') {
      applicable = true;
      const started = (startsById.get(event.data.transportId) ?? []).filter((s) => s.at <= e.at);
      const open = started.find((s) => !completedBy.has(s));
      if (open) completedBy.set(open, e);
      else if (started.length === 0) {
        findings.push(
          violation('art13.completion-without-start', '13', [e], {
            ja: `搬送 ${event.data.transportId} の完了（${jst(e.at)}、受領 ${event.data.receivedBy}）が記録されましたが、この記録 ${ctx.recordId} について搬送開始（TransportStarted）がありません`,
            en: `transport ${event.data.transportId} was completed at ${jst(e.at)} (received by ${event.data.receivedBy}) but never started for record ${ctx.recordId} (no TransportStarted at or before it)`,
          }, ctx.recordId),
        );
      }
    }
  }

  for (const starts of startsById.values()) {
    for (const start of starts) {
      const { transportId, expectedArrivalAt, from, to } = start.event.data;
      const due = expectedArrivalAt !== undefined
        ? instant(expectedArrivalAt)
        : addDuration(start.at, ctx.contract.durationAt('transportWithin', start.at));
      findings.push(
        obligation({
          rule: 'art13.transport-overdue',
          article: '13',
          opening: start,
          closing: completedBy.get(start) ?? null,
          due,
          asOf: ctx.asOf,
          subject: {
            ja: `${jst(start.at)} に開始した搬送 ${transportId}（${from} → ${to}）の完了（TransportCompleted）`,
            en: `the completion (TransportCompleted) of transport ${transportId} (${from} → ${to}) started at ${jst(start.at)}`,
          },
          recordId: ctx.recordId,
        }),
      );
    }
  }
  return { applicable, findings };
}
