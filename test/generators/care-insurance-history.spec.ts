import { parseEvents } from '@ledger/wire';
import { instant } from '@ledger/domain';
import { generateHistory } from './care-insurance-history.js';

const NOW = Date.parse('2026-11-25T00:00:00Z');

describe('the care-insurance history generator', () => {
  const batches = [...generateHistory({ seed: 7, contracts: 2, recordsPerContract: 150, violationRate: 0.2, batchSize: 500 })];
  const events = batches.flat();

  it('produces events that the wire contract accepts, in occurredAt order', () => {
    expect(() => parseEvents(events, NOW)).not.toThrow();
    const times = events.map((e) => instant(e.occurredAt));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(batches.every((b) => b.length <= 500)).toBe(true);
  });

  it('registers each contract before any other event of it, and gives every record a collection first', () => {
    const seen = new Set<string>();
    const collected = new Set<string>();
    for (const e of events) {
      if (e.type === 'ContractRegistered') seen.add(e.contractId);
      expect(seen.has(e.contractId)).toBe(true);
      if ('recordId' in e && e.recordId) {
        const key = `${e.contractId}/${e.recordId}`;
        if (e.type === 'RecordCollected') collected.add(key);
        expect(collected.has(key)).toBe(true);
      }
    }
    expect(seen.size).toBe(2);
    expect(collected.size).toBe(300);
  });

  it('is deterministic, eventIds included, and about ten events per record', () => {
    const again = [...generateHistory({ seed: 7, contracts: 2, recordsPerContract: 150, violationRate: 0.2, batchSize: 500 })].flat();
    expect(again).toEqual(events);
    expect(new Set(events.map((e) => e.eventId)).size).toBe(events.length);
    expect(events.length).toBeGreaterThan(300 * 5);
    expect(events.length).toBeLessThan(300 * 15);
    const other = [...generateHistory({ seed: 8, contracts: 2, recordsPerContract: 150 })].flat();
    expect(other[0]!.eventId).not.toBe(events[0]!.eventId);
  });
});
