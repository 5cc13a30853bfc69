import type { Finding, Message, Status } from '@ledger/compliance';
import { RULE_TITLES, type ArticleSummary, type EvidenceEvent, type ReplayReport } from './replay.js';

export type ReplayFormat = 'json' | 'md' | 'html';
export const REPLAY_FORMATS: readonly ReplayFormat[] = ['json', 'md', 'html'];

/** The report in one of its formats; the same report always gives the same bytes. */
export function renderReplay(report: ReplayReport, format: ReplayFormat): string {
  if (format === 'json') return `${JSON.stringify(report, null, 2)}\n`;
  return format === 'md' ? renderMarkdown(report) : renderHtml(report);
}

export const REPLAY_CONTENT_TYPES: { readonly [F in ReplayFormat]: string } = {
  json: 'application/json; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  html: 'text/html; charset=utf-8',
};

const STATUS: { readonly [S in Status]: Message } = {
  violation: { ja: '違反', en: 'violation' },
  pending: { ja: '期限待ち', en: 'pending' },
  compliant: { ja: '適合', en: 'compliant' },
  not_applicable: { ja: '該当なし', en: 'not applicable' },
};

const STATUS_ORDER: readonly Status[] = ['violation', 'pending', 'compliant', 'not_applicable'];

function both(message: Message): string {
  return `${message.ja} / ${message.en}`;
}

function knownAtText(report: ReplayReport): Message {
  return report.knownAt === null
    ? { ja: `チェックポイント（${report.checkpoint.treeSize} 件）までに記録されたすべて`, en: `everything recorded up to the checkpoint (${report.checkpoint.treeSize} events)` }
    : { ja: report.knownAt, en: report.knownAt };
}

function countsText(counts: { [S in Status]: number }, statuses: readonly Status[] = STATUS_ORDER): Message {
  return {
    ja: statuses.map((s) => `${STATUS[s].ja} ${counts[s]}`).join('、'),
    en: statuses.map((s) => `${counts[s]} ${STATUS[s].en}`).join(', '),
  };
}

const JST_OFFSET_MS = 9 * 3_600_000;

/** An instant in Japan Standard Time (no daylight saving) and in UTC, as the messages give it. */
/** A due time in Japan time, with the same instant in UTC for readers elsewhere. */
function dueText(iso: string): string {
  const ms = Date.parse(iso);
  const local = new Date(ms + JST_OFFSET_MS).toISOString();
  const fraction = local.slice(19, 23) === '.000' ? '' : local.slice(19, 23);
  return `${local.slice(0, 19)}${fraction}+09:00 (${new Date(ms).toISOString()})`;
}

interface Header {
  label: Message;
  value: string;
}

function header(report: ReplayReport): Header[] {
  const { checkpoint, evidence } = report;
  return [
    { label: { ja: '契約', en: 'Contract' }, value: report.contractId },
    { label: { ja: '判定時点', en: 'As of' }, value: report.asOf },
    { label: { ja: '記録時点', en: 'Known at' }, value: both(knownAtText(report)) },
    {
      label: { ja: 'チェックポイント', en: 'Checkpoint' },
      value: `${checkpoint.origin}, tree size ${checkpoint.treeSize}, root ${checkpoint.rootHash}, key ID ${checkpoint.keyId}`,
    },
    {
      label: { ja: '証拠', en: 'Evidence' },
      value: both({
        ja: `${evidence.events} 件のイベント（${evidence.streams} ストリーム、うち判定対象 ${evidence.judged} 件）。すべての包含証明と署名を検証済み`,
        en: `${evidence.events} events in ${evidence.streams} streams (${evidence.judged} within the cut); every inclusion proof and signature verified`,
      }),
    },
    { label: { ja: '記録の判定', en: 'Records' }, value: both(countsText(report.records, ['violation', 'pending', 'compliant'])) },
    { label: { ja: '総合判定', en: 'Overall' }, value: both(STATUS[report.status]) },
  ];
}

