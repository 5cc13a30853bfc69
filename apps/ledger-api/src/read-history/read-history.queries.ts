import { Query } from '@nestjs/cqrs';
import type { RecordedEvent } from '@ledger/domain';

export interface HistoryPage {
  events: RecordedEvent[];
  /** Cursor for the next page (`after` for a contract, `fromVersion` for a record), null at the end. */
  next: number | null;
}

export class ReadContractEventsQuery extends Query<HistoryPage> {
  constructor(
    readonly contractId: string,
    readonly after: number,
    readonly limit: number,
  ) {
    super();
  }
}

export class ReadRecordEventsQuery extends Query<HistoryPage> {
  constructor(
    readonly contractId: string,
    readonly recordId: string,
    readonly fromVersion: number,
    readonly limit: number,
  ) {
    super();
  }
}
