/**
 * The answer shapes of the rulebook (docs/rulebook.md "Statuses", docs/events.md "Reading
 * compliance"). Plain JSON-serializable data: the HTTP answer is built directly from them.
 */

/** Status of an article, a record or a contract. */
export type Status = 'compliant' | 'pending' | 'violation' | 'not_applicable';

/** Status of one finding. */
export type FindingStatus = 'violation' | 'pending' | 'compliant';

export interface Message {
  ja: string;
  en: string;
}

export interface Finding {
  /** Rule ID of docs/rulebook.md, e.g. `art9.copy-without-authorization`. */
  rule: string;
  /** Article number as text, e.g. `'9'`. */
  article: string;
  status: FindingStatus;
  /** The events that prove the finding: the offending (or opening) event first, then the closing or causing event if any. */
  eventIds: string[];
  message: Message;
  /** Obligations only: the due time, ISO 8601 UTC. Always present on a `pending` finding. */
  dueAt?: string;
  /** Set on record findings. */
  recordId?: string;
}

export interface ArticleVerdict {
  status: Status;
  findings: Finding[];
}

export interface RecordVerdict {
  contractId: string;
  recordId: string;
  status: Status;
  articles: { [article: string]: ArticleVerdict };
}

export interface ContractLevelVerdict {
  contractId: string;
  status: Status;
  articles: { [article: string]: ArticleVerdict };
}

/** The cut of a judgement, in epoch milliseconds: occurredAt ≤ asOf and recordedAt ≤ knownAt. */
export interface Cut {
  asOf: number;
  knownAt: number;
}

export interface RuleInfo {
  id: string;
  article: string;
  scope: 'record' | 'contract';
  kind: 'violation' | 'obligation';
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
