import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The Merkle log over ledger_events (docs/auditing.md): C2SP tlog-tiles of the RFC 6962 tree,
 * the integrator's tree state, and every signed checkpoint.
 *
 * - merkle_tiles: one row per tile (level, index) holding its hashes concatenated (32 bytes each).
 *   A tile only grows: the database refuses an update that shrinks it or changes a stored hash,
 *   and refuses DELETE and TRUNCATE. Proofs read O(log n) tiles in one query.
 * - merkle_log_state: the integrator's appender state (tree size, right-edge hashes, root), written
 *   in the same transaction as the tiles.
 * - log_checkpoints: every signed checkpoint, never updated or deleted, numbered 1, 2, 3 … without
 *   gaps (the signer assigns seq under its lock), so a deleted checkpoint shows as a hole.
 */
export class MerkleLog1764500000000 implements MigrationInterface {
  name = 'MerkleLog1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE merkle_tiles (
        level  smallint NOT NULL CHECK (level >= 0 AND level < 64),
        idx    bigint   NOT NULL CHECK (idx >= 0),
        width  smallint NOT NULL CHECK (width BETWEEN 1 AND 256),
        hashes bytea    NOT NULL,
        PRIMARY KEY (level, idx),
        CONSTRAINT merkle_tiles_width CHECK (length(hashes) = 32 * width)
      )`);
    await q.query(`
      CREATE FUNCTION merkle_tiles_only_grow() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP <> 'UPDATE' THEN
          RAISE EXCEPTION 'merkle_tiles is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF NEW.level <> OLD.level OR NEW.idx <> OLD.idx OR NEW.width < OLD.width
           OR substring(NEW.hashes FROM 1 FOR length(OLD.hashes)) <> OLD.hashes THEN
          RAISE EXCEPTION 'merkle tile %/% may only grow: a stored hash cannot change', OLD.level, OLD.idx
            USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER merkle_tiles_grow_only BEFORE UPDATE OR DELETE ON merkle_tiles
      FOR EACH ROW EXECUTE FUNCTION merkle_tiles_only_grow()`);
    await q.query(`
      CREATE TRIGGER merkle_tiles_no_truncate BEFORE TRUNCATE ON merkle_tiles
      FOR EACH STATEMENT EXECUTE FUNCTION merkle_tiles_only_grow()`);

    await q.query(`
      CREATE TABLE merkle_log_state (
        id         smallint    PRIMARY KEY CHECK (id = 1),
        tree_size  bigint      NOT NULL CHECK (tree_size >= 0),
        frontier   bytea       NOT NULL CHECK (length(frontier) % 32 = 0),
        root_hash  bytea       NOT NULL CHECK (length(root_hash) = 32),
        updated_at timestamptz NOT NULL
      )`);
    await q.query(`INSERT INTO merkle_log_state VALUES (1, 0, ''::bytea, sha256(''::bytea), now())`);

    await q.query(`
      CREATE TABLE log_checkpoints (
        seq       bigint      PRIMARY KEY CHECK (seq > 0),
        tree_size bigint      NOT NULL UNIQUE CHECK (tree_size > 0),
        root_hash bytea       NOT NULL CHECK (length(root_hash) = 32),
        key_id    text        NOT NULL,
        note      text        NOT NULL,
        signed_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE FUNCTION log_checkpoints_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'log_checkpoints is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER log_checkpoints_no_update_delete BEFORE UPDATE OR DELETE ON log_checkpoints
      FOR EACH ROW EXECUTE FUNCTION log_checkpoints_refuse_change()`);
    await q.query(`
      CREATE TRIGGER log_checkpoints_no_truncate BEFORE TRUNCATE ON log_checkpoints
      FOR EACH STATEMENT EXECUTE FUNCTION log_checkpoints_refuse_change()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE log_checkpoints`);
    await q.query(`DROP FUNCTION log_checkpoints_refuse_change()`);
    await q.query(`DROP TABLE merkle_log_state`);
    await q.query(`DROP TABLE merkle_tiles`);
    await q.query(`DROP FUNCTION merkle_tiles_only_grow()`);
  }
}
