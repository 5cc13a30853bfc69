import type { FieldProblem, LedgerErrorCode } from '@ledger/domain';

/**
 * Japanese error messages, for clients that ask with `Accept-Language: ja` (feeds are written by
 * Japanese vendors). The English `message` stays as it is (clients may match on it); the Japanese
 * text comes beside it as `messageJa`: one per error code (every code: the type says so) and one
 * per common field rule. A rule without a translation keeps only its English message.
 */
export const CODE_MESSAGES_JA: { readonly [C in LedgerErrorCode | 'LEDGER.INTERNAL']: string } = {
  'LEDGER.INVALID_EVENTS': 'イベントに誤りがあります。errors の各項目（index・field・rule）を確認してください。',
  'LEDGER.INVALID_REQUEST': 'リクエストに誤りがあります。errors の各項目を確認してください。',
  'LEDGER.MALFORMED_JSON': '本文が JSON として読めません。',
  'LEDGER.INVALID_UTF8': '本文が UTF-8 ではありません。',
  'LEDGER.JSON_TOO_DEEP': 'JSON の入れ子が深すぎます。',
  'LEDGER.UNSUPPORTED_MEDIA_TYPE': 'Content-Type が対応していません（application/json または application/x-ndjson）。',
  'LEDGER.UNSUPPORTED_ENCODING': 'Content-Encoding には対応していません（圧縮せずに送ってください）。',
  'LEDGER.UNAUTHENTICATED': 'API キーがないか、正しくありません（Authorization: Bearer <キー>）。',
  'LEDGER.FORBIDDEN': 'この API キーにはこの操作の権限がありません。',
  'LEDGER.NOT_FOUND': '見つかりません。',
  'LEDGER.EVENT_ID_CONFLICT': '同じ eventId で内容の異なるイベントが既に記録されています。',
  'LEDGER.STREAM_VERSION_CONFLICT': 'ストリームのバージョンが競合しました。再送してください。',
  'LEDGER.CONTRACT_ALREADY_REGISTERED': 'この契約は既に登録されています。',
  'LEDGER.BOOTSTRAP_KEY': '起動時に設定されたキーはこの操作では変更できません。',
  'LEDGER.BATCH_TOO_LARGE': '一度に送れるイベント数の上限を超えています。',
  'LEDGER.BODY_TOO_LARGE': '本文がサービスの受け付ける大きさを超えています。',
  'LEDGER.RATE_LIMITED': 'リクエストが多すぎます。Retry-After の秒数だけ待ってから再送してください。',
  'LEDGER.UNKNOWN_CONTRACT': '契約が登録されていません。先に ContractRegistered を送ってください。',
  'LEDGER.STORE_UNAVAILABLE': 'データベースに接続できません。しばらくしてから再送してください。',
  'LEDGER.BUSY': 'サービスが混み合っています。しばらくしてから再送してください。',
  'LEDGER.TREE_SIZE_UNAVAILABLE': '指定されたツリーサイズは利用できません。',
  'LEDGER.NO_CHECKPOINT': '署名済みチェックポイントがまだありません。',
  'LEDGER.SIGNING_KEY': 'チェックポイントの署名鍵が利用できません。',
  'LEDGER.LOG_INTEGRITY': '保存されたイベントがログの証明と一致しません（改ざんの可能性）。運用者に連絡してください。',
  'LEDGER.INTERNAL': '内部エラーです。リクエストは適用されていません。',
};

const RULE_MESSAGES_JA: Readonly<Record<string, (field: string) => string>> = {
  required: (f) => `${f} は必須です。`,
  unknownField: (f) => `${f} は電文仕様にない項目です（個人情報が入らないよう、未定義の項目は受け付けません）。`,
  unknownParameter: (f) => `${f} はここで使えるパラメータではありません。`,
  matches: (f) => `${f} の形式が正しくありません。`,
  isIn: (f) => `${f} は定められた値のいずれかにしてください${f === 'type' ? '（イベント型の一覧: /docs, docs/events.md）' : ''}。`,
  isString: (f) => `${f} は文字列にしてください。`,
  isObject: (f) => `${f} はオブジェクトにしてください。`,
  isTimestamp: (f) => `${f} はオフセット付きの RFC 3339 日時にしてください（例: 2026-04-01T09:00:00+09:00。URL では + を %2B と書きます）。`,
  isDuration: (f) => `${f} は ISO 8601 の期間にしてください（例: P30D）。`,
  isId: (f) => `${f} は ID の形式にしてください。`,
  notNull: (f) => `${f} に null は使えません。任意の項目は省略してください。`,
  notInFuture: (f) => `${f} が未来の日時です。`,
  integerRange: (f) => `${f} は範囲内の整数にしてください。`,
  single: (f) => `${f} は一度だけ指定してください。`,
  isBoolean: (f) => `${f} は true か false にしてください。`,
  maxLength: (f) => `${f} が長すぎます。`,
  arrayNotEmpty: (f) => `${f} は空でない配列にしてください。`,
  noControlCharacters: (f) => `${f} に制御文字は使えません。`,
  body: () => '本文は 1 件のイベントか {"events": [...]} にしてください。',
};

/** Whether Accept-Language prefers Japanese (its highest-weighted language is ja or ja-*). */
export function prefersJapanese(acceptLanguage: string | undefined): boolean {
  if (!acceptLanguage) return false;
  let best = { tag: '', q: -1 };
  for (const part of acceptLanguage.split(',').slice(0, 20)) {
    const [tag = '', ...params] = part.trim().toLowerCase().split(';');
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (Number.isFinite(q) && q > best.q) best = { tag, q };
  }
  return best.q > 0 && (best.tag === 'ja' || best.tag.startsWith('ja-'));
}

/** The answer with Japanese beside the English: `messageJa` on the answer and on each problem a rule translation exists for. */
export function withJapanese<A extends { code: string; errors?: FieldProblem[] }>(answer: A): A & { messageJa?: string } {
  const messageJa = (CODE_MESSAGES_JA as Record<string, string>)[answer.code];
  const errors = answer.errors?.map((problem) => {
    const translate = RULE_MESSAGES_JA[problem.rule];
    return translate ? { ...problem, messageJa: translate(problem.field || '本文') } : problem;
  });
  return { ...answer, ...(messageJa ? { messageJa } : {}), ...(errors ? { errors } : {}) };
}
