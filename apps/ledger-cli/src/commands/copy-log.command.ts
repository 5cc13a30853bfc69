import pg from 'pg';
import { migrateLedger } from '@ledger/runtime';
import {
  copyLog,
  EventStoreDbEventStore,
  PostgresEventStore,
  redactConnectionString,
  type CopyLogReport,
  type EventStore,
} from '@ledger/event-store';
import { EXIT, parseOptions, UsageError, type CliCommand, type CliContext } from '../cli-command.js';
import { Progress } from '../progress.js';

const USAGE = `usage: npx ledger copy-log --to eventstoredb|postgres --target-url URL [--batch-size N]

Copies the event log this ledger is configured with (EVENTSTORE_URL, else DATABASE_URL or the
embedded PostgreSQL) into another store, in position order, keeping every stored event, leaf hash
and so the Merkle root. Resumable: run it again after an interruption and it continues after the
target's last event. At the end it reads both logs side by side, recomputes each target leaf from
what the target stores, and compares the two Merkle roots.

  --to eventstoredb   --target-url esdb://host:2113?tls=false   (or esdb+discover://, kurrentdb://)
  --to postgres       --target-url postgres://user:pass@host/db (migrated first)
  --batch-size N      events read per page (default 1000)

Stop the writers (the API, or run it with LEDGER_WORKERS=off and no feeds) for the final run, so
that nothing is appended to the source after the copy's last page. Exit 0: identical; 1: the logs
differ (the first differing position is printed); 2: usage; 3: a store could not be used.`;

interface Target {
  store: EventStore;
  setClock(ms: number): void;
  close(): Promise<void>;
}

async function openTarget(kind: string, url: string): Promise<Target> {
  let now = 0;
  const clock = (): number => now;
  const setClock = (ms: number): void => {
    now = ms;
  };
  if (kind === 'eventstoredb') {
    const store = await EventStoreDbEventStore.connect(url, { clock });
    return { store, setClock, close: () => store.close() };
  }
  await migrateLedger(url);
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  const store = new PostgresEventStore(pool, { clock });
  return {
    store,
    setClock,
    close: async () => {
      await store.close();
      await pool.end();
    },
  };
}

export function printReport(report: CopyLogReport, out: NodeJS.WritableStream): void {
  const c = report.comparison;
  out.write(
    [
      `copied ${report.copied.toLocaleString('en')} events (positions ${report.resumedFrom + 1}–${report.sourceHead}; resumed from ${report.resumedFrom})`,
      ...(c
        ? [
            `leaves compared: ${c.leaves.toLocaleString('en')}; first difference: ${c.firstMismatch ?? 'none'}`,
            `source Merkle root: ${c.sourceRoot}`,
            `target Merkle root: ${c.targetRoot}`,
            c.identical ? 'identical: the target log is a copy of the source, leaf for leaf' : 'DIFFERENT: do not switch to the target',
          ]
        : ['not complete: run the same command again to resume']),
    ].join('\n') + '\n',
  );
}

export const copyLogCommand: CliCommand = {
  name: 'copy-log',
  summary: 'copy the event log into EventStoreDB or another PostgreSQL, resumable, proving the Merkle root unchanged',
  usage: USAGE,
  async run(args: string[], context: CliContext): Promise<number> {
    const { values, positionals } = parseOptions(args, { values: ['to', 'target-url', 'batch-size'] });
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
    const kind = values.get('to');
    const url = values.get('target-url');
    if (kind !== 'eventstoredb' && kind !== 'postgres') throw new UsageError('--to must be eventstoredb or postgres');
    if (!url) throw new UsageError('--target-url is required');
    const batchSize = Number.parseInt(values.get('batch-size') ?? '1000', 10);
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) throw new UsageError('--batch-size must be 1 … 10000');

    const runtime = await context.runtime();
    if (kind === 'postgres' && url === runtime.database.url) throw new UsageError('the target is the source database');
    if (kind === 'eventstoredb' && url === runtime.config.eventStoreUrl) throw new UsageError('the target is the source log');
    context.log(`copying the ${runtime.config.eventStoreUrl ? 'EventStoreDB' : 'PostgreSQL'} log into ${kind} at ${redactConnectionString(url)}`);
    const target = await openTarget(kind, url);
    const stop = new AbortController();
    const onSignal = (): void => stop.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    let progress: Progress | undefined;
    try {
      const report = await copyLog({
        source: runtime.eventStore,
        target: target.store,
        setTargetClock: target.setClock,
        batchSize,
        signal: stop.signal,
        onProgress: (done, total) => {
          progress ??= new Progress('copy-log', total, context.err, done);
          progress.update(done);
        },
      });
      progress?.finish(report.complete ? 'copied; comparing both logs leaf by leaf…' : undefined);
      printReport(report, context.out);
      if (!report.complete) return 130;
      return report.comparison!.identical ? EXIT.ok : EXIT.failed;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      await target.close();
    }
  },
};
