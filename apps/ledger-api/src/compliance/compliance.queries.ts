import { Query } from '@nestjs/cqrs';
import type { ArticleVerdict, ContractLevelVerdict, Finding, FindingCounts, Status } from '@ledger/compliance';
import type { FindingsFilter, ListedFinding, RecordCounts, RuleSummary } from '@ledger/projections';

import type { TimeParameter } from '../http/query.js';

export type { TimeParameter };

/** A finding as answered under its article: without the article and record the answer already says. */
export type AnswerFinding = Omit<Finding, 'article' | 'recordId'>;

export interface AnswerArticle {
  status: Status;
  counts: FindingCounts;
  findings: AnswerFinding[];
  more?: ArticleVerdict['more'];
}

/** docs/events.md "Reading compliance": the record's verdict at (asOf, knownAt). */
export interface RecordComplianceAnswer {
  contractId: string;
  recordId: string;
  asOf: string;
  knownAt: string;
  /** The contractor's status (RULES.md v2): the worst of the contractor's findings. */
  status: Status;
  articles: { [article: string]: AnswerArticle };
}

/** One record's verdict at any (asOf, knownAt): from its nearest stored fold and the events after it. */
export class ReadRecordComplianceQuery extends Query<RecordComplianceAnswer> {
  constructor(
    readonly contractId: string,
    readonly recordId: string,
    readonly asOf: TimeParameter,
    readonly knownAt: TimeParameter,
  ) {
    super();
  }
}

export interface FindingsPageAnswer {
  contractId: string;
  recordId: string;
  article: string;
  findings: AnswerFinding[];
  next: string | null;
}

/** One page of a record's final findings of an article (the present). */
export class ReadRecordFindingsQuery extends Query<FindingsPageAnswer> {
  constructor(
    readonly contractId: string,
    readonly recordId: string,
    readonly article: string,
    readonly after: { at: number; pos: number; seq: number } | null,
    readonly limit: number,
  ) {
    super();
  }
}

export interface ContractComplianceAnswer {
  contractId: string;
  asOf: string;
  knownAt: string;
  /** The contractor's status: worst of the contract-level articles and of every record. */
  status: Status;
  /** How far the read model had applied the log. */
  source: { kind: 'read-model'; position: number };
  /** The contract-level articles (6, 10, 11, 12, 15, appi68), the contractor's findings. */
  articles: { [article: string]: AnswerArticle };
  /** The city's own duties (RULES.md v2), apart from the contractor's status. */
  city: ContractLevelVerdict['city'];
  /** Records known at the cut, by the contractor's status. */
  records: RecordCounts;
  /** Violations and pending findings of the whole contract by rule (not filtered). */
  summary: RuleSummary[];
  /** The violations and pending findings (contract-level ones with recordId null), filtered, one page. */
  findings: ListedFinding[];
  /** Cursor of the next page (`after`), null on the last one. */
  next: string | null;
}

/** The contract's verdict at a cut. */
export class ReadContractComplianceQuery extends Query<ContractComplianceAnswer> {
  constructor(
    readonly contractId: string,
    readonly asOf: TimeParameter,
    readonly knownAt: TimeParameter,
    readonly present: boolean,
    readonly filter: FindingsFilter,
    readonly after: string | null,
    readonly limit: number,
  ) {
    super();
  }
}
