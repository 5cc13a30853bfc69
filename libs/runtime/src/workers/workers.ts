import type { LedgerRuntime } from '../ledger-runtime.js';
import type { BackgroundWorker } from './background-worker.js';
import { createProjectorWorker } from './projector.worker.js';
import { createMerkleLogWorkers } from '../merkle-log.js';

/** `witnesses` selects every cosignature requester (their workers are named `witness:<name>`). */
export const WORKER_NAMES = ['projector', 'merkle-integrator', 'checkpoint-signer', 'witnesses', 'integrity-scrubber'] as const;

/** The background workers of a ledger process, in start order (LEDGER_WORKER_NAMES picks some). */
export function createWorkers(runtime: LedgerRuntime, log: (line: string) => void): BackgroundWorker[] {
  const wanted = runtime.config.workerNames;
  const unknown = wanted?.filter((n) => !(WORKER_NAMES as readonly string[]).includes(n)) ?? [];
  if (unknown.length > 0) throw new Error(`LEDGER_WORKER_NAMES: unknown worker ${unknown.join(', ')} (known: ${WORKER_NAMES.join(', ')})`);
  const all = [createProjectorWorker(runtime, log), ...createMerkleLogWorkers(runtime, log)];
  return wanted ? all.filter((w) => wanted.includes(w.name) || (w.name.startsWith('witness:') && wanted.includes('witnesses'))) : all;
}

export async function startWorkers(workers: readonly BackgroundWorker[]): Promise<void> {
  for (const worker of workers) await worker.start();
}

export async function stopWorkers(workers: readonly BackgroundWorker[]): Promise<void> {
  for (const worker of [...workers].reverse()) await worker.stop();
}
