export * from './event-store.port.js';
export * from './stored-event.js';
export { PostgresEventStore, type PostgresEventStoreOptions } from './postgres/postgres-event-store.js';
