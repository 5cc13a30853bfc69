import { addDuration, instant, jstFields } from '@ledger/domain';
import type { ContractView, Entry } from '@ledger/handling';
import type { ArticleResult, ContractContext } from './context.js';
import { jst, wa } from './messages.js';
import { firstClosing, obligation, violation, type Judged } from './obligation.js';
import type { RuleInfo } from './verdict.js';

/** Article 10: the city confirms the contractor's safeguards: reports on request (乙's duty), inspections (甲's). */
export const ART10_RULES: readonly RuleInfo[] = [
  {
    id: 'art10.report-overdue', article: '10', scope: 'contract', kind: 'obligation', party: 'contractor',
    title: { ja: '求められた報告の提出', en: 'Submission of a requested report' },
  },
  {
    id: 'art10.inspection-overdue', article: '10', scope: 'contract', kind: 'violation', party: 'city',
    title: { ja: '実地検査の実施', en: 'Inspection carried out' },
  },
];

/** One period in which an inspection is due: a 年度, or an interval of the rolling cycle. */
interface Period {
  /** The event the period is counted from (the term's source, or the last inspection). */
  readonly opening: Entry;
  readonly from: number;
  readonly due: number;
  readonly closedBy: Entry | null;
  readonly label: { ja: string; en: string };
}

interface Periods {
  readonly periods: readonly Period[];
  readonly start: number;
}

/** When the term stops running: the earlier of its end and the contract's end. */
function runsUntil(contract: ContractView, asOf: number): { start: number; until: number; source: Entry } | null {
  const terms = contract.termsAt(asOf);
  if (!terms.term || !terms.termSource) return null;
  const end = contract.contractEnd();
  return { start: terms.term.start, until: end && end.at < terms.term.end ? end.at : terms.term.end, source: terms.termSource };
}

const JST = 9 * 3_600_000;

/** 1 April 00:00 JST of a year. */
function aprilFirst(year: number): number {
  return Date.UTC(year, 3, 1) - JST;
}

/**
 * `fiscal_year`: one period per 年度 (1 April – 31 March, JST) the term overlaps, due at the end of
 * that 年度 or of the term, whichever is first; the first inspection in it closes it.
 */
function fiscalPeriods(contract: ContractView, asOf: number): Periods | null {
  const term = runsUntil(contract, asOf);
  if (!term) return null;
  const inspections = contract.inspections();
  const periods: Period[] = [];
  const startFields = jstFields(term.start);
  let fy = startFields.month >= 4 ? startFields.year : startFields.year - 1;
  for (;;) {
    const fyStart = aprilFirst(fy);
    if (fyStart > term.until) break;
    const from = Math.max(fyStart, term.start);
    const due = Math.min(aprilFirst(fy + 1) - 1, term.until);
    const closedBy = inspections.find((i) => i.at >= from && i.at <= due) ?? null;
    periods.push({ opening: term.source, from, due, closedBy, label: { ja: `${fiscalYearJa(fy)}`, en: `fiscal year ${fy}` } });
    fy += 1;
  }
  return { periods, start: term.start };
}

function fiscalYearJa(fy: number): string {
  // 令和 from 2019 (令和元年度 is April 2019 – March 2020).
  if (fy >= 2019) return fy === 2019 ? '令和元年度' : `令和${fy - 2018}年度`;
  if (fy >= 1989) return fy === 1989 ? '平成元年度' : `平成${fy - 1988}年度`;
  return `${fy}年度`;
}

/**
 * `rolling` (v1): from the term's start to the first inspection, between inspections, and from the
 * last one on; each due inspectionEvery (in force when it starts) after its start.
 */
