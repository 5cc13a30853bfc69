import type { LedgerRuntime } from '../ledger-runtime.js';
import type { WorkerStatus } from './background-worker.js';
import type { WorkerStatusMessage, WorkerStatusRequest } from './worker-process.js';
import { createWorkers, startWorkers, stopWorkers } from './workers.js';

export interface RunWorkersOptions {
  log: (line: string) => void;
  /** Print each worker's status every so many seconds (0: never). */
  statusEverySeconds: number;
  /** Resolves (with the signal's name) when the workers must stop. */
  stopped: Promise<string>;
}

/** One status line for a log. */
export function workerStatusLine(status: WorkerStatus): string {
  return `${status.name}: ${status.state}, position ${status.position.toLocaleString('en')}, ` +
    `lag ${status.lagEvents.toLocaleString('en')} events / ${status.lagSeconds.toFixed(1)} s${status.error ? ` (${status.error})` : ''}`;
}

/**
 * Runs the background workers of the runtime until `stopped` resolves, then drains them (their
 * current batch commits or rolls back). When started by the API's supervisor (an IPC channel
 * exists), reports statuses over IPC every second and on request, and stops when the parent goes
 * away (the channel closes, even after a SIGKILL of the parent).
 */
export async function runWorkers(runtime: LedgerRuntime, options: RunWorkersOptions): Promise<void> {
  const { log } = options;
  const workers = createWorkers(runtime, log);
  await startWorkers(workers);
  log(`workers running: ${workers.map((w) => w.name).join(', ') || 'none'} (stop with Ctrl-C or SIGTERM)`);
  const report = (request?: number): void => {
    void Promise.all(workers.map((w) => w.status())).then(
      (statuses) => process.send?.({ type: 'ledger-worker-status', statuses, request } satisfies WorkerStatusMessage),
      () => undefined,
    );
  };
  let parentGone: () => void = () => undefined;
  const disconnected = new Promise<string>((resolve) => (parentGone = () => resolve('disconnect')));
  const ipc = typeof process.send === 'function' ? setInterval(() => report(), 1000) : null;
  if (ipc) {
    process.on('message', (message: WorkerStatusRequest) => {
      if (message?.type === 'ledger-worker-status-request') report(message.request);
    });
    process.once('disconnect', parentGone);
    report();
  }
  const timer = options.statusEverySeconds > 0
    ? setInterval(() => {
        void Promise.all(workers.map((w) => w.status())).then(
          (statuses) => statuses.forEach((s) => log(workerStatusLine(s))),
          () => undefined,
        );
      }, options.statusEverySeconds * 1000)
    : null;
  const signal = await Promise.race([options.stopped, disconnected]);
  if (timer) clearInterval(timer);
  if (ipc) clearInterval(ipc);
  log(`${signal}: stopping the workers`);
  await stopWorkers(workers);
  for (const status of await Promise.all(workers.map((w) => w.status().catch(() => null)))) if (status) log(workerStatusLine(status));
}
