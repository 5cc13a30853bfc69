import type { FindingStatus, Message } from './verdict.js';

/**
 * Article titles as the memorandum gives them in （…） before each article
 * (docs/reference/memorandum-ja.txt). Article 11 has no heading in the memorandum: its title here
 * is descriptive, derived from its text (docs/rulebook.md "Interpretations").
 */
export const ARTICLES: { readonly [article: string]: Message } = Object.freeze({
  '4': { ja: '第4条（業務従事者への周知）', en: 'Article 4 (Informing workers)' },
  '6': { ja: '第6条（再委託の制限等）', en: 'Article 6 (Restrictions on subcontracting)' },
  '7': { ja: '第7条（収集の制限）', en: 'Article 7 (Restrictions on collection)' },
  '8': { ja: '第8条（利用及び提供の制限）', en: 'Article 8 (Restrictions on use and provision)' },
  '9': { ja: '第9条（複写、複製の禁止）', en: 'Article 9 (Prohibition of copying and reproduction)' },
  '10': { ja: '第10条（安全管理の確認）', en: 'Article 10 (Confirmation of security management)' },
  '11': { ja: '第11条（業務従事者の監督等）', en: 'Article 11 (Supervision of workers, etc.)' },
  '12': { ja: '第12条（改善の指示）', en: 'Article 12 (Instructions for improvement)' },
  '13': { ja: '第13条（記録の搬送等）', en: 'Article 13 (Transport of records, etc.)' },
  '14': { ja: '第14条（廃棄等）', en: 'Article 14 (Disposal, etc.)' },
  '15': { ja: '第15条（事故発生時における報告）', en: 'Article 15 (Reporting when an incident occurs)' },
  '17': { ja: '第17条（罰則等の周知）', en: 'Article 17 (Informing of penalties, etc.)' },
  '18': { ja: '第18条（特定個人情報等）', en: 'Article 18 (Specific personal information, etc.)' },
});

const STATUS_WORDS: { readonly [S in FindingStatus]: Message } = {
  violation: { ja: '違反', en: 'violated' },
  pending: { ja: '期限待ち', en: 'pending' },
  compliant: { ja: '履行済み', en: 'met' },
};

/** `第9条（複写、複製の禁止）違反: …` / `Article 9 (…) violated: …`. */
export function say(article: string, status: FindingStatus, text: Message): Message {
  const title = ARTICLES[article];
  if (!title) throw new Error(`no title for article ${article}`);
  return {
    ja: `${title.ja}${STATUS_WORDS[status].ja}: ${text.ja}`,
    en: `${title.en} ${STATUS_WORDS[status].en}: ${text.en}`,
  };
}

const JST_OFFSET_MS = 9 * 3_600_000;

/**
 * An instant as Japan Standard Time, e.g. `2026-04-01T09:00:00+09:00` (milliseconds only when
 * not zero). Japan has no daylight saving, so the offset is fixed.
 */
export function jst(ms: number): string {
  const iso = new Date(ms + JST_OFFSET_MS).toISOString();
  const millis = iso.slice(19, 23);
  return `${iso.slice(0, 19)}${millis === '.000' ? '' : millis}+09:00`;
}

/** `A, B, C` for English, `A、B、C` for Japanese. */
export function list(items: readonly string[]): Message {
  return { ja: items.join('、'), en: items.join(', ') };
}

/** How an actor appears in messages: `W-001` (contractor), `W-9 (subcontractor:S-1)`. */
export function who(org: string, workerId: string | undefined): Message {
  const worker = workerId ?? '(no workerId)';
  if (org === 'contractor') return { ja: `業務従事者 ${worker}`, en: `worker ${worker}` };
  return { ja: `業務従事者 ${worker}（${org}）`, en: `worker ${worker} (${org})` };
}

/** The holding named by an event: the original or copy C-1. */
export function holdingName(copyId: string | undefined): Message {
  return copyId === undefined ? { ja: '原本', en: 'the original' } : { ja: `複写 ${copyId}`, en: `copy ${copyId}` };
}

/** What a record event does, as a noun: 利用 / use. */
export const ACTS: { readonly [type: string]: Message } = Object.freeze({
  RecordCollected: { ja: '収集', en: 'collection' },
  RecordUsed: { ja: '利用', en: 'use' },
  RecordProvided: { ja: '提供', en: 'provision' },
  RecordCopied: { ja: '複写', en: 'copying' },
  RecordAnonymized: { ja: '匿名化', en: 'anonymization' },
  TransportStarted: { ja: '搬送開始', en: 'start of transport' },
  TransportCompleted: { ja: '搬送完了', en: 'completion of transport' },
  RecordReturned: { ja: '返却', en: 'return' },
  RecordDisposed: { ja: '廃棄', en: 'disposal' },
});

/** `記録 R-1 の利用（2026-04-10T09:00:00+09:00）` / `use of record R-1 at 2026-04-10T09:00:00+09:00`. */
export function act(type: string, recordId: string, at: number): Message {
  const noun = ACTS[type] ?? { ja: type, en: type };
  return { ja: `記録 ${recordId} の${noun.ja}（${jst(at)}）`, en: `${noun.en} of record ${recordId} at ${jst(at)}` };
}

const MAX_REASONS = 3;

/**
 * Reasons joined for a message tail: `（理由1、理由2）` / ` (reason1; reason2)`; empty when none.
 * At most three are spelt out, then `ほか N 件` / `and N more`, so a message stays short.
 */
export function because(reasons: readonly Message[]): Message {
  if (reasons.length === 0) return { ja: '', en: '' };
  const shown = reasons.slice(0, MAX_REASONS);
  const more = reasons.length - shown.length;
  const ja = shown.map((r) => r.ja).join('、') + (more > 0 ? `、ほか ${more} 件` : '');
  const en = shown.map((r) => r.en).join('; ') + (more > 0 ? `; and ${more} more` : '');
  return { ja: `（${ja}）`, en: ` (${en})` };
}

/** `a、b` / `a, b`, or （なし）/ (none) when empty. */
export function listOrNone(items: readonly string[]): Message {
  return items.length === 0 ? { ja: '（なし）', en: '(none)' } : list(items);
}
