import { AsyncLocalStorage } from 'node:async_hooks';
import type { DataSource } from 'typeorm';
import type { LedgerEvent, RecordedEvent } from '@ledger/domain';
import type {
  AppendedEvent,
  AppendOptions,
  EventStore,
  ReadAllOptions,
  ReadInOrderOptions,
  ReadStreamOptions,
  SubscribeOptions,
  Subscription,
  SubscriptionHandler,
} from '@ledger/event-store';
import type { ReadReplica } from './read-replica.js';

/** Which server answers a read: the primary (always up to date) or its streaming standby. */
export type ReadTarget = 'primary' | 'replica';

const currentTarget = new AsyncLocalStorage<ReadTarget>();

/** The read target of the request being served; outside a request routed to the replica, the primary. */
export function readTarget(): ReadTarget {
  return currentTarget.getStore() ?? 'primary';
}

/** Runs `work` (and everything it starts) with its reads on `target`. */
export function withReadTarget<T>(target: ReadTarget, work: () => T): T {
  return currentTarget.run(target, work);
}

/**
 * The event log as the API sees it: appends and subscriptions always on the primary, reads on the
 * standby only inside a request routed there (`withReadTarget('replica', …)`), so a read that
 * nobody routed (the append path's own checks, the workers) never sees a lagging copy.
 */
export class RoutedEventStore implements EventStore {
  constructor(
    private readonly primary: EventStore,
    private readonly replica: ReadReplica | null,
  ) {}

  private get reader(): EventStore {
    return this.replica && readTarget() === 'replica' ? this.replica.eventStore : this.primary;
  }

  append(events: readonly LedgerEvent[], options?: AppendOptions): Promise<AppendedEvent[]> {
    return this.primary.append(events, options);
  }

  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return this.reader.readStream(streamId, options);
  }

  readStreamInOrder(streamId: string, options: ReadInOrderOptions): Promise<RecordedEvent[]> {
    return this.reader.readStreamInOrder(streamId, options);
  }

  readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    return this.reader.readAll(options);
  }

  readByEventIds(eventIds: readonly string[]): Promise<RecordedEvent[]> {
    return this.reader.readByEventIds(eventIds);
  }

  subscribe(options: SubscribeOptions, handler: SubscriptionHandler): Subscription {
    return this.primary.subscribe(options, handler);
  }

  streamVersion(streamId: string): Promise<number | null> {
    return this.reader.streamVersion(streamId);
  }

  headPosition(): Promise<number> {
    return this.reader.headPosition();
  }

  /** The primary's store belongs to the runtime, the replica's to its ReadReplica: both close there. */
  async close(): Promise<void> {}
}

/** The read models' DataSource of the current read target (the replica's once it is open). */
export function readDataSource(primary: DataSource, replica: ReadReplica | null): DataSource {
  return (replica && readTarget() === 'replica' && replica.dataSource) || primary;
}
