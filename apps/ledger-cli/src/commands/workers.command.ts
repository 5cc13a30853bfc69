import type { WorkerStatus } from '../../../ledger-api/src/workers/background-worker.js';
import type { WorkerStatusMessage, WorkerStatusRequest } from '../../../ledger-api/src/workers/worker-process.js';
import { createWorkers, startWorkers, stopWorkers } from '../../../ledger-api/src/workers/workers.js';
import { EXIT, parseOptions, UsageError, type CliCommand, type CliContext } from '../cli-command.js';

const USAGE = `usage: npm run cli -- workers [--status-every SECONDS]

Runs only the background workers of a ledger process (the projector, and the others of
apps/ledger-api/src/workers/workers.ts), against the same configuration as the service: for a
separate worker container next to API processes started with LEDGER_WORKERS=off. Stops cleanly
on SIGINT or SIGTERM; killed, it resumes from its checkpoints when started again.

  --status-every SECONDS   print each worker's position and lag every SECONDS (default 30; 0: never)`;

function line(status: WorkerStatus): string {
  return `${status.name}: ${status.state}, position ${status.position.toLocaleString('en')}, ` +
    `lag ${status.lagEvents.toLocaleString('en')} events / ${status.lagSeconds.toFixed(1)} s${status.error ? ` (${status.error})` : ''}`;
}

export const workersCommand: CliCommand = {
  name: 'workers',
  summary: 'run only the background workers (projector …) until SIGINT/SIGTERM',
  usage: USAGE,
  async run(args: string[], context: CliContext): Promise<number> {
    const { values, positionals } = parseOptions(args, { values: ['status-every'] });
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
    const every = Number(values.get('status-every') ?? '30');
    if (!Number.isFinite(every) || every < 0) throw new UsageError('--status-every must be a number of seconds, 0 or more');
    // This command owns the signals: a stop drains the workers (their current batch commits or
    // rolls back) before the runtime closes, and the exit code is 0.
    process.removeAllListeners('SIGINT');
    process.removeAllListeners('SIGTERM');
    const stopped = new Promise<string>((resolve) => {
      process.once('SIGINT', () => resolve('SIGINT'));
      process.once('SIGTERM', () => resolve('SIGTERM'));
    });
    const runtime = await context.runtime();
    const workers = createWorkers(runtime, context.log);
    await startWorkers(workers);
    context.log(`workers running: ${workers.map((w) => w.name).join(', ') || 'none'} (stop with Ctrl-C or SIGTERM)`);
    // Started by the API's supervisor: report over IPC every second, and stop when the API is gone.
    const report = (request?: number): void => {
      void Promise.all(workers.map((w) => w.status())).then(
        (statuses) => process.send?.({ type: 'ledger-worker-status', statuses, request } satisfies WorkerStatusMessage),
        () => undefined,
      );
    };
    const ipc = typeof process.send === 'function' ? setInterval(() => report(), 1000) : null;
    if (ipc) {
      process.on('message', (message: WorkerStatusRequest) => {
        if (message?.type === 'ledger-worker-status-request') report(message.request);
      });
      process.once('disconnect', () => process.emit('SIGTERM'));
      report();
    }
    const timer = every > 0
      ? setInterval(() => {
          void Promise.all(workers.map((w) => w.status())).then(
            (statuses) => statuses.forEach((s) => context.log(line(s))),
            () => undefined,
          );
        }, every * 1000)
      : null;
    const signal = await stopped;
    if (timer) clearInterval(timer);
    if (ipc) clearInterval(ipc);
    context.log(`${signal}: stopping the workers`);
    await stopWorkers(workers);
    for (const status of await Promise.all(workers.map((w) => w.status().catch(() => null)))) if (status) context.log(line(status));
    return EXIT.ok;
  },
};
