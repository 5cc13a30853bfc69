import { PROJECTOR_BATCH_SIZE, Projector } from '@ledger/projections';
import type { LedgerRuntime } from '../ledger-runtime.js';
import type { BackgroundWorker } from './background-worker.js';
import { createProjections } from './projections.js';

/** LEDGER_PROJECTOR_BATCH_SIZE: events per read-model transaction (default 10,000; batches are also cut at 16 MiB of stored events). */
export function projectorBatchSize(env: NodeJS.ProcessEnv = process.env): number {
  const text = env.LEDGER_PROJECTOR_BATCH_SIZE;
  if (text === undefined || text === '') return PROJECTOR_BATCH_SIZE;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 50_000) throw new Error(`LEDGER_PROJECTOR_BATCH_SIZE must be an integer from 1 to 50000, got ${text}`);
  return n;
}

/** The projector of this process: every projection of `createProjections`, following the runtime's log. */
export function createProjectorWorker(runtime: LedgerRuntime, log: (line: string) => void): BackgroundWorker {
  return new Projector(
    { dataSource: runtime.dataSource, eventStore: runtime.eventStore, projections: createProjections() },
    { batchSize: projectorBatchSize(), clock: runtime.clock, log },
  );
}
