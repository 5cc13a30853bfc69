import { instant } from '@ledger/domain';
import type { HoldingListItem } from '@ledger/projections';
import type { HoldingsAnswer } from '../../custody/custody.queries.js';
import type { ConsoleContext } from '../console-context.js';
import { html, seg, type Html } from '../html.js';
import { eventTypeLabel, holdingStateLabel, t, type Lang } from '../i18n.js';
import { page } from './layout.view.js';
import type { ContractPageData } from './contract.view.js';
import { contractFacts, dueIn, recordHref, table, time } from './parts.js';

export interface HoldingsPageData {
  contractId: string;
  listing: ContractPageData['listing'];
  inTransit: HoldingsAnswer;
  overdue: HoldingsAnswer;
  held: HoldingsAnswer;
}

function holderText(h: HoldingListItem): string {
  return h.holder ? [h.holder.org, h.holder.workerId, h.holder.carrierId].filter(Boolean).join(' / ') : '—';
}

function reasons(h: HoldingListItem, lang: Lang): string {
  return h.overdueReasons.map((r) => t(lang, r === 'transport' ? 'reasonTransport' : 'reasonDisposal')).join('、') || '—';
}

export function holdingsPage(ctx: ConsoleContext, data: HoldingsPageData): Html {
  const lang = ctx.lang;
  const { contractId } = data;
  const base = `/console/contracts/${seg(contractId)}`;
  const holding = (h: HoldingListItem): Html => html`<a href="${recordHref(contractId, h.recordId, null, `#holding-${h.copyId === null ? 'original' : `copy-${h.copyId}`}`)}">${h.recordId}</a> ${h.copyId ?? t(lang, 'original')}`;
  const now = instant(data.inTransit.at);

  const transitRows = data.inTransit.holdings.map((h) => html`<tr>
  <th scope="row" data-sort="${h.recordId} ${h.copyId ?? ''}">${holding(h)}</th>
  <td>${h.from ?? '—'} → ${h.to ?? '—'}</td>
  <td>${h.transport?.transportId ?? '—'}</td>
  <td>${h.holder?.carrierId ?? '—'}</td>
  <td data-sort="${instant(h.since)}">${time(h.since, lang)}</td>
  <td data-sort="${h.transport ? instant(h.transport.dueAt) : ''}">${h.transport ? html`${time(h.transport.dueAt, lang)}<br>${dueIn(h.transport.dueAt, now, lang)}` : '—'}</td>
</tr>`);
  const overdueRows = data.overdue.holdings.map((h) => html`<tr>
  <th scope="row" data-sort="${h.recordId} ${h.copyId ?? ''}">${holding(h)}</th>
  <td>${holdingStateLabel(h.state, lang)}</td>
  <td>${h.state === 'in_transit' ? `${h.from ?? '—'} → ${h.to ?? '—'}` : (h.location ?? '—')}</td>
  <td>${reasons(h, lang)}</td>
  <td data-sort="${h.transport ? instant(h.transport.dueAt) : ''}">${h.transport ? time(h.transport.dueAt, lang) : '—'}</td>
  <td data-sort="${h.disposal ? instant(h.disposal.dueAt) : ''}">${h.disposal ? html`${time(h.disposal.dueAt, lang)} (${eventTypeLabel(h.disposal.orderedBy.type, lang)})` : '—'}</td>
</tr>`);
  const open = [...data.held.holdings, ...data.inTransit.holdings];
  const afterEnd = open.filter((h) => h.disposal?.orderedBy.type === 'ContractEnded');
  const afterEndRows = afterEnd.map((h) => html`<tr>
  <th scope="row" data-sort="${h.recordId} ${h.copyId ?? ''}">${holding(h)}</th>
  <td>${holdingStateLabel(h.state, lang)}</td>
  <td>${h.location ?? (h.state === 'in_transit' ? `${h.from ?? '—'} → ${h.to ?? '—'}` : '—')}</td>
  <td>${holderText(h)}</td>
  <td data-sort="${instant(h.disposal!.dueAt)}">${time(h.disposal!.dueAt, lang)}<br>${dueIn(h.disposal!.dueAt, now, lang)}</td>
</tr>`);
  const byLocation = new Map<string, HoldingListItem[]>();
  for (const h of open) {
    const where = h.state === 'in_transit' ? `${t(lang, 'inTransit')}: ${h.from ?? '—'} → ${h.to ?? '—'}` : (h.location ?? '—');
    byLocation.set(where, [...(byLocation.get(where) ?? []), h]);
  }
  const locationRows = [...byLocation.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([where, list]) => html`<tr>
  <th scope="row">${where}</th>
  <td class="num" data-sort="${list.length}">${list.length}</td>
  <td class="num" data-sort="${list.filter((h) => h.overdue).length}">${list.filter((h) => h.overdue).length}</td>
  <td class="list">${list.slice(0, 50).map((h) => html`<span class="chip">${holding(h)}</span> `)}${list.length > 50 ? ` +${list.length - 50}` : ''}</td>
</tr>`);
  const truncated = [data.inTransit, data.overdue, data.held].some((a) => a.next !== null);
  const body = html`
${contractFacts(lang, contractId, data.listing)}
<p class="cut-now">${t(lang, 'viewingAsOf')}: <strong>${time(data.inTransit.at, lang)}</strong></p>
${truncated ? html`<p class="help">${t(lang, 'truncated')}</p>` : ''}
<section aria-labelledby="h-transit"><h2 id="h-transit">${t(lang, 'inTransit')} <span class="count">${transitRows.length}</span></h2>
${table({ caption: t(lang, 'inTransit'), captionHidden: true, id: 'in-transit', headings: [t(lang, 'record'), `${t(lang, 'from')} → ${t(lang, 'to')}`, t(lang, 'transport'), t(lang, 'holder'), t(lang, 'since'), t(lang, 'due')], rows: transitRows, empty: `${t(lang, 'inTransit')}: ${t(lang, 'none')}` })}
</section>
<section aria-labelledby="h-overdue"><h2 id="h-overdue">${t(lang, 'overdue')} <span class="count">${overdueRows.length}</span></h2>
${table({ caption: t(lang, 'overdue'), captionHidden: true, id: 'overdue', headings: [t(lang, 'record'), t(lang, 'state'), t(lang, 'location'), t(lang, 'reasons'), t(lang, 'reasonTransport'), t(lang, 'reasonDisposal')], rows: overdueRows, empty: `${t(lang, 'overdue')}: ${t(lang, 'none')}` })}
</section>
<section aria-labelledby="h-after-end"><h2 id="h-after-end">${t(lang, 'heldAfterEnd')} <span class="count">${afterEndRows.length}</span></h2>
${table({ caption: t(lang, 'heldAfterEnd'), captionHidden: true, id: 'after-end', headings: [t(lang, 'record'), t(lang, 'state'), t(lang, 'location'), t(lang, 'holder'), t(lang, 'due')], rows: afterEndRows, empty: `${t(lang, 'heldAfterEnd')}: ${t(lang, 'none')}` })}
</section>
<section aria-labelledby="h-location"><h2 id="h-location">${t(lang, 'byLocation')}</h2>
${table({ caption: t(lang, 'byLocation'), captionHidden: true, id: 'by-location', headings: [t(lang, 'location'), [t(lang, 'count'), 'number'], [t(lang, 'overdue'), 'number'], t(lang, 'record')], rows: locationRows, empty: `${t(lang, 'byLocation')}: ${t(lang, 'none')}` })}
</section>`;
  return page(ctx, {
    title: `${t(lang, 'holdingsTitle')} — ${contractId}`,
    contractId,
    current: 'holdings',
    crumbs: [[t(lang, 'navOverview'), '/console'], [contractId, base], [t(lang, 'holdingsTitle'), null]],
    body,
  });
}
