import { refOf, type TransportLeg, type Ref } from '@ledger/handling';
import type { FinishContext, RecordContext, RecordRule } from './context.js';
import { defaultNote, holdingName, jst, TERMS, wa } from './messages.js';
import { obligation, violation, type Judged } from './obligation.js';
import { partyOf } from './party.js';
import type { Message } from './verdict.js';

/** What is missing: electronic needs `encrypted`; paper needs `sealed` or `locked_container`. */
function missingSafeguard(leg: Pick<TransportLeg, 'medium' | 'safeguards'>): Message | null {
  if (leg.medium === 'electronic') {
    return leg.safeguards.includes('encrypted') ? null : { ja: TERMS.safeguard.encrypted, en: 'encryption (encrypted)' };
  }
  return leg.safeguards.includes('sealed') || leg.safeguards.includes('locked_container')
    ? null
    : { ja: `${TERMS.safeguard.sealed}又は${TERMS.safeguard.locked_container}`, en: 'a seal (sealed) or a locked container (locked_container)' };
}

/** The finding of a leg: met or late when completed, pending or overdue while in transit. */
export function transportFinding(ctx: RecordContext | FinishContext, leg: TransportLeg, completed: Ref | null, asOf: number): Judged {
  return obligation({
    rule: 'art13.transport-overdue',
    article: '13',
    party: 'contractor',
    opening: leg.started,
    closing: completed,
    due: leg.dueAt,
    asOf,
    subject: {
      ja: `乙が${wa(leg.started.at)}に開始した搬送${leg.transportId}（${leg.from}から${leg.to}まで）の完了`,
      en: `the completion (TransportCompleted) of transport ${leg.transportId} (${leg.from} → ${leg.to}) started at ${jst(leg.started.at)}`,
    },
    note: defaultNote(leg.dueIsDefault, ctx.contract.termsAt(leg.started.at).policy.transportWithin),
    recordId: ctx.recordId,
  });
}

/** Article 13: transport safely and surely, assuming an accident in transit. Its legs live in the holdings fold. */
export const ART13: RecordRule<null> = {
  article: '13',
  rules: [
    {
      id: 'art13.insufficient-safeguards', article: '13', scope: 'record', kind: 'violation', party: 'contractor',
      title: { ja: '搬送時の安全措置の不足', en: 'Insufficient safeguards in transport' },
    },
    {
      id: 'art13.transport-overdue', article: '13', scope: 'record', kind: 'obligation', party: 'contractor',
      title: { ja: '搬送の完了', en: 'Completion of a transport' },
    },
    {
      id: 'art13.completion-without-start', article: '13', scope: 'record', kind: 'violation', party: 'actor',
      title: { ja: '開始の記録がない搬送の完了', en: 'Transport completed but never started' },
    },
  ],
  init: () => null,
  step(ctx, _state, step) {
    const { entry } = step;
    const event = entry.event;
    if (event.type === 'TransportStarted') {
      ctx.applies('13');
      const missing = missingSafeguard(event.data);
      if (missing) {
        const holding = holdingName(event.data.copyId);
        const d = event.data;
        ctx.emit(
          violation('art13.insufficient-safeguards', '13', 'contractor', [entry], {
            ja: `乙は、${wa(entry.at)}に保有個人情報（${ctx.recordId}）の${holding.ja}を${TERMS.medium[d.medium]}で${d.from}から${d.to}まで搬送（${d.transportId}）したが、${missing.ja}の措置を講じていない。`,
            en: `transport ${d.transportId} of ${holding.en} of record ${ctx.recordId} (${d.medium}, ${d.from} → ${d.to}, ${jst(entry.at)}) lacks ${missing.en}`,
          }, ctx.recordId),
        );
      }
    } else if (event.type === 'TransportCompleted') {
      ctx.applies('13');
      if (step.completedLeg) {
        ctx.emit(transportFinding(ctx, step.completedLeg, refOf(entry), Number.POSITIVE_INFINITY));
      } else if (!step.completedBefore) {
        const d = event.data;
        ctx.emit(
          violation('art13.completion-without-start', '13', partyOf(event), [entry], {
            ja: `${wa(entry.at)}に搬送${d.transportId}の完了（受領者${d.receivedBy}）が記録されたが、保有個人情報（${ctx.recordId}）についてその搬送の開始の記録がない。`,
            en: `transport ${d.transportId} was completed at ${jst(entry.at)} (received by ${d.receivedBy}) but never started for record ${ctx.recordId} (no TransportStarted at or before it)`,
          }, ctx.recordId),
        );
      }
    }
  },
  finish(ctx) {
    for (const leg of ctx.handling.legs) ctx.emit(transportFinding(ctx, leg, null, ctx.asOf));
  },
};
