import { Query } from '@nestjs/cqrs';
import type { CustodyStepView, CustodyView, HoldingStateName } from '@ledger/handling';
import type { HoldingsPage } from '@ledger/projections';
import type { TimeParameter } from '../compliance/compliance.queries.js';

export interface RecordCustodyAnswer extends CustodyView {
  contractId: string;
  recordId: string;
  asOf: string;
  knownAt: string;
}

/** A record's chain of custody at (asOf, knownAt): from its nearest stored fold and the events after it. */
export class ReadRecordCustodyQuery extends Query<RecordCustodyAnswer> {
  constructor(
    readonly contractId: string,
    readonly recordId: string,
    readonly asOf: TimeParameter,
    readonly knownAt: TimeParameter,
  ) {
    super();
  }
}

export interface HoldingHistoryAnswer {
  contractId: string;
  recordId: string;
  /** null: the original. */
  copyId: string | null;
  /** Newest first. */
  steps: CustodyStepView[];
  next: string | null;
}

/** One page of a holding's custody history (the present), newest first. */
export class ReadHoldingHistoryQuery extends Query<HoldingHistoryAnswer> {
  constructor(
    readonly contractId: string,
    readonly recordId: string,
    readonly copyId: string | null,
    readonly before: { at: number; pos: number; seq: number } | null,
    readonly limit: number,
  ) {
    super();
  }
}

export interface HoldingsAnswer extends HoldingsPage {
  contractId: string;
  /** The instant overdue was judged at: the clock at query time. */
  at: string;
  /** How far the read model has applied the log. */
  position: number;
}

/** A contract's holdings from the read model, filtered by state and overdue at the present. */
export class ListHoldingsQuery extends Query<HoldingsAnswer> {
  constructor(
    readonly contractId: string,
    readonly state: HoldingStateName | undefined,
    readonly overdue: boolean | undefined,
    readonly after: string | undefined,
    readonly limit: number,
  ) {
    super();
  }
}
