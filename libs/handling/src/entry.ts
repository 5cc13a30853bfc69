import { instant, type LedgerEvent, type RecordedEvent } from '@ledger/domain';

/**
 * The cut and the judgement order (RULES.md "Inputs and time"), defined once: every reader of
 * the ledger — the rulebook, custody, the read models, replay — places events with these.
 */

/** A point in the judgement order: occurredAt (epoch ms), ties by global position. */
export interface Key {
  readonly at: number;
  readonly pos: number;
}

/** Before every event (a finite value, so that it can be stored and compared in SQL). */
export const START: Key = Object.freeze({ at: Number.MIN_SAFE_INTEGER, pos: 0 });

/** The cut of a judgement, in epoch milliseconds: occurredAt ≤ asOf and recordedAt ≤ knownAt. */
export interface Cut {
  asOf: number;
  knownAt: number;
}

/**
 * A recorded event with its times parsed once: `at` (occurredAt) and `known` (recordedAt) in
 * epoch milliseconds, and its global position.
 */
export interface Entry<E extends LedgerEvent = LedgerEvent> extends Key {
  readonly event: E;
  readonly id: string;
  readonly known: number;
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
export function byOccurrence(a: Key, b: Key): number {
  return a.at - b.at || a.pos - b.pos;
}

/** Whether `a` comes before `b` in the judgement order. */
export function precedes(a: Key, b: Key): boolean {
  return a.at < b.at || (a.at === b.at && a.pos < b.pos);
}

/** Whether the event is inside the cut: occurredAt ≤ asOf and recordedAt ≤ knownAt. */
export function inCut(entry: Entry, cut: Cut): boolean {
  return entry.at <= cut.asOf && entry.known <= cut.knownAt;
}

/** Whether a recorded event is inside the cut (without building its entry). */
export function recordedInCut(recorded: RecordedEvent, cut: Cut): boolean {
  return instant(recorded.event.occurredAt) <= cut.asOf && instant(recorded.recordedAt) <= cut.knownAt;
}

/** The events in judgement order (a new array). */
export function inJudgementOrder(events: readonly RecordedEvent[]): RecordedEvent[] {
  return events
    .map((recorded) => ({ recorded, at: instant(recorded.event.occurredAt) }))
    .sort((a, b) => a.at - b.at || a.recorded.position - b.recorded.position)
    .map((x) => x.recorded);
}

/** An event cited as evidence: its ID and its place in the judgement order. Plain JSON. */
export interface Ref extends Key {
  readonly id: string;
}

export function refOf(entry: Entry): Ref {
  return { id: entry.id, at: entry.at, pos: entry.pos };
}
