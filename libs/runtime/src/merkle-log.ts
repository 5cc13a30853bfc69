import type { SigningKeySource } from '@ledger/audit';
import type { EventStore } from '@ledger/event-store';
import {
  CheckpointSigner,
  CosignatureRequester,
  IntegrityScrubber,
  LogProofs,
  MerkleIntegrator,
  keysInForce,
  loadLogKeys,
  promoteNextKeyFile,
  type LogKeyConfig,
  type LogKeys,
} from '@ledger/merkle-log';
import type { LedgerConfig } from './ledger-config.js';
import type { LedgerRuntime } from './ledger-runtime.js';
import { SigningKeyStore } from './signing-keys.js';
import type { BackgroundWorker } from './workers/background-worker.js';

/** DI token of the process's MerkleLog (keys and proofs). */
export const MERKLE_LOG = Symbol('MERKLE_LOG');

/** What the auditor's use cases need: the log's keys, its proofs, the event store and the parties' signing keys. */
export interface MerkleLog {
  /** The keys in force when last looked at (after a rotation by another process: see refreshKeys). */
  readonly keys: LogKeys;
  readonly proofs: LogProofs;
  readonly store: EventStore;
  readonly signingKeys: SigningKeySource;
  /** Re-reads the keys when the latest checkpoint shows a rotation this process has not seen. */
  refreshKeys(): Promise<LogKeys>;
}

export function logKeyConfig(config: LedgerConfig): LogKeyConfig {
  return { signingKey: config.signingKey, nextSigningKey: config.nextSigningKey, logOrigin: config.logOrigin, dataDir: config.dataDir };
}

const opened = new WeakMap<LedgerRuntime, Promise<MerkleLog>>();

/**
 * The service's Merkle log: its key is LEDGER_SIGNING_KEY, or the one generated once into the data
 * directory on first start. One per runtime (the workers and the HTTP handlers share it).
 */
export function merkleLogOf(runtime: LedgerRuntime): Promise<MerkleLog> {
  let log = opened.get(runtime);
  if (!log) {
    log = loadLogKeys(logKeyConfig(runtime.config), { create: true }).then((loaded) => {
      const proofs = new LogProofs(runtime.pool, runtime.eventStore);
      const merkleLog = {
        keys: loaded,
        proofs,
        store: runtime.eventStore,
        signingKeys: (query: { parties: readonly string[]; keyIds: readonly string[] }) => new SigningKeyStore(runtime.pool, runtime.clock).find(query),
        async refreshKeys(): Promise<LogKeys> {
          const latest = await proofs.checkpoints.latest();
          if (latest === null || latest.keyId === merkleLog.keys.keyId) return merkleLog.keys;
          merkleLog.keys = keysInForce(await loadLogKeys(logKeyConfig(runtime.config), { create: false }), latest.note);
          return merkleLog.keys;
        },
      };
      return merkleLog;
    });
    opened.set(runtime, log);
  }
  return log;
}

/**
 * The integrator (events → Merkle tiles), the checkpoint signer, one cosignature requester per
 * configured witness (LEDGER_WITNESSES) of this process, and the integrity scrubber (stored events
 * re-verified against their hashes and the tiles; off when LEDGER_SCRUB_EVENTS_PER_SECOND=0).
 */
export function createMerkleLogWorkers(runtime: LedgerRuntime, log: (line: string) => void): BackgroundWorker[] {
  const { eventsPerSecond, pauseMs } = runtime.config.scrubber;
  const scrubber = eventsPerSecond > 0 ? [new IntegrityScrubber({ pool: runtime.pool, store: runtime.eventStore, eventsPerSecond, pauseMs, log })] : [];
  return [
    new MerkleIntegrator({ pool: runtime.pool, store: runtime.eventStore, clock: runtime.clock, log }),
    new CheckpointSigner({
      pool: runtime.pool,
      store: runtime.eventStore,
      // Read afresh before each signing, so a next key prepared while the service runs is picked up.
      keys: () => loadLogKeys(logKeyConfig(runtime.config), { create: true }),
      intervalMs: runtime.config.checkpointIntervalMs,
      clock: runtime.clock,
      log,
      onRotated: async (retiredKeyId) => {
        if (await promoteNextKeyFile(logKeyConfig(runtime.config), retiredKeyId)) {
          log(`key files rotated: the retired key is kept as checkpoint-signing-key.retired-${retiredKeyId}`);
        }
        await (await merkleLogOf(runtime)).refreshKeys();
      },
    }),
    ...createCosignatureRequesters(runtime, log),
    ...scrubber,
  ];
}

/** One background worker per witness: a witness that is down delays only its own cosignature. */
export function createCosignatureRequesters(runtime: LedgerRuntime, log: (line: string) => void): BackgroundWorker[] {
  const intervalMs = Math.min(runtime.config.checkpointIntervalMs ?? 2_000, 1_000);
  return runtime.config.witnesses.map(
    (witness) => new CosignatureRequester({ pool: runtime.pool, store: runtime.eventStore, witness, intervalMs, clock: runtime.clock, log }),
  );
}
