/**
 * The console's words, in Japanese (the default) and English, and how it writes times: in JST,
 * with 和暦 in Japanese as a document would (libs/domain warekiJst), in RFC 3339 JST in English.
 * Words the rulebook already defines (article and rule titles, event types, incident kinds) are
 * taken from it, never written again here.
 */
import { ARTICLES, RULES, TERMS, type ArticleId, type Status } from '@ledger/compliance';
import { isoInZone, jstFields, warekiJst, type EventType, instant as instantMs } from '@ledger/domain';

export type Lang = 'ja' | 'en';
export const LANGS: readonly Lang[] = ['ja', 'en'];
export const JST = 'Asia/Tokyo';

type Words = { readonly ja: string; readonly en: string };

/** Every fixed text of the console. */
export const WORDS = {
  appName: { ja: '個人情報取扱台帳 コンソール', en: 'Personal-data handling ledger — console' },
  skip: { ja: '本文へ移動', en: 'Skip to content' },
  navOverview: { ja: '契約一覧', en: 'Contracts' },
  navContract: { ja: '契約', en: 'Contract' },
  navHoldings: { ja: '保有状況', en: 'Holdings' },
  navIncidents: { ja: '事故', en: 'Incidents' },
  navAudit: { ja: '監査', en: 'Audit' },
  signIn: { ja: 'サインイン', en: 'Sign in' },
  signOut: { ja: 'サインアウト', en: 'Sign out' },
  signedInAs: { ja: 'サインイン中', en: 'Signed in' },
  apiKey: { ja: 'APIキー', en: 'API key' },
  apiKeyHelp: {
    ja: '発行された担当者（officer）又は監査人（auditor）のキー。キーはこの画面でのみ使われ、以後は短時間のセッションに置き換わります。',
    en: 'Your officer or auditor key. It is used only here and exchanged for a short-lived session.',
  },
  signInFailed: { ja: 'キーが無効です。', en: 'The key is not valid.' },
  signInNeeded: { ja: 'サインインしてください（セッションが無いか、終了しました）。', en: 'Please sign in (no session, or it has ended).' },
  signedOut: { ja: 'サインアウトしました。', en: 'You have signed out.' },
  language: { ja: '言語', en: 'Language' },
  otherLanguage: { ja: 'English', en: '日本語' },
  role: { ja: '役割', en: 'Role' },
  party: { ja: '当事者', en: 'Party' },
  scope: { ja: '範囲', en: 'Scope' },
  allContracts: { ja: 'すべての契約', en: 'all contracts' },
  contract: { ja: '契約', en: 'Contract' },
  contractor: { ja: '受託者（乙）', en: 'Contractor' },
  city: { ja: '市（甲）', en: 'City' },
  contractorStatus: { ja: '乙の状況', en: "Contractor's status" },
  cityStatus: { ja: '甲の義務', en: "City's duties" },
  term: { ja: '契約期間', en: 'Term' },
  ended: { ja: '終了', en: 'Ended' },
  records: { ja: '記録', en: 'Records' },
  recordsByStatus: { ja: '状況別の記録数', en: 'Records by status' },
  total: { ja: '計', en: 'Total' },
  violationsByArticle: { ja: '条項別の違反', en: 'Violations by article' },
  dueNext7: { ja: '7日以内の期限', en: 'Due in the next 7 days' },
  nothingDue: { ja: '7日以内に期限を迎えるものはありません。', en: 'Nothing falls due in the next 7 days.' },
  noContracts: { ja: 'このキーで閲覧できる契約はありません。', en: 'No contract is visible with this key.' },
  more: { ja: '次のページ', en: 'Next page' },
  findings: { ja: '指摘事項', en: 'Findings' },
  findingsByArticle: { ja: '条項別の指摘事項', en: 'Findings by article' },
  noFindings: { ja: '該当する指摘事項はありません。', en: 'No finding matches.' },
  article: { ja: '条項', en: 'Article' },
  rule: { ja: '規則', en: 'Rule' },
  status: { ja: '状況', en: 'Status' },
  record: { ja: '記録', en: 'Record' },
  contractLevel: { ja: '（契約全体）', en: '(contract)' },
  due: { ja: '期限', en: 'Due' },
  when: { ja: '日時', en: 'When' },
  evidence: { ja: '証跡', en: 'Evidence' },
  message: { ja: '内容', en: 'What' },
  filters: { ja: '絞り込み', en: 'Filters' },
  all: { ja: 'すべて', en: 'all' },
  periodFrom: { ja: '期間（から）', en: 'Period from' },
  periodTo: { ja: '期間（まで）', en: 'Period to' },
  apply: { ja: '表示', en: 'Show' },
  reset: { ja: '解除', en: 'Clear' },
  asOf: { ja: '基準日', en: 'As of' },
  asOfHelp: { ja: 'その日の終わり（日本時間）の状況を表示します。', en: 'Shows the state at the end of that day (JST).' },
  knownAt: { ja: '当時の記録のみ（台帳がその時点で知っていたこと）', en: 'As the ledger knew it then (knownAt)' },
  present: { ja: '現在', en: 'now' },
  viewingAsOf: { ja: '表示基準', en: 'Showing' },
  live: { ja: '自動更新中', en: 'Live' },
  updated: { ja: '更新しました', en: 'Updated' },
  pendingOf: { ja: '期限待ち', en: 'pending' },
  holdingsTitle: { ja: '保有状況', en: 'Holdings' },
  inTransit: { ja: '搬送中', en: 'In transit now' },
  overdue: { ja: '期限超過', en: 'Overdue' },
  heldAfterEnd: { ja: '契約終了後も保有', en: 'Still held after the contract ended' },
  byLocation: { ja: '場所別', en: 'By location' },
  location: { ja: '場所', en: 'Location' },
  holder: { ja: '保有者', en: 'Holder' },
  since: { ja: 'いつから', en: 'Since' },
  copy: { ja: '複製物', en: 'Copy' },
  original: { ja: '原本', en: 'Original' },
  from: { ja: '発', en: 'From' },
  to: { ja: '着', en: 'To' },
  transport: { ja: '搬送', en: 'Transport' },
  transports: { ja: '搬送', en: 'Transports' },
  reasons: { ja: '理由', en: 'Reasons' },
  reasonTransport: { ja: '搬送期限超過', en: 'transport overdue' },
  reasonDisposal: { ja: '返還・廃棄期限超過', en: 'disposal overdue' },
  none: { ja: 'なし', en: 'none' },
  count: { ja: '件数', en: 'Count' },
  truncated: { ja: '一部のみ表示しています（上限）。', en: 'Only part is shown (limit reached).' },
  incidentsTitle: { ja: '事故と報告期限', en: 'Incidents and their deadlines' },
  noIncidents: { ja: '事故の記録はありません。', en: 'No incident recorded.' },
  incident: { ja: '事故', en: 'Incident' },
  kind: { ja: '種類', en: 'Kind' },
  detected: { ja: '発生・把握', en: 'Detected' },
  detectedBy: { ja: '把握した者', en: 'Detected by' },
  affected: { ja: '対象の記録', en: 'Affected records' },
  persons: { ja: '本人の数', en: 'Persons' },
  deadlines: { ja: '期限', en: 'Deadlines' },
  duty: { ja: '義務', en: 'Duty' },
  doneAt: { ja: '実施日時', en: 'Done at' },
  contractorReport: { ja: '乙から甲への報告（第15条）', en: "Contractor's report to the city (Art. 15)" },
  ppcPreliminary: { ja: '個人情報保護委員会への速報', en: 'Preliminary report to the PPC (速報)' },
  ppcFinal: { ja: '個人情報保護委員会への確報', en: 'Final report to the PPC (確報)' },
  personsNotice: { ja: '本人への通知', en: 'Notice to the persons' },
  notReportable: { ja: '個人情報保護委員会への報告対象ではありません（判定による）。', en: 'Not reportable to the PPC (as judged).' },
  done: { ja: '済', en: 'done' },
  remaining: { ja: '残り', en: 'left' },
  auditTitle: { ja: '監査', en: 'Audit' },
  checkpoint: { ja: 'チェックポイント', en: 'Checkpoint' },
  noCheckpoint: { ja: 'チェックポイントはまだ署名されていません。', en: 'No checkpoint has been signed yet.' },
  treeSize: { ja: '木の大きさ（件数）', en: 'Tree size (events)' },
  rootHash: { ja: 'ルートハッシュ', en: 'Root hash' },
  signedAt: { ja: '署名日時', en: 'Signed at' },
  printedAt: { ja: '作成日時', en: 'Printed at' },
  endOfDay: { ja: '終了時点', en: 'end of day' },
  serverKey: { ja: 'サーバが示す公開鍵', en: 'Public key the server shows' },
  pinnedKey: { ja: '固定した公開鍵（別経路で入手したもの）', en: 'Pinned public key (obtained out of band)' },
  pinHelp: {
    ja: '公開鍵は台帳の運営者とは別の経路で入手し、ここに固定してください。検証はこのブラウザ内（WebCrypto の Ed25519）で行われます。',
    en: 'Obtain the public key from someone other than the operator and pin it here. The browser verifies with WebCrypto (Ed25519).',
  },
  pin: { ja: 'この鍵を固定', en: 'Pin this key' },
  verify: { ja: 'ブラウザで検証', en: 'Verify in this browser' },
  verifyNeedsJs: { ja: '検証には JavaScript が必要です。', en: 'Verification needs JavaScript.' },
  replay: { ja: '再現報告（リプレイ）', en: 'Replay report' },
  replayHelp: {
    ja: '署名済みチェックポイントで証明された事象のみから、指定した日時時点の遵守状況を判定します。',
    en: 'Compliance as of the chosen day, judged only from events proven against the signed checkpoint.',
  },
  bundle: { ja: '証拠バンドルをダウンロード', en: 'Download the evidence bundle' },
  bundleHelp: {
    ja: 'npm run cli -- verify-bundle FILE --key 公開鍵 でオフライン検証できます。',
    en: 'Verify it offline: npm run cli -- verify-bundle FILE --key PUBLIC_KEY.',
  },
  print: { ja: '印刷（A4）', en: 'Print (A4)' },
  reportTitle: { ja: '遵守状況 再現報告書', en: 'Compliance replay report' },
  evidenceEvents: { ja: '証明された事象', en: 'Proven events' },
  judgedEvents: { ja: '判定に用いた事象', en: 'Events judged' },
  compliantFindings: { ja: '期限内に履行', en: 'Met in time' },
  timeline: { ja: '経過', en: 'Timeline' },
  timelineOfficerNote: {
    ja: '担当者のキーでは保管の経過のみを表示します（事象の全文は監査人のキーで表示できます）。',
    en: "An officer's key shows the custody steps; an auditor's key shows every event.",
  },
  custodyTree: { ja: '保管の系統（原本・複製物・複製物の複製物）', en: 'Custody tree (original, copies, copies of copies)' },
  custodyList: { ja: '保有の一覧', en: 'Holdings of the record' },
  verdict: { ja: '条項別の判定', en: 'Verdict by article' },
  event: { ja: '事象', en: 'Event' },
  type: { ja: '種別', en: 'Type' },
  actor: { ja: '実施者', en: 'Actor' },
  position: { ja: '位置', en: 'Position' },
  recordedAt: { ja: '記録日時', en: 'Recorded at' },
  notFoundTitle: { ja: '見つかりません', en: 'Not found' },
  forbiddenTitle: { ja: '権限がありません', en: 'Not allowed' },
  badRequestTitle: { ja: '指定に誤りがあります', en: 'Bad request' },
  unavailableTitle: { ja: '一時的に利用できません', en: 'Temporarily unavailable' },
  errorTitle: { ja: 'エラー', en: 'Error' },
  back: { ja: '契約一覧へ戻る', en: 'Back to the contracts' },
  sortHint: { ja: '列見出しのボタンで並べ替えできます。', en: 'Sort with the buttons in the column headings.' },
  openRecord: { ja: '記録を開く', en: 'Open the record' },
  tableOfTree: { ja: '系統図の内容（表）', en: 'The tree as a table' },
  copiedFrom: { ja: '複製元', en: 'Copied from' },
  state: { ja: '状態', en: 'State' },
  medium: { ja: '媒体', en: 'Medium' },
} as const satisfies Record<string, Words>;

