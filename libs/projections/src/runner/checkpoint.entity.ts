import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A projection's checkpoint inside a generation (`read_model_g<N>.projection_checkpoints`). */
@Entity({ name: 'projection_checkpoints' })
export class ProjectionCheckpointEntity {
  @PrimaryColumn('text') projection!: string;
  @Column('bigint') position!: string;
}

/** Which generation of the read models serves (`public.read_model_generations`). */
@Entity({ name: 'read_model_generations', schema: 'public' })
export class ReadModelGenerationEntity {
  @PrimaryColumn('integer') generation!: number;
  @Column('text', { name: 'schema_name' }) schemaName!: string;
  @Column('text') status!: string;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'activated_at', nullable: true }) activatedAt!: Date | null;
  @Column('timestamptz', { name: 'retired_at', nullable: true }) retiredAt!: Date | null;
}
