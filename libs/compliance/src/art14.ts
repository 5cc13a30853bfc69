import { instant } from '@ledger/domain';
import { categoriesAt, precedes, refOf, type DisposalOrder, type DutyGroup, type Ref } from '@ledger/handling';
import type { FinishContext, RecordContext, RecordRule } from './context.js';
import { dueAfter } from './due.js';
import { act, defaultNote, holdingName, jst, TERMS, wa } from './messages.js';
import { obligation, violation, type Judged } from './obligation.js';
import type { Message } from './verdict.js';

/** A copy made under a copy authorization that may end while the copy is still held. */
interface CoveredCopy {
  copyId: string;
  copied: Ref;
  grant: Ref & { authorizationId: string };
  validUntil: number | null;
  revoked: Ref | null;
}

interface State {
  copies: CoveredCopy[];
}

function closedWord(type: string): Message {
  return type === 'RecordReturned' ? { ja: '返還', en: 'returned' } : { ja: '廃棄', en: 'disposed of' };
}

function holdingsJa(keys: readonly string[]): { ja: string; en: string } {
  const names = keys.map((k) => holdingName(k === '' ? null : k));
  return { ja: names.map((n) => n.ja).join('及び'), en: names.map((n) => n.en).join(', ') };
}

function orderCause(order: DisposalOrder): Message {
  switch (order.kind) {
    case 'DisposalInstructed':
      return { ja: `${wa(order.ref.at)}の甲の指示による`, en: `instructed by the city at ${jst(order.ref.at)} (DisposalInstructed)` };
    case 'ContractEnded':
      return { ja: `${wa(order.ref.at)}の契約の終了に伴う`, en: `due on the contract's end at ${jst(order.ref.at)} (ContractEnded)` };
    case 'RecordNoLongerNeeded':
      return { ja: `${wa(order.ref.at)}に保有する必要がなくなったことに伴う`, en: `as it was no longer needed at ${jst(order.ref.at)} (RecordNoLongerNeeded)` };
    default: {
      const _exhaustive: never = order.kind;
      throw new Error(`unknown order ${String(_exhaustive)}`);
    }
  }
}

/** The finding of one duty group of a disposal order: resolved, or as it stands at asOf. */
export function disposalFinding(ctx: RecordContext | FinishContext, order: DisposalOrder, group: DutyGroup, asOf: number): Judged {
  const cause = orderCause(order);
  const keys = group.duties.map((d) => d.holding);
  const names = holdingsJa(keys);
  const action = TERMS.disposalAction[order.action];
  const actionEn = order.action === 'either' ? 'return or disposal' : order.action === 'return' ? 'return' : 'disposal';
  const also = group.opening.id === order.ref.id ? [] : [order.ref];
  const note = defaultNote(order.dueIsDefault, ctx.contract.termsAt(order.ref.at).policy.disposalWithin);
  const wrong = group.duties.find((d) => d.outcome === 'wrong-action');
  if (wrong) {
    const done = closedWord(wrong.closedBy!.type);
    const name = holdingName(wrong.holding === '' ? null : wrong.holding);
    const finding = violation('art14.disposal-overdue', '14', 'contractor', [group.opening, wrong.closedBy, ...also], {
      ja: `${cause.ja}保有個人情報（${ctx.recordId}）の${name.ja}の${action}について、乙は指示と異なり${wa(wrong.closedBy!.at)}に${done.ja}した。`,
      en: `the ${actionEn} of ${name.en} of record ${ctx.recordId}, ${cause.en}, was not done as instructed: it was ${done.en} at ${jst(wrong.closedBy!.at)}`,
    }, ctx.recordId);
    // Closed the wrong way: the breach is a fact at that closing, not at the due time (Art. 15).
    const closedBy = wrong.closedBy!;
    return { ...finding, due: wrong.due, obligation: true, breachAt: { id: closedBy.id, at: closedBy.at, pos: closedBy.pos } };
  }
  const late = group.duties.find((d) => d.outcome === 'late');
  const open = group.duties.filter((d) => d.outcome === 'open');
  let closing: Ref | null;
  let due: number;
  if (late) {
    closing = late.closedBy;
    due = late.due;
  } else if (open.length > 0) {
    closing = null;
    due = Math.min(...open.map((d) => d.due));
  } else {
    closing = group.duties.map((d) => d.closedBy!).reduce((a, b) => (precedes(a, b) ? b : a));
    due = Math.max(...group.duties.map((d) => d.due));
  }
  const still = open.length > 0 && !late ? holdingsJa(open.map((d) => d.holding)) : null;
  return obligation({
    rule: 'art14.disposal-overdue',
    article: '14',
    party: 'contractor',
    opening: group.opening,
    closing,
    due,
    asOf,
    subject: {
      ja: `${cause.ja}保有個人情報（${ctx.recordId}）の${names.ja}の${action}${still ? `（未了：${still.ja}）` : ''}`,
      en: `the ${actionEn} of every holding of record ${ctx.recordId}, ${cause.en}${still ? ` (still held: ${still.en})` : ''}`,
    },
    note,
    also,
    recordId: ctx.recordId,
  });
}

