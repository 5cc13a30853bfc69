export * from './embedded-postgres.js';
export * from './database-url.js';
export * from './data-source.js';
export { MIGRATIONS } from './migrations/index.js';
export * from './database-pool.js';
export { ADVISORY_LOCKS } from './advisory-locks.js';
export { readModelSchemasWith } from './read-model-schemas.js';
export * from './bounded-query-logger.js';
