import type { ReplayReport } from '@ledger/audit';
import type { RecordedEvent } from '@ledger/domain';
import type { CheckpointAnswer, PublicKeyAnswer } from '../../log-proofs/log-proofs.queries.js';
import type { ConsoleContext } from '../console-context.js';
import type { PageCut } from '../console-params.js';
import { html, queryString, seg, type Html } from '../html.js';
import { articleLabel, articleTitle, eventTypeLabel, partyLabel, ruleTitle, statusLabel, t } from '../i18n.js';
import { page } from './layout.view.js';
import type { ContractPageData } from './contract.view.js';
import { contractFacts, cutForm, cutMoment, cutParams, recordHref, status, table, time } from './parts.js';

export interface AuditPageData {
  contractId: string;
  listing: ContractPageData['listing'];
  cut: PageCut;
  checkpoint: CheckpointAnswer | null;
  publicKey: PublicKeyAnswer;
  report: ReplayReport | null;
}

export function auditPage(ctx: ConsoleContext, data: AuditPageData): Html {
  const lang = ctx.lang;
  const { contractId, cut, checkpoint, report } = data;
  const base = `/console/contracts/${seg(contractId)}`;
  const title = `${t(lang, 'auditTitle')} — ${contractId}`;
  const printHeader = html`<p class="print-title">${t(lang, 'reportTitle')}</p>
<dl class="print-facts">
  <div><dt>${t(lang, 'contract')}</dt><dd>${data.listing?.title ?? ''} <code>${contractId}</code></dd></div>
  <div><dt>${t(lang, 'asOf')}</dt><dd id="print-as-of">${cutMoment(cut, lang)}${cut.known ? html` — ${t(lang, 'knownAt')}` : ''}</dd></div>
  <div><dt>${t(lang, 'checkpoint')}</dt><dd id="print-checkpoint">${checkpoint ? html`${checkpoint.treeSize} · <code>${checkpoint.rootHash}</code> · ${time(checkpoint.signedAt, lang)}` : t(lang, 'noCheckpoint')}</dd></div>
  <div><dt>${t(lang, 'printedAt')}</dt><dd>${time(ctx.now, lang)}</dd></div>
</dl>`;

  const checkpointSection = checkpoint === null
    ? html`<p class="empty">${t(lang, 'noCheckpoint')}</p>`
    : html`<dl class="facts">
  <div><dt>${t(lang, 'treeSize')}</dt><dd id="checkpoint-size">${checkpoint.treeSize}</dd></div>
  <div><dt>${t(lang, 'rootHash')}</dt><dd><code id="checkpoint-root">${checkpoint.rootHash}</code></dd></div>
  <div><dt>${t(lang, 'signedAt')}</dt><dd>${time(checkpoint.signedAt, lang)}</dd></div>
  <div><dt>${t(lang, 'serverKey')}</dt><dd><code id="server-key" class="wrap">${data.publicKey.publicKey}</code></dd></div>
</dl>
<details class="note"><summary>${t(lang, 'checkpoint')} (C2SP signed note)</summary><pre id="checkpoint-note" class="wrap">${checkpoint.note}</pre></details>
<div class="verify no-print" data-verify data-server-key="${data.publicKey.publicKey}">
  <p class="help">${t(lang, 'pinHelp')}</p>
  <label for="pinned-key">${t(lang, 'pinnedKey')}</label>
  <input id="pinned-key" name="pinnedKey" type="text" spellcheck="false" autocomplete="off" class="wrap-input">
  <div class="buttons">
    <button type="button" data-action="pin-server-key">${t(lang, 'pin')}</button>
    <button type="button" data-action="verify">${t(lang, 'verify')}</button>
  </div>
  <p id="verify-result" class="verify-result" role="status" aria-live="polite"><noscript>${t(lang, 'verifyNeedsJs')}</noscript></p>
</div>`;

  const articleRows = (report?.articles ?? []).map((a) => html`<tr>
  <th scope="row" data-sort="${a.article}">${articleLabel(a.article, lang)}</th>
  <td>${articleTitle(a.article, lang)}</td>
  <td data-sort="${a.status}">${status(a.status, lang)}</td>
  <td class="num" data-sort="${a.findings.filter((f) => f.status === 'violation').length}">${a.findings.filter((f) => f.status === 'violation').length}</td>
  <td class="num" data-sort="${a.findings.filter((f) => f.status === 'pending').length}">${a.findings.filter((f) => f.status === 'pending').length}</td>
  <td class="num" data-sort="${a.compliantFindings}">${a.compliantFindings}</td>
</tr>`);
  const findingRows = (report?.articles ?? []).flatMap((a) =>
    a.findings.map((f) => html`<tr>
  <td data-sort="${a.article}">${articleLabel(a.article, lang)}</td>
  <td>${f.recordId ? html`<a href="${recordHref(contractId, f.recordId, cut)}">${f.recordId}</a>` : t(lang, 'contractLevel')}</td>
  <td>${ruleTitle(f.rule, lang)}</td>
  <td data-sort="${f.status}">${status(f.status, lang)}</td>
  <td>${partyLabel(f.party, lang)}</td>
  <td class="message">${f.message[lang]}</td>
  <td>${f.eventIds.map((id) => {
    const e = report!.events[id];
    return html`<a href="${base}/events/${seg(id)}" title="${id}">#${e?.position ?? id.slice(0, 8)}</a> `;
  })}</td>
