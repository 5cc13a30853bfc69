import { addDuration, type EventOfType } from '@ledger/domain';
import type { ContractView } from './contract-history.js';
import type { ArticleResult, ContractContext, RecordContext } from './context.js';
import type { Entry } from './entry.js';
import { jst } from './messages.js';
import { firstClosing, obligation, type Ranked } from './obligation.js';
import type { RuleInfo } from './verdict.js';

const TITLE = { ja: '事故発生時の甲への報告', en: 'Report of an incident to the city' };

/** Article 15: report at once to the city when a breach happens or may happen. One rule ID, judged per record and per contract. */
export const ART15_RULES: readonly RuleInfo[] = [
  { id: 'art15.report-overdue', article: '15', scope: 'record', kind: 'obligation', title: TITLE },
  { id: 'art15.report-overdue', article: '15', scope: 'contract', kind: 'obligation', title: TITLE },
];

type Detected = Entry<EventOfType<'IncidentDetected'>>;

function incidentReport(contract: ContractView, incident: Detected, asOf: number, recordId?: string): Ranked {
  const { incidentId, kind } = incident.event.data;
  const input = {
    rule: 'art15.report-overdue',
    article: '15',
    opening: incident,
    closing: firstClosing(contract.incidentReports(incidentId), incident),
    due: addDuration(incident.at, contract.durationAt('incidentReportWithin', incident.at)),
    asOf,
    subject: {
      ja: `${jst(incident.at)} に検知した事故 ${incidentId}（${kind}）の甲への報告（IncidentReported）`,
      en: `the report to the city (IncidentReported) of incident ${incidentId} (${kind}) detected at ${jst(incident.at)}`,
    },
  };
  return obligation(recordId === undefined ? input : { ...input, recordId });
}

/** Record rule: every IncidentDetected listing the record in affectedRecordIds. */
export function judgeArt15Record(ctx: RecordContext): ArticleResult {
  const incidents = ctx.contract.incidentsAffecting(ctx.recordId);
  return {
    applicable: incidents.length > 0,
    findings: incidents.map((incident) => incidentReport(ctx.contract, incident, ctx.asOf, ctx.recordId)),
  };
}

/** Contract rule: every IncidentDetected. */
export function judgeArt15Contract(ctx: ContractContext): ArticleResult {
  const incidents = ctx.contract.incidents();
  return {
    applicable: incidents.length > 0,
    findings: incidents.map((incident) => incidentReport(ctx.contract, incident, ctx.asOf)),
  };
}
