import { createHash } from 'node:crypto';
import type { LedgerEvent } from '@ledger/domain';

/**
 * A small, meaningful ledger for the audit tests: two contracts, each with its responsible person
 * (Art. 3) and a briefed worker, records, a copy made
 * without authorization (Art. 9) and an incident never reported (Art. 15, due within PT24H).
 * Event IDs are derived from names, so every run builds the same ledger.
 */
export const CONTRACT = 'okayama-kaigo-2025';
export const OTHER_CONTRACT = 'other-city-contract';

/** Before the copy (compliant), between copy and incident deadline, and after it. */
export const BEFORE_COPY = '2026-04-05T00:00:00+09:00';
export const AFTER_COPY_BEFORE_DEADLINE = '2026-05-01T12:00:00+09:00';
export const AFTER_DEADLINE = '2026-06-01T00:00:00+09:00';

export function eventId(name: string): string {
  const hex = createHash('sha256').update(name).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Each contract has its own contractor (EVENTS.md v2 contractorId). */
export function contractorOf(contractId: string): string {
  return contractId === CONTRACT ? 'okayama-systems' : 'other-vendor';
}

const city = { org: 'city' as const, workerId: 'S-010' };
const worker = { org: 'contractor' as const, workerId: 'W-001' };

function contractEvents(contractId: string): LedgerEvent[] {
  const id = (name: string): string => eventId(`${contractId}/${name}`);
  return [
    {
      eventId: id('registered'), type: 'ContractRegistered', contractId, occurredAt: '2026-04-01T09:00:00+09:00', actor: city,
      data: {
        title: '介護保険システム運用保守業務委託', contractorId: contractorOf(contractId), purposes: ['介護保険システム運用保守'], dataCategories: ['被保険者台帳', '要介護認定'],
        permitsSubcontracting: false, term: { start: '2026-04-01T00:00:00+09:00', end: '2027-03-31T23:59:59+09:00' },
      },
    },
    {
      eventId: id('responsible'), type: 'ResponsiblePersonDesignated', contractId, occurredAt: '2026-04-01T09:30:00+09:00', actor: worker,
      data: { personId: 'P-001', title: '個人情報受託管理責任者' },
    },
    { eventId: id('authorized'), type: 'WorkerAuthorized', contractId, occurredAt: '2026-04-01T10:00:00+09:00', actor: worker, data: { workerId: 'W-001', org: 'contractor' } },
    { eventId: id('briefed'), type: 'WorkerBriefed', contractId, occurredAt: '2026-04-01T11:00:00+09:00', actor: worker, data: { workerId: 'W-001', topics: ['confidentiality', 'penalties'] } },
  ];
}

function recordEvents(contractId: string, recordId: string): LedgerEvent[] {
  const id = (name: string): string => eventId(`${contractId}/${recordId}/${name}`);
  return [
    {
      eventId: id('collected'), type: 'RecordCollected', contractId, recordId, occurredAt: '2026-04-02T09:00:00+09:00', actor: worker,
      data: { purpose: '介護保険システム運用保守', dataCategories: ['被保険者台帳'], medium: 'electronic', containsMyNumber: false },
    },
    { eventId: id('used'), type: 'RecordUsed', contractId, recordId, occurredAt: '2026-04-03T09:00:00+09:00', actor: worker, data: { purpose: '介護保険システム運用保守' } },
  ];
}

/** First batch: both contracts registered and staffed, records collected and used. */
export function firstBatch(): LedgerEvent[] {
  return [
    ...contractEvents(CONTRACT),
    ...contractEvents(OTHER_CONTRACT),
    ...recordEvents(CONTRACT, 'R-1'),
    ...recordEvents(OTHER_CONTRACT, 'R-1'),
    ...recordEvents(CONTRACT, 'R-2'),
  ];
}

/** Second batch, recorded later: the unauthorized copy and the unreported incident. */
export function secondBatch(): LedgerEvent[] {
  return [
    {
      eventId: eventId(`${CONTRACT}/R-1/copied`), type: 'RecordCopied', contractId: CONTRACT, recordId: 'R-1', occurredAt: '2026-04-10T09:00:00+09:00',
      actor: worker, data: { copyId: 'C-1', medium: 'electronic', location: 'DC-OKAYAMA-1' },
    },
    { eventId: eventId(`${OTHER_CONTRACT}/R-1/used-again`), type: 'RecordUsed', contractId: OTHER_CONTRACT, recordId: 'R-1', occurredAt: '2026-04-20T09:00:00+09:00', actor: worker, data: { purpose: '介護保険システム運用保守' } },
    {
      eventId: eventId(`${CONTRACT}/incident`), type: 'IncidentDetected', contractId: CONTRACT, occurredAt: '2026-05-01T09:00:00+09:00', actor: worker,
      data: { incidentId: 'I-1', kind: 'loss', affectedRecordIds: ['R-1'] },
    },
    { eventId: eventId(`${CONTRACT}/R-2/used-again`), type: 'RecordUsed', contractId: CONTRACT, recordId: 'R-2', occurredAt: '2026-05-02T09:00:00+09:00', actor: worker, data: { purpose: '介護保険システム運用保守' } },
  ];
}

/** Filler events of a third contract, to give the log some size. */
export function fillerBatch(count: number, offset = 0): LedgerEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    eventId: eventId(`filler/${offset + i}`),
    type: 'RecordUsed' as const,
    contractId: 'filler-contract',
    recordId: `R-${(offset + i) % 13}`,
    occurredAt: '2026-04-03T09:00:00+09:00',
    actor: worker,
    data: { purpose: '介護保険システム運用保守' },
  }));
}