function scopeText(summary: ArticleSummary): Message {
  const counts = summary.records;
  if (counts === null) return { ja: '契約単位で判定', en: 'judged per contract' };
  return { ja: `記録: ${countsText(counts).ja}`, en: `records: ${countsText(counts).en}` };
}

function findingTitle(finding: Finding): string {
  const title = RULE_TITLES.get(finding.rule);
  const record = finding.recordId ? ` — ${finding.recordId}` : '';
  return `${STATUS[finding.status].ja} / ${STATUS[finding.status].en}: ${finding.rule}${record}${title ? ` (${title.ja} / ${title.en})` : ''}`;
}

function actorText(event: EvidenceEvent): string {
  return event.actor.workerId ? `${event.actor.org} ${event.actor.workerId}` : event.actor.org;
}

const EVIDENCE_COLUMNS = ['position', 'type', 'recordId', 'occurredAt', 'recordedAt', 'actor', 'eventId', 'leaf hash'];

function evidenceRow(event: EvidenceEvent): string[] {
  return [String(event.position), event.type, event.recordId ?? '—', event.occurredAt, event.recordedAt, actorText(event), event.eventId, event.leafHash];
}

// ---- Markdown -------------------------------------------------------------------------------

function mdCell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function renderMarkdown(report: ReplayReport): string {
  const out: string[] = [];
  out.push('# 監査再現報告 / Compliance replay report', '');
  out.push('| 項目 / Item | 値 / Value |', '|---|---|');
  for (const { label, value } of header(report)) out.push(`| ${both(label)} | ${mdCell(value)} |`);
  out.push('');
  out.push(
    '本報告は、上記チェックポイントの署名と各イベントの包含証明を検証したうえで、規則集（docs/rulebook.md）に従い判定したものです。' +
      '同じ台帳・同じ条件で再実行すると、同じ内容になります。',
    '',
    'This report was judged by the rulebook (docs/rulebook.md) only from events whose inclusion in the signed checkpoint above was verified. ' +
      'Run again over the same ledger with the same options, it is the same byte for byte.',
    '',
  );
  for (const summary of report.articles) {
    out.push(`## ${summary.title.ja} / ${summary.title.en}`, '');
    out.push(`- 判定 / Status: **${both(STATUS[summary.status])}**`);
    out.push(`- ${both(scopeText(summary))}`);
    if (summary.compliantFindings > 0) {
      out.push(`- 期限内に履行された義務 / Obligations met in time: ${summary.compliantFindings}`);
    }
    out.push('');
    if (summary.findings.length === 0) {
      out.push(summary.status === 'not_applicable' ? '該当するイベントはありません。 / No event falls under this article.' : '違反・期限待ちはありません。 / No violation and nothing pending.', '');
      continue;
    }
    summary.findings.forEach((finding, i) => {
      out.push(`### ${summary.article}-${i + 1}. ${findingTitle(finding)}`, '');
      out.push(`- ${finding.message.ja}`, `- ${finding.message.en}`);
      if (finding.dueAt) out.push(`- 期限 / Due: ${dueText(finding.dueAt)}`);
      out.push('');
      out.push('証拠 / Evidence:', '');
      out.push(`| ${EVIDENCE_COLUMNS.join(' | ')} |`, `|${EVIDENCE_COLUMNS.map(() => '---').join('|')}|`);
      for (const id of finding.eventIds) {
        const event = report.events[id];
        out.push(event ? `| ${evidenceRow(event).map(mdCell).join(' | ')} |` : `| — | (not in the bundle) | | | | | ${mdCell(id)} | |`);
      }
      out.push('');
    });
  }
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}

// ---- HTML -----------------------------------------------------------------------------------

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function bilingual(message: Message, tag = 'span'): string {
  return `<${tag} lang="ja">${esc(message.ja)}</${tag}> / <${tag} lang="en">${esc(message.en)}</${tag}>`;
}

