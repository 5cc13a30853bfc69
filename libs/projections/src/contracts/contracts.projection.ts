/**
 * The contract directory: every registered contract with its contractor, title and term, and
 * when it ended (the first ContractEnded). Only contract events of three types touch it, so a
 * batch costs one statement per such event and nothing for the rest.
 */
import type { RecordedEvent } from '@ledger/domain';
import type { Projection, ProjectionTransaction } from '../runner/projection.js';
import { ContractDirectoryReadModel1765300000001 } from './contracts.migration.js';

export const CONTRACTS_PROJECTION = 'contracts';
export const CONTRACTS_TABLES = ['contract_directory'];

async function applyOne(recorded: RecordedEvent, tx: ProjectionTransaction): Promise<void> {
  const event = recorded.event;
  if (event.type === 'ContractRegistered') {
    // A second registration is refused at the door; the first one recorded wins here too.
    await tx.query(
      `INSERT INTO contract_directory (contract_id, contractor_id, title, term_start, term_end, ended_at, registered_pos, last_pos)
       VALUES ($1, $2, $3, $4, $5, NULL, $6, $6) ON CONFLICT (contract_id) DO NOTHING`,
      [event.contractId, event.data.contractorId, event.data.title, event.data.term.start, event.data.term.end, recorded.position],
    );
  } else if (event.type === 'ContractAmended' && event.data.term !== undefined) {
    await tx.query(`UPDATE contract_directory SET term_start = $2, term_end = $3, last_pos = $4 WHERE contract_id = $1`, [
      event.contractId, event.data.term.start, event.data.term.end, recorded.position,
    ]);
  } else if (event.type === 'ContractEnded') {
    await tx.query(`UPDATE contract_directory SET ended_at = COALESCE(ended_at, $2), last_pos = $3 WHERE contract_id = $1`, [
      event.contractId, event.occurredAt, recorded.position,
    ]);
  }
}

export const contractsProjection: Projection<null> = {
  name: CONTRACTS_PROJECTION,
  tables: CONTRACTS_TABLES,
  migrations: [ContractDirectoryReadModel1765300000001],
  createCache: () => null,
  async apply(events, tx) {
    for (const recorded of events) {
      const type = recorded.event.type;
      if (type === 'ContractRegistered' || type === 'ContractAmended' || type === 'ContractEnded') await applyOne(recorded, tx);
    }
  },
};
