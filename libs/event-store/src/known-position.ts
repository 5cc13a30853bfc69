import { instant } from '@ledger/domain';
import type { EventStore } from './event-store.port.js';

/**
 * The position of the last event recorded at or before `knownAt` (0: none): a knownAt cut as a
 * place in the log. recordedAt never goes back along positions, so this is a binary search over
 * positions — about 25 single-event reads for 10M events, through the port (any adapter).
 */
export async function positionKnownAt(store: EventStore, knownAt: number): Promise<number> {
  let lo = 0;
  let hi = await store.headPosition();
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    const [event] = await store.readAll({ after: mid - 1, limit: 1 });
    if (event && instant(event.recordedAt) <= knownAt) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
