export * from './custody/custody-model.js';
