import { instant, type AuthorizationKind, type RecordEventType } from '@ledger/domain';
import { categoriesAt, precedes, type ContractView, type Entry, type HandlingState } from '@ledger/handling';
import type { RecordContext, RecordRule } from './context.js';
import { act, because, jst, listOrNone, TERMS, uncovered, wa } from './messages.js';
import { violation } from './obligation.js';

/** The kind of authorization an act after the contract's end needs (besides `after_term`). */
const KIND_FOR: { readonly [T in RecordEventType]?: AuthorizationKind } = {
  RecordUsed: 'use_outside_purpose',
  RecordProvided: 'provision',
  RecordCopied: 'copy',
};

/**
 * Whether a provision to `recipientId` is a hand-over to an approved subcontractor within its
 * approved scope at t: that is 再委託 (judged by Art. 6), not 提供.
 */
export function toApprovedSubcontractor(contract: ContractView, handling: HandlingState, recipientId: string, t: number): boolean {
  const scope = contract.approvedScope(recipientId, t);
  // An approval naming no known application approves no category (docs/rulebook.md, Art. 6).
  if (!scope || scope.request === null) return false;
  const categories = categoriesAt(handling, t) ?? [];
  const allowed = scope.request?.event.data.dataCategories ?? [];
  return categories.every((c) => allowed.includes(c));
}

/**
 * Whether an act after the contract's end is covered by the city's instruction or consent
 * (「甲の指示又は承諾がある場合を除き」): an `after_term` authorization, or one of the kind the act
 * needs that stays valid past the end.
 */
function afterTermCovered(ctx: RecordContext, entry: Entry, kind: AuthorizationKind, endAt: number): boolean {
  const categories = categoriesAt(ctx.handling, entry.at);
  if (ctx.contract.authorizationCovering('after_term', ctx.recordId, categories, entry.at).grant) return true;
  const grant = ctx.contract.authorizationCovering(kind, ctx.recordId, categories, entry.at).grant;
  const validUntil = grant?.event.data.validUntil;
  return validUntil !== undefined && instant(validUntil) > endAt;
}

/** Article 8: no use outside the contract's purposes and no provision to third parties, unless the city instructs or consents. */
export const ART8: RecordRule<null> = {
  article: '8',
  rules: [
    {
      id: 'art8.use-outside-purpose', article: '8', scope: 'record', kind: 'violation', party: 'contractor',
      title: { ja: '承諾のない目的外利用', en: 'Use outside the contract purposes without authorization' },
    },
    {
      id: 'art8.provision-without-authorization', article: '8', scope: 'record', kind: 'violation', party: 'contractor',
      title: { ja: '承諾のない第三者提供', en: 'Provision to a third party without authorization' },
    },
    {
      id: 'art8.handled-after-contract-end', article: '8', scope: 'record', kind: 'violation', party: 'contractor',
      title: { ja: '契約終了後の利用、提供又は複写・複製', en: 'Use, provision or copying after the contract ended' },
    },
  ],
  init: () => null,
  step(ctx, _state, { entry }) {
    const event = entry.event;
    const r = ctx.recordId;
    if (event.type === 'RecordUsed') {
      ctx.applies('8');
      const purposes = ctx.contract.termsAt(entry.at).purposes;
      if (!purposes.includes(event.data.purpose)) {
        const coverage = ctx.contract.authorizationCovering('use_outside_purpose', r, categoriesAt(ctx.handling, entry.at), entry.at);
        if (!coverage.grant) {
          const allowed = listOrNone(purposes);
          const why = because(coverage.reasons.map(uncovered));
          ctx.emit(
            violation('art8.use-outside-purpose', '8', 'contractor', [entry], {
              ja: `乙は、甲の承諾なく、保有個人情報（${r}）を契約の目的（${allowed.ja}）以外の「${event.data.purpose}」のために利用した（${wa(entry.at)}）${why.ja}。`,
              en: `record ${r} was used at ${jst(entry.at)} for "${event.data.purpose}", outside the contract's purposes (${allowed.en}), with no use_outside_purpose authorization covering it${why.en}`,
            }, r),
          );
        }
      }
    } else if (event.type === 'RecordProvided') {
      ctx.applies('8');
      const recipient = event.data.recipientId;
      if (!toApprovedSubcontractor(ctx.contract, ctx.handling, recipient, entry.at)) {
        const coverage = ctx.contract.authorizationCovering('provision', r, categoriesAt(ctx.handling, entry.at), entry.at);
        if (!coverage.grant) {
          const why = because(coverage.reasons.map(uncovered));
          ctx.emit(
            violation('art8.provision-without-authorization', '8', 'contractor', [entry], {
              ja: `乙は、甲の承諾なく、保有個人情報（${r}）を第三者${recipient}に提供した（${wa(entry.at)}、目的「${event.data.purpose}」）${why.ja}。`,
              en: `record ${r} was provided to ${recipient} at ${jst(entry.at)} (purpose "${event.data.purpose}") with no provision authorization covering it${why.en}`,
            }, r),
          );
        }
      }
    }
    const kind = KIND_FOR[event.type];
    if (kind === undefined) return;
    const end = ctx.contract.contractEnd();
    // "After ContractEnded" follows the judgement order: a tie in occurredAt goes by position.
    if (!end || !precedes(end, entry)) return;
    ctx.applies('8');
    if (afterTermCovered(ctx, entry, kind, end.at)) return;
    const doing = act(event.type, r, entry.at);
    ctx.emit(
      violation('art8.handled-after-contract-end', '8', 'contractor', [entry, end], {
        ja: `乙は、契約の終了（${wa(end.at)}、${TERMS.contractEndReason[end.event.data.reason]}）の後に、甲の指示又は承諾なく${doing.ja}を行った。`,
        en: `the ${doing.en} came after the contract ended at ${jst(end.at)} (${end.event.data.reason})`,
      }, r),
    );
  },
};
