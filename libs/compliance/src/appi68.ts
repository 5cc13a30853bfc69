import { addDuration, parseDuration, type IncidentKind } from '@ledger/domain';
import type { ContractView, Of } from '@ledger/handling';
import type { ArticleResult, ContractContext, RecordFacts } from './context.js';
import { defaultNote, jst, TERMS, wa } from './messages.js';
import { firstClosing, obligation, type Judged } from './obligation.js';
import type { RuleInfo } from './verdict.js';

/**
 * 個人情報保護法第68条 (the city's own duty, RULES.md v2): a reportable leak is reported to the
 * Personal Information Protection Commission — preliminary (速報) and final (確報) — and the
 * persons concerned are notified (第2項). The clock starts when the city learns of the incident:
 * the contractor's IncidentReported, or the IncidentDetected when the city detected it itself.
 */
export const APPI68_RULES: readonly RuleInfo[] = [
  {
    id: 'appi68.preliminary-report-overdue', article: 'appi68', scope: 'contract', kind: 'obligation', party: 'city',
    title: { ja: '個人情報保護委員会への速報', en: 'Preliminary report to the PPC' },
  },
  {
    id: 'appi68.final-report-overdue', article: 'appi68', scope: 'contract', kind: 'obligation', party: 'city',
    title: { ja: '個人情報保護委員会への確報', en: 'Final report to the PPC' },
  },
  {
    id: 'appi68.persons-not-notified', article: 'appi68', scope: 'contract', kind: 'obligation', party: 'city',
    title: { ja: '本人への通知', en: 'Notice to the persons concerned' },
  },
];

/** Why an incident is reportable (個人情報保護委員会規則 for 行政機関等). */
export type ReportTrigger = 'sensitive' | 'unauthorized_access' | 'theft' | 'financial_harm' | 'over_100_persons';
export const REPORT_TRIGGERS: readonly ReportTrigger[] = ['sensitive', 'unauthorized_access', 'theft', 'financial_harm', 'over_100_persons'];

const TRIGGER_WORDS: { readonly [T in ReportTrigger]: { ja: string; en: string } } = {
  sensitive: { ja: '要配慮個人情報を含む', en: 'sensitive (要配慮) information' },
  unauthorized_access: { ja: '不正アクセスによる（不正の目的のおそれ）', en: 'unauthorized access (possible malice)' },
  theft: { ja: '盗難による（不正の目的のおそれ）', en: 'theft (possible malice)' },
  financial_harm: { ja: '財産的被害のおそれがある', en: 'risk of financial harm' },
  over_100_persons: { ja: '本人の数が100人を超える', en: 'more than 100 persons affected' },
};

export interface Reportability {
  readonly reportable: boolean;
  readonly triggers: readonly ReportTrigger[];
  /** Persons affected as judged: affectedPersonCount, else the sum of the listed records' personCount (null when unknown). */
  readonly persons: number | null;
}

/**
 * Whether an incident is reportable: a listed record was collected with a category the contract
 * marks sensitive; its kind is unauthorized_access or theft; financialHarmRisk; or more than 100
 * persons are affected. The records' facts are read as of the incident.
 */
export function reportability(contract: ContractView, incident: Of<'IncidentDetected'>, records: RecordFacts): Reportability {
  const { kind, affectedRecordIds, affectedPersonCount, financialHarmRisk } = incident.event.data;
  const sensitive = contract.termsAt(incident.at).policy.sensitiveCategories;
  const triggers: ReportTrigger[] = [];
  let persons: number | null = affectedPersonCount ?? null;
  let sum = 0;
  let known = false;
  let isSensitive = false;
  for (const recordId of new Set(affectedRecordIds)) {
    const collections = records.collectionsAt(recordId, incident.at) ?? [];
    let count: number | null = null;
    for (const c of collections) {
      if (c.categories.some((category) => sensitive.includes(category))) isSensitive = true;
      if (c.personCount !== null) count = c.personCount;
    }
    if (count !== null) {
      sum += count;
      known = true;
    }
  }
  if (persons === null && known) persons = sum;
  if (isSensitive) triggers.push('sensitive');
  if (kind === 'unauthorized_access') triggers.push('unauthorized_access');
  if (kind === 'theft') triggers.push('theft');
  if (financialHarmRisk === true) triggers.push('financial_harm');
  if (persons !== null && persons > 100) triggers.push('over_100_persons');
  return { reportable: triggers.length > 0, triggers, persons };
}

