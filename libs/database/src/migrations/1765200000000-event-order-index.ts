import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A stream read in the judgement order (occurredAt, then position) from a place in it: how a
 * stored fold of a long record resumes without reading the record's whole history
 * (EventStore.readStreamInOrder).
 */
export class EventOrderIndex1765200000000 implements MigrationInterface {
  name = 'EventOrderIndex1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX ledger_events_stream_order ON ledger_events (stream_id, occurred_at, position)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ledger_events_stream_order`);
  }
}
