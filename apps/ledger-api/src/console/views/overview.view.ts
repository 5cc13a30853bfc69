import { ARTICLE_IDS } from '@ledger/compliance';
import type { ContractListing, ListedFinding } from '@ledger/projections';
import type { ContractComplianceAnswer } from '../../compliance/compliance.queries.js';
import type { ConsoleContext } from '../console-context.js';
import { html, queryString, seg, type Html } from '../html.js';
import { articleLabel, articleTitle, ruleTitle, statusLabel, t } from '../i18n.js';
import { page } from './layout.view.js';
import { dueIn, recordHref, status, table, time } from './parts.js';

export interface OverviewRow {
  listing: ContractListing;
  /** The contract's present verdict, its findings filtered to the pending ones. */
  view: ContractComplianceAnswer;
  dueSoon: ListedFinding[];
}

/** Violations of each article in a contract's summary (both parties, the whole contract). */
export function violationsByArticle(view: Pick<ContractComplianceAnswer, 'summary'>): Map<string, number> {
  const out = new Map<string, number>();
  for (const row of view.summary) out.set(row.article, (out.get(row.article) ?? 0) + row.violation);
  return out;
}

export function overviewPage(ctx: ConsoleContext, data: { rows: OverviewRow[]; next: string | null; liveTag: string }): Html {
  const lang = ctx.lang;
  const contractHref = (id: string, query: Record<string, string> = {}): string => `/console/contracts/${seg(id)}${queryString(query)}`;
  const statusRows = data.rows.map(({ listing, view, dueSoon }) => {
    const violations = [...violationsByArticle(view).values()].reduce((a, b) => a + b, 0);
    return html`<tr>
  <th scope="row" data-sort="${listing.contractId}"><a href="${contractHref(listing.contractId)}">${listing.title}</a><br><code>${listing.contractId}</code></th>
  <td><code>${listing.contractorId}</code></td>
  <td data-sort="${view.status}">${status(view.status, lang)}</td>
  <td data-sort="${view.city.status}">${status(view.city.status, lang)}</td>
  <td class="num" data-sort="${view.records.total}">${view.records.total}</td>
  <td class="num" data-sort="${view.records.violation}"><a href="${contractHref(listing.contractId, { status: 'violation' })}">${view.records.violation}</a></td>
  <td class="num" data-sort="${view.records.pending}">${view.records.pending}</td>
  <td class="num" data-sort="${view.records.compliant}">${view.records.compliant}</td>
  <td class="num" data-sort="${view.records.not_applicable}">${view.records.not_applicable}</td>
  <td class="num" data-sort="${violations}">${violations}</td>
  <td class="num" data-sort="${dueSoon.length}">${dueSoon.length}</td>
</tr>`;
  });
  const articleRows = data.rows.map(({ listing, view }) => {
    const byArticle = violationsByArticle(view);
    return html`<tr>
  <th scope="row" data-sort="${listing.contractId}"><a href="${contractHref(listing.contractId)}"><code>${listing.contractId}</code></a></th>
  ${ARTICLE_IDS.map((article) => {
    const n = byArticle.get(article) ?? 0;
    return html`<td class="num${n > 0 ? ' has-violations' : ''}" data-sort="${n}" data-article="${article}">${
      n > 0 ? html`<a href="${contractHref(listing.contractId, { article, status: 'violation' })}" aria-label="${articleTitle(article, lang)}: ${n}">${n}</a>` : '0'
    }</td>`;
  })}
</tr>`;
  });
  const dueRows = data.rows.flatMap(({ listing, dueSoon }) =>
    dueSoon.map((f) => html`<tr>
  <td><a href="${contractHref(listing.contractId)}"><code>${listing.contractId}</code></a></td>
  <td>${f.recordId ? html`<a href="${recordHref(listing.contractId, f.recordId, null)}">${f.recordId}</a>` : t(lang, 'contractLevel')}</td>
  <td data-sort="${f.article}">${articleLabel(f.article, lang)}</td>
  <td>${ruleTitle(f.rule, lang)}</td>
  <td data-sort="${f.dueAt ?? ''}">${time(f.dueAt, lang)}</td>
  <td data-sort="${f.dueAt ?? ''}">${dueIn(f.dueAt, ctx.now, lang)}</td>
</tr>`),
  );
  const body = html`
<div data-live-region data-live-tag="${data.liveTag}">
${data.rows.length === 0 ? html`<p class="empty">${t(lang, 'noContracts')}</p>` : html`
<section aria-labelledby="h-status">
<h2 id="h-status">${t(lang, 'recordsByStatus')}</h2>
${table({
  caption: t(lang, 'recordsByStatus'),
  captionHidden: true,
  id: 'contracts',
  headings: [
    t(lang, 'contract'), t(lang, 'contractor'), t(lang, 'contractorStatus'), t(lang, 'cityStatus'),
    [t(lang, 'total'), 'number'], [statusLabel('violation', lang), 'number'], [statusLabel('pending', lang), 'number'],
    [statusLabel('compliant', lang), 'number'], [statusLabel('not_applicable', lang), 'number'],
    [t(lang, 'violationsByArticle'), 'number'], [t(lang, 'dueNext7'), 'number'],
  ],
  rows: statusRows,
})}
</section>
<section aria-labelledby="h-articles">
<h2 id="h-articles">${t(lang, 'violationsByArticle')}</h2>
${table({
  caption: t(lang, 'violationsByArticle'),
  captionHidden: true,
  id: 'articles',
  headings: [t(lang, 'contract'), ...ARTICLE_IDS.map((a): [string, 'number'] => [articleLabel(a, lang), 'number'])],
  rows: articleRows,
})}
</section>
<section aria-labelledby="h-due">
<h2 id="h-due">${t(lang, 'dueNext7')}</h2>
${table({
  caption: t(lang, 'dueNext7'),
  captionHidden: true,
  id: 'due',
  headings: [t(lang, 'contract'), t(lang, 'record'), t(lang, 'article'), t(lang, 'rule'), t(lang, 'due'), t(lang, 'remaining')],
  rows: dueRows,
  empty: t(lang, 'nothingDue'),
})}
</section>`}
${data.next ? html`<p class="pager"><a href="/console${queryString({ after: data.next })}" rel="next">${t(lang, 'more')}</a></p>` : ''}
</div>`;
  return page(ctx, { title: t(lang, 'navOverview'), current: 'overview', liveUrl: '/console/live', body });
}

