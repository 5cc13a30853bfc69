import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One read of event content or a verdict (migration AccessLog1764600000001; append-only in the database). */
@Entity({ name: 'access_log', schema: 'public' })
export class AccessLogEntryEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id!: string;
  @Column('timestamptz') at!: Date;
  /** The API key's public ID (random, never derived from the secret). */
  @Column('text', { name: 'key_id' }) keyId!: string;
  @Column('text') role!: string;
  @Column('text') method!: string;
  /** The route pattern, e.g. /v1/contracts/:contractId/records/:recordId/custody. */
  @Column('text') route!: string;
  @Column('text', { name: 'contract_id', nullable: true }) contractId!: string | null;
  @Column('text', { name: 'record_id', nullable: true }) recordId!: string | null;
  @Column('text', { name: 'as_of', nullable: true }) asOf!: string | null;
  @Column('text', { name: 'known_at', nullable: true }) knownAt!: string | null;
  /** The other query parameters as sent (values cut at 200 characters; null when the request was refused for its parameters). */
  @Column('jsonb') query!: Record<string, string | string[] | null>;
  /** The status answered (or, for an error, the status of that error). */
  @Column('integer') status!: number;
}
