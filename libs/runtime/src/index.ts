/**
 * What every ledger process is made of, used by both apps (the HTTP API and the CLI): the
 * configuration, the runtime (database, pools, event store), the Merkle log's keys and proofs, and
 * the background workers with their supervisor. Apps hold only their edges.
 */
export {
  DEFAULT_RATE_LIMITS,
  integerSetting,
  ledgerConfigFromEnv,
  type HealthThresholds,
  type HttpLimits,
  type LedgerConfig,
  type RateLimits,
  type ScrubberPace,
} from './ledger-config.js';
export { LEDGER_RUNTIME, openRuntime, type LedgerRuntime, type RuntimeOptions } from './ledger-runtime.js';
export { ReadReplica, type ReplicaStatus } from './read-replica.js';
export { readDataSource, readTarget, RoutedEventStore, withReadTarget, type ReadTarget } from './read-routing.js';
export { AccessLogEntryEntity } from './access-log.entity.js';
export { MERKLE_LOG, createCosignatureRequesters, createMerkleLogWorkers, logKeyConfig, merkleLogOf, type MerkleLog } from './merkle-log.js';
export { BACKGROUND_WORKERS, inlineFleet, type BackgroundWorker, type WorkerFleet, type WorkerStatus } from './workers/background-worker.js';
export { createProjections, migrateLedger, PROJECTIONS, PROJECTION_MIGRATIONS } from './workers/projections.js';
export { createProjectorWorker, projectorBatchSize } from './workers/projector.worker.js';
export { WORKER_NAMES, createWorkers, startWorkers, stopWorkers } from './workers/workers.js';
export { WorkerProcessSupervisor, isWorkerStatusMessage, type WorkerProcessOptions, type WorkerStatusMessage, type WorkerStatusRequest } from './workers/worker-process.js';
export { runWorkers, workerStatusLine, type RunWorkersOptions } from './workers/run-workers.js';
export { restartDelayMs, STABLE_RUN_MS } from './restart-policy.js';
export { SigningKeyStore, toPartyKey, type SigningKeyRecord } from './signing-keys.js';
