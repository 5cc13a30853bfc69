export * from './custody/custody-model.js';
export { CustodyProjection } from './custody/custody.projection.js';
export { CUSTODY_TABLES } from './custody/custody-rows.js';
export {
  readRecordCustody,
  readRecordCustodyView,
  listHoldings,
  encodeHoldingsCursor,
  decodeHoldingsCursor,
  type HoldingsQuery,
  type HoldingsPage,
  type HoldingListItem,
} from './custody/custody-read-model.js';
export { CUSTODY_ENTITIES } from './custody/custody.entities.js';
export * from './compliance/index.js';
export type { Projection, ProjectionTransaction } from './runner/projection.js';
export { applyBatch, CheckpointGapError, type ProjectionSet } from './runner/apply-batch.js';
export {
  TEMPLATE_SCHEMA,
  GenerationChangedError,
  ensureActiveGeneration,
  findGeneration,
  listGenerations,
  checkpoints,
  generationPosition,
  dropRetiredGenerations,
  quoteSchema,
  type Generation,
  type GenerationStatus,
} from './runner/generations.js';
export { Projector, type ProjectorOptions, type ProjectorStatus } from './runner/projector.js';
export { rebuildReadModels, RebuildBusyError, type RebuildOptions, type RebuildProgress, type RebuildResult } from './runner/rebuild.js';
export { readActiveGeneration, ReadModelsNotReadyError, type ReadModelQuery } from './runner/read-active.js';
export { PROJECTION_ENTITIES } from './entities.js';
