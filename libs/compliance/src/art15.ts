import type { ContractView, Of } from '@ledger/handling';
import type { ArticleResult, ContractContext, FinishContext } from './context.js';
import { dueAfter } from './due.js';
import { defaultNote, jst, TERMS, wa } from './messages.js';
import { firstClosing, obligation, type Judged } from './obligation.js';
import type { RuleInfo } from './verdict.js';

const TITLE = { ja: '事故発生時の甲への報告', en: 'Report of an incident to the city' };

/** Article 15: report at once to the city when a breach happens or may happen. */
export const ART15_RULES: readonly RuleInfo[] = [
  { id: 'art15.report-overdue', article: '15', scope: 'record', kind: 'obligation', party: 'contractor', title: TITLE },
  {
    id: 'art15.breach-not-reported', article: '15', scope: 'record', kind: 'obligation', party: 'contractor',
    title: { ja: '覚書違反の事態の甲への報告', en: 'Report to the city of a breach of the memorandum' },
  },
  { id: 'art15.report-overdue', article: '15', scope: 'contract', kind: 'obligation', party: 'contractor', title: TITLE },
];

/** Incidents the contractor must report: the city need not be told what it detected itself. */
function toReport(incidents: readonly Of<'IncidentDetected'>[]): Of<'IncidentDetected'>[] {
  return incidents.filter((i) => i.event.actor.org !== 'city');
}

function incidentReport(contract: ContractView, incident: Of<'IncidentDetected'>, asOf: number, recordId?: string): Judged {
  const { incidentId, kind } = incident.event.data;
  const terms = contract.termsAt(incident.at);
  return obligation({
    rule: 'art15.report-overdue',
    article: '15',
    party: 'contractor',
    opening: incident,
    closing: firstClosing(contract.incidentReports(incidentId), incident),
    due: dueAfter(contract, 'incidentReportWithin', incident.at),
    asOf,
    subject: {
      ja: `${wa(incident.at)}に発生した事故${incidentId}（${TERMS.incidentKind[kind]}）の甲への報告`,
      en: `the report to the city (IncidentReported) of incident ${incidentId} (${kind}) detected at ${jst(incident.at)}`,
    },
    note: defaultNote(!terms.explicit.has('incidentReportWithin'), terms.policy.incidentReportWithin, '直ちに'),
    ...(recordId === undefined ? {} : { recordId }),
  });
}

/** Record rule, judged at the end of the cut: every IncidentDetected listing the record in affectedRecordIds. */
export function incidentFindings(ctx: FinishContext): Judged[] {
  const incidents = toReport(ctx.contract.incidentsAffecting(ctx.recordId));
  if (incidents.length > 0) ctx.applies('15');
  return incidents.map((incident) => incidentReport(ctx.contract, incident, ctx.asOf, ctx.recordId));
}

/** Contract rule: every IncidentDetected. */
export function judgeArt15Contract(ctx: ContractContext): ArticleResult {
  const incidents = toReport(ctx.contract.incidents());
  return {
    applicable: incidents.length > 0,
    findings: incidents.map((incident) => incidentReport(ctx.contract, incident, ctx.asOf)),
  };
}
