import type { MigrationInterface, QueryRunner } from 'typeorm';

/** API keys an admin creates and revokes (bootstrap keys stay in LEDGER_API_KEYS). Only digests are stored. */
export class ApiKeys1764800000000 implements MigrationInterface {
  name = 'ApiKeys1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE api_keys (
        key_id      text        PRIMARY KEY,
        role        text        NOT NULL CHECK (role IN ('feed', 'officer', 'auditor', 'admin')),
        label       text        NOT NULL,
        digest      bytea       NOT NULL UNIQUE,
        created_at  timestamptz NOT NULL,
        created_by  text        NOT NULL,
        revoked_at  timestamptz,
        revoked_by  text
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE api_keys`);
  }
}
