import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Holder } from './custody-model.js';
import type { StoredStep } from './custody-rows.js';

/**
 * TypeORM entities of the custody read model. They carry no schema: each generation's tables
 * live in their own schema (`read_model_g<N>`) and are reached through `search_path`
 * (`readActiveGeneration`, the projector's transaction). The DDL is the migration
 * ReadModels1764600000000 (`read_model_template`); `synchronize` is never used.
 */
@Entity({ name: 'custody_records' })
export class CustodyRecordEntity {
  @PrimaryColumn('text', { name: 'contract_id' }) contractId!: string;
  @PrimaryColumn('text', { name: 'record_id' }) recordId!: string;
  /** Since when the record has had an open holding without a break; null when none is open. */
  @Column('timestamptz', { name: 'open_since', nullable: true }) openSince!: Date | null;
  @Column('timestamptz', { name: 'last_occurred_at', nullable: true }) lastOccurredAt!: Date | null;
  @Column('bigint', { name: 'last_position', nullable: true }) lastPosition!: string | null;
}

@Entity({ name: 'custody_holdings' })
export class CustodyHoldingEntity {
  @PrimaryColumn('text', { name: 'contract_id' }) contractId!: string;
  @PrimaryColumn('text', { name: 'record_id' }) recordId!: string;
  /** '' for the original, else the copyId. */
  @PrimaryColumn('text', { name: 'holding_key' }) holdingKey!: string;
  @Column('text', { name: 'copy_id', nullable: true }) copyId!: string | null;
  @Column('jsonb', { name: 'copied_from', nullable: true }) copiedFrom!: { copyId: string | null } | null;
  @Column('text', { nullable: true }) medium!: string | null;
  @Column('text') state!: string;
  @Column('text', { nullable: true }) location!: string | null;
  @Column('jsonb', { nullable: true }) holder!: Holder | null;
  @Column('timestamptz') since!: Date;
  @Column('text', { name: 'transport_key', nullable: true }) transportKey!: string | null;
  /** The steps in their stored form (`StoredStep`; `decodeHistory` gives the answer's objects). */
  @Column('jsonb') history!: StoredStep[];
  /** When it becomes overdue (transport due while in transit, disposal due while open); null: nothing binds it. */
  @Column('timestamptz', { name: 'overdue_at', nullable: true }) overdueAt!: Date | null;
}

@Entity({ name: 'custody_transports' })
export class CustodyTransportEntity {
  @PrimaryColumn('text', { name: 'contract_id' }) contractId!: string;
  @PrimaryColumn('text', { name: 'record_id' }) recordId!: string;
  /** eventId of the TransportStarted (or of a completion never started). */
  @PrimaryColumn('text', { name: 'transport_key' }) transportKey!: string;
  @Column('text', { name: 'transport_id' }) transportId!: string;
  @Column('text', { name: 'copy_id', nullable: true }) copyId!: string | null;
  @Column('text', { name: 'from_location', nullable: true }) from!: string | null;
  @Column('text', { name: 'to_location', nullable: true }) to!: string | null;
  @Column('text', { name: 'carrier_id', nullable: true }) carrierId!: string | null;
  @Column('text', { nullable: true }) medium!: string | null;
  @Column('text', { array: true, nullable: true }) safeguards!: string[] | null;
  @Column('timestamptz', { name: 'started_at', nullable: true }) startedAt!: Date | null;
  @Column('timestamptz', { name: 'expected_arrival_at', nullable: true }) expectedArrivalAt!: Date | null;
  /** expectedArrivalAt, else start + transportWithin in force at the start. */
  @Column('timestamptz', { name: 'due_at', nullable: true }) dueAt!: Date | null;
  @Column('timestamptz', { name: 'completed_at', nullable: true }) completedAt!: Date | null;
  @Column('text', { name: 'received_by', nullable: true }) receivedBy!: string | null;
  @Column('text') state!: string;
  @Column('timestamptz', { name: 'opened_at' }) openedAt!: Date;
  @Column('bigint', { name: 'opened_position' }) openedPosition!: string;
}

@Entity({ name: 'custody_contracts' })
export class CustodyContractEntity {
  @PrimaryColumn('text', { name: 'contract_id' }) contractId!: string;
  /** The model's ContractCustody: policy facts, disposal instructions, ends. */
  @Column('jsonb') facts!: unknown;
}

@Entity({ name: 'custody_disposal_orders' })
export class CustodyDisposalOrderEntity {
  @PrimaryColumn('text', { name: 'contract_id' }) contractId!: string;
  @PrimaryColumn('text', { name: 'event_id' }) eventId!: string;
  /** DisposalInstructed or ContractEnded. */
  @Column('text') type!: string;
  @Column('text', { name: 'occurred_at' }) occurredAt!: string;
  @Column('timestamptz') at!: Date;
  @Column('bigint') position!: string;
  /** null: every record of the contract. */
  @Column('text', { name: 'record_ids', array: true, nullable: true }) recordIds!: string[] | null;
  @Column('timestamptz', { name: 'due_at' }) dueAt!: Date;
}

export const CUSTODY_ENTITIES = [
  CustodyRecordEntity,
  CustodyHoldingEntity,
  CustodyTransportEntity,
  CustodyContractEntity,
  CustodyDisposalOrderEntity,
];
