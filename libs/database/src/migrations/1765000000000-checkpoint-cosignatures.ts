import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Witness cosignatures of the log's checkpoints (docs/log-format.md "Cosignatures"): one row per
 * checkpoint and witness key, holding the signature line exactly as the witness returned it (C2SP
 * tlog-cosignature, Ed25519 cosignature/v1). Kept apart from log_checkpoints, whose signed notes
 * never change: the service serves a checkpoint as its note plus these lines. Append-only, like
 * the checkpoints: a cosignature is evidence, the database refuses UPDATE, DELETE and TRUNCATE.
 */
export class CheckpointCosignatures1765000000000 implements MigrationInterface {
  name = 'CheckpointCosignatures1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE checkpoint_cosignatures (
        tree_size   bigint      NOT NULL CHECK (tree_size > 0),
        witness     text        NOT NULL,
        key_id      text        NOT NULL CHECK (key_id ~ '^[0-9a-f]{8}$'),
        cosigned_at timestamptz NOT NULL,
        line        text        NOT NULL,
        received_at timestamptz NOT NULL,
        PRIMARY KEY (tree_size, witness, key_id)
      )`);
    await q.query(`CREATE INDEX checkpoint_cosignatures_by_witness ON checkpoint_cosignatures (witness, key_id, tree_size DESC)`);
    await q.query(`
      CREATE FUNCTION checkpoint_cosignatures_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'checkpoint_cosignatures is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER checkpoint_cosignatures_no_update_delete BEFORE UPDATE OR DELETE ON checkpoint_cosignatures
      FOR EACH ROW EXECUTE FUNCTION checkpoint_cosignatures_refuse_change()`);
    await q.query(`
      CREATE TRIGGER checkpoint_cosignatures_no_truncate BEFORE TRUNCATE ON checkpoint_cosignatures
      FOR EACH STATEMENT EXECUTE FUNCTION checkpoint_cosignatures_refuse_change()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE checkpoint_cosignatures`);
    await q.query(`DROP FUNCTION checkpoint_cosignatures_refuse_change()`);
  }
}
