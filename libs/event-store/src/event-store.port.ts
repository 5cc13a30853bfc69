import type { LedgerEvent, RecordedEvent } from '@ledger/domain';

/** DI token of the EventStore port; apps wire an adapter to it, never import one directly. */
export const EVENT_STORE = Symbol('EVENT_STORE');

/**
 * What the stream must look like before the batch's first event for it, as in EventStoreDB:
 * a version number (the version of its last event), `no_stream`, `stream_exists` or `any`.
 */
export type ExpectedVersion = number | 'any' | 'no_stream' | 'stream_exists';

export interface AppendOptions {
  /** Per stream ID; streams not named here are appended with `any`. */
  expectedVersions?: ReadonlyMap<string, ExpectedVersion>;
}

export interface AppendedEvent {
  eventId: string;
  /** `duplicate`: this eventId was recorded before with the same content; nothing new was written. */
  status: 'appended' | 'duplicate';
  streamId: string;
  streamVersion: number;
  position: number;
  /** Hex leaf hash. */
  hash: string;
  recordedAt: string;
}

export interface ReadAllOptions {
  /** Events with position > after. */
  after: number;
  limit: number;
  /**
   * Also stop after the event at which the stored events (their canonical JSON) reach this many
   * bytes, so at least one event comes back whatever its size. Bounds a reader's memory when
   * events are large (a batch holds at most maxBytes plus one event).
   */
  maxBytes?: number;
  /** Only this contract's events (contract stream and its records' streams). */
  contractId?: string;
}

export interface ReadStreamOptions {
  /** Events with streamVersion >= fromVersion. */
  fromVersion?: number;
  limit?: number;
}

export interface ReadInOrderOptions {
  /** Events after this place in the judgement order (occurredAt in epoch ms, then position); omit: from the start. */
  after?: { at: number; pos: number };
  /** Only events with occurredAt ≤ untilAt (epoch ms): an asOf cut. */
  untilAt?: number;
  /** Only events with position ≤ maxPosition: a knownAt cut. */
  maxPosition?: number;
  /** At least this many events are returned when there are so many; a little more when the last millisecond holds several. */
  limit: number;
}

export interface SubscribeOptions {
  /** Deliver events with position > after, first the stored ones, then each as it commits. */
  after: number;
  batchSize?: number;
  /** Bytes per delivered batch (as ReadAllOptions.maxBytes). */
  maxBytes?: number;
  signal?: AbortSignal;
}

/** Called with consecutive events in position order; the next batch waits for the promise. */
export type SubscriptionHandler = (events: readonly RecordedEvent[]) => Promise<void>;

export interface Subscription {
  /** Resolves when the subscription stops (aborted, closed, or the handler threw: then it rejects). */
  readonly done: Promise<void>;
  stop(): Promise<void>;
}

/**
 * The event log. Every adapter passes the contract suite in `contract/` (the single definition of
 * what a store must do here):
 * - append is all or nothing, in the given order; eventId is unique and a retry with the same
 *   content is a `duplicate` (a different content is an EventIdConflictError);
 * - (streamId, streamVersion) is unique, versions start at 0 and have no gaps; a stale expected
 *   version is a StreamVersionConflictError and never forks a stream;
 * - positions are 1, 2, 3 … without gaps, in commit order, so no reader following positions ever
 *   misses an event;
 * - each event carries its leaf hash and the previous hash of its stream (RecordedEvent).
 */
export interface EventStore {
  append(events: readonly LedgerEvent[], options?: AppendOptions): Promise<AppendedEvent[]>;
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /**
   * A stream's events in the judgement order (occurredAt to the millisecond, ties by position),
   * from a place in that order: how a stored fold resumes without reading the stream's history.
   */
  readStreamInOrder(streamId: string, options: ReadInOrderOptions): Promise<RecordedEvent[]>;
  readAll(options: ReadAllOptions): Promise<RecordedEvent[]>;
  /** Events by eventId (any order; unknown IDs are left out). */
  readByEventIds(eventIds: readonly string[]): Promise<RecordedEvent[]>;
  subscribe(options: SubscribeOptions, handler: SubscriptionHandler): Subscription;
  /** Version of the stream's last event, or null when the stream has none. */
  streamVersion(streamId: string): Promise<number | null>;
  /** Position of the last committed event (0 when empty). */
  headPosition(): Promise<number>;
  close(): Promise<void>;
}
