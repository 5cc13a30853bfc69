import { TERMS } from '@ledger/compliance';
import type { ContractComplianceAnswer } from '../../compliance/compliance.queries.js';
import type { ConsoleContext } from '../console-context.js';
import type { IncidentFacts } from '../console.queries.js';
import { html, seg, type Html } from '../html.js';
import { t, type Lang, type WordKey } from '../i18n.js';
import { page } from './layout.view.js';
import type { ContractPageData } from './contract.view.js';
import { contractFacts, dueIn, recordHref, status, table, time } from './parts.js';

export interface IncidentsPageData {
  contractId: string;
  listing: ContractPageData['listing'];
  incidents: IncidentFacts[];
  /** The contract's present verdict: its deadlines are the rulebook's findings (art15, appi68). */
  view: ContractComplianceAnswer;
}

interface Deadline {
  label: WordKey;
  rule: string;
  doneAt: (i: IncidentFacts) => string | null;
  party: 'contractor' | 'city';
}

/** The deadlines an incident starts: the contractor's report to the city, the city's to the PPC and the persons. */
const DEADLINES: readonly Deadline[] = [
  { label: 'contractorReport', rule: 'art15.report-overdue', doneAt: (i) => i.reportedAt, party: 'contractor' },
  { label: 'ppcPreliminary', rule: 'appi68.preliminary-report-overdue', doneAt: (i) => i.preliminaryAt, party: 'city' },
  { label: 'ppcFinal', rule: 'appi68.final-report-overdue', doneAt: (i) => i.finalAt, party: 'city' },
  { label: 'personsNotice', rule: 'appi68.persons-not-notified', doneAt: (i) => i.noticeAt, party: 'city' },
];

function kindText(kind: IncidentFacts['kind'], lang: Lang): string {
  return lang === 'ja' ? TERMS.incidentKind[kind] : kind.replaceAll('_', ' ');
}

export function incidentsPage(ctx: ConsoleContext, data: IncidentsPageData): Html {
  const lang = ctx.lang;
  const { contractId, view } = data;
  const base = `/console/contracts/${seg(contractId)}`;
  const findings = [...(view.articles['15']?.findings ?? []), ...view.city.findings];
  const sections = data.incidents.map((incident) => {
    const own = findings.filter((f) => f.eventIds[0] === incident.eventId);
    const rows = DEADLINES.flatMap((d) => {
      const finding = own.find((f) => f.rule === d.rule);
      if (!finding) return [];
      const doneAt = d.doneAt(incident);
      return [html`<tr data-rule="${d.rule}">
  <th scope="row">${t(lang, d.label)}</th>
  <td>${t(lang, d.party)}</td>
  <td data-sort="${finding.status}">${status(finding.status, lang)}</td>
  <td data-sort="${finding.dueAt ?? ''}">${time(finding.dueAt, lang)}</td>
  <td>${dueIn(finding.dueAt, ctx.now, lang, { done: doneAt !== null })}</td>
  <td data-sort="${doneAt ?? ''}">${time(doneAt, lang)}</td>
</tr>`];
    });
    const reportable = own.some((f) => f.rule.startsWith('appi68.'));
    return html`<section class="incident" id="incident-${incident.incidentId}" aria-labelledby="h-${incident.incidentId}">
<h2 id="h-${incident.incidentId}">${t(lang, 'incident')} ${incident.incidentId} <span class="kind">${kindText(incident.kind, lang)}</span></h2>
<dl class="facts">
  <div><dt>${t(lang, 'detected')}</dt><dd>${time(incident.detectedAt, lang)}</dd></div>
  <div><dt>${t(lang, 'detectedBy')}</dt><dd>${t(lang, incident.detectedBy === 'city' ? 'city' : 'contractor')}</dd></div>
  <div><dt>${t(lang, 'affected')}</dt><dd>${incident.affectedRecordIds.length === 0 ? '—' : incident.affectedRecordIds.map((r) => html`<a href="${recordHref(contractId, r, null)}">${r}</a> `)}</dd></div>
  <div><dt>${t(lang, 'persons')}</dt><dd>${incident.affectedPersonCount ?? '—'}</dd></div>
</dl>
${table({
  caption: `${t(lang, 'deadlines')}: ${incident.incidentId}`,
  captionHidden: true,
  headings: [t(lang, 'duty'), t(lang, 'party'), t(lang, 'status'), t(lang, 'due'), t(lang, 'remaining'), t(lang, 'doneAt')],
  rows,
})}
${reportable ? '' : html`<p class="help">${t(lang, 'notReportable')}</p>`}
</section>`;
  });
  const body = html`
${contractFacts(lang, contractId, data.listing)}
<p class="cut-now">${t(lang, 'viewingAsOf')}: <strong>${time(ctx.now, lang)}</strong></p>
${sections.length === 0 ? html`<p class="empty">${t(lang, 'noIncidents')}</p>` : sections}`;
  return page(ctx, {
    title: `${t(lang, 'incidentsTitle')} — ${contractId}`,
    contractId,
    current: 'incidents',
    crumbs: [[t(lang, 'navOverview'), '/console'], [contractId, base], [t(lang, 'navIncidents'), null]],
    body,
  });
}
