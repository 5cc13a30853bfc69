import { readModelSchemasWith } from '@ledger/database';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A record's tags (the workers, subcontractors and recipients its events name, My Number: what a
 * contract event aimed by tag finds it by) move to `handling_record_tags`, one row per tag, written
 * only when a record gains one (#14). On the heads' row they were a `text[]` with a GIN index, and
 * the heads' row is rewritten for every record a batch touches (never a HOT update: `last_at`
 * moves), so every batch inserted every touched record's tags into the GIN index again, although
 * a record's tags almost never change after its first events.
 *
 * Key (contract_id, tag, record_id): the records of a contract with a tag are a range, in record
 * order; the second index reads one record's tags. Existing generations get the table filled from
 * their heads' column, which is then dropped (its GIN index with it).
 */
export class HandlingRecordTags1765600000000 implements MigrationInterface {
  name = 'HandlingRecordTags1765600000000';

  async up(q: QueryRunner): Promise<void> {
    for (const schema of await readModelSchemasWith(q, 'handling_records')) {
      await q.query(`
        CREATE TABLE "${schema}".handling_record_tags (
          contract_id text NOT NULL,
          tag         text NOT NULL,
          record_id   text NOT NULL,
          PRIMARY KEY (contract_id, tag, record_id)
        )`);
      await q.query(`CREATE INDEX handling_record_tags_record ON "${schema}".handling_record_tags (contract_id, record_id, tag)`);
      if (schema !== 'read_model_template') {
        await q.query(`
          INSERT INTO "${schema}".handling_record_tags (contract_id, tag, record_id)
          SELECT DISTINCT r.contract_id, t.tag, r.record_id FROM "${schema}".handling_records r CROSS JOIN LATERAL unnest(r.tags) AS t(tag)`);
      }
      await q.query(`ALTER TABLE "${schema}".handling_records DROP COLUMN tags`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const schema of await readModelSchemasWith(q, 'handling_record_tags')) {
      await q.query(`ALTER TABLE "${schema}".handling_records ADD COLUMN tags text[] NOT NULL DEFAULT '{}'`);
      await q.query(`ALTER TABLE "${schema}".handling_records ALTER COLUMN tags DROP DEFAULT`);
      await q.query(`
        UPDATE "${schema}".handling_records r SET tags = t.tags
          FROM (SELECT contract_id, record_id, array_agg(tag ORDER BY tag) AS tags FROM "${schema}".handling_record_tags GROUP BY 1, 2) t
         WHERE r.contract_id = t.contract_id AND r.record_id = t.record_id`);
      await q.query(`CREATE INDEX handling_records_tags ON "${schema}".handling_records USING gin (tags)`);
      await q.query(`DROP TABLE "${schema}".handling_record_tags`);
    }
  }
}
