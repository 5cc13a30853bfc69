import type { RecordedEvent } from '@ledger/domain';
import type { EventStore } from './event-store.port.js';
import { positionKnownAt } from './known-position.js';

/** A log of recordedAt instants (non-decreasing along positions, as the store guarantees), read one event at a time. */
function logOf(recordedAt: readonly number[]): { store: EventStore; reads: () => number } {
  let reads = 0;
  const store = {
    headPosition: async () => recordedAt.length,
    readAll: async ({ after, limit }: { after: number; limit: number }) => {
      reads += 1;
      return recordedAt.slice(after, after + limit).map((t, i) => ({ position: after + i + 1, recordedAt: new Date(t).toISOString() }) as unknown as RecordedEvent);
    },
  } as unknown as EventStore;
  return { store, reads: () => reads };
}

/** The answer by definition: the last position whose event was recorded at or before knownAt. */
function expected(recordedAt: readonly number[], knownAt: number): number {
  let last = 0;
  recordedAt.forEach((t, i) => {
    if (t <= knownAt) last = i + 1;
  });
  return last;
}

describe('positionKnownAt: a knownAt cut as a place in the log', () => {
  const times = [1000, 1000, 2000, 3000, 3000, 3000, 4000, 5000, 9000, 9000];

  it('given every instant around every event (1 ms either side, ties included), then it is the last event recorded at or before it', async () => {
    for (const knownAt of [0, ...times.flatMap((t) => [t - 1, t, t + 1]), 100_000]) {
      const { store } = logOf(times);
      expect(await positionKnownAt(store, knownAt)).toBe(expected(times, knownAt));
      expect(await positionKnownAt(store, knownAt, times.length)).toBe(expected(times, knownAt));
    }
  });

  it('given a knownAt at or after the last event (a request\'s own present), then it is the head after one read, whatever the log\'s length', async () => {
    const long = Array.from({ length: 1_000_000 }, (_, i) => i);
    const { store, reads } = logOf(long);
    expect(await positionKnownAt(store, 999_999, long.length)).toBe(1_000_000);
    expect(reads()).toBe(1);
    // Before the head: a binary search, about log2(n) reads, never a scan.
    const { store: again, reads: readsAgain } = logOf(long);
    expect(await positionKnownAt(again, 500_000, long.length)).toBe(500_001);
    expect(readsAgain()).toBeLessThanOrEqual(22);
  });

  it('given an empty log, then it is 0 without reading', async () => {
    const { store, reads } = logOf([]);
    expect(await positionKnownAt(store, 5000)).toBe(0);
    expect(reads()).toBe(0);
  });
});
