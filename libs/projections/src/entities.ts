import { ProjectionCheckpointEntity, ReadModelGenerationEntity } from './runner/checkpoint.entity.js';

/** Every entity of the read models, for the runtime's DataSource (the handling read model is read with SQL). */
export const PROJECTION_ENTITIES = [ProjectionCheckpointEntity, ReadModelGenerationEntity];