export type WordKey = keyof typeof WORDS;

export function t(lang: Lang, key: WordKey): string {
  return WORDS[key][lang];
}

export function pick(lang: Lang, words: Words): string {
  return words[lang];
}

const STATUS_WORDS: { readonly [S in Status]: Words } = {
  violation: { ja: '違反', en: 'violation' },
  pending: { ja: '期限待ち', en: 'pending' },
  compliant: { ja: '適合', en: 'compliant' },
  not_applicable: { ja: '該当なし', en: 'not applicable' },
};

export function statusLabel(status: Status, lang: Lang): string {
  return STATUS_WORDS[status][lang];
}

/** 第9条 / Art. 9; 法68条 / APPI Art. 68. */
export function articleLabel(article: string, lang: Lang): string {
  if (article === 'appi68') return lang === 'ja' ? '法68条' : 'APPI Art. 68';
  return lang === 'ja' ? `第${article}条` : `Art. ${article}`;
}

export function articleTitle(article: string, lang: Lang): string {
  const info = ARTICLES[article as ArticleId];
  return info ? info.title[lang] : article;
}

const RULE_TITLES = new Map(RULES.map((rule) => [rule.id, rule.title]));

export function ruleTitle(rule: string, lang: Lang): string {
  return RULE_TITLES.get(rule)?.[lang] ?? rule;
}

