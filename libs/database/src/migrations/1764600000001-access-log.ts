import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who read custody or compliance (docs/custody.md "Access log"). An audit record, not a read
 * model: never rebuilt, and the database refuses UPDATE, DELETE and TRUNCATE of it.
 */
export class AccessLog1764600000001 implements MigrationInterface {
  name = 'AccessLog1764600000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE access_log (
        id          bigserial   PRIMARY KEY,
        at          timestamptz NOT NULL,
        key_id      text        NOT NULL,
        role        text        NOT NULL,
        method      text        NOT NULL,
        route       text        NOT NULL,
        contract_id text,
        record_id   text,
        as_of       text,
        known_at    text,
        query       jsonb       NOT NULL DEFAULT '{}'::jsonb,
        status      integer     NOT NULL
      )`);
    await q.query(`CREATE INDEX access_log_contract ON access_log (contract_id, record_id, id)`);
    await q.query(`CREATE INDEX access_log_key ON access_log (key_id, id)`);
    await q.query(`CREATE INDEX access_log_at ON access_log (at)`);
    await q.query(`
      CREATE FUNCTION access_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'access_log is append-only: % refused', TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER access_log_no_update_delete BEFORE UPDATE OR DELETE ON access_log
      FOR EACH ROW EXECUTE FUNCTION access_log_refuse_change()`);
    await q.query(`
      CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON access_log
      FOR EACH STATEMENT EXECUTE FUNCTION access_log_refuse_change()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE access_log`);
    await q.query(`DROP FUNCTION access_log_refuse_change()`);
  }
}
