import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sessions of the officers' and auditors' console (docs/console.md "Sessions"): the cookie holds a
 * random token, the table only its SHA-256; each session remembers the digest of the API key it
 * was opened with, so that it ends with that key (revoked, expired, or its old secret past the
 * rotation grace). In the database, so that every API process honours every session.
 */
export class ConsoleSessions1765300000000 implements MigrationInterface {
  name = 'ConsoleSessions1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE console_sessions (
        token_digest bytea       PRIMARY KEY,
        key_digest   bytea       NOT NULL,
        key_id       text        NOT NULL,
        csrf         text        NOT NULL,
        created_at   timestamptz NOT NULL,
        seen_at      timestamptz NOT NULL,
        expires_at   timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX console_sessions_expiry ON console_sessions (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE console_sessions`);
  }
}
