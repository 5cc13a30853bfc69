import { Query } from '@nestjs/cqrs';
import type { LedgerReplay, ReplayFormat } from '@ledger/audit';

export interface ReplayDocument {
  contentType: string;
  body: string;
}

/** A contract's compliance as of a moment, judged from verified evidence (libs/audit replayFromLedger). */
export class ReplayContractQuery extends Query<ReplayDocument> {
  constructor(
    readonly request: LedgerReplay,
    readonly format: ReplayFormat,
  ) {
    super();
  }
}
