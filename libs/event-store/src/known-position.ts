import { instant } from '@ledger/domain';
import type { EventStore } from './event-store.port.js';

/**
 * The position of the last event recorded at or before `knownAt` (0: none): a knownAt cut as a
 * place in the log. recordedAt never goes back along positions, so this is a binary search over
 * positions — about 25 single-event reads for 10M events, through the port (any adapter). The
 * head is read first: a knownAt after the last event (a request's own "now", the usual case) is
 * the head, in one read. `head` may be given when the caller has just read it.
 */
export async function positionKnownAt(store: EventStore, knownAt: number, head?: number): Promise<number> {
  let lo = 0;
  let hi = head ?? (await store.headPosition());
  if (hi === 0) return 0;
  const [last] = await store.readAll({ after: hi - 1, limit: 1 });
  if (last && instant(last.recordedAt) <= knownAt) return hi;
  hi -= 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    const [event] = await store.readAll({ after: mid - 1, limit: 1 });
    if (event && instant(event.recordedAt) <= knownAt) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
