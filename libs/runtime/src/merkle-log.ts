import type { EventStore } from '@ledger/event-store';
import { CheckpointSigner, IntegrityScrubber, LogProofs, MerkleIntegrator, loadLogKeys, type LogKeyConfig, type LogKeys } from '@ledger/merkle-log';
import type { LedgerConfig } from './ledger-config.js';
import type { LedgerRuntime } from './ledger-runtime.js';
import type { BackgroundWorker } from './workers/background-worker.js';

/** DI token of the process's MerkleLog (keys and proofs). */
export const MERKLE_LOG = Symbol('MERKLE_LOG');

/** What the auditor's use cases need: the log's keys, its proofs, and the event store. */
export interface MerkleLog {
  readonly keys: LogKeys;
  readonly proofs: LogProofs;
  readonly store: EventStore;
}

export function logKeyConfig(config: LedgerConfig): LogKeyConfig {
  return { signingKey: config.signingKey, logOrigin: config.logOrigin, dataDir: config.dataDir };
}

const opened = new WeakMap<LedgerRuntime, Promise<MerkleLog>>();

/**
 * The service's Merkle log: its key is LEDGER_SIGNING_KEY, or the one generated once into the data
 * directory on first start. One per runtime (the workers and the HTTP handlers share it).
 */
export function merkleLogOf(runtime: LedgerRuntime): Promise<MerkleLog> {
  let log = opened.get(runtime);
  if (!log) {
    log = loadLogKeys(logKeyConfig(runtime.config), { create: true }).then((keys) => ({
      keys,
      proofs: new LogProofs(runtime.pool, runtime.eventStore),
      store: runtime.eventStore,
    }));
    opened.set(runtime, log);
  }
  return log;
}

/**
 * The integrator (events → Merkle tiles), the checkpoint signer and the integrity scrubber (stored
 * events re-verified against their hashes and the tiles; off when LEDGER_SCRUB_EVENTS_PER_SECOND=0).
 */
export function createMerkleLogWorkers(runtime: LedgerRuntime, log: (line: string) => void): BackgroundWorker[] {
  const { eventsPerSecond, pauseMs } = runtime.config.scrubber;
  const scrubber = eventsPerSecond > 0 ? [new IntegrityScrubber({ pool: runtime.pool, store: runtime.eventStore, eventsPerSecond, pauseMs, log })] : [];
  return [
    new MerkleIntegrator({ pool: runtime.pool, store: runtime.eventStore, clock: runtime.clock, log }),
    new CheckpointSigner({
      pool: runtime.pool,
      keys: async () => (await merkleLogOf(runtime)).keys,
      intervalMs: runtime.config.checkpointIntervalMs,
      clock: runtime.clock,
      log,
    }),
    ...scrubber,
  ];
}
