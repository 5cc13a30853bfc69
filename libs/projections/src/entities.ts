import { COMPLIANCE_ENTITIES } from './compliance/compliance.entities.js';
import { CUSTODY_ENTITIES } from './custody/custody.entities.js';
import { ProjectionCheckpointEntity, ReadModelGenerationEntity } from './runner/checkpoint.entity.js';

/** Every entity of the read models, for the runtime's DataSource. */
export const PROJECTION_ENTITIES = [ProjectionCheckpointEntity, ReadModelGenerationEntity, ...CUSTODY_ENTITIES, ...COMPLIANCE_ENTITIES];
