import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { restartDelayMs, STABLE_RUN_MS } from '../restart-policy.js';
import type { WorkerFleet, WorkerStatus } from './background-worker.js';

/** What the `workers` command sends its parent over the IPC channel (every second, and when asked). */
export interface WorkerStatusMessage {
  type: 'ledger-worker-status';
  statuses: WorkerStatus[];
  /** The request answered, if any. */
  request?: number;
}

/** The parent asking for fresh statuses. */
export interface WorkerStatusRequest {
  type: 'ledger-worker-status-request';
  request: number;
}

export function isWorkerStatusMessage(message: unknown): message is WorkerStatusMessage {
  return (message as WorkerStatusMessage | null)?.type === 'ledger-worker-status';
}

/** The child's entry point, beside this file in the build. */
const WORKER_MAIN = path.join(path.dirname(fileURLToPath(import.meta.url)), 'worker-main.js');

export interface WorkerProcessOptions {
  log: (line: string) => void;
  /** V8 old-space limit of the child (MB): the projector's garbage would otherwise grow its RSS. */
  maxOldSpaceMb?: number;
}

/**
 * Runs the background workers in a child process (`worker-main.ts`) and restarts it if it
 * dies: the projector's CPU and memory stay out of the API's event loop and heap, and a worker
 * crash cannot take the API down. The child reports its workers' status every second over IPC;
 * it exits when the API process goes away (the channel closes), even after a SIGKILL.
 */
export class WorkerProcessSupervisor implements WorkerFleet {
  private child: ChildProcess | null = null;
  private last: WorkerStatus[] = [];
  private stopping = false;
  private restarts = 0;
  private spawnedAt = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  private exitReason: string | null = null;
  private nextRequest = 1;
  private readonly waiting = new Map<number, (statuses: WorkerStatus[]) => void>();

  constructor(private readonly options: WorkerProcessOptions) {}

  async start(): Promise<void> {
    this.stopping = false;
    this.spawn();
  }

  private spawn(): void {
    const child = fork(WORKER_MAIN, [], {
      execArgv: [`--max-old-space-size=${this.options.maxOldSpaceMb ?? 384}`],
      env: { ...process.env, LEDGER_WORKERS: 'off' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child = child;
    child.on('message', (message: unknown) => {
      if (!isWorkerStatusMessage(message)) return;
      this.last = message.statuses;
      this.exitReason = null;
      if (message.request !== undefined) this.waiting.get(message.request)?.(message.statuses);
    });
    this.spawnedAt = Date.now();
    child.on('exit', (code, signal) => {
      if (this.child === child) this.child = null;
      if (this.stopping) return;
      if (Date.now() - this.spawnedAt > STABLE_RUN_MS) this.restarts = 0;
      this.exitReason = `the worker process exited (${signal ?? `code ${code}`})`;
      const delay = restartDelayMs(this.restarts++);
      this.options.log(`${this.exitReason}; restarting it in ${delay / 1000} s`);
      this.restartTimer = setTimeout(() => this.spawn(), delay);
      this.restartTimer.unref();
    });
  }

  /**
   * Quick restarts in a row: a child that ran longer than a minute resets the count, so only
   * deaths in quick succession make a crash loop (/health reports one from this).
   */
  processRestarts(): number {
    if (this.child && Date.now() - this.spawnedAt > STABLE_RUN_MS) this.restarts = 0;
    return this.restarts;
  }

  /** Fresh statuses from the child (the last ones it sent if it does not answer within a second). */
  async statuses(): Promise<WorkerStatus[]> {
    if (this.exitReason) {
      const failed = (s: Pick<WorkerStatus, 'name' | 'position' | 'lagEvents' | 'lagSeconds'>): WorkerStatus => ({ ...s, state: 'failed', error: this.exitReason! });
      return this.last.length > 0 ? this.last.map(failed) : [failed({ name: 'worker-process', position: 0, lagEvents: Number.NaN, lagSeconds: Number.NaN })];
    }
    const child = this.child;
    if (child?.connected && this.last.length > 0) {
      const request = this.nextRequest++;
      const fresh = await new Promise<WorkerStatus[] | null>((resolve) => {
        const timer = setTimeout(() => resolve(null), 1_000);
        this.waiting.set(request, (statuses) => {
          clearTimeout(timer);
          resolve(statuses);
        });
        child.send({ type: 'ledger-worker-status-request', request } satisfies WorkerStatusRequest, (error) => error && resolve(null));
      });
      this.waiting.delete(request);
      if (fresh) return fresh;
    }
    if (this.last.length === 0 && child) {
      return [{ name: 'worker-process', state: 'starting', position: 0, lagEvents: Number.NaN, lagSeconds: Number.NaN }];
    }
    return this.last;
  }

  /** Stops the child (its workers finish their batch) and waits for it. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timeout = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timeout);
  }
}
