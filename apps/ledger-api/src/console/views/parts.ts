import { instant as instantMs } from '@ledger/domain';
import type { Status } from '@ledger/compliance';
import { withParam, type ConsoleContext } from '../console-context.js';
import type { PageCut } from '../console-params.js';
import { html, queryString, seg, type Html, type Renderable } from '../html.js';
import { countdown, formatDay, formatTime, isoJst, statusLabel, t, type Lang } from '../i18n.js';

/** A time as the console writes it, machine-readable in `datetime`. */
export function time(instant: number | string | null | undefined, lang: Lang): Html | string {
  if (instant === null || instant === undefined) return '—';
  const ms = typeof instant === 'number' ? instant : instantMs(instant);
  return html`<time datetime="${isoJst(ms)}">${formatTime(ms, lang)}</time>`;
}

/** A status as a badge: a word and a mark, never colour alone. */
export function status(value: Status | 'violation' | 'pending' | 'compliant', lang: Lang): Html {
  return html`<span class="badge badge-${value}">${statusLabel(value, lang)}</span>`;
}

/**
 * Time left to a due time (or past it) from `now`; at the present (`live`) the page's script keeps
 * it counting, as of a past day it stays as of that day.
 */
export function dueIn(dueAt: string | undefined | null, now: number, lang: Lang, options: { done?: boolean; live?: boolean } = {}): Html | string {
  if (!dueAt) return '—';
  const ms = instantMs(dueAt);
  if (options.done) return html`<span class="countdown countdown-done">${t(lang, 'done')}</span>`;
  const live = options.live ?? true;
  return html`<span class="countdown${ms < now ? ' countdown-late' : ''}"${live ? html` data-countdown="${isoJst(ms)}"` : ''}>${countdown(ms, now, lang)}</span>`;
}

/** The moment a page is answered at, as a reader says it: a day's end as "that day, end of day". */
export function cutMoment(cut: PageCut, lang: Lang): Html | string {
  if (cut.asOf.text.endsWith('T23:59:59.999+09:00')) {
    return html`<time datetime="${isoJst(cut.asOf.ms)}">${formatDay(cut.asOf.ms, lang)} ${t(lang, 'endOfDay')}</time>`;
  }
  return time(cut.asOf.ms, lang);
}

/** The query parameters that keep a page's cut in its links. */
export function cutParams(cut: PageCut): { asOf?: string; known?: string } {
  if (cut.present) return {};
  return { asOf: cut.asOf.text, ...(cut.known ? { known: '1' } : {}) };
}

export function recordHref(contractId: string, recordId: string, cut: PageCut | null, anchor = ''): string {
  return `/console/contracts/${seg(contractId)}/records/${seg(recordId)}${queryString(cut ? cutParams(cut) : {})}${anchor}`;
}

/** A sortable table: the script turns each heading into a sort button; `data-sort` gives a cell its sort key. */
export function table(options: { caption: Renderable; headings: Array<[string, 'text' | 'number'] | string>; rows: Html[]; id?: string; empty?: string; captionHidden?: boolean }): Html {
  if (options.rows.length === 0 && options.empty) return html`<p class="empty">${options.empty}</p>`;
  return html`<div class="table-wrap"><table class="sortable"${options.id ? html` id="${options.id}"` : ''}>
<caption${options.captionHidden ? html` class="visually-hidden"` : ''}>${options.caption}</caption>
<thead><tr>${options.headings.map((h) => {
    const [label, kind] = typeof h === 'string' ? [h, 'text'] : h;
    return html`<th scope="col" data-kind="${kind}">${label}</th>`;
  })}</tr></thead>
<tbody>${options.rows}</tbody>
</table></div>`;
}

/** The form that moves a page in time: a day (JST) and "as the ledger knew it then". */
export function cutForm(ctx: ConsoleContext, cut: PageCut, action: string, keep: Record<string, string> = {}): Html {
  const lang = ctx.lang;
  return html`<form method="get" action="${action}" class="cut-form" aria-label="${t(lang, 'asOf')}">
  ${Object.entries(keep).filter(([, v]) => v !== '').map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`)}
  <div class="field">
    <label for="asOf">${t(lang, 'asOf')}</label>
    <input type="date" id="asOf" name="asOf" value="${cut.day}" aria-describedby="asOf-help">
  </div>
  <div class="field field-check">
    <input type="checkbox" id="known" name="known" value="1"${cut.known ? html` checked` : ''}>
    <label for="known">${t(lang, 'knownAt')}</label>
  </div>
  <button type="submit">${t(lang, 'apply')}</button>
  ${cut.present ? '' : html`<a class="reset" href="${withParam(withParam(ctx.url, 'asOf', null), 'known', null)}">${t(lang, 'present')}</a>`}
  <p id="asOf-help" class="help">${t(lang, 'asOfHelp')}</p>
</form>
<p class="cut-now">${t(lang, 'viewingAsOf')}: ${cut.present ? html`<strong>${t(lang, 'present')}</strong>` : html`<strong>${cutMoment(cut, lang)}</strong>${cut.known ? html` — ${t(lang, 'knownAt')}` : ''}`}</p>`;
}

/** The contract's heading facts: title, contractor, term. */
export function contractFacts(lang: Lang, contractId: string, listing: { title: string; contractorId: string; term: { start: string; end: string }; endedAt: string | null } | null): Html {
  if (!listing) return html`<p class="contract-id"><code>${contractId}</code></p>`;
  return html`<dl class="facts">
  <div><dt>${t(lang, 'contract')}</dt><dd>${listing.title} <code>${contractId}</code></dd></div>
  <div><dt>${t(lang, 'contractor')}</dt><dd><code>${listing.contractorId}</code></dd></div>
  <div><dt>${t(lang, 'term')}</dt><dd>${formatDay(listing.term.start, lang)} – ${formatDay(listing.term.end, lang)}${listing.endedAt ? html` (${t(lang, 'ended')}: ${time(listing.endedAt, lang)})` : ''}</dd></div>
</dl>`;
}
