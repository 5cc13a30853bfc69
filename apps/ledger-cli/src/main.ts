import 'reflect-metadata';
import { ledgerConfigFromEnv, openRuntime, type LedgerRuntime } from '@ledger/runtime';
import { EXIT, UsageError, type CliContext } from './cli-command.js';
import { COMMANDS } from './commands/index.js';

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'usage: npm run cli -- <command> [options]',
    '',
    'Runs against the same configuration as the service: DATABASE_URL, or the embedded PostgreSQL in LEDGER_DATA_DIR.',
    '',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'npm run cli -- <command> --help shows a command\'s options.',
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === 'help') {
    process.stdout.write(`${help()}\n`);
    return name ? EXIT.ok : EXIT.usage;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`unknown command: ${name}\n\n${help()}\n`);
    return EXIT.usage;
  }
  if (args.includes('--help')) {
    process.stdout.write(`${command.usage}\n`);
    return EXIT.ok;
  }
  let runtime: Promise<LedgerRuntime> | undefined;
  const context: CliContext = {
    runtime: () => (runtime ??= openRuntime(ledgerConfigFromEnv(), { log: (line) => process.stderr.write(`${line}\n`) })),
    out: process.stdout,
    err: process.stderr,
    log: (line) => process.stderr.write(`${line}\n`),
  };
  const stop = new Promise<number>((resolve) => {
    const onSignal = (): void => {
      process.stderr.write('\ninterrupted; run the same command again to resume\n');
      resolve(130);
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });
  try {
    return await Promise.race([command.run(args, context), stop]);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n\n${command.usage}\n`);
      return EXIT.usage;
    }
    process.stderr.write(`${command.name} failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.error;
  } finally {
    if (runtime) await (await runtime.catch(() => undefined))?.close();
  }
}

main(process.argv.slice(2)).then((code) => process.exit(code));
