import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Credentials bound to parties (EVENTS.md v2, docs/security.md): an API key's party, its contract
 * scope, expiry and rotation (the previous secret's digest stays valid until a grace deadline);
 * random key IDs for the bootstrap keys, remembered by digest so they stay the same across
 * restarts; and the parties' signing keys with their validity intervals. A signing key is never
 * deleted and its public key and start never change (a trigger refuses it): events signed years
 * ago must still verify, and an interval may only be closed, once.
 */
export class PartyCredentials1765100000000 implements MigrationInterface {
  name = 'PartyCredentials1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE api_keys
        ADD COLUMN party                text        NOT NULL DEFAULT 'city',
        ADD COLUMN contracts            text[],
        ADD COLUMN expires_at           timestamptz,
        ADD COLUMN previous_digest      bytea       UNIQUE,
        ADD COLUMN previous_valid_until timestamptz,
        ADD COLUMN rotated_at           timestamptz,
        ADD COLUMN rotated_by           text`);
    await q.query(`
      CREATE TABLE bootstrap_api_keys (
        digest        bytea       PRIMARY KEY,
        key_id        text        NOT NULL UNIQUE,
        first_seen_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE signing_keys (
        key_id      text        PRIMARY KEY,
        party       text        NOT NULL,
        public_key  text        NOT NULL UNIQUE,
        label       text        NOT NULL,
        valid_from  timestamptz NOT NULL,
        valid_until timestamptz CHECK (valid_until IS NULL OR valid_until >= valid_from),
        ended       text        CHECK (ended IN ('rotated', 'revoked')),
        replaced_by text        REFERENCES signing_keys (key_id),
        created_at  timestamptz NOT NULL,
        created_by  text        NOT NULL,
        ended_by    text
      )`);
    await q.query(`CREATE INDEX signing_keys_party ON signing_keys (party, valid_from)`);
    await q.query(`
      CREATE FUNCTION signing_keys_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          RAISE EXCEPTION 'signing keys are never deleted (events signed with them must still verify)' USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF NEW.key_id <> OLD.key_id OR NEW.party <> OLD.party OR NEW.public_key <> OLD.public_key OR NEW.valid_from <> OLD.valid_from
           OR (OLD.valid_until IS NOT NULL AND NEW.valid_until IS DISTINCT FROM OLD.valid_until) THEN
          RAISE EXCEPTION 'a signing key''s party, public key and start never change, and its end is set once' USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER signing_keys_guard BEFORE UPDATE OR DELETE ON signing_keys
      FOR EACH ROW EXECUTE FUNCTION signing_keys_guard()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE signing_keys`);
    await q.query(`DROP FUNCTION signing_keys_guard()`);
    await q.query(`DROP TABLE bootstrap_api_keys`);
    await q.query(`
      ALTER TABLE api_keys
        DROP COLUMN party, DROP COLUMN contracts, DROP COLUMN expires_at, DROP COLUMN previous_digest,
        DROP COLUMN previous_valid_until, DROP COLUMN rotated_at, DROP COLUMN rotated_by`);
  }
}
