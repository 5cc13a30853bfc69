import { readModelSchemasWith } from '@ledger/database';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the contract view needs without reading every record of the contract (#11, #14):
 * - `handling_contract_counts`: how many records of a contract stand at each final status, kept by
 *   the projector in the statement that writes the records' heads;
 * - `handling_open`: every open obligation of the heads, one narrow row each (the heads' `open`,
 *   written by the same statement), in list order: the summary counts them without reading the
 *   records' large rows, and the first page of the list stops after a page;
 * - `handling_findings_list`: a contract's violation findings in list order, likewise;
 * - `handling_records_moving`: the records whose status can still move with the clock (not a final
 *   violation, an obligation open), with the three values "now" is judged from.
 * Existing generations get the table (filled from their records) and the indexes here; the
 * projector keeps the counts from then on.
 */
/** The rows of handling_open made from heads' `open` arrays (`contract`, `record`, `open`: SQL expressions over `from`). */
export function OPEN_ROWS_OF(contract: string, record: string, open: string, from: string): string {
  return `(contract_id, record_id, tie, first_at, first_pos, article, rule, party, event_ids, from_at, due_at, final,
           pending_ja, pending_en, overdue_ja, overdue_en)
    SELECT ${contract}, ${record}, -x.n, (x.v->>'firstAt')::bigint, (x.v->>'firstPos')::bigint, x.v->>'article', x.v->>'rule', x.v->>'party',
           ARRAY(SELECT json_array_elements_text(x.v->'eventIds')), (x.v->>'from')::bigint, (x.v->>'due')::bigint,
           coalesce(x.v->>'final' = 'violation', false),
           x.v->'pending'->>'ja', x.v->'pending'->>'en', x.v->'overdue'->>'ja', x.v->'overdue'->>'en'
      FROM ${from} CROSS JOIN LATERAL json_array_elements((${open})::json) WITH ORDINALITY AS x(v, n)`;
}

export class HandlingContractCounts1765400000000 implements MigrationInterface {
  name = 'HandlingContractCounts1765400000000';

  async up(q: QueryRunner): Promise<void> {
    for (const schema of await readModelSchemasWith(q, 'handling_records')) {
      await q.query(`
        CREATE TABLE "${schema}".handling_contract_counts (
          contract_id  text   NOT NULL,
          final_status text   NOT NULL CHECK (final_status IN ('violation', 'compliant', 'not_applicable')),
          n            bigint NOT NULL,
          PRIMARY KEY (contract_id, final_status)
        )`);
      await q.query(`
        CREATE TABLE "${schema}".handling_open (
          contract_id text    NOT NULL,
          record_id   text    NOT NULL,
          tie         bigint  NOT NULL,
          first_at    bigint  NOT NULL,
          first_pos   bigint  NOT NULL,
          article     text    NOT NULL,
          rule        text    NOT NULL,
          party       text    NOT NULL,
          event_ids   text[]  NOT NULL,
          from_at     bigint  NOT NULL,
          due_at      bigint,
          final       boolean NOT NULL,
          pending_ja  text    NOT NULL,
          pending_en  text    NOT NULL,
          overdue_ja  text    NOT NULL,
          overdue_en  text    NOT NULL
        )`);
      await q.query(`CREATE INDEX handling_open_list ON "${schema}".handling_open (contract_id, record_id, first_at, first_pos, tie)`);
      // The records whose status can still move with the clock, with what "now" needs: read without their large rows.
      await q.query(`
        CREATE INDEX handling_records_moving ON "${schema}".handling_records (contract_id) INCLUDE (final_status, pending_from, violation_from)
         WHERE final_status <> 'violation' AND (pending_from IS NOT NULL OR violation_from IS NOT NULL)`);
      await q.query(`
        CREATE INDEX handling_findings_list ON "${schema}".handling_findings (contract_id, record_id, first_at, first_pos, seq)
         WHERE valid_to IS NULL AND status = 'violation'`);
      if (schema === 'read_model_template') continue;
      await q.query(`
        INSERT INTO "${schema}".handling_contract_counts (contract_id, final_status, n)
        SELECT contract_id, final_status, count(*) FROM "${schema}".handling_records GROUP BY contract_id, final_status`);
      await q.query(`INSERT INTO "${schema}".handling_open ${OPEN_ROWS_OF('r.contract_id', 'r.record_id', 'r.open', `"${schema}".handling_records r`)}`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    const generations = (await q.query(`SELECT schema_name FROM read_model_generations`)) as Array<{ schema_name: string }>;
    for (const schema of ['read_model_template', ...generations.map((g) => g.schema_name)]) {
      if (!/^read_model_(template|g[0-9]+)$/.test(schema)) throw new Error(`unexpected read-model schema ${schema}`);
      await q.query(`DROP TABLE IF EXISTS "${schema}".handling_contract_counts`);
      await q.query(`DROP TABLE IF EXISTS "${schema}".handling_open`);
      await q.query(`DROP INDEX IF EXISTS "${schema}".handling_records_moving`);
      await q.query(`DROP INDEX IF EXISTS "${schema}".handling_findings_list`);
    }
  }
}
