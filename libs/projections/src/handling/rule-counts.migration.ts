import { readModelSchemasWith } from '@ledger/database';
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
    for (const schema of await readModelSchemasWith(q, 'handling_findings')) {
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
    for (const schema of await readModelSchemasWith(q, 'handling_rule_counts')) {
      await q.query(`DROP TABLE IF EXISTS "${schema}".handling_rule_counts`);
    }
  }
}
