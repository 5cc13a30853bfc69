export * from './identifiers.js';
export * from './time.js';
export * from './policy.js';
export * from './event-catalogue.js';
export * from './recorded-event.js';
export * from './errors.js';
export * from './parties.js';
export * from './closest-name.js';
