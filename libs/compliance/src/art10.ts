import { addDuration, instant } from '@ledger/domain';
import type { ContractView } from './contract-history.js';
import type { ArticleResult, ContractContext } from './context.js';
import type { Entry } from './entry.js';
import { jst } from './messages.js';
import { firstClosing, obligation, violation, type Ranked } from './obligation.js';
import type { RuleInfo } from './verdict.js';

/** Article 10: the city confirms the contractor's safeguards: reports on request, inspections. */
export const ART10_RULES: readonly RuleInfo[] = [
  {
    id: 'art10.report-overdue',
    article: '10',
    scope: 'contract',
    kind: 'obligation',
    title: { ja: '求められた報告の提出', en: 'Submission of a requested report' },
  },
  {
    id: 'art10.inspection-overdue',
    article: '10',
    scope: 'contract',
    kind: 'violation',
    title: { ja: '実地確認の間隔超過', en: 'Interval between inspections exceeded' },
  },
];

/** One interval between the term's start or an inspection and the next inspection (or now). */
interface Interval {
  readonly opening: Entry;
  readonly from: number;
  readonly due: number;
  readonly closedBy: Entry | null;
}

interface Intervals {
  readonly intervals: readonly Interval[];
  /** When the term stops running: the earlier of its end and the contract's end. */
  readonly runsUntil: number;
  readonly start: number;
}

/**
 * The intervals of the term running, as of asOf: from the term's start (terms in force at asOf)
 * to the first inspection, between inspections, and from the last one on. Each is due
 * inspectionEvery (in force when it starts) after its start.
 */
function inspectionIntervals(contract: ContractView, asOf: number): Intervals | null {
  const terms = contract.termsAt(asOf);
  if (!terms.term || !terms.termSource) return null;
  const { start } = terms.term;
  const end = contract.contractEnd();
  const runsUntil = end && end.at < terms.term.end ? end.at : terms.term.end;
  const intervals: Interval[] = [];
  let opening: Entry = terms.termSource;
  let from = start;
  const dueAfter = (t: number): number => addDuration(t, contract.durationAt('inspectionEvery', t));
  for (const inspection of contract.inspections()) {
    if (inspection.at < start || inspection.at > runsUntil) continue;
    intervals.push({ opening, from, due: dueAfter(from), closedBy: inspection });
    opening = inspection;
    from = inspection.at;
  }
  intervals.push({ opening, from, due: dueAfter(from), closedBy: null });
  return { intervals, runsUntil, start };
}

/**
 * When art10.inspection-overdue will start to hold without any new event (the due time of the
 * open interval, if it falls while the term still runs and is not yet past), else null.
 */
export function inspectionDue(contract: ContractView, asOf: number): number | null {
  const found = inspectionIntervals(contract, asOf);
  if (!found) return null;
  const open = found.intervals.at(-1)!;
  return open.due >= asOf && found.runsUntil > open.due ? open.due : null;
}

export function judgeArt10(ctx: ContractContext): ArticleResult {
  const findings: Ranked[] = [];
  const requests = ctx.contract.reportRequests();
  for (const request of requests) {
    const { requestId, dueAt } = request.event.data;
    findings.push(
      obligation({
        rule: 'art10.report-overdue',
        article: '10',
        opening: request,
        closing: firstClosing(ctx.contract.reportSubmissions(requestId), request),
        due: instant(dueAt),
        asOf: ctx.asOf,
        subject: {
          ja: `${jst(request.at)} に求められた報告 ${requestId} の提出`,
          en: `the report ${requestId} requested at ${jst(request.at)}`,
        },
      }),
    );
  }

  const found = inspectionIntervals(ctx.contract, ctx.asOf);
  let started = false;
  if (found) {
    started = found.start <= ctx.asOf;
    const horizon = Math.min(ctx.asOf, found.runsUntil);
    for (const interval of found.intervals) {
      const since = interval.opening.event.type === 'InspectionConducted'
        ? { ja: `前回の実地確認（${jst(interval.from)}）`, en: `the last inspection at ${jst(interval.from)}` }
        : { ja: `契約期間の開始（${jst(interval.from)}）`, en: `the term's start at ${jst(interval.from)}` };
      if (interval.closedBy && interval.closedBy.at > interval.due) {
        findings.push(
          violation('art10.inspection-overdue', '10', [interval.opening, interval.closedBy], {
            ja: `${since.ja}から期限 ${jst(interval.due)} までに実地確認がなく、次の実地確認は ${jst(interval.closedBy.at)} でした`,
            en: `no inspection followed ${since.en} by ${jst(interval.due)}; the next one came only at ${jst(interval.closedBy.at)}`,
          }),
        );
      } else if (!interval.closedBy && horizon > interval.due) {
        findings.push(
          violation('art10.inspection-overdue', '10', [interval.opening], {
            ja: `${since.ja}から期限 ${jst(interval.due)} を過ぎても実地確認（InspectionConducted）がありません`,
            en: `no inspection (InspectionConducted) since ${since.en}; one was due by ${jst(interval.due)}`,
          }),
        );
      }
    }
  }
  const applicable = requests.length > 0 || ctx.contract.inspections().length > 0 || started;
  return { applicable, findings };
}
