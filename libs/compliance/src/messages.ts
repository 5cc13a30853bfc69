/**
 * How findings read (RULES.md "Messages, v2"). Japanese reads like an audit report: である調,
 * times in JST and 和暦 (令和7年7月2日10時00分), enumerations translated — the codes stay in the
 * evidence fields, never in the Japanese text — and the memorandum's vocabulary (複写・複製,
 * 保有個人情報, 業務従事者, 再委託先). English keeps the style it always had.
 */
import {
  parseDuration,
  warekiJst,
  type AuthorizationKind,
  type BriefingTopic,
  type ContractEndReason,
  type DisposalAction,
  type DisposalMethod,
  type EventType,
  type IncidentKind,
  type InspectionCycle,
  type InspectionOutcome,
  type Medium,
  type NoticeMethod,
  type PpcReportStage,
  type Safeguard,
} from '@ledger/domain';
import type { UncoveredReason } from '@ledger/handling';
import { ARTICLES, type ArticleId } from './articles.js';
import type { FindingStatus, Message } from './verdict.js';

/**
 * The one table of translations: every enumeration value of the wire contract has its Japanese
 * term here (the compiler checks each table is complete; a test checks no Japanese message
 * shows a code instead).
 */
export const TERMS: {
  readonly medium: { readonly [K in Medium]: string };
  readonly safeguard: { readonly [K in Safeguard]: string };
  readonly disposalMethod: { readonly [K in DisposalMethod]: string };
  readonly incidentKind: { readonly [K in IncidentKind]: string };
  readonly authorizationKind: { readonly [K in AuthorizationKind]: string };
  readonly briefingTopic: { readonly [K in BriefingTopic]: string };
  readonly inspectionOutcome: { readonly [K in InspectionOutcome]: string };
  readonly contractEndReason: { readonly [K in ContractEndReason]: string };
  readonly disposalAction: { readonly [K in DisposalAction]: string };
  readonly ppcStage: { readonly [K in PpcReportStage]: string };
  readonly noticeMethod: { readonly [K in NoticeMethod]: string };
  readonly inspectionCycle: { readonly [K in InspectionCycle]: string };
  readonly eventType: { readonly [K in EventType]: string };
} = Object.freeze({
  medium: { electronic: '電子媒体', paper: '紙媒体' },
  safeguard: { encrypted: '暗号化', sealed: '封緘', locked_container: '施錠できる容器', tracked: '追跡', escorted: '同行' },
  disposalMethod: {
    physical_destruction: '物理的破壊', degaussing: '磁気消去', overwrite: '上書き消去', crypto_erase: '暗号化消去',
    shredding: '裁断', incineration: '焼却', dissolution: '溶解',
  },
  incidentKind: {
    leak: '漏えい', loss: '滅失', theft: '盗難', alteration: '改ざん', damage: '毀損', unauthorized_access: '不正アクセス',
    misdelivery: '誤送付', other: 'その他の事故',
  },
  authorizationKind: { copy: '複写・複製', provision: '提供', use_outside_purpose: '目的外利用', after_term: '契約終了後の取扱い' },
  briefingTopic: { confidentiality: '秘密保持', penalties: '罰則（法第176条、第180条）' },
  inspectionOutcome: { satisfactory: '適正', improvement_needed: '要改善' },
  contractEndReason: { expired: '期間満了', terminated: '解除' },
  disposalAction: { return: '返還', dispose: '廃棄', either: '返還又は廃棄' },
  ppcStage: { preliminary: '速報', final: '確報' },
  noticeMethod: { individual: '本人への通知', public_notice: '公表' },
  inspectionCycle: { fiscal_year: '年度ごと', rolling: '一定期間ごと' },
  eventType: {
    ContractRegistered: '契約の登録', ContractAmended: '契約の変更', ContractEnded: '契約の終了',
    ResponsiblePersonDesignated: '責任者の指定', WorkerAuthorized: '業務従事者の指定', WorkerAuthorizationRevoked: '業務従事者の指定の取消し',
    WorkerBriefed: '業務従事者への周知', WorkerDeparted: '業務従事者の退職', WorkerPledgeSubmitted: '誓約書の提出',
    SubcontractRequested: '再委託の申請', SubcontractApproved: '再委託の承認', SubcontractApprovalRevoked: '再委託の承認の取消し',
    AuthorizationGranted: '甲の承諾', AuthorizationRevoked: '甲の承諾の取消し', ReportRequested: '報告の要求',
    ReportSubmitted: '報告の提出', InspectionConducted: '実地検査', ImprovementRequested: '改善の指示',
    ImprovementConsultationHeld: '改善の協議', DisposalInstructed: '返還又は廃棄の指示', IncidentDetected: '事故の発生',
    IncidentReported: '事故の報告', MyNumberMemorandumConcluded: '特定個人情報等の取扱いに関する覚書の締結',
    PpcReported: '個人情報保護委員会への報告', PersonsNotified: '本人への通知',
    RecordCollected: '収集', RecordUsed: '利用', RecordProvided: '提供', RecordCopied: '複写・複製', RecordAnonymized: '匿名化',
    TransportStarted: '搬送の開始', TransportCompleted: '搬送の完了', RecordReturned: '返還', RecordDisposed: '廃棄',
    RecordNoLongerNeeded: '保有の必要がなくなった旨の判断',
  },
});

