import type { CustodyStep } from './custody-model.js';
import { decodeHistory, encodeHistory } from './custody-rows.js';

describe('custody rows: the stored form of a history', () => {
  const steps: CustodyStep[] = [
    {
      eventId: '00000000-0000-4000-8000-000000000001', type: 'RecordCollected', occurredAt: '2026-04-01T09:00:00+09:00',
      recordedAt: '2026-04-01T00:00:01.000Z', position: 1, state: 'held', location: 'DC-1',
      holder: { org: 'contractor', workerId: 'W-1', carrierId: null },
    },
    {
      eventId: '00000000-0000-4000-8000-000000000002', type: 'RecordCopied', occurredAt: '2026-04-02T09:00:00+09:00',
      recordedAt: '2026-04-02T00:00:01.000Z', position: 2, state: 'held', location: 'DC-1',
      holder: { org: 'contractor', workerId: 'W-1', carrierId: null }, newCopyId: 'C-1',
    },
    {
      eventId: '00000000-0000-4000-8000-000000000003', type: 'TransportStarted', occurredAt: '2026-04-03T09:00:00+09:00',
      recordedAt: '2026-04-03T00:00:01.000Z', position: 3, state: 'in_transit', location: null,
      holder: { org: null, workerId: null, carrierId: 'CARRIER-1' }, transportId: 'T-1',
    },
    {
      eventId: '00000000-0000-4000-8000-000000000004', type: 'RecordDisposed', occurredAt: '2026-04-04T09:00:00+09:00',
      recordedAt: '2026-04-04T00:00:01.000Z', position: 4, state: 'disposed', location: null, holder: null,
    },
  ];

  it('decodes what it encodes, through JSON, to the answer\'s steps', () => {
    expect(decodeHistory(JSON.parse(JSON.stringify(encodeHistory(steps))))).toEqual(steps);
  });

  it('is smaller than the answer\'s objects', () => {
    expect(JSON.stringify(encodeHistory(steps)).length).toBeLessThan(0.7 * JSON.stringify(steps).length);
  });

  it('still reads steps stored as objects', () => {
    expect(decodeHistory(JSON.parse(JSON.stringify(steps)))).toEqual(steps);
  });
});
