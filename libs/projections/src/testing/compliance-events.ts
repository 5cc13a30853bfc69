/**
 * Builders for the compliance projection's tests: a contract whose workers are authorized and
 * briefed, so that a test's record events break only the rules the test means. Times without an
 * offset are JST; positions and recordedAt are given by `recorded` for the pure specs.
 */
import { randomUUID } from 'node:crypto';
import { contractStreamId, isRecordEvent, recordStreamId, type Actor, type LedgerEvent, type RecordedEvent } from '@ledger/domain';

export const C = 'okayama-kaigo-c';
export const W1: Actor = { org: 'contractor', workerId: 'W-1' };
export const W2: Actor = { org: 'contractor', workerId: 'W-2' };
export const SUBW: Actor = { org: 'subcontractor:SUB-1', workerId: 'SW-1' };
export const CITY: Actor = { org: 'city', workerId: 'S-010' };
const MANAGER: Actor = { org: 'contractor', workerId: 'W-MGR' };

export const jst = (text: string): string => (/(Z|[+-]\d{2}:\d{2})$/.test(text) ? text : `${text}:00+09:00`);

export function contractEvent(type: string, at: string, data: Record<string, unknown>, actor: Actor = CITY, contractId = C): LedgerEvent {
  return { eventId: randomUUID(), type, contractId, occurredAt: jst(at), actor, data } as unknown as LedgerEvent;
}

export function recordEvent(type: string, recordId: string, at: string, data: Record<string, unknown>, actor: Actor = W1, contractId = C): LedgerEvent {
  return { eventId: randomUUID(), type, contractId, recordId, occurredAt: jst(at), actor, data } as unknown as LedgerEvent;
}

/** Registration (2026-01-01), workers W-1 and W-2 authorized and briefed, SUB-1 requested and approved with SW-1. */
export function setup(contractId = C, policy?: Record<string, string>): LedgerEvent[] {
  return [
    contractEvent('ContractRegistered', '2026-01-01T09:00', {
      title: '介護保険システム', contractorId: 'okayama-systems', purposes: ['p'], dataCategories: ['c', 'd'], permitsSubcontracting: true,
      term: { start: jst('2026-01-01T00:00'), end: jst('2030-03-31T00:00') }, ...(policy ? { policy } : {}),
    }, CITY, contractId),
    ...['W-1', 'W-2'].flatMap((workerId) => [
      contractEvent('WorkerAuthorized', '2026-01-02T09:00', { workerId, org: 'contractor' }, MANAGER, contractId),
      contractEvent('WorkerBriefed', '2026-01-02T10:00', { workerId, topics: ['confidentiality', 'penalties'] }, MANAGER, contractId),
    ]),
    contractEvent('SubcontractRequested', '2026-01-03T09:00', {
      subcontractorId: 'SUB-1', applicationRef: 'A-1', reason: 'data entry', dataCategories: ['c'], draftMemorandumAttached: true,
    }, MANAGER, contractId),
    contractEvent('SubcontractApproved', '2026-01-04T09:00', { subcontractorId: 'SUB-1', applicationRef: 'A-1' }, CITY, contractId),
    contractEvent('WorkerAuthorized', '2026-01-04T10:00', { workerId: 'SW-1', org: 'subcontractor:SUB-1' }, MANAGER, contractId),
    contractEvent('WorkerBriefed', '2026-01-04T11:00', { workerId: 'SW-1', topics: ['confidentiality', 'penalties'] }, MANAGER, contractId),
  ];
}

export const collected = (r: string, at: string, actor: Actor = W1, extra: Record<string, unknown> = {}): LedgerEvent =>
  recordEvent('RecordCollected', r, at, { purpose: 'p', dataCategories: ['c'], medium: 'electronic', containsMyNumber: false, ...extra }, actor);
export const used = (r: string, at: string, actor: Actor = W1, purpose = 'p'): LedgerEvent => recordEvent('RecordUsed', r, at, { purpose }, actor);
export const copied = (r: string, at: string, copyId = 'C-1', actor: Actor = W1): LedgerEvent =>
  recordEvent('RecordCopied', r, at, { copyId, medium: 'electronic', location: 'DC-2' }, actor);
export const started = (r: string, at: string, transportId: string, expectedArrivalAt?: string): LedgerEvent =>
  recordEvent('TransportStarted', r, at, {
    transportId, from: 'DC-1', to: 'CITY-HALL', carrierId: 'CARRIER-1', medium: 'electronic', safeguards: ['encrypted'],
    ...(expectedArrivalAt ? { expectedArrivalAt: jst(expectedArrivalAt) } : {}),
  });
export const completed = (r: string, at: string, transportId: string): LedgerEvent =>
  recordEvent('TransportCompleted', r, at, { transportId, receivedBy: 'S-010' }, CITY);
export const disposed = (r: string, at: string, witnessed = true, copyId?: string): LedgerEvent =>
  recordEvent('RecordDisposed', r, at, { method: 'overwrite', ...(witnessed ? { witnessedBy: 'S-011' } : {}), ...(copyId ? { copyId } : {}) });

/** Events as the ledger records them: positions in the given order, all recorded at `recordedAt`. */
export function recorded(events: readonly LedgerEvent[], recordedAt = '2026-01-01T00:00:00.000Z', firstPosition = 1): RecordedEvent[] {
  const versions = new Map<string, number>();
  return events.map((event, i) => {
    const streamId = isRecordEvent(event) ? recordStreamId(event.contractId, event.recordId) : contractStreamId(event.contractId);
    const streamVersion = versions.get(streamId) ?? 0;
    versions.set(streamId, streamVersion + 1);
    return { event, streamId, streamVersion, position: firstPosition + i, recordedAt, prevHash: null, hash: '0'.repeat(64) };
  });
}