/** An instant in a Japanese message: JST, 和暦. */
export const wa = warekiJst;

const JST_OFFSET_MS = 9 * 3_600_000;

/**
 * An instant in an English message: Japan Standard Time, e.g. `2026-04-01T09:00:00+09:00`
 * (milliseconds only when not zero).
 */
export function jst(ms: number): string {
  const iso = new Date(ms + JST_OFFSET_MS).toISOString();
  const millis = iso.slice(19, 23);
  return `${iso.slice(0, 19)}${millis === '.000' ? '' : millis}+09:00`;
}

/** A duration in Japanese: PT24H → 24時間, P30D → 30日, P1Y → 1年, P1M → 1か月. */
export function durationJa(text: string): string {
  const d = parseDuration(text);
  if (!d) return text;
  const parts: string[] = [];
  if (d.years) parts.push(`${d.years}年`);
  if (d.months) parts.push(`${d.months}か月`);
  if (d.days) parts.push(`${d.days}日`);
  let rest = d.milliseconds;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  if (hours) parts.push(`${hours}時間`);
  if (minutes) parts.push(`${minutes}分`);
  if (rest) parts.push(`${rest / 1000}秒`);
  return parts.join('');
}

/** Where a duty comes from: the memorandum (乙's duties) or the Act and its rules (the city's APPI Art. 68 duties). */
const SOURCES = {
  memorandum: { ja: '覚書', en: 'the memorandum' },
  act: { ja: '法令', en: 'the Act' },
} as const;

/**
 * The note a message carries when its deadline is the ledger's default, not the source's or the
 * contract's: the source's own word read as a default (「直ちに」), or no deadline set at all.
 */
export function defaultNote(isDefault: boolean, duration: string, word?: string, source: keyof typeof SOURCES = 'memorandum'): Message {
  if (!isDefault) return { ja: '', en: '' };
  const from = SOURCES[source];
  if (word !== undefined) {
    return {
      ja: `（${from.ja}の「${word}」を既定値（${durationJa(duration)}）と解して判定）`,
      en: ` (${from.en}'s "${word}" read as the default ${duration})`,
    };
  }
  return {
    ja: `（${from.ja}に期限の定めがないため既定値（${durationJa(duration)}）で判定）`,
    en: ` (${from.en} sets no deadline: judged with the default ${duration})`,
  };
}

const STATUS_WORDS: { readonly [S in FindingStatus]: Message } = {
  violation: { ja: '違反', en: 'violated' },
  pending: { ja: '期限未到来', en: 'pending' },
  compliant: { ja: '履行済み', en: 'met' },
};

/** `第9条（複写、複製の禁止）違反：…` / `Article 9 (…) violated: …`. */
export function say(article: ArticleId, status: FindingStatus, text: Message): Message {
  const title = ARTICLES[article].title;
  return {
    ja: `${title.ja}${STATUS_WORDS[status].ja}：${text.ja}`,
    en: `${title.en} ${STATUS_WORDS[status].en}: ${text.en}`,
  };
}

/** `A, B, C` for English, `A、B、C` for Japanese. */
export function list(items: readonly string[]): Message {
  return { ja: items.join('、'), en: items.join(', ') };
}

