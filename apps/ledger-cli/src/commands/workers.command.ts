import { runWorkers } from '@ledger/runtime';
import { EXIT, parseOptions, UsageError, type CliCommand, type CliContext } from '../cli-command.js';

const USAGE = `usage: npx ledger workers [--status-every SECONDS]

Runs only the background workers of a ledger process (the projector, the Merkle integrator, the
checkpoint signer: libs/runtime/src/workers/workers.ts), against the same configuration as the
service: for a separate worker container next to API processes started with LEDGER_WORKERS=off.
Stops cleanly on SIGINT or SIGTERM; killed, it resumes from its checkpoints when started again.

  --status-every SECONDS   print each worker's position and lag every SECONDS (default 30; 0: never)`;

export const workersCommand: CliCommand = {
  name: 'workers',
  summary: 'run only the background workers (projector …) until SIGINT/SIGTERM',
  usage: USAGE,
  async run(args: string[], context: CliContext): Promise<number> {
    const { values, positionals } = parseOptions(args, { values: ['status-every'] });
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
    const every = Number(values.get('status-every') ?? '30');
    if (!Number.isFinite(every) || every < 0) throw new UsageError('--status-every must be a number of seconds, 0 or more');
    // This command owns the signals: a stop drains the workers before the runtime closes, exit 0.
    process.removeAllListeners('SIGINT');
    process.removeAllListeners('SIGTERM');
    const stopped = new Promise<string>((resolve) => {
      process.once('SIGINT', () => resolve('SIGINT'));
      process.once('SIGTERM', () => resolve('SIGTERM'));
    });
    await runWorkers(await context.runtime(), { log: context.log, statusEverySeconds: every, stopped });
    return EXIT.ok;
  },
};
