import type pg from 'pg';
import type { EventStore } from './event-store.port.js';
import { EventStoreDbEventStore, type EventStoreDbEventStoreOptions } from './eventstoredb/eventstoredb-event-store.js';
import { PostgresEventStore } from './postgres/postgres-event-store.js';

export interface EventStoreChoice {
  /** EVENTSTORE_URL: present → the log lives in EventStoreDB; absent → in PostgreSQL. */
  eventStoreUrl?: string;
  /** The PostgreSQL pool (the read models' database; the log's too when eventStoreUrl is absent). */
  pool: pg.Pool;
  clock?: () => number;
  /** Options of the EventStoreDB adapter (tests, tuning). */
  eventStoreDb?: Omit<EventStoreDbEventStoreOptions, 'clock' | 'ownsClient'>;
}

export type EventStoreKind = 'eventstoredb' | 'postgres';

export function eventStoreKind(eventStoreUrl: string | undefined): EventStoreKind {
  return eventStoreUrl ? 'eventstoredb' : 'postgres';
}

/**
 * The event log this process uses, by configuration: EventStoreDB when EVENTSTORE_URL is set
 * (connected, its log checked and any interrupted batch finished), else PostgreSQL.
 */
export async function createEventStore(choice: EventStoreChoice): Promise<EventStore> {
  if (choice.eventStoreUrl) {
    return EventStoreDbEventStore.connect(choice.eventStoreUrl, { ...choice.eventStoreDb, clock: choice.clock });
  }
  return new PostgresEventStore(choice.pool, { clock: choice.clock });
}