/** `a、b` / `a, b`, or （なし）/ (none) when empty. */
export function listOrNone(items: readonly string[]): Message {
  return items.length === 0 ? { ja: 'なし', en: '(none)' } : list(items);
}

/** An org as a document names it: 乙, 甲, 再委託先S-1. */
export function orgJa(org: string): string {
  if (org === 'contractor') return '乙';
  if (org === 'city') return '甲';
  if (org.startsWith('subcontractor:')) return `再委託先${org.slice('subcontractor:'.length)}`;
  return org;
}

/** How an actor appears in messages: 業務従事者W-001 / worker W-001, 再委託先S-1の業務従事者W-9 / worker W-9 (subcontractor:S-1). */
export function who(org: string, workerId: string | undefined): Message {
  const worker = workerId ?? '（ID不明）';
  const workerEn = workerId ?? '(no workerId)';
  if (org === 'contractor') return { ja: `業務従事者${worker}`, en: `worker ${workerEn}` };
  if (org === 'city') return { ja: `甲の職員${worker}`, en: `city staff ${workerEn}` };
  return { ja: `${orgJa(org)}の業務従事者${worker}`, en: `worker ${workerEn} (${org})` };
}

/** The record: 保有個人情報（R-1）/ record R-1. */
export function recordName(recordId: string): Message {
  return { ja: `保有個人情報（${recordId}）`, en: `record ${recordId}` };
}

/** The holding named by an event: 原本 / the original, 複製物C-1 / copy C-1. */
export function holdingName(copyId: string | null | undefined): Message {
  return copyId === undefined || copyId === null ? { ja: '原本', en: 'the original' } : { ja: `複製物${copyId}`, en: `copy ${copyId}` };
}

/** What a record event does, as a noun: 利用 / use. */
const ACTS_EN: { readonly [type: string]: string } = Object.freeze({
  RecordCollected: 'collection',
  RecordUsed: 'use',
  RecordProvided: 'provision',
  RecordCopied: 'copying',
  RecordAnonymized: 'anonymization',
  TransportStarted: 'start of transport',
  TransportCompleted: 'completion of transport',
  RecordReturned: 'return',
  RecordDisposed: 'disposal',
  RecordNoLongerNeeded: 'finding that it is no longer needed',
});

/** `保有個人情報（R-1）の利用（令和8年4月10日9時00分）` / `use of record R-1 at 2026-04-10T09:00:00+09:00`. */
export function act(type: EventType, recordId: string, at: number): Message {
  return {
    ja: `保有個人情報（${recordId}）の${TERMS.eventType[type]}（${wa(at)}）`,
    en: `${ACTS_EN[type] ?? type} of record ${recordId} at ${jst(at)}`,
  };
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
  const ja = shown.map((r) => r.ja).join('、') + (more > 0 ? `、ほか${more}件` : '');
  const en = shown.map((r) => r.en).join('; ') + (more > 0 ? `; and ${more} more` : '');
  return { ja: `（${ja}）`, en: ` (${en})` };
}

/** Why a grant did not cover the act, in words. */
export function uncovered(reason: UncoveredReason): Message {
  switch (reason.kind) {
    case 'granted-later':
      return { ja: `承諾${reason.id}は行為の後の${wa(reason.at)}になされたものである`, en: `${reason.id} was granted only at ${jst(reason.at)}, after the act` };
    case 'expired':
      return { ja: `承諾${reason.id}は${wa(reason.at)}に期限が切れている`, en: `${reason.id} expired at ${jst(reason.at)}` };
    case 'revoked':
      return { ja: `承諾${reason.id}は${wa(reason.at)}に取り消されている`, en: `${reason.id} was revoked at ${jst(reason.at)}` };
    case 'categories-unknown':
      return {
        ja: `承諾${reason.id}は項目を限定しているが、この保有個人情報の収集項目が明らかでない`,
        en: `${reason.id} is limited to data categories, and the record's collected categories are unknown`,
      };
    case 'categories-missing': {
      const names = list(reason.missing);
      return { ja: `承諾${reason.id}は項目${names.ja}を含まない`, en: `${reason.id} does not cover the categories ${names.en}` };
    }
    default: {
      const _exhaustive: never = reason;
      throw new Error(`unknown reason ${JSON.stringify(_exhaustive)}`);
    }
  }
}
