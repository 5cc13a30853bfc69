import { ARTICLE_IDS, PARTIES, type Party } from '@ledger/compliance';
import type { ContractListing, ListedFinding } from '@ledger/projections';
import type { ContractComplianceAnswer } from '../../compliance/compliance.queries.js';
import type { ConsoleContext } from '../console-context.js';
import type { PageCut } from '../console-params.js';
import { html, queryString, seg, type Html } from '../html.js';
import { articleLabel, articleTitle, partyLabel, ruleTitle, statusLabel, t, type Lang } from '../i18n.js';
import { page } from './layout.view.js';
import { contractFacts, cutForm, cutParams, dueIn, recordHref, status, table, time } from './parts.js';
import { violationsByArticle } from './overview.view.js';

export interface ContractPageData {
  contractId: string;
  listing: ContractListing | null;
  cut: PageCut;
  filter: { article?: string; status?: 'violation' | 'pending'; party?: Party; rule?: string };
  period: { from: string; to: string };
  view: ContractComplianceAnswer;
  /** The page of findings after the period filter. */
  findings: ListedFinding[];
  /** When a finding is placed in time: its due time, else its first evidence event. */
  when(f: ListedFinding): number | null;
  /** Pending findings due within 7 days of the cut. */
  dueSoon: ListedFinding[];
  liveTag: string | null;
  auditor: boolean;
}

/** Links to the events that prove a finding: a record's on its timeline, a contract-level one on the event page (auditors). */
export function evidenceLinks(lang: Lang, contractId: string, recordId: string | null, eventIds: readonly string[], cut: PageCut | null, auditor: boolean): Html {
  return html`<ul class="evidence">${eventIds.map((id, i) => {
    const label = html`<code>${id.slice(0, 8)}</code>`;
    const name = `${t(lang, 'evidence')} ${i + 1}: ${id}`;
    if (recordId !== null) return html`<li><a href="${recordHref(contractId, recordId, cut, `#ev-${id}`)}" aria-label="${name}">${label}</a></li>`;
    if (auditor) return html`<li><a href="/console/contracts/${seg(contractId)}/events/${seg(id)}" aria-label="${name}">${label}</a></li>`;
    return html`<li title="${id}">${label}</li>`;
  })}</ul>`;
}

