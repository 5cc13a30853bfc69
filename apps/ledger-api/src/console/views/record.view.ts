import { ARTICLE_IDS } from '@ledger/compliance';
import { instant, type RecordedEvent } from '@ledger/domain';
import type { CustodyStepView } from '@ledger/handling';
import type { RecordComplianceAnswer } from '../../compliance/compliance.queries.js';
import type { RecordCustodyAnswer } from '../../custody/custody.queries.js';
import type { ConsoleContext } from '../console-context.js';
import type { PageCut } from '../console-params.js';
import { html, seg, type Html } from '../html.js';
import { articleLabel, articleTitle, eventTypeLabel, holdingStateLabel, partyLabel, ruleTitle, t } from '../i18n.js';
import { custodyTreeSvg, holdingKeyOf } from './custody-tree.js';
import { page } from './layout.view.js';
import { cutForm, dueIn, status, table, time } from './parts.js';

export interface RecordPageData {
  contractId: string;
  recordId: string;
  cut: PageCut;
  verdict: RecordComplianceAnswer;
  custody: RecordCustodyAnswer;
  /** The record's events (an auditor's key), else null: the timeline is then the custody steps. */
  events: RecordedEvent[] | null;
  more: boolean;
  auditor: boolean;
}

/** What an event did, in a few words of its data (IDs, places, no personal data: the ledger holds none). */
function eventSummary(recorded: RecordedEvent): string {
  const data = recorded.event.data as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of ['copyId', 'fromCopyId', 'location', 'from', 'to', 'transportId', 'carrierId', 'purpose', 'recipientId', 'method', 'receivedBy', 'witnessedBy', 'medium']) {
    const value = data[key];
    if (typeof value === 'string') parts.push(`${key}: ${value}`);
  }
  const categories = data.dataCategories;
  if (Array.isArray(categories)) parts.push(`dataCategories: ${categories.join('、')}`);
  return parts.join(' · ');
}

function actorText(recorded: RecordedEvent): string {
  const actor = recorded.event.actor as { org: string; workerId?: string };
  return actor.workerId ? `${actor.org} / ${actor.workerId}` : actor.org;
}

/** The custody steps of every holding, one row per event (a copy's creation appears once). */
function stepsOf(custody: RecordCustodyAnswer): Array<{ step: CustodyStepView; copyId: string | null }> {
  const byEvent = new Map<string, { step: CustodyStepView; copyId: string | null }>();
  for (const holding of custody.holdings) {
    for (const step of holding.history) if (!byEvent.has(step.eventId) || step.newCopyId === undefined) byEvent.set(step.eventId, { step, copyId: holding.copyId });
  }
  return [...byEvent.values()].sort((a, b) => instant(a.step.occurredAt) - instant(b.step.occurredAt) || a.step.position - b.step.position);
}

