import type { MigrationInterface, QueryRunner } from 'typeorm';
import { readModelSchemasWith } from '../read-model-schemas.js';

/**
 * When each custody holding becomes overdue, stored, so that "what is overdue now" is an index
 * range (`overdue_at < now`) instead of an evaluation of every holding: the earlier of the due
 * time of the transport carrying it (while in transit) and the due time of the disposal
 * instruction or contract end that binds its record (while open); null when nothing binds it.
 * Existing generations get the column and its values here; the projector keeps it from then on.
 */
export class CustodyOverdueAt1764900000000 implements MigrationInterface {
  name = 'CustodyOverdueAt1764900000000';

  async up(q: QueryRunner): Promise<void> {
    for (const schema of await readModelSchemasWith(q, 'custody_holdings')) {
      await q.query(`ALTER TABLE "${schema}".custody_holdings ADD COLUMN overdue_at timestamptz`);
      await q.query(`CREATE INDEX custody_holdings_overdue ON "${schema}".custody_holdings (contract_id, overdue_at) WHERE overdue_at IS NOT NULL`);
      if (schema === 'read_model_template') continue;
      await q.query(`
        UPDATE "${schema}".custody_holdings h
           SET overdue_at = LEAST(
             (SELECT t.due_at FROM "${schema}".custody_transports t
               WHERE h.state = 'in_transit' AND t.contract_id = h.contract_id AND t.record_id = h.record_id
                 AND t.transport_key = h.transport_key AND t.state = 'in_transit'),
             (SELECT min(d.due_at) FROM "${schema}".custody_disposal_orders d
                JOIN "${schema}".custody_records r ON r.contract_id = h.contract_id AND r.record_id = h.record_id
               WHERE d.contract_id = h.contract_id AND r.open_since IS NOT NULL AND d.at >= r.open_since
                 AND (d.record_ids IS NULL OR h.record_id = ANY(d.record_ids))))
         WHERE h.state IN ('held', 'in_transit')`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    const generations = (await q.query(`SELECT schema_name FROM read_model_generations`)) as Array<{ schema_name: string }>;
    for (const schema of ['read_model_template', ...generations.map((g) => g.schema_name)]) {
      await q.query(`ALTER TABLE IF EXISTS "${schema}".custody_holdings DROP COLUMN IF EXISTS overdue_at`);
    }
  }
}
