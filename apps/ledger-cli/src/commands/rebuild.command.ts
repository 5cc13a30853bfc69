import { PROJECTOR_BATCH_SIZE, RebuildBusyError, rebuildReadModels } from '@ledger/projections';
import { createProjections } from '@ledger/runtime';
import { EXIT, parseOptions, UsageError, type CliCommand, type CliContext } from '../cli-command.js';
import { Progress } from '../progress.js';

const USAGE = `usage: npx ledger rebuild [--batch-size N] [--restart] [--keep-retired N]

Rebuilds every read model (custody, and any projection registered in
libs/runtime/src/workers/projections.ts) from position 0 into a fresh generation
(PostgreSQL schema read_model_g<N>) while the serving generation keeps answering and its
projector keeps following the log. When the new generation has caught up, it takes over in
one transaction. Progress goes to stderr.

Resumable: interrupted (Ctrl-C, a crash), the same command continues from the new generation's
own checkpoint.

  --batch-size N     events per transaction (default 10000; also cut at 16 MiB of events)
  --restart          discard the generation an interrupted rebuild left and start from 0
  --keep-retired N   replaced generations to keep for a look back (default 1; older ones are dropped)

Exit 0: switched; 3: the database could not be used or another rebuild is running; 130: interrupted.`;

function positiveInt(name: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be an integer from ${min} to ${max}`);
  return n;
}

export const rebuildCommand: CliCommand = {
  name: 'rebuild',
  summary: 'rebuild every read model into fresh tables, then switch (resumable, with progress)',
  usage: USAGE,
  async run(args: string[], context: CliContext): Promise<number> {
    const { values, flags, positionals } = parseOptions(args, { values: ['batch-size', 'keep-retired'], flags: ['restart'] });
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
    const batchSize = positiveInt('batch-size', values.get('batch-size'), PROJECTOR_BATCH_SIZE, 1, 50_000);
    const keepRetired = positiveInt('keep-retired', values.get('keep-retired'), 1, 0, 100);
    const runtime = await context.runtime();
    const stop = new AbortController();
    const onSignal = (): void => stop.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    let progress: Progress | null = null;
    try {
      const result = await rebuildReadModels(
        { dataSource: runtime.dataSource, eventStore: runtime.eventStore, projections: createProjections() },
        {
          batchSize,
          restart: flags.has('restart'),
          keepRetired,
          signal: stop.signal,
          onProgress: ({ generation, position, head, startedAt }) => {
            if (!progress) {
              context.log(
                startedAt > 0
                  ? `resuming the rebuild of generation ${generation} from position ${startedAt.toLocaleString('en')}`
                  : `rebuilding the read models into generation ${generation}`,
              );
              progress = new Progress(`rebuild generation ${generation}`, head, context.err, startedAt);
            }
            progress.update(position);
          },
        },
      );
      if (!result.switched) {
        (progress as Progress | null)?.finish();
        context.log(`interrupted at position ${result.position.toLocaleString('en')}; run the same command again to resume`);
        return 130;
      }
      (progress as Progress | null)?.finish();
      context.out.write(
        `read models rebuilt into generation ${result.generation.generation} (${result.generation.schema}) up to position ` +
          `${result.position.toLocaleString('en')}${result.resumed ? `, resumed from ${result.resumedFrom.toLocaleString('en')}` : ''}; ` +
          `it serves now${result.replaced ? ` in place of generation ${result.replaced.generation}` : ''}` +
          `${result.dropped.length > 0 ? `; dropped ${result.dropped.join(', ')}` : ''}\n`,
      );
      return EXIT.ok;
    } catch (error) {
      if (error instanceof RebuildBusyError) {
        context.log(error.message);
        return EXIT.error;
      }
      throw error;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  },
};
