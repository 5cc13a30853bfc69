import { Query } from '@nestjs/cqrs';
import type { IncidentKind, RecordedEvent } from '@ledger/domain';
import type { ContractListing } from '@ledger/projections';
import type { Principal } from '../auth/api-keys.js';

export interface ContractListPage {
  contracts: ContractListing[];
  next: string | null;
}

/** The contracts a key may read, from the contract directory (read model `contracts`), a page by ID. */
export class ListContractsQuery extends Query<ContractListPage> {
  constructor(
    readonly principal: Pick<Principal, 'party' | 'contracts'>,
    readonly after: string | null,
    readonly limit: number,
  ) {
    super();
  }
}

/** The facts of an incident as recorded (no judgement: the deadlines are the rulebook's findings). */
export interface IncidentFacts {
  incidentId: string;
  /** The IncidentDetected event: the opening event of every finding about the incident. */
  eventId: string;
  kind: IncidentKind;
  detectedAt: string;
  detectedBy: string;
  affectedRecordIds: string[];
  affectedPersonCount: number | null;
  /** When the contractor reported it to the city, the PPC reports and the notices (the first of each), or null. */
  reportedAt: string | null;
  preliminaryAt: string | null;
  finalAt: string | null;
  noticeAt: string | null;
}

/** The incidents of a contract at the present, in the order they happened. */
export class ListIncidentsQuery extends Query<IncidentFacts[]> {
  constructor(readonly contractId: string) {
    super();
  }
}

/** Events of one contract by their IDs (the evidence a finding names); IDs of other contracts are left out. */
export class ReadContractEventsByIdQuery extends Query<RecordedEvent[]> {
  constructor(
    readonly contractId: string,
    readonly eventIds: readonly string[],
  ) {
    super();
  }
}
