import type { LedgerRuntime } from '../runtime/ledger-runtime.js';
import type { BackgroundWorker } from './background-worker.js';
import { createProjectorWorker } from '../projector/projector.worker.js';
import { createMerkleLogWorkers } from '../log-proofs/merkle-log.provider.js';

/** Every background worker of a ledger process, in start order. */
export function createWorkers(runtime: LedgerRuntime, log: (line: string) => void): BackgroundWorker[] {
  return [
    createProjectorWorker(runtime, log),
    ...createMerkleLogWorkers(runtime, log),
  ];
}

export async function startWorkers(workers: readonly BackgroundWorker[]): Promise<void> {
  for (const worker of workers) await worker.start();
}

export async function stopWorkers(workers: readonly BackgroundWorker[]): Promise<void> {
  for (const worker of [...workers].reverse()) await worker.stop();
}
