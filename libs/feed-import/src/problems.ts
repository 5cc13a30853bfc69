/**
 * What the error report says about a row, in Japanese and English: the sender reads the Japanese,
 * the English is what the ledger itself says (the wire contract's rule and message).
 */
import type { FieldProblem } from '@ledger/domain';

export interface RowProblem {
  /** The row as a spreadsheet numbers it: the header is row 1, the first data row 2. */
  row: number;
  /** The column's header name; empty for a problem of the row as a whole. */
  column: string;
  /** The cell as read (or the mapped value when the field has no column). */
  value: string;
  ja: string;
  en: string;
}

/** The Japanese of each rule of the wire contract (libs/wire); English comes with the problem. */
const RULES_JA: Record<string, string> = {
  required: 'が必要です（空欄です）',
  unknownField: 'はこのイベント種別の項目ではありません',
  matches: 'はIDの形式（英数字で始まり、英数字と . _ - の64文字まで）ではありません',
  isTimestamp: 'は時差付きの日時（RFC 3339）ではありません',
  isIn: 'は許される値のどれでもありません',
  isString: 'は文字列ではありません',
  minLength: 'が空です',
  maxLength: 'が長すぎます（200文字まで）',
  isArray: 'は一覧ではありません',
  arrayMinSize: 'の一覧に値が足りません',
  arrayMaxSize: 'の一覧が長すぎます',
  arrayUnique: 'の一覧に重複があります',
  isBoolean: 'は真偽値ではありません',
  isInt: 'は整数ではありません',
  min: 'が小さすぎます',
  max: 'が大きすぎます',
  isObject: 'はオブジェクトではありません',
  notNull: 'がありません',
  wellFormedUnicode: 'に不正な文字があります',
  noControlCharacters: 'に制御文字（改行など）があります',
  requiredForRecordEvents: 'が必要です（記録のイベントです）',
  forbiddenOnContractEvents: 'は契約のイベントには付けられません',
  recordedBy: 'はこの種別を記録できる所属ではありません',
  requiredForContractorActors: 'が必要です（委託先・再委託先の作業者の操作です）',
  notInFuture: 'が台帳の時刻より5分以上先です',
  termOrder: 'が契約期間の開始より前です',
  notEmpty: 'に変更がありません',
  notItself: 'が複写番号と同じです',
  isDuration: 'は期間（ISO 8601、例 P30D）ではありません',
  'LEDGER.EVENT_ID_CONFLICT': 'この行は以前に別の内容で記録済みです（台帳は変更できないため、訂正は新しい行として送ってください）',
  'LEDGER.CONTRACT_ALREADY_REGISTERED': 'この契約は登録済みです',
  registered: '契約が台帳に登録されていません',
};

/** The report's words for a problem the ledger's rules found in a mapped event. */
export function wireProblemJa(problem: FieldProblem): string {
  const text = RULES_JA[problem.rule];
  if (problem.rule.startsWith('LEDGER.') || problem.rule === 'registered') return text ?? `台帳が受け付けませんでした（${problem.rule}）`;
  return `${problem.field}${text ?? `が台帳の規則（${problem.rule}）に合いません`}`;
}

export const REPORT_HEADER = ['行 (row)', '列 (column)', '値 (value)', '問題', 'problem'];