const MALICIOUS: ReadonlySet<IncidentKind> = new Set(['unauthorized_access', 'theft']);

/** When the city learnt of the incident: its own detection, or the contractor's first report. */
function learnt(contract: ContractView, incident: Of<'IncidentDetected'>): Of<'IncidentDetected'> | Of<'IncidentReported'> | null {
  if (incident.event.actor.org === 'city') return incident;
  return firstClosing(contract.incidentReports(incident.event.data.incidentId), incident);
}

export function judgeAppi68(ctx: ContractContext): ArticleResult {
  const findings: Judged[] = [];
  let applicable = false;
  for (const incident of ctx.contract.incidents()) {
    const r = reportability(ctx.contract, incident, ctx.records);
    if (!r.reportable) continue;
    const from = learnt(ctx.contract, incident);
    if (!from) continue;
    applicable = true;
    const { incidentId, kind } = incident.event.data;
    const terms = ctx.contract.termsAt(from.at);
    const why = r.triggers.map((t) => TRIGGER_WORDS[t]);
    const what = {
      ja: `${TERMS.incidentKind[kind]}の事故${incidentId}（${why.map((w) => w.ja).join('、')}）`,
      en: `incident ${incidentId} (${kind}; reportable: ${why.map((w) => w.en).join(', ')})`,
    };
    const learntWhen = { ja: `甲が${wa(from.at)}に把握した`, en: `the city learnt of at ${jst(from.at)}` };
    const reports = ctx.contract.ppcReports(incidentId);
    const preliminary = reports.filter((p) => p.event.data.stage === 'preliminary');
    const final = reports.filter((p) => p.event.data.stage === 'final');
    const finalText = terms.policy.ppcFinalWithin ?? (MALICIOUS.has(kind) ? 'P60D' : 'P30D');
    const finalWithin = parseDuration(finalText)!;
    findings.push(
      obligation({
        rule: 'appi68.preliminary-report-overdue', article: 'appi68', party: 'city',
        opening: incident, closing: firstClosing(preliminary, incident),
        due: addDuration(from.at, ctx.contract.requiredDurationAt('ppcPreliminaryWithin', from.at)), asOf: ctx.asOf,
        subject: { ja: `${learntWhen.ja}${what.ja}の甲による個人情報保護委員会への速報`, en: `the preliminary report to the PPC of ${what.en}, which ${learntWhen.en}` },
        note: defaultNote(!terms.explicit.has('ppcPreliminaryWithin'), terms.policy.ppcPreliminaryWithin, '速やかに', 'act'),
        also: from === incident ? [] : [from],
      }),
      obligation({
        rule: 'appi68.final-report-overdue', article: 'appi68', party: 'city',
        opening: incident, closing: firstClosing(final, incident),
        due: addDuration(from.at, finalWithin), asOf: ctx.asOf,
        subject: { ja: `${learntWhen.ja}${what.ja}の甲による個人情報保護委員会への確報`, en: `the final report to the PPC of ${what.en}, which ${learntWhen.en}` },
        also: from === incident ? [] : [from],
      }),
      obligation({
        rule: 'appi68.persons-not-notified', article: 'appi68', party: 'city',
        opening: incident, closing: firstClosing(ctx.contract.personNotices(incidentId), incident),
        due: addDuration(from.at, ctx.contract.requiredDurationAt('personNoticeWithin', from.at)), asOf: ctx.asOf,
        subject: { ja: `${learntWhen.ja}${what.ja}の甲による本人への通知`, en: `the notice to the persons concerned by ${what.en}, which ${learntWhen.en}` },
        note: defaultNote(!terms.explicit.has('personNoticeWithin'), terms.policy.personNoticeWithin, undefined, 'act'),
        also: from === incident ? [] : [from],
      }),
    );
  }
  return { applicable, findings };
}
