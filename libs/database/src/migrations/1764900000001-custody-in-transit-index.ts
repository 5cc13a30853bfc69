import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Holdings are rewritten at each custody event, and nearly every event changes a holding's state:
 * an index on (contract, state, …) cost an index entry per write for a filter the primary key
 * serves (a contract's holdings in order, filtered). What needs an index is "in transit now": a
 * small partial one. Applied to the template and to every existing generation.
 */
export class CustodyInTransitIndex1764900000001 implements MigrationInterface {
  name = 'CustodyInTransitIndex1764900000001';

  async up(q: QueryRunner): Promise<void> {
    for (const schema of await schemas(q)) {
      await q.query(`DROP INDEX IF EXISTS "${schema}".custody_holdings_state`);
      await q.query(
        `CREATE INDEX custody_holdings_in_transit ON "${schema}".custody_holdings (contract_id, record_id, holding_key) WHERE state = 'in_transit'`,
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const schema of await schemas(q)) {
      await q.query(`DROP INDEX IF EXISTS "${schema}".custody_holdings_in_transit`);
      await q.query(`CREATE INDEX custody_holdings_state ON "${schema}".custody_holdings (contract_id, state, record_id, holding_key)`);
    }
  }
}

async function schemas(q: QueryRunner): Promise<string[]> {
  const rows = (await q.query(
    `SELECT table_schema FROM information_schema.tables
      WHERE table_name = 'custody_holdings' AND table_schema ~ '^read_model_(template|g[0-9]+)$' ORDER BY 1`,
  )) as Array<{ table_schema: string }>;
  return rows.map((r) => r.table_schema);
}