export function contractPage(ctx: ConsoleContext, data: ContractPageData): Html {
  const lang = ctx.lang;
  const { contractId, view, cut } = data;
  const base = `/console/contracts/${seg(contractId)}`;
  const filterHref = (query: Record<string, string>): string => `${base}${queryString({ ...cutParams(cut), ...query })}`;
  const byArticle = violationsByArticle(view);
  const pendingByArticle = new Map<string, number>();
  for (const row of view.summary) pendingByArticle.set(row.article, (pendingByArticle.get(row.article) ?? 0) + row.pending);

  const articleRows = ARTICLE_IDS.map((article) => {
    const v = byArticle.get(article) ?? 0;
    const p = pendingByArticle.get(article) ?? 0;
    return html`<tr>
  <th scope="row" data-sort="${ARTICLE_IDS.indexOf(article)}"><a href="${filterHref({ article })}">${articleLabel(article, lang)}</a></th>
  <td>${articleTitle(article, lang)}</td>
  <td class="num${v > 0 ? ' has-violations' : ''}" data-sort="${v}">${v > 0 ? html`<a href="${filterHref({ article, status: 'violation' })}">${v}</a>` : '0'}</td>
  <td class="num" data-sort="${p}">${p > 0 ? html`<a href="${filterHref({ article, status: 'pending' })}">${p}</a>` : '0'}</td>
</tr>`;
  });

  const groups = new Map<string, ListedFinding[]>();
  for (const f of data.findings) {
    const list = groups.get(f.article) ?? [];
    list.push(f);
    groups.set(f.article, list);
  }
  const findingRow = (f: ListedFinding): Html => {
    const when = data.when(f);
    return html`<tr>
  <td data-sort="${f.recordId ?? ''}">${f.recordId ? html`<a href="${recordHref(contractId, f.recordId, cut)}">${f.recordId}</a>` : t(lang, 'contractLevel')}</td>
  <td data-sort="${f.rule}"><span class="rule-title">${ruleTitle(f.rule, lang)}</span><br><code class="rule-id">${f.rule}</code></td>
  <td data-sort="${f.status}">${status(f.status, lang)}</td>
  <td data-sort="${f.party}">${partyLabel(f.party, lang)}</td>
  <td data-sort="${when ?? ''}">${time(when, lang)}</td>
  <td data-sort="${f.dueAt ?? ''}">${f.dueAt ? html`${time(f.dueAt, lang)}${f.status === 'pending' ? html`<br>${dueIn(f.dueAt, cut.asOf.ms, lang, { live: cut.present })}` : ''}` : '—'}</td>
  <td>${evidenceLinks(lang, contractId, f.recordId, f.eventIds, cut, data.auditor)}</td>
  <td class="message">${f.message[lang]}</td>
</tr>`;
  };
  const findingSections = ARTICLE_IDS.filter((a) => groups.has(a)).map((article) => html`
<section class="article-findings" id="article-${article}" aria-labelledby="h-article-${article}">
<h3 id="h-article-${article}">${articleTitle(article, lang)} <span class="count">${groups.get(article)!.length}</span></h3>
${table({
  caption: articleTitle(article, lang),
  captionHidden: true,
  headings: [t(lang, 'record'), t(lang, 'rule'), t(lang, 'status'), t(lang, 'party'), t(lang, 'when'), t(lang, 'due'), t(lang, 'evidence'), t(lang, 'message')],
  rows: groups.get(article)!.map(findingRow),
})}
</section>`);

  const dueRows = data.dueSoon.map((f) => html`<tr>
  <td>${f.recordId ? html`<a href="${recordHref(contractId, f.recordId, cut)}">${f.recordId}</a>` : t(lang, 'contractLevel')}</td>
  <td data-sort="${f.article}">${articleLabel(f.article, lang)}</td>
  <td>${ruleTitle(f.rule, lang)}</td>
  <td>${partyLabel(f.party, lang)}</td>
  <td data-sort="${f.dueAt ?? ''}">${time(f.dueAt, lang)}</td>
  <td data-sort="${f.dueAt ?? ''}">${dueIn(f.dueAt, cut.asOf.ms, lang, { live: cut.present })}</td>
</tr>`);

  const option = (value: string, label: string, selected: string | undefined): Html =>
    html`<option value="${value}"${selected === value ? html` selected` : ''}>${label}</option>`;
  const filters = html`<form method="get" action="${base}" class="filters" aria-label="${t(lang, 'filters')}">
  ${cut.present ? '' : html`<input type="hidden" name="asOf" value="${cut.asOf.text}">${cut.known ? html`<input type="hidden" name="known" value="1">` : ''}`}
  <div class="field"><label for="f-article">${t(lang, 'article')}</label>
    <select id="f-article" name="article">${option('', t(lang, 'all'), data.filter.article ?? '')}${ARTICLE_IDS.map((a) => option(a, articleLabel(a, lang), data.filter.article))}</select></div>
  <div class="field"><label for="f-status">${t(lang, 'status')}</label>
    <select id="f-status" name="status">${option('', t(lang, 'all'), data.filter.status ?? '')}${option('violation', statusLabel('violation', lang), data.filter.status)}${option('pending', statusLabel('pending', lang), data.filter.status)}</select></div>
  <div class="field"><label for="f-party">${t(lang, 'party')}</label>
    <select id="f-party" name="party">${option('', t(lang, 'all'), data.filter.party ?? '')}${PARTIES.map((p) => option(p, partyLabel(p, lang), data.filter.party))}</select></div>
  <div class="field"><label for="f-from">${t(lang, 'periodFrom')}</label><input type="date" id="f-from" name="from" value="${data.period.from}"></div>
  <div class="field"><label for="f-to">${t(lang, 'periodTo')}</label><input type="date" id="f-to" name="to" value="${data.period.to}"></div>
  ${data.filter.rule ? html`<input type="hidden" name="rule" value="${data.filter.rule}">` : ''}
  <button type="submit">${t(lang, 'apply')}</button>
  <a class="reset" href="${filterHref({})}">${t(lang, 'reset')}</a>
</form>`;

  const body = html`
${contractFacts(lang, contractId, data.listing)}
${cutForm(ctx, cut, base, { article: data.filter.article ?? '', status: data.filter.status ?? '', party: data.filter.party ?? '', from: data.period.from, to: data.period.to })}
<div data-live-region${data.liveTag ? html` data-live-tag="${data.liveTag}"` : ''}>
<section aria-labelledby="h-standing" class="standing">
<h2 id="h-standing" class="visually-hidden">${t(lang, 'status')}</h2>
<dl class="facts status-facts">
  <div><dt>${t(lang, 'contractorStatus')}</dt><dd id="contractor-status">${status(view.status, lang)}</dd></div>
  <div><dt>${t(lang, 'cityStatus')}</dt><dd id="city-status">${status(view.city.status, lang)}</dd></div>
  <div><dt>${t(lang, 'records')}</dt><dd id="record-counts"><span data-count="total">${view.records.total}</span> (${statusLabel('violation', lang)} <span data-count="violation">${view.records.violation}</span>, ${statusLabel('pending', lang)} <span data-count="pending">${view.records.pending}</span>, ${statusLabel('compliant', lang)} <span data-count="compliant">${view.records.compliant}</span>, ${statusLabel('not_applicable', lang)} <span data-count="not_applicable">${view.records.not_applicable}</span>)</dd></div>
</dl>
</section>
<section aria-labelledby="h-articles">
<h2 id="h-articles">${t(lang, 'violationsByArticle')}</h2>
${table({
  caption: t(lang, 'violationsByArticle'),
  captionHidden: true,
  id: 'article-table',
  headings: [t(lang, 'article'), t(lang, 'message'), [statusLabel('violation', lang), 'number'], [statusLabel('pending', lang), 'number']],
  rows: articleRows,
})}
</section>
<section aria-labelledby="h-due">
<h2 id="h-due">${t(lang, 'dueNext7')}</h2>
${table({
  caption: t(lang, 'dueNext7'), captionHidden: true, id: 'due',
  headings: [t(lang, 'record'), t(lang, 'article'), t(lang, 'rule'), t(lang, 'party'), t(lang, 'due'), t(lang, 'remaining')],
  rows: dueRows, empty: t(lang, 'nothingDue'),
})}
</section>
<section aria-labelledby="h-findings">
<h2 id="h-findings">${t(lang, 'findingsByArticle')}</h2>
${filters}
<p class="help">${t(lang, 'sortHint')}</p>
${findingSections.length === 0 ? html`<p class="empty">${t(lang, 'noFindings')}</p>` : findingSections}
${view.next ? html`<p class="pager"><a rel="next" href="${filterHref({ ...stringFilter(data.filter), from: data.period.from, to: data.period.to, after: view.next })}">${t(lang, 'more')}</a></p>` : ''}
</section>
</div>`;
  return page(ctx, {
    title: data.listing?.title ?? contractId,
    contractId,
    current: 'contract',
    crumbs: [[t(lang, 'navOverview'), '/console'], [contractId, null]],
    liveUrl: data.liveTag ? `${base}/live` : undefined,
    body,
  });
}

function stringFilter(filter: ContractPageData['filter']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(filter)) if (v) out[k] = v;
  return out;
}