function rollingPeriods(contract: ContractView, asOf: number): Periods | null {
  const term = runsUntil(contract, asOf);
  if (!term) return null;
  const periods: Period[] = [];
  let opening: Entry = term.source;
  let from = term.start;
  const dueAfter = (t: number): number => addDuration(t, contract.requiredDurationAt('inspectionEvery', t));
  for (const inspection of contract.inspections()) {
    if (inspection.at < term.start || inspection.at > term.until) continue;
    periods.push({ opening, from, due: dueAfter(from), closedBy: inspection, label: { ja: '', en: '' } });
    opening = inspection;
    from = inspection.at;
  }
  // Past the term's end, no further inspection is due.
  if (dueAfter(from) < term.until || periods.length === 0) {
    periods.push({ opening, from, due: Math.min(dueAfter(from), term.until), closedBy: null, label: { ja: '', en: '' } });
  }
  return { periods, start: term.start };
}

function periodsOf(contract: ContractView, asOf: number): Periods | null {
  return contract.termsAt(asOf).policy.inspectionCycle === 'rolling' ? rollingPeriods(contract, asOf) : fiscalPeriods(contract, asOf);
}

/**
 * When art10.inspection-overdue will start to hold without any new event (the due time of the
 * first period without an inspection that is not yet past), else null.
 */
export function inspectionDue(contract: ContractView, asOf: number): number | null {
  const found = periodsOf(contract, asOf);
  if (!found) return null;
  for (const p of found.periods) if (!p.closedBy && p.due >= asOf) return p.due;
  return null;
}

export function judgeArt10(ctx: ContractContext): ArticleResult {
  const findings: Judged[] = [];
  const requests = ctx.contract.reportRequests();
  for (const request of requests) {
    const { requestId, dueAt } = request.event.data;
    findings.push(
      obligation({
        rule: 'art10.report-overdue',
        article: '10',
        party: 'contractor',
        opening: request,
        closing: firstClosing(ctx.contract.reportSubmissions(requestId), request),
        due: instant(dueAt),
        asOf: ctx.asOf,
        subject: {
          ja: `甲が${wa(request.at)}に求めた報告${requestId}の乙による提出`,
          en: `the report ${requestId} requested at ${jst(request.at)}`,
        },
      }),
    );
  }
  const found = periodsOf(ctx.contract, ctx.asOf);
  const started = found !== null && found.start <= ctx.asOf;
  const rolling = ctx.contract.termsAt(ctx.asOf).policy.inspectionCycle === 'rolling';
  for (const p of found?.periods ?? []) {
    if (p.from > ctx.asOf) continue;
    const since = p.opening.event.type === 'InspectionConducted'
      ? { ja: `前回の実地検査（${wa(p.from)}）`, en: `the last inspection at ${jst(p.from)}` }
      : { ja: `契約期間の開始（${wa(p.from)}）`, en: `the term's start at ${jst(p.from)}` };
    if (rolling && p.closedBy && p.closedBy.at > p.due) {
      findings.push(
        violation('art10.inspection-overdue', '10', 'city', [p.opening, p.closedBy], {
          ja: `甲は、${since.ja}から期限である${wa(p.due)}までに実地検査を行わず、次の実地検査は${wa(p.closedBy.at)}であった。`,
          en: `no inspection followed ${since.en} by ${jst(p.due)}; the next one came only at ${jst(p.closedBy.at)}`,
        }),
      );
    } else if (!p.closedBy && ctx.asOf > p.due) {
      findings.push(
        rolling
          ? violation('art10.inspection-overdue', '10', 'city', [p.opening], {
              ja: `甲は、${since.ja}から期限である${wa(p.due)}を過ぎても実地検査を行っていない。`,
              en: `no inspection (InspectionConducted) since ${since.en}; one was due by ${jst(p.due)}`,
            })
          : violation('art10.inspection-overdue', '10', 'city', [p.opening], {
              ja: `甲は、${p.label.ja}（${wa(p.from)}から${wa(p.due)}まで）に実地検査を行っていない。`,
              en: `no inspection (InspectionConducted) in ${p.label.en} (${jst(p.from)} to ${jst(p.due)})`,
            }),
      );
    }
  }
  const applicable = requests.length > 0 || ctx.contract.inspections().length > 0 || started;
  return { applicable, findings };
}
