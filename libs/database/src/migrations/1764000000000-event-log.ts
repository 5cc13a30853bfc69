import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The event log. Positions are contiguous (1, 2, 3 …) because one writer at a time appends under
 * an advisory lock; the Merkle log uses position - 1 as the leaf index. The database itself
 * refuses UPDATE, DELETE and TRUNCATE of events (a superuser could disable the triggers: the
 * Merkle log and signed checkpoints make that detectable).
 */
export class EventLog1764000000000 implements MigrationInterface {
  name = 'EventLog1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE ledger_events (
        position       bigint      PRIMARY KEY CHECK (position > 0),
        event_id       uuid        NOT NULL UNIQUE,
        stream_id      text        NOT NULL,
        stream_version integer     NOT NULL CHECK (stream_version >= 0),
        type           text        NOT NULL,
        contract_id    text        NOT NULL,
        record_id      text,
        occurred_at    timestamptz NOT NULL,
        recorded_at    timestamptz NOT NULL,
        canonical      text        NOT NULL,
        prev_hash      bytea,
        hash           bytea       NOT NULL,
        CONSTRAINT ledger_events_stream_version UNIQUE (stream_id, stream_version)
      )`);
    await q.query(`CREATE INDEX ledger_events_contract ON ledger_events (contract_id, position)`);
    await q.query(`
      CREATE FUNCTION ledger_events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'ledger_events is append-only: % refused', TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER ledger_events_no_update_delete BEFORE UPDATE OR DELETE ON ledger_events
      FOR EACH ROW EXECUTE FUNCTION ledger_events_refuse_change()`);
    await q.query(`
      CREATE TRIGGER ledger_events_no_truncate BEFORE TRUNCATE ON ledger_events
      FOR EACH STATEMENT EXECUTE FUNCTION ledger_events_refuse_change()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ledger_events`);
    await q.query(`DROP FUNCTION ledger_events_refuse_change()`);
  }
}