/** The end of a covered copy's authorization: validUntil, or its revocation, whichever first; null while in force. */
function authorizationEnd(copy: CoveredCopy): { at: number; cause: Ref } | null {
  const candidates: { at: number; cause: Ref }[] = [];
  if (copy.validUntil !== null) candidates.push({ at: copy.validUntil, cause: copy.grant });
  if (copy.revoked) candidates.push({ at: copy.revoked.at, cause: copy.revoked });
  if (candidates.length === 0) return null;
  return candidates.reduce((a, b) => (b.at < a.at ? b : a));
}

function retainedFinding(ctx: RecordContext | FinishContext, copy: CoveredCopy, end: { at: number; cause: Ref }, closing: Ref | null, asOf: number): Judged {
  const terms = ctx.contract.termsAt(end.at);
  const how = copy.revoked && end.cause === copy.revoked
    ? { ja: `${wa(end.at)}に取り消された`, en: `revoked at ${jst(end.at)}` }
    : { ja: `${wa(end.at)}に期限が切れた`, en: `expired at ${jst(end.at)}` };
  return obligation({
    rule: 'art14.copy-retained-after-authorization',
    article: '14',
    party: 'contractor',
    opening: copy.copied,
    closing,
    due: dueAfter(ctx.contract, 'disposalWithin', end.at),
    asOf,
    subject: {
      ja: `複写・複製の承諾${copy.grant.authorizationId}が${how.ja}後の、複製物${copy.copyId}の返還又は廃棄`,
      en: `the return or disposal of copy ${copy.copyId} of record ${ctx.recordId} after its copy authorization ${copy.grant.authorizationId} ${how.en}`,
    },
    note: defaultNote(!terms.explicit.has('disposalWithin'), terms.policy.disposalWithin),
    also: [end.cause],
    from: end.at,
    recordId: ctx.recordId,
  });
}

