export * from './compliance-model.js';
export { ComplianceProjection, COMPLIANCE_PROJECTION, COMPLIANCE_TABLES, type ComplianceProjectionOptions } from './compliance.projection.js';
export * from './contract-compliance.js';
export { COMPLIANCE_ENTITIES } from './compliance.entities.js';
