/** A text in Japanese and English (the same shape as verdict.ts's Message, declared here to keep this module at the bottom). */
type Message = { readonly ja: string; readonly en: string };

/**
 * The one list of articles the rulebook judges, from which the rule registry, the record and
 * contract articles of an answer, and the judges derive (a new article is added here first).
 * Titles are the memorandum's own headings in （…） (docs/reference/memorandum-ja.txt); Article
 * 11 has no heading there, its title is derived from its text. `appi68` is 個人情報保護法第68条,
 * the city's own duty after a reportable incident.
 */
/** Spelled out (not derived from ARTICLE_IDS) so the typed client can carry it; ARTICLES must cover each. */
export type ArticleId = '3' | '4' | '5' | '6' | '7' | '8' | '9' | '10' | '11' | '12' | '13' | '14' | '15' | '17' | '18' | 'appi68';
export const ARTICLE_IDS: readonly ArticleId[] = ['3', '4', '5', '6', '7', '8', '9', '10', '11', '12', '13', '14', '15', '17', '18', 'appi68'];

export interface ArticleInfo {
  readonly title: Message;
  /** Judged per record. */
  readonly record: boolean;
  /** Judged per contract (from the contract's own stream). */
  readonly contract: boolean;
}

export const ARTICLES: { readonly [A in ArticleId]: ArticleInfo } = Object.freeze({
  '3': { title: { ja: '第3条（責任者の指定）', en: 'Article 3 (Designation of the responsible person)' }, record: true, contract: false },
  '4': { title: { ja: '第4条（業務従事者への周知）', en: 'Article 4 (Informing workers)' }, record: true, contract: false },
  '5': { title: { ja: '第5条（適正な安全管理）', en: 'Article 5 (Proper security management)' }, record: true, contract: false },
  '6': { title: { ja: '第6条（再委託の制限等）', en: 'Article 6 (Restrictions on subcontracting)' }, record: true, contract: true },
  '7': { title: { ja: '第7条（収集の制限）', en: 'Article 7 (Restrictions on collection)' }, record: true, contract: false },
  '8': { title: { ja: '第8条（利用及び提供の制限）', en: 'Article 8 (Restrictions on use and provision)' }, record: true, contract: false },
  '9': { title: { ja: '第9条（複写、複製の禁止）', en: 'Article 9 (Prohibition of copying and reproduction)' }, record: true, contract: false },
  '10': { title: { ja: '第10条（安全管理の確認）', en: 'Article 10 (Confirmation of security management)' }, record: false, contract: true },
  '11': { title: { ja: '第11条（業務従事者の監督等）', en: 'Article 11 (Supervision of workers, etc.)' }, record: true, contract: true },
  '12': { title: { ja: '第12条（改善の指示）', en: 'Article 12 (Instructions for improvement)' }, record: false, contract: true },
  '13': { title: { ja: '第13条（記録の搬送等）', en: 'Article 13 (Transport of records, etc.)' }, record: true, contract: false },
  '14': { title: { ja: '第14条（廃棄等）', en: 'Article 14 (Disposal, etc.)' }, record: true, contract: false },
  '15': { title: { ja: '第15条（事故発生時における報告）', en: 'Article 15 (Reporting when an incident occurs)' }, record: true, contract: true },
  '17': { title: { ja: '第17条（罰則等の周知）', en: 'Article 17 (Informing of penalties, etc.)' }, record: true, contract: false },
  '18': { title: { ja: '第18条（特定個人情報等）', en: 'Article 18 (Specific personal information, etc.)' }, record: true, contract: false },
  appi68: {
    title: { ja: '個人情報保護法第68条（漏えい等の報告等）', en: 'APPI Article 68 (Reporting of leaks, etc.)' },
    record: false,
    contract: true,
  },
});

/** Articles judged per record, and per contract, in order. */
export const RECORD_ARTICLES: readonly ArticleId[] = ARTICLE_IDS.filter((a) => ARTICLES[a].record);
export const CONTRACT_ARTICLES: readonly ArticleId[] = ARTICLE_IDS.filter((a) => ARTICLES[a].contract);

export type RecordArticle = Exclude<ArticleId, '10' | '12' | 'appi68'>;
export type ContractArticle = '6' | '10' | '11' | '12' | '15' | 'appi68';

export function isArticleId(value: string): value is ArticleId {
  return (ARTICLE_IDS as readonly string[]).includes(value);
}
