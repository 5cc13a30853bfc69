// Compiled by test/client-package.e2e-spec.ts against the built package, as a feed's code would be.
// Each line marked `expect-error TSnnnn` must fail to compile with that error; nothing else may.
import { LedgerClient, type LedgerEvent, type EventOfType } from '@okayama-ledger/client';

const client = new LedgerClient({ baseUrl: 'http://localhost:3000', apiKey: 'feed-key' });

const copied: EventOfType<'RecordCopied'> = {
  eventId: '5b0c7c1e-8a39-4d2e-9a51-0f3c1f1f6a10', type: 'RecordCopied', contractId: 'okayama-kaigo-2025', recordId: 'R-000123',
  occurredAt: '2026-04-01T09:00:00+09:00', actor: { org: 'contractor', workerId: 'W-001' },
  data: { copyId: 'C-1', medium: 'electronic', location: 'DC-OKAYAMA-1' },
};

const wrongField: EventOfType<'RecordCopied'> = {
  ...copied,
  data: { copyId: 'C-1', medium: 'electronic', location: 'DC-OKAYAMA-1', patientName: '岡山 太郎' }, // expect-error TS2353
};

const wrongValue: EventOfType<'RecordCopied'> = {
  ...copied,
  data: { copyId: 'C-1', medium: 'usb-stick', location: 'DC-OKAYAMA-1' }, // expect-error TS2322
};

const missingField: EventOfType<'RecordUsed'> = {
  ...copied,
  type: 'RecordUsed',
  data: {}, // expect-error TS2741
};

const recordOnContract: EventOfType<'ContractEnded'> = {
  eventId: '5b0c7c1e-8a39-4d2e-9a51-0f3c1f1f6a11', type: 'ContractEnded', contractId: 'okayama-kaigo-2025',
  recordId: 'R-1', // expect-error TS2322
  occurredAt: '2026-04-01T09:00:00+09:00', actor: { org: 'city' }, data: { reason: 'expired' },
};

export async function typedReads(): Promise<string> {
  const all: LedgerEvent[] = [copied, wrongField, wrongValue, missingField, recordOnContract];
  await client.append(all);
  const verdict = await client.recordCompliance('okayama-kaigo-2025', 'R-000123');
  const custody = await client.recordCustody('okayama-kaigo-2025', 'R-000123');
  custody.holdings.map((h) => h.state satisfies 'held' | 'in_transit' | 'returned' | 'disposed');
  return verdict.articles['9']!.findings[0]!.message.colour; // expect-error TS2339
}
