export * from './event-store.port.js';
export * from './log-follower.js';
export * from './stored-event.js';
export { PostgresEventStore, type PostgresEventStoreOptions } from './postgres/postgres-event-store.js';
export { createEventStore, eventStoreKind, type EventStoreChoice, type EventStoreKind } from './create-event-store.js';
export { EventStoreDbEventStore, type EventStoreDbClientLike, type EventStoreDbEventStoreOptions } from './eventstoredb/eventstoredb-event-store.js';
export { clientConnectionString, redactConnectionString } from './eventstoredb/eventstoredb-mapping.js';
export { copyLog, compareLogs, CopyLogError, type CopyLogOptions, type CopyLogReport, type LogComparison } from './copy-log.js';
export { positionKnownAt } from './known-position.js';
