import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The handling read model (docs/handling-model.md "Stored folds"), in read_model_template; each
 * generation copies these tables. Instants and judgement keys are epoch milliseconds (bigint) so
 * that they order exactly as the fold does; `valid_from`/`valid_to` are log positions: a row holds
 * for a knownAt cut at position K when valid_from ≤ K < valid_to (null: still valid). A late event
 * never rewrites a row: it closes the rows after its place and writes new ones.
 *
 * It replaces the custody and compliance read models of the first wave (one fold serves both):
 * their template tables are dropped; a serving generation keeps its old tables until a rebuild.
 */
export class HandlingReadModel1765200000001 implements MigrationInterface {
  name = 'HandlingReadModel1765200000001';

  async up(q: QueryRunner): Promise<void> {
    for (const table of [
      'custody_records', 'custody_holdings', 'custody_transports', 'custody_contracts', 'custody_orders',
      'compliance_contracts', 'compliance_records', 'compliance_findings', 'compliance_record_tags',
    ]) {
      await q.query(`DROP TABLE IF EXISTS read_model_template.${table}`);
    }
    // One row per record: the fold at its last event (the head), and what the contract view counts.
    await q.query(`
      CREATE TABLE read_model_template.handling_records (
        contract_id     text    NOT NULL,
        record_id       text    NOT NULL,
        state           jsonb   NOT NULL,
        last_at         bigint  NOT NULL,
        last_pos        bigint  NOT NULL,
        events          bigint  NOT NULL,
        max_position    bigint  NOT NULL,
        final_status    text    NOT NULL CHECK (final_status IN ('violation', 'compliant', 'not_applicable')),
        pending_from    bigint,
        violation_from  bigint,
        open            jsonb   NOT NULL,
        tags            text[]  NOT NULL,
        snapshot_events bigint  NOT NULL,
        next_seq        bigint  NOT NULL,
        PRIMARY KEY (contract_id, record_id)
      )`);
    await q.query(`CREATE INDEX handling_records_last ON read_model_template.handling_records (contract_id, last_at, last_pos)`);
    await q.query(`CREATE INDEX handling_records_tags ON read_model_template.handling_records USING gin (tags)`);
    await q.query(`CREATE INDEX handling_records_due ON read_model_template.handling_records (contract_id, violation_from) WHERE violation_from IS NOT NULL`);
    await q.query(`CREATE INDEX handling_records_pending ON read_model_template.handling_records (contract_id, pending_from) WHERE pending_from IS NOT NULL`);
    // The fold every so many events of a record, in the judgement order.
    await q.query(`
      CREATE TABLE read_model_template.handling_snapshots (
        contract_id text   NOT NULL,
        record_id   text   NOT NULL,
        seq         bigint NOT NULL,
        key_at      bigint NOT NULL,
        key_pos     bigint NOT NULL,
        events      bigint NOT NULL,
        valid_from  bigint NOT NULL,
        valid_to    bigint,
        state       jsonb  NOT NULL,
        PRIMARY KEY (contract_id, record_id, seq)
      )`);
    await q.query(`CREATE INDEX handling_snapshots_key ON read_model_template.handling_snapshots (contract_id, record_id, key_at, key_pos)`);
    // Every final finding of a record (a violation, or an obligation closed), where the fold made it.
    await q.query(`
      CREATE TABLE read_model_template.handling_findings (
        contract_id text    NOT NULL,
        record_id   text    NOT NULL,
        seq         bigint  NOT NULL,
        article     text    NOT NULL,
        rule        text    NOT NULL,
        status      text    NOT NULL CHECK (status IN ('violation', 'compliant')),
        party       text    NOT NULL CHECK (party IN ('contractor', 'city')),
        fin_at      bigint  NOT NULL,
        fin_pos     bigint  NOT NULL,
        first_at    bigint  NOT NULL,
        first_pos   bigint  NOT NULL,
        due_at      bigint,
        event_ids   text[]  NOT NULL,
        message_ja  text    NOT NULL,
        message_en  text    NOT NULL,
        valid_from  bigint  NOT NULL,
        valid_to    bigint,
        PRIMARY KEY (contract_id, record_id, seq)
      )`);
    await q.query(`CREATE INDEX handling_findings_record ON read_model_template.handling_findings (contract_id, record_id, article, fin_at, fin_pos, seq)`);
    await q.query(`CREATE INDEX handling_findings_contract ON read_model_template.handling_findings (contract_id, status, article, rule) WHERE valid_to IS NULL`);
    // Every custody step of a record (an event that changed or touched a holding).
    await q.query(`
      CREATE TABLE read_model_template.handling_steps (
        contract_id text   NOT NULL,
        record_id   text   NOT NULL,
        seq         bigint NOT NULL,
        holding     text   NOT NULL,
        key_at      bigint NOT NULL,
        key_pos     bigint NOT NULL,
        step        jsonb  NOT NULL,
        valid_from  bigint NOT NULL,
        valid_to    bigint,
        PRIMARY KEY (contract_id, record_id, seq)
      )`);
    await q.query(`CREATE INDEX handling_steps_holding ON read_model_template.handling_steps (contract_id, record_id, holding, key_at, key_pos, seq)`);
    // The holdings as they stand after every known event: what a contract's holdings list reads.
    await q.query(`
      CREATE TABLE read_model_template.handling_holdings (
        contract_id text   NOT NULL,
        record_id   text   NOT NULL,
        holding     text   NOT NULL,
        state       text   NOT NULL CHECK (state IN ('held', 'in_transit', 'returned', 'disposed')),
        overdue_at  bigint,
        view        jsonb  NOT NULL,
        PRIMARY KEY (contract_id, record_id, holding)
      )`);
    await q.query(`CREATE INDEX handling_holdings_state ON read_model_template.handling_holdings (contract_id, state, record_id, holding)`);
    await q.query(`CREATE INDEX handling_holdings_overdue ON read_model_template.handling_holdings (contract_id, overdue_at) WHERE overdue_at IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['handling_records', 'handling_snapshots', 'handling_findings', 'handling_steps', 'handling_holdings']) {
      await q.query(`DROP TABLE IF EXISTS read_model_template.${table}`);
    }
  }
}