const STYLE = [
  'body{font-family:system-ui,"Hiragino Sans","Noto Sans JP",sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1b1b1b}',
  'table{border-collapse:collapse;margin:.5rem 0 1rem}td,th{border:1px solid #bbb;padding:.25rem .5rem;text-align:left;vertical-align:top}',
  'code,.hash{font-family:ui-monospace,monospace;font-size:.85em;word-break:break-all}',
  '.violation{color:#a00000;font-weight:bold}.pending{color:#8a5a00;font-weight:bold}.compliant{color:#006400}.not_applicable{color:#666}',
  'section{border-top:1px solid #ddd;margin-top:1.5rem}',
].join('');

function statusSpan(status: Status): string {
  return `<span class="${status}">${bilingual(STATUS[status])}</span>`;
}

function renderHtml(report: ReplayReport): string {
  const out: string[] = [];
  out.push('<!DOCTYPE html>', '<html lang="ja">', '<head>', '<meta charset="utf-8">');
  out.push(`<title>監査再現報告 / Compliance replay report — ${esc(report.contractId)} — ${esc(report.asOf)}</title>`);
  out.push(`<style>${STYLE}</style>`, '</head>', '<body>');
  out.push('<h1><span lang="ja">監査再現報告</span> / <span lang="en">Compliance replay report</span></h1>');
  out.push('<table>');
  for (const { label, value } of header(report)) out.push(`<tr><th>${bilingual(label)}</th><td>${esc(value)}</td></tr>`);
  out.push('</table>');
  out.push(
    '<p lang="ja">本報告は、上記チェックポイントの署名と各イベントの包含証明を検証したうえで、規則集に従い判定したものです。同じ台帳・同じ条件で再実行すると、同じ内容になります。</p>',
    '<p lang="en">This report was judged by the rulebook only from events whose inclusion in the signed checkpoint above was verified. Run again over the same ledger with the same options, it is the same byte for byte.</p>',
  );
  for (const summary of report.articles) {
    out.push(`<section id="article-${summary.article}">`);
    out.push(`<h2>${bilingual(summary.title)}</h2>`);
    out.push('<ul>');
    out.push(`<li>判定 / Status: ${statusSpan(summary.status)}</li>`);
    out.push(`<li>${bilingual(scopeText(summary))}</li>`);
    if (summary.compliantFindings > 0) out.push(`<li>期限内に履行された義務 / Obligations met in time: ${summary.compliantFindings}</li>`);
    out.push('</ul>');
    if (summary.findings.length === 0) {
      out.push(
        summary.status === 'not_applicable'
          ? '<p><span lang="ja">該当するイベントはありません。</span> / <span lang="en">No event falls under this article.</span></p>'
          : '<p><span lang="ja">違反・期限待ちはありません。</span> / <span lang="en">No violation and nothing pending.</span></p>',
      );
    }
    summary.findings.forEach((finding, i) => {
      out.push(`<h3 id="finding-${summary.article}-${i + 1}">${summary.article}-${i + 1}. <span class="${finding.status}">${esc(findingTitle(finding))}</span></h3>`);
      out.push('<ul>', `<li lang="ja">${esc(finding.message.ja)}</li>`, `<li lang="en">${esc(finding.message.en)}</li>`);
      if (finding.dueAt) out.push(`<li>期限 / Due: ${esc(dueText(finding.dueAt))}</li>`);
      out.push('</ul>');
      out.push('<table>', `<tr><th colspan="${EVIDENCE_COLUMNS.length}">証拠 / Evidence</th></tr>`);
      out.push(`<tr>${EVIDENCE_COLUMNS.map((c) => `<th>${esc(c)}</th>`).join('')}</tr>`);
      for (const id of finding.eventIds) {
        const event = report.events[id];
        const cells = event ? evidenceRow(event) : ['—', '(not in the bundle)', '', '', '', '', id, ''];
        out.push(`<tr>${cells.map((c, j) => `<td${j >= 6 ? ' class="hash"' : ''}>${esc(c)}</td>`).join('')}</tr>`);
      }
      out.push('</table>');
    });
    out.push('</section>');
  }
  out.push('</body>', '</html>');
  return `${out.join('\n')}\n`;
}
