/**
 * The answer shapes of the rulebook (docs/rulebook.md "Statuses", docs/events.md "Reading
 * compliance"). Plain JSON-serializable data: the HTTP answer is built directly from them.
 */
import type { ArticleId } from './articles.js';

/** Status of an article, a record or a contract. */
export type Status = 'compliant' | 'pending' | 'violation' | 'not_applicable';

/** Status of one finding. */
export type FindingStatus = 'violation' | 'pending' | 'compliant';

/** Who answers for a finding (RULES.md v2): the contractor (乙, with its subcontractors) or the city (甲). */
export type Party = 'contractor' | 'city';
export const PARTIES: readonly Party[] = ['contractor', 'city'];

export interface Message {
  ja: string;
  en: string;
}

export interface Finding {
  /** Rule ID of docs/rulebook.md, e.g. `art9.copy-without-authorization`. */
  rule: string;
  /** Article, e.g. `'9'`, or `'appi68'` for 個人情報保護法第68条. */
  article: ArticleId;
  status: FindingStatus;
  party: Party;
  /** The events that prove the finding: the offending (or opening) event first, then the closing or causing event if any. */
  eventIds: string[];
  message: Message;
  /** Obligations only: the due time, RFC 3339 in the ledger's zone. Always present on a `pending` finding. */
  dueAt?: string;
  /** Set on record findings. */
  recordId?: string;
}

/** How many findings of each status an article has (the findings list may be capped). */
export interface FindingCounts {
  violation: number;
  pending: number;
  compliant: number;
}

export interface ArticleVerdict {
  status: Status;
  findings: Finding[];
  /** Counts of every finding of the article, the contractor's and the city's, listed or not. */
  counts: FindingCounts;
  /** Present when `findings` does not list them all: where the rest is. */
  more?: { listed: number; total: number; next: string | null };
}

export interface RecordVerdict {
  contractId: string;
  recordId: string;
  /** The contractor's status: the worst of the contractor's findings. */
  status: Status;
  articles: { [article: string]: ArticleVerdict };
}

export interface ContractLevelVerdict {
  contractId: string;
  status: Status;
  articles: { [article: string]: ArticleVerdict };
  /** The city's own duties (RULES.md v2), judged the same way but never mixed into the contractor's status. */
  city: { status: Status; findings: Finding[] };
}

/** The cut of a judgement, in epoch milliseconds: occurredAt ≤ asOf and recordedAt ≤ knownAt. */
export type { Cut } from '@ledger/handling';

export interface RuleInfo {
  id: string;
  article: ArticleId;
  scope: 'record' | 'contract';
  kind: 'violation' | 'obligation';
  /** Whose act or omission the rule judges; `actor`: the judged event's actor's party. */
  party: Party | 'actor';
  title: Message;
}

const STATUS_RANK: { readonly [S in Status]: number } = {
  not_applicable: 0,
  compliant: 1,
  pending: 2,
  violation: 3,
};

/** The worse of two statuses: violation > pending > compliant > not_applicable. */
export function worst(a: Status, b: Status): Status {
  return STATUS_RANK[b] > STATUS_RANK[a] ? b : a;
}

export function emptyCounts(): FindingCounts {
  return { violation: 0, pending: 0, compliant: 0 };
}
