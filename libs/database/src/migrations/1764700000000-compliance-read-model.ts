import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The compliance read model (docs/compliance.md "The read model"), in `read_model_template` like
 * every read model: each generation `read_model_g<N>` copies these tables when the projector
 * first runs the compliance projection (it then catches up from position 0).
 *
 * Record IDs are ordered with the "C" collation, so that SQL pages and the answers computed in
 * memory (past asOf/knownAt, from the streams) sort findings the same way.
 */
export class ComplianceReadModel1764700000000 implements MigrationInterface {
  name = 'ComplianceReadModel1764700000000';

  async up(q: QueryRunner): Promise<void> {
    // One row per contract: how many records are in each base status (open obligations counted as
    // pending; they turn into violations at query time once their due time has passed).
    await q.query(`
      CREATE TABLE read_model_template.compliance_contracts (
        contract_id      text    PRIMARY KEY,
        records          integer NOT NULL DEFAULT 0 CHECK (records >= 0),
        n_violation      integer NOT NULL DEFAULT 0 CHECK (n_violation >= 0),
        n_pending        integer NOT NULL DEFAULT 0 CHECK (n_pending >= 0),
        n_compliant      integer NOT NULL DEFAULT 0 CHECK (n_compliant >= 0),
        n_not_applicable integer NOT NULL DEFAULT 0 CHECK (n_not_applicable >= 0)
      )`);
    // One row per record with at least one event.
    await q.query(`
      CREATE TABLE read_model_template.compliance_records (
        contract_id     text        NOT NULL,
        record_id       text        COLLATE "C" NOT NULL,
        base_status     text        NOT NULL CHECK (base_status IN ('compliant', 'pending', 'violation', 'not_applicable')),
        next_due_at     timestamptz,
        max_occurred_at timestamptz NOT NULL,
        last_position   bigint      NOT NULL,
        PRIMARY KEY (contract_id, record_id)
      )`);
    await q.query(`CREATE INDEX compliance_records_due ON read_model_template.compliance_records (contract_id, base_status, next_due_at)`);
    await q.query(`CREATE INDEX compliance_records_latest ON read_model_template.compliance_records (contract_id, max_occurred_at)`);
    // Every finding of a record that is a violation, or an obligation still open (pending until
    // due_at, a violation after it), in the order of the record's verdict (seq).
    await q.query(`
      CREATE TABLE read_model_template.compliance_findings (
        contract_id     text        NOT NULL,
        record_id       text        COLLATE "C" NOT NULL,
        seq             integer     NOT NULL,
        article         text        NOT NULL,
        rule            text        NOT NULL,
        open            boolean     NOT NULL,
        due_at          timestamptz,
        event_ids       text[]      NOT NULL,
        message         jsonb       NOT NULL,
        pending_message jsonb,
        PRIMARY KEY (contract_id, record_id, seq),
        CHECK (NOT open OR due_at IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX compliance_findings_rule ON read_model_template.compliance_findings (contract_id, rule, record_id, seq)`);
    await q.query(`CREATE INDEX compliance_findings_article ON read_model_template.compliance_findings (contract_id, article, record_id, seq)`);
    // Who and what a record's events involve, to find the records a contract event can change:
    // `w:<workerId>` (a worker acted), `s:<subcontractorId>` (a subcontractor acted), `m` (My Number collected).
    await q.query(`
      CREATE TABLE read_model_template.compliance_record_tags (
        contract_id text NOT NULL,
        tag         text NOT NULL,
        record_id   text COLLATE "C" NOT NULL,
        PRIMARY KEY (contract_id, tag, record_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    const generations = (await q.query(`SELECT schema_name FROM read_model_generations`)) as Array<{ schema_name: string }>;
    for (const table of ['compliance_record_tags', 'compliance_findings', 'compliance_records', 'compliance_contracts']) {
      for (const { schema_name } of generations) await q.query(`DROP TABLE IF EXISTS "${schema_name}".${table}`);
      await q.query(`DROP TABLE IF EXISTS read_model_template.${table}`);
    }
  }
}
