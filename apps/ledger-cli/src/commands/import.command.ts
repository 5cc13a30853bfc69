import { LedgerClient, LedgerHttpError, LedgerUnavailableError } from '@ledger/client';
import {
  DEFAULT_MAX_PROBLEMS,
  encodingFromName,
  importFeed,
  ImportSetupError,
  MappingError,
  progressView,
  serviceKey,
  serviceUrl,
  type FeedEncoding,
} from '@ledger/feed-import';
import { EXIT, parseOptions, UsageError, type CliCommand, type CliContext } from '../cli-command.js';

const USAGE = `usage: npx ledger import FILE --mapping MAPPING [options]

Imports a CSV feed (UTF-8 with or without BOM, or CP932/Shift_JIS: detected) into the running
ledger through its HTTP API, in batches, with the typed client (retries on 429/503 and network
errors). Each row becomes one event by the mapping (JSON or YAML: docs/feed-import.md); its eventId
is a UUIDv5 of the contract and the row's identity columns, so importing the same or a corrected
file again writes nothing twice. Rows that break the wire contract are refused and listed in the
error report (row, column, value, problem in Japanese and English), written in the file's encoding;
the other rows are imported. Progress goes to stderr (a bar on a terminal, lines in a log).

  --mapping FILE      the mapping (required)
  --dry-run           check every row, write the report, write nothing to the ledger
  --resume            continue after the rows the state file says are done (after a crash or Ctrl-C)
  --encoding E        auto (default), utf-8 or cp932 (shift_jis)
  --contract C        the contractId, instead of the mapping's
  --report FILE       the error report (default FILE.errors.csv)
  --state FILE        the state file (default FILE.import-state.json; removed when the import ends)
  --url URL           the ledger (default LEDGER_URL, else http://localhost:$PORT, PORT default 3000)
  --key KEY           a feed key (default LEDGER_FEED_KEY, else LEDGER_API_KEYS, else
                      LEDGER_DATA_DIR/api-keys.env as npm start writes it)
  --batch-size N      events per request (1-1000, default 1000)
  --concurrency N     requests in flight (1-8, default 2)
  --max-problems N    stop after this many problems (default ${DEFAULT_MAX_PROBLEMS})

Exit 0: every row imported (dry run: every row valid); 1: rows refused (see the report) or the
import stopped early; 2: the command line, the mapping or the file header is wrong, the contract is
not registered, or the key is refused; 3: the ledger could not be reached; 130: interrupted (--resume).`;

function intOption(name: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be an integer from ${min} to ${max}`);
  return n;
}

export const importCommand: CliCommand = {
  name: 'import',
  summary: 'import a CSV feed (CP932 or UTF-8) by a mapping file: dry run, error report, resumable',
  usage: USAGE,
  async run(args: string[], context: CliContext): Promise<number> {
    const { values, flags, positionals } = parseOptions(args, {
      values: ['mapping', 'encoding', 'contract', 'report', 'state', 'url', 'key', 'batch-size', 'concurrency', 'max-problems'],
      flags: ['dry-run', 'resume'],
    });
    if (positionals.length !== 1) throw new UsageError('give one CSV file');
    const mappingFile = values.get('mapping');
    if (!mappingFile) throw new UsageError('--mapping is required');
    let encoding: FeedEncoding | undefined;
    const encodingName = values.get('encoding');
    if (encodingName !== undefined && encodingName !== 'auto') {
      encoding = encodingFromName(encodingName) ?? undefined;
      if (!encoding) throw new UsageError('--encoding must be auto, utf-8 or cp932');
    }
    const dryRun = flags.has('dry-run');
    const batchSize = intOption('batch-size', values.get('batch-size'), 1000, 1, 1000);
    const concurrency = intOption('concurrency', values.get('concurrency'), 2, 1, 8);
    const maxProblems = intOption('max-problems', values.get('max-problems'), DEFAULT_MAX_PROBLEMS, 1, 1_000_000);
    const url = values.get('url') ?? serviceUrl();
    let client: LedgerClient | undefined;
    if (!dryRun) {
      const key = values.get('key') ?? serviceKey(['feed', 'admin']);
      if (!key) throw new UsageError('no feed key: give --key, set LEDGER_FEED_KEY, or run where npm start wrote .ledger-data/api-keys.env');
      client = new LedgerClient({
        baseUrl: url, apiKey: key, batchSize,
        onRetry: ({ attempt, delayMs, reason }) => context.log(`the ledger answered ${reason}; retry ${attempt} in ${delayMs} ms`),
      });
    }
    const file = positionals[0]!;
    const view = progressView(process.stderr, dryRun ? 'checking' : 'importing');
    process.once('SIGINT', () => process.stderr.write(`\ncontinue with: npx ledger import ${args.filter((a) => a !== '--resume').join(' ')} --resume\n`));
    try {
      const result = await importFeed({
        file, mappingFile, encoding, dryRun, resume: flags.has('resume'), client, concurrency, maxProblems,
        contractId: values.get('contract'), reportFile: values.get('report'), stateFile: values.get('state'),
        onProgress: (p) => view.update(p), log: (line) => context.log(line),
      });
      view.stop();
      const c = result.counts;
      const rows = c.rows - result.resumedAfter;
      const what = dryRun
        ? `${c.appended.toLocaleString('en')} valid, ${c.refusedRows.toLocaleString('en')} refused`
        : `${c.appended.toLocaleString('en')} appended, ${c.duplicate.toLocaleString('en')} duplicate, ${c.refusedRows.toLocaleString('en')} refused`;
      context.out.write(
        `${dryRun ? 'checked' : 'imported'} ${file} (${result.encoding.encoding}${result.encoding.bom ? ' with BOM' : ''}): ` +
          `${rows.toLocaleString('en')} rows${result.resumedAfter > 0 ? ` after row ${(result.resumedAfter + 1).toLocaleString('en')}` : ''} — ${what}\n`,
      );
      if (result.message) context.log(result.message);
      if (result.reportFile) context.log(`${result.problems.toLocaleString('en')} problem(s) in ${result.reportFile} (same encoding as the file)`);
      return result.outcome === 'complete' ? EXIT.ok : EXIT.failed;
    } catch (error) {
      view.stop();
      if (error instanceof MappingError || error instanceof ImportSetupError) {
        context.log(error.message);
        return EXIT.usage;
      }
      if (error instanceof LedgerHttpError && (error.status === 401 || error.status === 403)) {
        context.log(`the ledger refused the key: ${error.message}`);
        return EXIT.usage;
      }
      if (error instanceof LedgerUnavailableError) {
        context.log(`${error.message}; the rows acknowledged so far are recorded: continue with --resume`);
        return EXIT.error;
      }
      throw error;
    }
  },
};
