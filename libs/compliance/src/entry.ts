import { instant, type LedgerEvent, type RecordedEvent } from '@ledger/domain';
import type { Cut } from './verdict.js';

/**
 * A recorded event with its times parsed once: `at` (occurredAt) and `known` (recordedAt) in
 * epoch milliseconds, and its global position.
 */
export interface Entry<E extends LedgerEvent = LedgerEvent> {
  readonly event: E;
  readonly id: string;
  readonly at: number;
  readonly known: number;
  readonly pos: number;
}

export function toEntry(recorded: RecordedEvent): Entry {
  return {
    event: recorded.event,
    id: recorded.event.eventId,
    at: instant(recorded.event.occurredAt),
    known: instant(recorded.recordedAt),
    pos: recorded.position,
  };
}

/** The judgement order: occurredAt, ties by global position. */
export function byOccurrence(a: Entry, b: Entry): number {
  return a.at - b.at || a.pos - b.pos;
}

/** Whether `a` comes before `b` in the judgement order. */
export function precedes(a: Entry, b: Entry): boolean {
  return a.at < b.at || (a.at === b.at && a.pos < b.pos);
}

/** Whether the event is inside the cut: occurredAt ≤ asOf and recordedAt ≤ knownAt. */
export function inCut(entry: Entry, cut: Cut): boolean {
  return entry.at <= cut.asOf && entry.known <= cut.knownAt;
}
