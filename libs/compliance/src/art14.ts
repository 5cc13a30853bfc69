import { addDuration, instant, type EventOfType } from '@ledger/domain';
import type { ArticleResult, RecordContext } from './context.js';
import { precedes, type Entry } from './entry.js';
import { act, holdingName, jst } from './messages.js';
import { obligation, violation, type Ranked } from './obligation.js';
import type { Message, RuleInfo } from './verdict.js';

/** Article 14: return or dispose of the information surely and promptly, in the city's presence. */
export const ART14_RULES: readonly RuleInfo[] = [
  {
    id: 'art14.disposal-not-witnessed',
    article: '14',
    scope: 'record',
    kind: 'violation',
    title: { ja: '甲の立会いのない廃棄', en: 'Disposal not witnessed by the city' },
  },
  {
    id: 'art14.disposal-overdue',
    article: '14',
    scope: 'record',
    kind: 'obligation',
    title: { ja: '指示又は契約終了後の返却・廃棄', en: 'Return or disposal after instruction or contract end' },
  },
  {
    id: 'art14.handled-after-closure',
    article: '14',
    scope: 'record',
    kind: 'violation',
    title: { ja: '返却・廃棄済みの保有に対する取扱い', en: 'Handling of a holding already returned or disposed of' },
  },
];

type Opening = Entry<EventOfType<'DisposalInstructed'>> | Entry<EventOfType<'ContractEnded'>>;

function closedWord(closedBy: Entry): Message {
  return closedBy.event.type === 'RecordReturned' ? { ja: '返却', en: 'returned' } : { ja: '廃棄', en: 'disposed of' };
}

export function judgeArt14(ctx: RecordContext): ArticleResult {
  const findings: Ranked[] = [];
  let applicable = false;

  for (const step of ctx.record.steps) {
    const e = step.entry;
    const event = e.event;
    if (event.type === 'RecordReturned' || event.type === 'RecordDisposed') applicable = true;
    if (event.type === 'RecordDisposed' && event.data.witnessedBy === undefined) {
      const holding = holdingName(event.data.copyId);
      findings.push(
        violation('art14.disposal-not-witnessed', '14', [e], {
          ja: `記録 ${ctx.recordId} の${holding.ja}の廃棄（${event.data.method}、${jst(e.at)}）に甲の立会い（witnessedBy）がありません`,
          en: `the disposal of ${holding.en} of record ${ctx.recordId} (${event.data.method}, ${jst(e.at)}) was not witnessed by the city (no witnessedBy)`,
        }, ctx.recordId),
      );
    }
    const acted = step.acted;
    if (acted && (acted.state === 'closed' || acted.state === 'unknown')) {
      applicable = true;
      const holding = holdingName(acted.copyId);
      const doing = act(event.type, ctx.recordId, e.at);
      const why: Message = acted.closedBy
        ? {
            ja: `${holding.ja}は ${jst(acted.closedBy.at)} に${closedWord(acted.closedBy).ja}済みです`,
            en: `${holding.en} had already been ${closedWord(acted.closedBy).en} at ${jst(acted.closedBy.at)}`,
          }
        : {
            ja: `${holding.ja}はそれ以前に作成（RecordCopied）された記録がありません`,
            en: `${holding.en} was never created by a RecordCopied at or before it`,
          };
      findings.push(
        violation('art14.handled-after-closure', '14', [e, acted.closedBy], {
          ja: `${doing.ja}は${holding.ja}に対するものですが、${why.ja}`,
          en: `the ${doing.en} acts on ${holding.en}, but ${why.en}`,
        }, ctx.recordId),
      );
    }
    if (step.allClosedBy) {
      applicable = true;
      const doing = act(event.type, ctx.recordId, e.at);
      findings.push(
        violation('art14.handled-after-closure', '14', [e, step.allClosedBy], {
          ja: `${doing.ja}の時点で、原本及び複写はすべて返却又は廃棄済みです（最後は ${jst(step.allClosedBy.at)}）`,
          en: `the ${doing.en} came after every holding of the record had been returned or disposed of (the last at ${jst(step.allClosedBy.at)})`,
        }, ctx.recordId),
      );
    }
  }

  const openings: Opening[] = [...ctx.contract.disposalInstructionsFor(ctx.recordId)];
  const end = ctx.contract.contractEnd();
  if (end) openings.push(end);
  openings.sort((a, b) => (precedes(a, b) ? -1 : 1));
  const stillHeld = ctx.record.openHoldings.map((copyId) => holdingName(copyId));
  for (const opening of openings) {
    applicable = true;
    const steps = ctx.record.steps;
    let i = 0;
    while (i < steps.length && steps[i]!.entry.at <= opening.at) i += 1;
    const openThen = i === 0 ? 0 : steps[i - 1]!.openAfter;
    if (openThen === 0) continue;
    let closing: Entry | null = null;
    for (let j = i; j < steps.length; j += 1) {
      if (steps[j]!.openAfter === 0) {
        closing = steps[j]!.entry;
        break;
      }
    }
    const instructed = opening.event.type === 'DisposalInstructed' ? opening.event.data : null;
    const due = instructed?.dueAt !== undefined
      ? instant(instructed.dueAt)
      : addDuration(opening.at, ctx.contract.durationAt('disposalWithin', opening.at));
    const why: Message = instructed
      ? { ja: `${jst(opening.at)} の甲の指示（DisposalInstructed）による`, en: `instructed by the city at ${jst(opening.at)} (DisposalInstructed)` }
      : { ja: `${jst(opening.at)} の契約終了（ContractEnded）に伴う`, en: `due on the contract's end at ${jst(opening.at)} (ContractEnded)` };
    const held: Message = closing || stillHeld.length === 0
      ? { ja: '', en: '' }
      : { ja: `（未了: ${stillHeld.map((h) => h.ja).join('、')}）`, en: ` (still held: ${stillHeld.map((h) => h.en).join(', ')})` };
    findings.push(
      obligation({
        rule: 'art14.disposal-overdue',
        article: '14',
        opening,
        closing,
        due,
        asOf: ctx.asOf,
        subject: {
          ja: `${why.ja}記録 ${ctx.recordId} の全保有（原本及び複写）の返却又は廃棄${held.ja}`,
          en: `the return or disposal of every holding of record ${ctx.recordId}, ${why.en}${held.en}`,
        },
        recordId: ctx.recordId,
      }),
    );
  }
  return { applicable, findings };
}
