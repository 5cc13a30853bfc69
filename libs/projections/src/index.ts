export * from './handling/index.js';
export * from './contracts/index.js';
export { Lanes, type Projection, type ProjectionTransaction, type MigrationClass } from './runner/projection.js';
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
export { Projector, PROJECTOR_BATCH_BYTES, PROJECTOR_BATCH_SIZE, type ProjectorOptions, type ProjectorStatus } from './runner/projector.js';
export { rebuildReadModels, RebuildBusyError, type RebuildOptions, type RebuildProgress, type RebuildResult } from './runner/rebuild.js';
export { readActiveGeneration, readActiveOnce, ReadModelsNotReadyError, type OpeningOptions, type ReadModelQuery, type ReadOnce } from './runner/read-active.js';
export { PROJECTION_ENTITIES } from './entities.js';
