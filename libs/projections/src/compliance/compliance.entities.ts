import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * TypeORM entities of the compliance read model (docs/compliance.md "The read model"). Like the
 * custody entities they carry no schema: each generation's tables live in `read_model_g<N>` and
 * are reached through `search_path`. The DDL is the migration ComplianceReadModel1764700000000.
 */
@Entity({ name: 'compliance_contracts' })
export class ComplianceContractEntity {
  @PrimaryColumn('text', { name: 'contract_id' }) contractId!: string;
  @Column('integer') records!: number;
  /** Records by base status (open obligations counted as pending). */
  @Column('integer', { name: 'n_violation' }) nViolation!: number;
  @Column('integer', { name: 'n_pending' }) nPending!: number;
  @Column('integer', { name: 'n_compliant' }) nCompliant!: number;
  @Column('integer', { name: 'n_not_applicable' }) nNotApplicable!: number;
}

@Entity({ name: 'compliance_records' })
export class ComplianceRecordEntity {
  @PrimaryColumn('text', { name: 'contract_id' }) contractId!: string;
  @PrimaryColumn('text', { name: 'record_id' }) recordId!: string;
  @Column('text', { name: 'base_status' }) baseStatus!: string;
  /** The earliest due time of the record's open obligations. */
  @Column('timestamptz', { name: 'next_due_at', nullable: true }) nextDueAt!: Date | null;
  @Column('timestamptz', { name: 'max_occurred_at' }) maxOccurredAt!: Date;
  @Column('bigint', { name: 'last_position' }) lastPosition!: string;
}

@Entity({ name: 'compliance_findings' })
export class ComplianceFindingEntity {
  @PrimaryColumn('text', { name: 'contract_id' }) contractId!: string;
  @PrimaryColumn('text', { name: 'record_id' }) recordId!: string;
  @PrimaryColumn('integer') seq!: number;
  @Column('text') article!: string;
  @Column('text') rule!: string;
  /** An obligation no event closed: pending until due_at, then a violation. */
  @Column('boolean') open!: boolean;
  @Column('timestamptz', { name: 'due_at', nullable: true }) dueAt!: Date | null;
  @Column('text', { name: 'event_ids', array: true }) eventIds!: string[];
  @Column('jsonb') message!: { ja: string; en: string };
  @Column('jsonb', { name: 'pending_message', nullable: true }) pendingMessage!: { ja: string; en: string } | null;
}

@Entity({ name: 'compliance_record_tags' })
export class ComplianceRecordTagEntity {
  @PrimaryColumn('text', { name: 'contract_id' }) contractId!: string;
  /** `w:<workerId>`, `s:<subcontractorId>` or `m`. */
  @PrimaryColumn('text') tag!: string;
  @PrimaryColumn('text', { name: 'record_id' }) recordId!: string;
}

export const COMPLIANCE_ENTITIES = [ComplianceContractEntity, ComplianceRecordEntity, ComplianceFindingEntity, ComplianceRecordTagEntity];
