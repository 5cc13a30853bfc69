/**
 * A long-running reader of the log inside a process (the Merkle integrator, the projector). The
 * API runs them unless LEDGER_WORKERS=off; the CLI's `workers` command runs them alone (compose).
 */
export interface WorkerStatus {
  name: string;
  state: 'starting' | 'running' | 'stopped' | 'failed';
  /** Position up to which the worker has applied the log. */
  position: number;
  /** Events committed to the log but not yet applied. */
  lagEvents: number;
  /** Seconds between the oldest unapplied event's recordedAt and now (0 when caught up). */
  lagSeconds: number;
  error?: string;
}

export interface BackgroundWorker {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  status(): Promise<WorkerStatus>;
}

export const BACKGROUND_WORKERS = Symbol('BACKGROUND_WORKERS');
