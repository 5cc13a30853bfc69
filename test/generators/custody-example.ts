import type { LedgerEvent } from '@ledger/domain';
import { DEMO_CONTRACT_ID } from './demo-contract.js';

/**
 * The custody walkthrough's record R-000201 (docs/custody.md): collected, copied (C-1), copied
 * again from the copy (C-2, a copy of a copy), C-2 put on a transport to the city hall that never
 * arrives, C-1 disposed of; the original is still held after the contract's end. Posted after the
 * demo contract by the console's tests and screenshots, so that a custody tree has three levels.
 */
export function custodyExample(contractId: string = DEMO_CONTRACT_ID): LedgerEvent[] {
  const id = (n: number): string => `c0570d10-0201-4000-8000-00000000000${n}`;
  const worker = { org: 'contractor', workerId: 'W-003' } as const;
  const base = { contractId, recordId: 'R-000201', actor: worker };
  return [
    {
      ...base, eventId: id(1), type: 'RecordCollected', occurredAt: '2026-09-10T09:00:00+09:00', source: 'kaigo-system',
      data: { purpose: '介護保険システム再構築', dataCategories: ['被保険者台帳'], medium: 'electronic', containsMyNumber: false, personCount: 3200, location: 'DC-OKAYAMA-1' },
    },
    { ...base, eventId: id(2), type: 'RecordCopied', occurredAt: '2026-09-11T10:00:00+09:00', data: { copyId: 'C-1', medium: 'electronic', location: 'DEV-ROOM-3F' } },
    { ...base, eventId: id(3), type: 'RecordCopied', occurredAt: '2026-09-12T10:00:00+09:00', data: { copyId: 'C-2', fromCopyId: 'C-1', medium: 'electronic', location: 'DC-OKAYAMA-2' } },
    {
      ...base, eventId: id(4), type: 'TransportStarted', occurredAt: '2026-09-28T10:00:00+09:00',
      data: { transportId: 'T-000201-1', copyId: 'C-2', from: 'DC-OKAYAMA-2', to: 'CITY-HALL', carrierId: 'CARRIER-1', medium: 'electronic', safeguards: ['encrypted', 'tracked'] },
    },
    {
      ...base, eventId: id(5), type: 'RecordDisposed', occurredAt: '2026-09-30T16:00:00+09:00',
      data: { copyId: 'C-1', method: 'crypto_erase', witnessedBy: 'S-011', certificateRef: 'ERASE-CERT-R-000201-C-1' },
    },
  ] as LedgerEvent[];
}