</tr>`),
  );
  const reportSection = report === null
    ? html`<p class="empty">${t(lang, 'noCheckpoint')}</p>`
    : html`<dl class="facts">
  <div><dt>${t(lang, 'contractorStatus')}</dt><dd id="replay-status">${status(report.status, lang)}</dd></div>
  <div><dt>${t(lang, 'cityStatus')}</dt><dd>${status(report.contract.city.status, lang)}</dd></div>
  <div><dt>${t(lang, 'records')}</dt><dd>${(['violation', 'pending', 'compliant', 'not_applicable'] as const).map((s) => `${statusLabel(s, lang)} ${report.records[s]}`).join('、')}</dd></div>
  <div><dt>${t(lang, 'evidenceEvents')}</dt><dd>${report.evidence.events} (${t(lang, 'judgedEvents')} ${report.evidence.judged}) · ${t(lang, 'checkpoint')} ${report.checkpoint.treeSize}</dd></div>
</dl>
${table({
  caption: t(lang, 'verdict'), id: 'replay-articles',
  headings: [t(lang, 'article'), t(lang, 'message'), t(lang, 'status'), [statusLabel('violation', lang), 'number'], [statusLabel('pending', lang), 'number'], [t(lang, 'compliantFindings'), 'number']],
  rows: articleRows,
})}
${table({
  caption: t(lang, 'findings'), id: 'replay-findings',
  headings: [t(lang, 'article'), t(lang, 'record'), t(lang, 'rule'), t(lang, 'status'), t(lang, 'party'), t(lang, 'message'), t(lang, 'evidence')],
  rows: findingRows, empty: t(lang, 'noFindings'),
})}`;

  const body = html`
${contractFacts(lang, contractId, data.listing)}
<section aria-labelledby="h-checkpoint"><h2 id="h-checkpoint">${t(lang, 'checkpoint')}</h2>${checkpointSection}</section>
<section aria-labelledby="h-replay"><h2 id="h-replay">${t(lang, 'replay')}</h2>
<p class="help no-print">${t(lang, 'replayHelp')}</p>
<div class="no-print">${cutForm(ctx, cut, `${base}/audit`)}</div>
<p class="no-print actions">
  <a class="button" href="${base}/audit/bundle${queryString(cutParams(cut).asOf ? { asOf: cut.asOf.text } : {})}" download>${t(lang, 'bundle')}</a>
  <button type="button" data-action="print">${t(lang, 'print')}</button>
</p>
<p class="help no-print">${t(lang, 'bundleHelp')}</p>
${reportSection}
</section>`;
  return page(ctx, {
    title,
    contractId,
    current: 'audit',
    crumbs: [[t(lang, 'navOverview'), '/console'], [contractId, base], [t(lang, 'navAudit'), null]],
    printHeader,
    body,
  });
}

export function eventPage(ctx: ConsoleContext, data: { contractId: string; event: RecordedEvent }): Html {
  const lang = ctx.lang;
  const { contractId, event } = data;
  const base = `/console/contracts/${seg(contractId)}`;
  const recordId = 'recordId' in event.event ? (event.event.recordId as string | undefined) : undefined;
  const body = html`<dl class="facts">
  <div><dt>${t(lang, 'type')}</dt><dd>${eventTypeLabel(event.event.type, lang)} <code>${event.event.type}</code></dd></div>
  <div><dt>${t(lang, 'when')}</dt><dd>${time(event.event.occurredAt, lang)}</dd></div>
  <div><dt>${t(lang, 'recordedAt')}</dt><dd>${time(event.recordedAt, lang)}</dd></div>
  <div><dt>${t(lang, 'position')}</dt><dd>${event.position} (${event.streamId} v${event.streamVersion})</dd></div>
  ${recordId ? html`<div><dt>${t(lang, 'record')}</dt><dd><a href="${recordHref(contractId, recordId, null, `#ev-${event.event.eventId}`)}">${recordId}</a></dd></div>` : ''}
  <div><dt>SHA-256</dt><dd><code class="wrap">${event.hash}</code></dd></div>
</dl>
<pre class="event-json wrap">${JSON.stringify(event.event, null, 2)}</pre>`;
  return page(ctx, {
    title: `${t(lang, 'event')} ${event.event.eventId}`,
    contractId,
    crumbs: [[t(lang, 'navOverview'), '/console'], [contractId, base], [event.event.eventId.slice(0, 8), null]],
    body,
  });
}
