import { EventIdConflictError, StreamVersionConflictError, type LedgerError, type LedgerEvent, type RecordedEvent } from '@ledger/domain';
import type { AppendedEvent, ExpectedVersion } from './event-store.port.js';
import { encodePrepared, prepareEvent, sameContent, type PreparedEvent } from './stored-event.js';

/**
 * The decision of an append, independent of where the log lives: given what the store knows (the
 * log's head, the heads of the streams involved, the eventIds already taken), which events are new,
 * which are duplicates, and what each new event's stored form and leaf hash are. Pure: an adapter
 * loads the state, plans, then writes `state.rows` atomically (or replans if the log moved).
 * Both adapters plan with it; the contract suite holds them to the same results.
 */

export interface PlannedStreamHead {
  version: number;
  /** Hex leaf hash of the stream's last event. */
  hash: string;
}

export interface KnownEvent {
  event: LedgerEvent;
  result: AppendedEvent;
}

export interface PlannedRow {
  position: number;
  eventId: string;
  streamId: string;
  streamVersion: number;
  event: LedgerEvent;
  /** RFC 8785 canonical JSON of the stored event (what is hashed). */
  canonical: string;
  /** The event's canonical pieces: the PostgreSQL store makes its stored text from them (storedText) as it encodes the row. */
  prepared: PreparedEvent;
  prevHash: string | null;
  hash: string;
  /** The leaf hash's bytes (`hash` is their hex). */
  leaf: Buffer;
  recordedAt: string;
}

export interface PlanState {
  /** Position of the log's last event (0 when empty); advanced as rows are planned. */
  position: number;
  recordedAt: string;
  heads: Map<string, PlannedStreamHead | null>;
  known: Map<string, KnownEvent>;
  rows: PlannedRow[];
}

export interface PlannedRequest {
  events: readonly LedgerEvent[];
  expected: ReadonlyMap<string, ExpectedVersion>;
  /** The events prepared before the write (prepareEvent), index for index; made here when absent. */
  prepared?: readonly PreparedEvent[];
}

export function appendedFromRecorded(recorded: RecordedEvent, status: AppendedEvent['status']): AppendedEvent {
  return {
    eventId: recorded.event.eventId,
    status,
    streamId: recorded.streamId,
    streamVersion: recorded.streamVersion,
    position: recorded.position,
    hash: recorded.hash,
    recordedAt: recorded.recordedAt,
  };
}

export function expectedVersionHolds(expected: ExpectedVersion, head: PlannedStreamHead | null): boolean {
  return (
    expected === 'any' ||
    (expected === 'no_stream' && head === null) ||
    (expected === 'stream_exists' && head !== null) ||
    (typeof expected === 'number' && expected === (head?.version ?? -1))
  );
}

/**
 * Decides one request against the state. Either every event of the request is planned (appended
 * or duplicate) and the state advances, or the state is left as it was and the error is returned:
 * one request's conflict never fails the others that share a write with it. The expected version
 * of a stream applies to its state before the request's first NEW event for it.
 */
export function planAppend(request: PlannedRequest, state: PlanState): AppendedEvent[] | LedgerError {
  const heads = new Map<string, PlannedStreamHead | null>();
  const known = new Map<string, KnownEvent>();
  const rows: PlannedRow[] = [];
  const checked = new Set<string>();
  const headOf = (id: string): PlannedStreamHead | null => (heads.has(id) ? heads.get(id)! : (state.heads.get(id) ?? null));
  let position = state.position;
  const results: AppendedEvent[] = [];
  for (const [index, event] of request.events.entries()) {
    const seen = known.get(event.eventId) ?? state.known.get(event.eventId);
    if (seen) {
      if (!sameContent(seen.event, event)) return new EventIdConflictError(event.eventId, index);
      results.push({ ...seen.result, status: 'duplicate' });
      continue;
    }
    const prepared = request.prepared?.[index] ?? prepareEvent(event);
    const streamId = prepared.streamId;
    const head = headOf(streamId);
    if (!checked.has(streamId)) {
      checked.add(streamId);
      const expected = request.expected.get(streamId) ?? 'any';
      if (!expectedVersionHolds(expected, head)) {
        return new StreamVersionConflictError(streamId, String(expected), head?.version ?? -1);
      }
    }
    position += 1;
    const streamVersion = head ? head.version + 1 : 0;
    const prevHash = head?.hash ?? null;
    const { canonical, hash } = encodePrepared(prepared, { streamId, streamVersion, position, recordedAt: state.recordedAt, prevHash });
    const hashHex = hash.toString('hex');
    const result: AppendedEvent = {
      eventId: event.eventId,
      status: 'appended',
      streamId,
      streamVersion,
      position,
      hash: hashHex,
      recordedAt: state.recordedAt,
    };
    rows.push({ position, eventId: event.eventId, streamId, streamVersion, event, canonical, prepared, prevHash, hash: hashHex, leaf: hash, recordedAt: state.recordedAt });
    heads.set(streamId, { version: streamVersion, hash: hashHex });
    known.set(event.eventId, { event, result });
    results.push(result);
  }
  for (const [id, head] of heads) state.heads.set(id, head);
  for (const [id, event] of known) state.known.set(id, event);
  state.rows.push(...rows);
  state.position = position;
  return results;
}
