import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The contract directory (read model `contracts`): one row per registered contract, so that a
 * reader can list the contracts a key may see (the console's overview) without scanning the log.
 */
export class ContractDirectoryReadModel1765300000001 implements MigrationInterface {
  name = 'ContractDirectoryReadModel1765300000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE read_model_template.contract_directory (
        contract_id    text   PRIMARY KEY,
        contractor_id  text   NOT NULL,
        title          text   NOT NULL,
        term_start     text   NOT NULL,
        term_end       text   NOT NULL,
        ended_at       text,
        registered_pos bigint NOT NULL,
        last_pos       bigint NOT NULL
      )`);
    await q.query(`CREATE INDEX contract_directory_contractor ON read_model_template.contract_directory (contractor_id, contract_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS read_model_template.contract_directory`);
  }
}
