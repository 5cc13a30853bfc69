import { Query } from '@nestjs/cqrs';
import type { Status } from '@ledger/compliance';
import type { AnswerArticle, FindingsCursor, FindingsFilter, ListedFinding, RecordCounts, RuleSummary } from '@ledger/projections';

export interface TimeParameter {
  readonly ms: number;
  /** As given, or the present as ISO 8601 UTC. */
  readonly text: string;
}

/** docs/events.md "Reading compliance": the record's verdict at (asOf, knownAt). */
export interface RecordComplianceAnswer {
  contractId: string;
  recordId: string;
  asOf: string;
  knownAt: string;
  status: Status;
  articles: { [article: string]: AnswerArticle };
}

/** One record's verdict, exact at any (asOf, knownAt): judged from its stream and the contract's. */
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

export interface ContractComplianceAnswer {
  contractId: string;
  asOf: string;
  knownAt: string;
  /** Worst of the contract-level articles and of every record. */
  status: Status;
  /** Where the answer comes from: the read model (at the log position it has applied) or the streams. */
  source: { kind: 'read-model'; position: number } | { kind: 'streams' };
  /** The contract-level articles (6, 10, 11, 12, 15). */
  articles: { [article: string]: AnswerArticle };
  /** Records known at the cut, by status. */
  records: RecordCounts;
  /** Violations and pending findings of the whole contract by rule (not filtered). */
  summary: RuleSummary[];
  /** The violations and pending findings (contract-level ones with recordId null), filtered, one page. */
  findings: ListedFinding[];
  /** Cursor of the next page (`after`), null on the last one. */
  next: string | null;
}

/**
 * The contract's verdict. With neither asOf nor knownAt it is the present, read from the read
 * model (falling back to the streams while that is not built); otherwise computed from the streams.
 */
export class ReadContractComplianceQuery extends Query<ContractComplianceAnswer> {
  constructor(
    readonly contractId: string,
    readonly asOf: TimeParameter,
    readonly knownAt: TimeParameter,
    readonly present: boolean,
    readonly filter: FindingsFilter,
    readonly after: FindingsCursor | undefined,
    readonly limit: number,
  ) {
    super();
  }
}