export function partyLabel(party: 'contractor' | 'city', lang: Lang): string {
  return t(lang, party === 'city' ? 'city' : 'contractor');
}

export function eventTypeLabel(type: string, lang: Lang): string {
  return lang === 'ja' ? (TERMS.eventType[type as EventType] ?? type) : type;
}

const HOLDING_STATES: Record<string, Words> = {
  held: { ja: '保有中', en: 'held' },
  in_transit: { ja: '搬送中', en: 'in transit' },
  returned: { ja: '返還済', en: 'returned' },
  disposed: { ja: '廃棄済', en: 'disposed of' },
};

export function holdingStateLabel(state: string, lang: Lang): string {
  return HOLDING_STATES[state]?.[lang] ?? state;
}

export function roleLabel(role: string, lang: Lang): string {
  const words: Record<string, Words> = {
    officer: { ja: '担当者（officer）', en: 'officer' },
    auditor: { ja: '監査人（auditor）', en: 'auditor' },
    admin: { ja: '管理者（admin）', en: 'admin' },
    feed: { ja: 'フィード（feed）', en: 'feed' },
  };
  return words[role]?.[lang] ?? role;
}

/** An instant as the console writes it: 令和7年7月2日10時00分 (ja), 2025-07-02 10:00 JST (en). */
export function formatTime(instant: number | string, lang: Lang): string {
  const ms = typeof instant === 'number' ? instant : instantMs(instant);
  if (lang === 'ja') return warekiJst(ms);
  const f = jstFields(ms);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${f.year}-${pad(f.month)}-${pad(f.day)} ${pad(f.hour)}:${pad(f.minute)} JST`;
}

/** A day as the console writes it: 令和7年7月2日 (ja), 2025-07-02 (en). */
export function formatDay(instant: number | string, lang: Lang): string {
  const text = formatTime(instant, lang);
  return lang === 'ja' ? text.replace(/\d+時.*$/, '') : text.slice(0, 10);
}

/** RFC 3339 in JST with milliseconds: what `<time datetime>` and the countdowns read. */
export function isoJst(instant: number | string): string {
  return isoInZone(typeof instant === 'number' ? instant : instantMs(instant), JST);
}

/** The JST calendar day (YYYY-MM-DD) of an instant: the value of a date picker. */
export function jstDay(ms: number): string {
  return isoJst(ms).slice(0, 10);
}

/** How long until (or since) a due time: あと2日3時間 / 2日3時間超過; 2 d 3 h left / 2 d 3 h overdue. */
export function countdown(dueMs: number, nowMs: number, lang: Lang): string {
  const late = nowMs > dueMs;
  let rest = Math.floor(Math.abs(dueMs - nowMs) / 60_000);
  const days = Math.floor(rest / 1440);
  rest -= days * 1440;
  const hours = Math.floor(rest / 60);
  const minutes = rest - hours * 60;
  if (lang === 'ja') {
    const span = days > 0 ? `${days}日${hours}時間` : hours > 0 ? `${hours}時間${minutes}分` : `${minutes}分`;
    return late ? `${span}超過` : `あと${span}`;
  }
  const span = days > 0 ? `${days} d ${hours} h` : hours > 0 ? `${hours} h ${minutes} min` : `${minutes} min`;
  return late ? `${span} overdue` : `${span} left`;
}
