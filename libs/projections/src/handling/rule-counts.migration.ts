import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `handling_rule_counts`: per contract, article and rule, how many violation findings hold now
 * (valid_to IS NULL), kept by the projector in the statements that insert findings and that close
 * them after a late event. The contract view's summary reads these counts instead of counting a
 * contract's violation findings on every request (#11: that work grew with the contract's
 * violations). Existing generations get the table filled from their findings.
 */
export class HandlingRuleCounts1765500000001 implements MigrationInterface {
  name = 'HandlingRuleCounts1765500000001';

  async up(q: QueryRunner): Promise<void> {
    const generations = (await q.query(`SELECT schema_name FROM read_model_generations ORDER BY generation`)) as Array<{ schema_name: string }>;
    for (const schema of ['read_model_template', ...generations.map((g) => g.schema_name)]) {
      if (!/^read_model_(template|g[0-9]+)$/.test(schema)) throw new Error(`unexpected read-model schema ${schema}`);
      const exists = (await q.query(
        `SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'handling_findings'`,
        [schema],
      )) as unknown[];
      if (exists.length === 0) continue;
      await q.query(`
        CREATE TABLE "${schema}".handling_rule_counts (
          contract_id text   NOT NULL,
          article     text   NOT NULL,
          rule        text   NOT NULL,
          violations  bigint NOT NULL,
          PRIMARY KEY (contract_id, article, rule)
        )`);
      if (schema === 'read_model_template') continue;
      await q.query(`
        INSERT INTO "${schema}".handling_rule_counts (contract_id, article, rule, violations)
        SELECT contract_id, article, rule, count(*) FROM "${schema}".handling_findings
         WHERE valid_to IS NULL AND status = 'violation' GROUP BY contract_id, article, rule`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    const generations = (await q.query(`SELECT schema_name FROM read_model_generations`)) as Array<{ schema_name: string }>;
    for (const schema of ['read_model_template', ...generations.map((g) => g.schema_name)]) {
      if (!/^read_model_(template|g[0-9]+)$/.test(schema)) throw new Error(`unexpected read-model schema ${schema}`);
      await q.query(`DROP TABLE IF EXISTS "${schema}".handling_rule_counts`);
    }
  }
}
