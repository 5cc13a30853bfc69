import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Read models (docs/custody.md "Projector" and "Rebuild").
 *
 * `read_model_template` holds the canonical shape of every read-model table and is never written
 * to. Each generation of the read models is a schema `read_model_g<N>` whose tables are created
 * `LIKE read_model_template.<table> INCLUDING ALL`; `read_model_generations` says which one serves
 * (`active`), which one a rebuild is filling (`building`) and which were replaced (`retired`).
 * A later migration that changes a read-model table changes the template (and, if the change must
 * reach the serving generation before a rebuild, that generation too).
 */
export class ReadModels1764600000000 implements MigrationInterface {
  name = 'ReadModels1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE read_model_generations (
        generation   integer     PRIMARY KEY CHECK (generation > 0),
        schema_name  text        NOT NULL UNIQUE CHECK (schema_name ~ '^read_model_g[0-9]+$'),
        status       text        NOT NULL CHECK (status IN ('building', 'active', 'retired')),
        created_at   timestamptz NOT NULL DEFAULT now(),
        activated_at timestamptz,
        retired_at   timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX read_model_generations_one_active ON read_model_generations (status) WHERE status = 'active'`);
    await q.query(`CREATE UNIQUE INDEX read_model_generations_one_building ON read_model_generations (status) WHERE status = 'building'`);

    await q.query(`CREATE SCHEMA read_model_template`);
    await q.query(`
      CREATE TABLE read_model_template.projection_checkpoints (
        projection text   PRIMARY KEY,
        position   bigint NOT NULL CHECK (position >= 0)
      )`);

    // Custody (libs/projections/src/custody): one row per record, holding, transport, contract
    // and disposal order. Times are instants; history is the holding's steps as answered.
    await q.query(`
      CREATE TABLE read_model_template.custody_records (
        contract_id      text        NOT NULL,
        record_id        text        NOT NULL,
        open_since       timestamptz,
        last_occurred_at timestamptz,
        last_position    bigint,
        PRIMARY KEY (contract_id, record_id)
      )`);
    await q.query(`
      CREATE TABLE read_model_template.custody_holdings (
        contract_id   text        NOT NULL,
        record_id     text        NOT NULL,
        holding_key   text        NOT NULL,
        copy_id       text,
        copied_from   jsonb,
        medium        text,
        state         text        NOT NULL CHECK (state IN ('held', 'in_transit', 'returned', 'disposed')),
        location      text,
        holder        jsonb,
        since         timestamptz NOT NULL,
        transport_key text,
        history       jsonb       NOT NULL,
        PRIMARY KEY (contract_id, record_id, holding_key)
      )`);
    await q.query(`CREATE INDEX custody_holdings_state ON read_model_template.custody_holdings (contract_id, state, record_id, holding_key)`);
    await q.query(`
      CREATE TABLE read_model_template.custody_transports (
        contract_id         text        NOT NULL,
        record_id           text        NOT NULL,
        transport_key       text        NOT NULL,
        transport_id        text        NOT NULL,
        copy_id             text,
        from_location       text,
        to_location         text,
        carrier_id          text,
        medium              text,
        safeguards          text[],
        started_at          timestamptz,
        expected_arrival_at timestamptz,
        due_at              timestamptz,
        completed_at        timestamptz,
        received_by         text,
        state               text        NOT NULL CHECK (state IN ('in_transit', 'completed')),
        opened_at           timestamptz NOT NULL,
        opened_position     bigint      NOT NULL,
        PRIMARY KEY (contract_id, record_id, transport_key)
      )`);
    await q.query(`CREATE INDEX custody_transports_due ON read_model_template.custody_transports (contract_id, state, due_at)`);
    await q.query(`
      CREATE TABLE read_model_template.custody_contracts (
        contract_id text  PRIMARY KEY,
        facts       jsonb NOT NULL
      )`);
    await q.query(`
      CREATE TABLE read_model_template.custody_disposal_orders (
        contract_id text        NOT NULL,
        event_id    text        NOT NULL,
        type        text        NOT NULL CHECK (type IN ('DisposalInstructed', 'ContractEnded')),
        occurred_at text        NOT NULL,
        at          timestamptz NOT NULL,
        position    bigint      NOT NULL,
        record_ids  text[],
        due_at      timestamptz NOT NULL,
        PRIMARY KEY (contract_id, event_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    const generations = (await q.query(`SELECT schema_name FROM read_model_generations`)) as Array<{ schema_name: string }>;
    for (const { schema_name } of generations) await q.query(`DROP SCHEMA IF EXISTS "${schema_name}" CASCADE`);
    await q.query(`DROP SCHEMA read_model_template CASCADE`);
    await q.query(`DROP TABLE read_model_generations`);
  }
}
