export { LogIntegrityError, NoCheckpointError, SigningKeyError, TreeSizeError } from './errors.js';
export { type Queryable, inTransaction } from './queryable.js';
export { PostgresTileStore, splitHashes } from './postgres-tile-store.js';
export { CoalescingTileReader } from './coalescing-tile-reader.js';
export { readTreeState, writeTreeState, type TreeState } from './tree-state.js';
export { PostgresCheckpointStore, type StoredCheckpoint } from './checkpoint-store.js';
export {
  DEFAULT_LOG_ORIGIN,
  NEXT_SIGNING_KEY_FILE,
  SIGNING_KEY_FILE,
  keysInForce,
  promoteNextKeyFile,
  describeLogKeys,
  hex8,
  keyNameFor,
  loadLogKeys,
  publicLogKeys,
  type LogKeyConfig,
  type LogKeys,
} from './log-keys.js';
export { MerkleIntegrator, type MerkleIntegratorOptions } from './merkle-integrator.js';
export { CheckpointSigner, type CheckpointSignerOptions } from './checkpoint-signer.js';
export { LogProofs, type ConsistencyProofAnswer, type InclusionProofAnswer, type LogEntry } from './log-proofs.js';
export { PostgresCosignatureStore, type StoredCosignature } from './cosignature-store.js';
export { CosignatureRequester, type CosignatureRequesterOptions } from './cosignature-requester.js';
export { parseWitnesses, type WitnessEndpoint } from './witness-config.js';
export { IntegrityScrubber, type IntegrityScrubberOptions } from './integrity-scrubber.js';
export type { IntegrityFinding, IntegrityReport, IntegrityStatus } from './integrity-report.js';
