import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The handling read model's documents (a head's and a key-snapshot's fold state, a head's open
 * obligations, a custody step, a holding's view) are stored as `json`, not `jsonb` (#14): the
 * projector writes one per record per batch and the answers read them whole, and PostgreSQL
 * parses a `jsonb` value into its binary form on every write and prints it back on every read,
 * which cost the projector about as much CPU in PostgreSQL as all its statements' execution (a
 * `json` value is checked and kept as written: measured 4× cheaper to write). No SQL looks inside
 * these documents except one page of the contract view, and `->` works on `json` alike.
 *
 * Only the template changes: a generation built before this migration keeps its `jsonb` columns
 * (PostgreSQL casts `json` to `jsonb` on assignment, so the projector still writes them) until the
 * next rebuild (`npx ledger rebuild`), which builds the new generation from the template.
 */
export class HandlingJsonColumns1765500000000 implements MigrationInterface {
  name = 'HandlingJsonColumns1765500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE read_model_template.handling_records ALTER COLUMN state TYPE json USING state::json, ALTER COLUMN open TYPE json USING open::json`);
    await q.query(`ALTER TABLE read_model_template.handling_snapshots ALTER COLUMN state TYPE json USING state::json`);
    await q.query(`ALTER TABLE read_model_template.handling_steps ALTER COLUMN step TYPE json USING step::json`);
    await q.query(`ALTER TABLE read_model_template.handling_holdings ALTER COLUMN view TYPE json USING view::json`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE read_model_template.handling_records ALTER COLUMN state TYPE jsonb USING state::jsonb, ALTER COLUMN open TYPE jsonb USING open::jsonb`);
    await q.query(`ALTER TABLE read_model_template.handling_snapshots ALTER COLUMN state TYPE jsonb USING state::jsonb`);
    await q.query(`ALTER TABLE read_model_template.handling_steps ALTER COLUMN step TYPE jsonb USING step::jsonb`);
    await q.query(`ALTER TABLE read_model_template.handling_holdings ALTER COLUMN view TYPE jsonb USING view::jsonb`);
  }
}
