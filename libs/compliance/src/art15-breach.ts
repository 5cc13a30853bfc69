import type { Ref } from '@ledger/handling';
import type { FinishContext } from './context.js';
import { defaultNote, jst, wa } from './messages.js';
import { obligation, type Judged } from './obligation.js';

/**
 * art15.breach-not-reported (RULES.md v2): 「この覚書に違反する事態が生じ…直ちに甲へ報告」. Every
 * contractor violation of the record (under another article) opens the duty to report; one
 * IncidentReported of an incident listing the record closes every duty opened at or before it.
 * The violations closed by the same report (or still unreported) form one finding, judged by the
 * one whose deadline comes first (not always the earliest: an amendment may shorten
 * incidentReportWithin between two violations): it decides whether the report was in time, so
 * the article's status is exactly that of a finding per violation, and the state stays bounded by
 * the number of reports.
 */
export interface BreachGroup {
  /** The closing report's eventId; null: not reported yet. */
  report: string | null;
  /** When the deciding violation (the one due first) opened the duty. */
  first: number;
  /** Its due time: its opening + the incidentReportWithin in force then. */
  due: number;
  /** Its evidence event. */
  evidence: Ref;
  count: number;
}

export interface BreachState {
  /** Reports of incidents listing the record, in judgement order, as the fold met them. */
  reports: Ref[];
  groups: BreachGroup[];
}

export function emptyBreach(): BreachState {
  return { reports: [], groups: [] };
}

/** A violation opened the duty to report at `openedAt` (its event's time, or an obligation's due time), due by `due`. */
export function registerBreach(state: BreachState, openedAt: number, due: number, evidence: Ref): void {
  const report = state.reports.find((r) => r.at >= openedAt) ?? null;
  const key = report?.id ?? null;
  const group = state.groups.find((g) => g.report === key);
  if (!group) {
    state.groups.push({ report: key, first: openedAt, due, evidence: { id: evidence.id, at: evidence.at, pos: evidence.pos }, count: 1 });
    return;
  }
  group.count += 1;
  if (due < group.due || (due === group.due && openedAt < group.first)) {
    group.first = openedAt;
    group.due = due;
    group.evidence = { id: evidence.id, at: evidence.at, pos: evidence.pos };
  }
}

/** The fold met a report of an incident listing the record: it closes what is unreported. */
export function passReport(state: BreachState, report: Ref): void {
  state.reports.push({ id: report.id, at: report.at, pos: report.pos });
  const open = state.groups.find((g) => g.report === null);
  if (open && open.first <= report.at) open.report = report.id;
}

export function breachFindings(ctx: FinishContext, state: BreachState): Judged[] {
  return state.groups.map((group) => {
    const report = group.report === null ? null : (state.reports.find((r) => r.id === group.report) ?? null);
    const terms = ctx.contract.termsAt(group.first);
    return obligation({
      rule: 'art15.breach-not-reported',
      article: '15',
      party: 'contractor',
      opening: group.evidence,
      closing: report,
      due: group.due,
      asOf: ctx.asOf,
      subject: {
        ja: `${wa(group.first)}に生じた保有個人情報（${ctx.recordId}）に関する覚書違反の事態（${group.count}件）の甲への報告`,
        en: `the report to the city (IncidentReported) of the breach of the memorandum at ${jst(group.first)} (${group.count} violation${group.count === 1 ? '' : 's'} of record ${ctx.recordId})`,
      },
      note: defaultNote(!terms.explicit.has('incidentReportWithin'), terms.policy.incidentReportWithin, '直ちに'),
      from: group.first,
      recordId: ctx.recordId,
    });
  });
}
