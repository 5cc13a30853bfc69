import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the contract view needs without reading every record of the contract (#11, #14):
 * - `handling_contract_counts`: how many records of a contract stand at each final status, kept by
 *   the projector in the statement that writes the records' heads;
 * - `handling_records_open`: the records that have open obligations (their status moves with the
 *   clock), so that "now" is judged over those only;
 * - `handling_findings_list`: a contract's violation findings in list order, so that the first
 *   page of the list stops after a page.
 * Existing generations get the table (filled from their records) and the indexes here; the
 * projector keeps the counts from then on.
 */
export class HandlingContractCounts1765400000000 implements MigrationInterface {
  name = 'HandlingContractCounts1765400000000';

  async up(q: QueryRunner): Promise<void> {
    const generations = (await q.query(`SELECT schema_name FROM read_model_generations ORDER BY generation`)) as Array<{ schema_name: string }>;
    for (const schema of ['read_model_template', ...generations.map((g) => g.schema_name)]) {
      if (!/^read_model_(template|g[0-9]+)$/.test(schema)) throw new Error(`unexpected read-model schema ${schema}`);
      const exists = (await q.query(
        `SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'handling_records'`,
        [schema],
      )) as unknown[];
      if (exists.length === 0) continue;
      await q.query(`
        CREATE TABLE "${schema}".handling_contract_counts (
          contract_id  text   NOT NULL,
          final_status text   NOT NULL CHECK (final_status IN ('violation', 'compliant', 'not_applicable')),
          n            bigint NOT NULL,
          PRIMARY KEY (contract_id, final_status)
        )`);
      await q.query(`CREATE INDEX handling_records_open ON "${schema}".handling_records (contract_id, record_id) WHERE open <> '[]'::jsonb`);
      await q.query(`
        CREATE INDEX handling_findings_list ON "${schema}".handling_findings (contract_id, record_id, first_at, first_pos, seq)
         WHERE valid_to IS NULL AND status = 'violation'`);
      if (schema === 'read_model_template') continue;
      await q.query(`
        INSERT INTO "${schema}".handling_contract_counts (contract_id, final_status, n)
        SELECT contract_id, final_status, count(*) FROM "${schema}".handling_records GROUP BY contract_id, final_status`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    const generations = (await q.query(`SELECT schema_name FROM read_model_generations`)) as Array<{ schema_name: string }>;
    for (const schema of ['read_model_template', ...generations.map((g) => g.schema_name)]) {
      if (!/^read_model_(template|g[0-9]+)$/.test(schema)) throw new Error(`unexpected read-model schema ${schema}`);
      await q.query(`DROP TABLE IF EXISTS "${schema}".handling_contract_counts`);
      await q.query(`DROP INDEX IF EXISTS "${schema}".handling_records_open`);
      await q.query(`DROP INDEX IF EXISTS "${schema}".handling_findings_list`);
    }
  }
}