/** Article 14: return or dispose of the information surely and promptly, in the city's presence. */
export const ART14: RecordRule<State> = {
  article: '14',
  rules: [
    {
      id: 'art14.disposal-not-witnessed', article: '14', scope: 'record', kind: 'violation', party: 'contractor',
      title: { ja: '甲の立会いのない廃棄', en: 'Disposal not witnessed by the city' },
    },
    {
      id: 'art14.disposal-overdue', article: '14', scope: 'record', kind: 'obligation', party: 'contractor',
      title: { ja: '指示、契約終了又は不要となった後の返還・廃棄', en: 'Return or disposal after instruction, contract end, or no longer needed' },
    },
    {
      id: 'art14.handled-after-closure', article: '14', scope: 'record', kind: 'violation', party: 'contractor',
      title: { ja: '返還・廃棄済みの保有個人情報に対する取扱い', en: 'Handling of a holding already returned or disposed of' },
    },
    {
      id: 'art14.copy-retained-after-authorization', article: '14', scope: 'record', kind: 'obligation', party: 'contractor',
      title: { ja: '承諾の終了後の複製物の返還・廃棄', en: 'Return or disposal of a copy after its authorization ended' },
    },
  ],
  init: () => ({ copies: [] }),
  step(ctx, state, step) {
    const { entry } = step;
    const event = entry.event;
    const r = ctx.recordId;
    if (event.type === 'RecordReturned' || event.type === 'RecordDisposed') ctx.applies('14');
    if (event.type === 'RecordDisposed' && event.data.witnessedBy === undefined) {
      const holding = holdingName(event.data.copyId);
      ctx.emit(
        violation('art14.disposal-not-witnessed', '14', 'contractor', [entry], {
          ja: `乙は、${wa(entry.at)}に保有個人情報（${r}）の${holding.ja}を甲の立会いなく廃棄（${TERMS.disposalMethod[event.data.method]}）した。`,
          en: `the disposal of ${holding.en} of record ${r} (${event.data.method}, ${jst(entry.at)}) was not witnessed by the city (no witnessedBy)`,
        }, r),
      );
    }
    const acts = event.type === 'RecordCopied' || event.type === 'TransportStarted' || event.type === 'RecordReturned' || event.type === 'RecordDisposed';
    const acted = acts ? step.acted : null;
    if (acted && (acted.state === 'closed' || acted.state === 'unknown')) {
      ctx.applies('14');
      const holding = holdingName(acted.copyId);
      const doing = act(event.type, r, entry.at);
      const why: Message = acted.closedBy
        ? {
            ja: `${holding.ja}は${wa(acted.closedBy.at)}に${closedWord(acted.closedBy.type).ja}済みである`,
            en: `${holding.en} had already been ${closedWord(acted.closedBy.type).en} at ${jst(acted.closedBy.at)}`,
          }
        : {
            ja: `${holding.ja}はそれ以前に作成された記録がない`,
            en: `${holding.en} was never created by a RecordCopied at or before it`,
          };
      ctx.emit(
        violation('art14.handled-after-closure', '14', 'contractor', [entry, acted.closedBy], {
          ja: `乙は、${doing.ja}を行ったが、${why.ja}。`,
          en: `the ${doing.en} acts on ${holding.en}, but ${why.en}`,
        }, r),
      );
    }
    if (step.allClosedBy) {
      ctx.applies('14');
      const doing = act(event.type, r, entry.at);
      ctx.emit(
        violation('art14.handled-after-closure', '14', 'contractor', [entry, step.allClosedBy], {
          ja: `乙は、原本及び複製物がすべて返還又は廃棄された後（最後は${wa(step.allClosedBy.at)}）に${doing.ja}を行った。`,
          en: `the ${doing.en} came after every holding of the record had been returned or disposed of (the last at ${jst(step.allClosedBy.at)})`,
        }, r),
      );
    }
    for (const { order, group } of step.resolved) {
      ctx.applies('14');
      ctx.emit(disposalFinding(ctx, order, group, Number.POSITIVE_INFINITY));
    }
    if (event.type === 'RecordCopied') {
      state.copies = state.copies.filter((c) => c.copyId !== event.data.copyId);
      const grant = ctx.contract.authorizationCovering('copy', r, categoriesAt(ctx.handling, entry.at), entry.at).grant;
      if (grant) {
        const validUntil = grant.event.data.validUntil;
        state.copies.push({
          copyId: event.data.copyId,
          copied: refOf(entry),
          grant: { ...refOf(grant), authorizationId: grant.event.data.authorizationId },
          validUntil: validUntil === undefined ? null : instant(validUntil),
          // A later revocation reaches the fold as a trigger, in its place in the judgement order.
          revoked: null,
        });
      }
    }
    if (step.closed && step.closed.copyId !== null) {
      const i = state.copies.findIndex((c) => c.copyId === step.closed!.copyId);
      if (i >= 0) {
        const [copy] = state.copies.splice(i, 1);
        const end = authorizationEnd(copy!);
        if (end && end.at <= entry.at) {
          ctx.applies('14');
          ctx.emit(retainedFinding(ctx, copy!, end, refOf(entry), Number.POSITIVE_INFINITY));
        }
      }
    }
  },
  trigger(ctx, state, trigger) {
    if (trigger.event.type === 'ContractEnded' || trigger.event.type === 'DisposalInstructed') {
      // The order binds the record only when it has something to return or dispose of (RULES.md Clarifications).
      if (ctx.handling.orders.some((o) => o.ref.id === trigger.id && o.groups.length > 0)) ctx.applies('14');
    }
    if (trigger.event.type !== 'AuthorizationRevoked') return;
    const id = trigger.event.data.authorizationId;
    for (const copy of state.copies) if (copy.grant.authorizationId === id && copy.revoked === null) copy.revoked = refOf(trigger);
  },
  finish(ctx, state) {
    for (const order of ctx.handling.orders) {
      for (const group of order.groups) {
        ctx.applies('14');
        ctx.emit(disposalFinding(ctx, order, group, ctx.asOf));
      }
    }
    for (const copy of state.copies) {
      const end = authorizationEnd(copy);
      if (!end || end.at > ctx.asOf) continue;
      ctx.applies('14');
      ctx.emit(retainedFinding(ctx, copy, end, null, ctx.asOf));
    }
  },
};