export function recordPage(ctx: ConsoleContext, data: RecordPageData): Html {
  const lang = ctx.lang;
  const { contractId, recordId, verdict, custody, cut } = data;
  const base = `/console/contracts/${seg(contractId)}`;

  // Which finding each evidence event proves (violations and pending ones are marked on the timeline).
  const proves = new Map<string, string[]>();
  for (const article of Object.values(verdict.articles)) {
    for (const f of article.findings) if (f.status !== 'compliant') for (const id of f.eventIds) proves.set(id, [...(proves.get(id) ?? []), f.rule]);
  }
  const timelineIds = new Set<string>();
  let timelineRows: Html[];
  if (data.events !== null) {
    timelineRows = data.events.map((e) => {
      timelineIds.add(e.event.eventId);
      const rules = proves.get(e.event.eventId);
      return html`<tr id="ev-${e.event.eventId}"${rules ? html` class="evidence-row"` : ''}>
  <td data-sort="${instant(e.event.occurredAt)}">${time(e.event.occurredAt, lang)}</td>
  <td>${eventTypeLabel(e.event.type, lang)}<br><code>${e.event.type}</code></td>
  <td>${actorText(e)}</td>
  <td class="summary">${eventSummary(e)}</td>
  <td>${rules ? rules.map((r) => html`<span class="proves">${ruleTitle(r, lang)}</span> `) : ''}</td>
  <td class="num" data-sort="${e.position}"><a href="${base}/events/${seg(e.event.eventId)}">${e.position}</a></td>
</tr>`;
    });
  } else {
    timelineRows = stepsOf(custody).map(({ step, copyId }) => {
      timelineIds.add(step.eventId);
      const rules = proves.get(step.eventId);
      return html`<tr id="ev-${step.eventId}"${rules ? html` class="evidence-row"` : ''}>
  <td data-sort="${instant(step.occurredAt)}">${time(step.occurredAt, lang)}</td>
  <td>${eventTypeLabel(step.type, lang)}<br><code>${step.type}</code></td>
  <td>${copyId ?? t(lang, 'original')}${step.newCopyId ? ` → ${step.newCopyId}` : ''}</td>
  <td>${holdingStateLabel(step.state, lang)} · ${step.location ?? '—'}${step.transportId ? ` · ${step.transportId}` : ''}</td>
  <td>${rules ? rules.map((r) => html`<span class="proves">${ruleTitle(r, lang)}</span> `) : ''}</td>
  <td class="num" data-sort="${step.position}">${step.position}</td>
</tr>`;
    });
  }
  // An evidence event the timeline does not show (an officer's key sees custody steps only) is named where the finding cites it.
  const anchored = new Set<string>();
  const evidence = (ids: readonly string[]): Html => html`<ul class="evidence">${ids.map((id) => {
    const here = timelineIds.has(id);
    const anchor = !here && !anchored.has(id);
    if (anchor) anchored.add(id);
    return html`<li${anchor ? html` id="ev-${id}" class="evidence-target"` : ''}>${here ? html`<a href="#ev-${id}"><code>${id.slice(0, 8)}</code></a>` : data.auditor ? html`<a href="${base}/events/${seg(id)}"><code>${id.slice(0, 8)}</code></a>` : html`<code title="${id}">${id.slice(0, 8)}</code>`}</li>`;
  })}</ul>`;

  const articles = ARTICLE_IDS.filter((a) => verdict.articles[a] !== undefined).map((article) => {
    const judged = verdict.articles[article]!;
    const listed = judged.findings;
    return html`<li class="verdict-article" id="verdict-${article}">
  <div class="verdict-head">${status(judged.status, lang)} <strong>${articleLabel(article, lang)}</strong> <span class="article-title">${articleTitle(article, lang)}</span></div>
  ${listed.length > 0 ? html`<ul class="verdict-findings">${listed.map((f) => html`<li class="finding finding-${f.status}">
    ${status(f.status, lang)} <span class="rule-title">${ruleTitle(f.rule, lang)}</span> <span class="party">(${partyLabel(f.party, lang)})</span>
    ${f.dueAt ? html`<span class="due">${t(lang, 'due')}: ${time(f.dueAt, lang)}${f.status === 'pending' ? html` ${dueIn(f.dueAt, cut.asOf.ms, lang, { live: cut.present })}` : ''}</span>` : ''}
    <p class="message">${f.message[lang]}</p>
    ${evidence(f.eventIds)}
  </li>`)}</ul>` : ''}
</li>`;
  });

  const holdingRows = custody.holdings.map((h) => html`<tr id="holding-${holdingKeyOf(h.copyId)}">
  <th scope="row" data-sort="${h.copyId ?? ''}">${h.copyId ?? t(lang, 'original')}</th>
  <td>${h.copiedFrom ? (h.copiedFrom.copyId ?? t(lang, 'original')) : '—'}</td>
  <td data-sort="${h.state}">${holdingStateLabel(h.state, lang)}${h.overdue ? html` <span class="badge badge-violation">${t(lang, 'overdue')}</span>` : ''}</td>
  <td>${h.state === 'in_transit' && h.from ? `${h.from} → ${h.to}` : (h.location ?? '—')}</td>
  <td>${h.holder ? [h.holder.org, h.holder.workerId, h.holder.carrierId].filter(Boolean).join(' / ') : '—'}</td>
  <td data-sort="${instant(h.since)}">${time(h.since, lang)}</td>
  <td>${h.disposal ? html`${time(h.disposal.dueAt, lang)} (${eventTypeLabel(h.disposal.orderedBy.type, lang)})` : '—'}</td>
</tr>`);
  const transportRows = custody.transports.map((l) => html`<tr>
  <th scope="row">${l.transportId}</th>
  <td>${l.copyId ?? t(lang, 'original')}</td>
  <td>${l.from} → ${l.to}</td>
  <td>${l.carrierId}</td>
  <td data-sort="${instant(l.startedAt)}">${time(l.startedAt, lang)}</td>
  <td data-sort="${instant(l.dueAt)}">${time(l.dueAt, lang)}</td>
  <td data-sort="${l.completedAt ? instant(l.completedAt) : ''}">${l.completedAt ? time(l.completedAt, lang) : html`<span class="badge ${l.overdue ? 'badge-violation' : 'badge-pending'}">${l.overdue ? t(lang, 'overdue') : t(lang, 'inTransit')}</span>`}</td>
</tr>`);

  const body = html`
${cutForm(ctx, cut, `${base}/records/${seg(recordId)}`)}
<p class="record-status">${t(lang, 'status')}: ${status(verdict.status, lang)}</p>
<div class="record-grid">
<section class="custody" aria-labelledby="h-tree">
<h2 id="h-tree">${t(lang, 'custodyTree')}</h2>
<div class="tree-wrap">${custody.holdings.length > 0 ? custodyTreeSvg(custody.holdings, custody.transports, lang, recordId) : html`<p class="empty">—</p>`}</div>
${table({
  caption: t(lang, 'tableOfTree'),
  id: 'holdings',
  headings: [t(lang, 'copy'), t(lang, 'copiedFrom'), t(lang, 'state'), t(lang, 'location'), t(lang, 'holder'), t(lang, 'since'), t(lang, 'due')],
  rows: holdingRows,
})}
${table({
  caption: t(lang, 'transports'),
  id: 'transports',
  headings: [t(lang, 'transport'), t(lang, 'copy'), `${t(lang, 'from')} → ${t(lang, 'to')}`, t(lang, 'holder'), t(lang, 'since'), t(lang, 'due'), t(lang, 'status')],
  rows: transportRows,
  empty: `${t(lang, 'transports')}: ${t(lang, 'none')}`,
})}
</section>
<section class="verdict" aria-labelledby="h-verdict">
<h2 id="h-verdict">${t(lang, 'verdict')}</h2>
<ul class="verdict-articles">${articles}</ul>
</section>
</div>
<section aria-labelledby="h-timeline">
<h2 id="h-timeline">${t(lang, 'timeline')}</h2>
${data.events === null ? html`<p class="help">${t(lang, 'timelineOfficerNote')}</p>` : ''}
${table({
  caption: t(lang, 'timeline'),
  captionHidden: true,
  id: 'timeline',
  headings: [t(lang, 'when'), t(lang, 'type'), data.events === null ? t(lang, 'copy') : t(lang, 'actor'), t(lang, 'message'), t(lang, 'evidence'), [t(lang, 'position'), 'number']],
  rows: timelineRows,
})}
${data.more ? html`<p class="help">${t(lang, 'truncated')}</p>` : ''}
</section>`;
  return page(ctx, {
    title: `${t(lang, 'record')} ${recordId}`,
    contractId,
    current: 'record',
    crumbs: [[t(lang, 'navOverview'), '/console'], [contractId, base], [recordId, null]],
    body,
  });
}

