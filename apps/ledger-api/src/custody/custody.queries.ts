import { Query } from '@nestjs/cqrs';
import type { CustodyView, HoldingState, HoldingsPage } from '@ledger/projections';

export interface RecordCustodyAnswer extends CustodyView {
  contractId: string;
  recordId: string;
  asOf: string;
  knownAt: string;
}

/** A record's chain of custody, exact at (asOf, knownAt), from its streams. */
export class ReadRecordCustodyQuery extends Query<RecordCustodyAnswer> {
  constructor(
    readonly contractId: string,
    readonly recordId: string,
    readonly asOf: { ms: number; text: string },
    readonly knownAt: { ms: number; text: string },
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
    readonly state: HoldingState | undefined,
    readonly overdue: boolean | undefined,
    readonly after: string | undefined,
    readonly limit: number,
  ) {
    super();
  }
}
