/** Small builders of valid ledger events for the projection tests. Times without offset are JST. */
import { randomUUID } from 'node:crypto';
import type { Actor, LedgerEvent } from '@ledger/domain';

export const CONTRACT = 'okayama-kaigo-2025';
export const W1: Actor = { org: 'contractor', workerId: 'W-1' };
export const CITY: Actor = { org: 'city', workerId: 'S-010' };

export const jst = (text: string): string => (/(Z|[+-]\d{2}:\d{2})$/.test(text) ? text : `${text}:00+09:00`);

function record(type: string, recordId: string, at: string, data: Record<string, unknown>, actor: Actor = W1, contractId = CONTRACT): LedgerEvent {
  return { eventId: randomUUID(), type, contractId, recordId, occurredAt: jst(at), actor, data } as unknown as LedgerEvent;
}

function contract(type: string, at: string, data: Record<string, unknown>, actor: Actor = CITY, contractId = CONTRACT): LedgerEvent {
  return { eventId: randomUUID(), type, contractId, occurredAt: jst(at), actor, data } as unknown as LedgerEvent;
}

export const registered = (policy?: Record<string, string>, contractId = CONTRACT): LedgerEvent =>
  contract('ContractRegistered', '2026-03-01T09:00', {
    title: '介護保険システム', contractorId: 'okayama-systems', purposes: ['p'], dataCategories: ['c'], permitsSubcontracting: false,
    term: { start: jst('2026-03-01T00:00'), end: jst('2030-03-31T00:00') }, ...(policy ? { policy } : {}),
  }, CITY, contractId);
export const amended = (at: string, policy: Record<string, string>): LedgerEvent => contract('ContractAmended', at, { policy });
export const instructed = (at: string, data: { recordIds?: string[]; dueAt?: string } = {}): LedgerEvent =>
  contract('DisposalInstructed', at, { ...data, ...(data.dueAt ? { dueAt: jst(data.dueAt) } : {}) });
export const ended = (at: string, contractId = CONTRACT): LedgerEvent => contract('ContractEnded', at, { reason: 'expired' }, CITY, contractId);
export const briefed = (at: string, workerId = 'W-1'): LedgerEvent =>
  contract('WorkerBriefed', at, { workerId, topics: ['confidentiality'] }, { org: 'contractor', workerId: 'W-MGR' });

export const collected = (r: string, at: string, location: string | null = 'DC-1', contractId = CONTRACT): LedgerEvent =>
  record('RecordCollected', r, at, { purpose: 'p', dataCategories: ['c'], medium: 'electronic', containsMyNumber: false, ...(location ? { location } : {}) }, W1, contractId);
export const used = (r: string, at: string): LedgerEvent => record('RecordUsed', r, at, { purpose: 'p' });
export const provided = (r: string, at: string): LedgerEvent => record('RecordProvided', r, at, { recipientId: 'KOKUHOREN', purpose: 'p' });
export const copied = (r: string, at: string, copyId: string, fromCopyId?: string, location = 'DC-2'): LedgerEvent =>
  record('RecordCopied', r, at, { copyId, medium: 'electronic', location, ...(fromCopyId ? { fromCopyId } : {}) });
export const anonymized = (r: string, at: string, copyId?: string): LedgerEvent =>
  record('RecordAnonymized', r, at, { method: 'pseudonymize', ...(copyId ? { copyId } : {}) });
export const started = (r: string, at: string, transportId: string, copyId?: string, expectedArrivalAt?: string): LedgerEvent =>
  record('TransportStarted', r, at, {
    transportId, ...(copyId ? { copyId } : {}), from: 'DC-1', to: 'CITY-HALL', carrierId: 'CARRIER-1', medium: 'electronic',
    safeguards: ['encrypted', 'tracked'], ...(expectedArrivalAt ? { expectedArrivalAt: jst(expectedArrivalAt) } : {}),
  });
export const completed = (r: string, at: string, transportId: string): LedgerEvent =>
  record('TransportCompleted', r, at, { transportId, receivedBy: 'S-010' }, CITY);
export const returned = (r: string, at: string, copyId?: string): LedgerEvent =>
  record('RecordReturned', r, at, { receivedBy: 'S-020', ...(copyId ? { copyId } : {}) });
export const disposed = (r: string, at: string, copyId?: string): LedgerEvent =>
  record('RecordDisposed', r, at, { method: 'crypto_erase', witnessedBy: 'S-011', ...(copyId ? { copyId } : {}) });
