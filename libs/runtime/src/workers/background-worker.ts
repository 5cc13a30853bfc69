import type { LogFollower, LogFollowerStatus } from '@ledger/event-store';

/**
 * A long-running reader of the log (the Merkle integrator, the checkpoint signer, the projector).
 * By default the API supervises them in a child process (LEDGER_WORKERS=process); `inline` runs
 * them in the API process, `off` runs none (the CLI's `workers` command runs them: compose).
 */
/** Every background worker is a follower of the log (libs/event-store/src/log-follower.ts). */
export type WorkerStatus = LogFollowerStatus;
export type BackgroundWorker = LogFollower;

/** What /health and /metrics report: the workers wherever they run. */
export interface WorkerFleet {
  statuses(): Promise<WorkerStatus[]>;
  /** Restarts in a row of the process the workers run in, when a supervisor runs them in one. */
  processRestarts?(): number;
}

export const BACKGROUND_WORKERS = Symbol('BACKGROUND_WORKERS');

/** The fleet of workers running in this process. */
export function inlineFleet(workers: readonly BackgroundWorker[]): WorkerFleet {
  return {
    statuses: () =>
      Promise.all(
        workers.map((w) =>
          w.status().catch((error: unknown): WorkerStatus => ({
            name: w.name, state: 'failed', position: Number.NaN, lagEvents: Number.NaN, lagSeconds: Number.NaN, error: String(error),
          })),
        ),
      ),
  };
}
