import { randomUUID } from 'node:crypto';
import type { LedgerEvent } from '@ledger/domain';

/** Small valid events for the contract suite: what a store does must not depend on the type. */
export function recordUsed(contractId: string, recordId: string, purpose = 'operation', eventId = randomUUID()): LedgerEvent {
  return {
    eventId,
    type: 'RecordUsed',
    contractId,
    recordId,
    occurredAt: '2026-04-01T09:00:00+09:00',
    actor: { org: 'contractor', workerId: 'W-1' },
    data: { purpose },
  };
}

export function workerBriefed(contractId: string, workerId: string, eventId = randomUUID()): LedgerEvent {
  return {
    eventId,
    type: 'WorkerBriefed',
    contractId,
    occurredAt: '2026-04-01T09:00:00+09:00',
    actor: { org: 'contractor' },
    data: { workerId, topics: ['confidentiality'] },
  };
}
