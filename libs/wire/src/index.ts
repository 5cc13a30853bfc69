export * from './field-rules.js';
export * from './event-data.dto.js';
export * from './event-envelope.dto.js';
export * from './parse-events.js';
export * from './examples.js';
export * from './pii-guard.js';
export * from './ndjson.js';
export * from './json-nesting.js';
