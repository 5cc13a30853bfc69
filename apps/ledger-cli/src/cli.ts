import { ledgerConfigFromEnv, openRuntime, type LedgerRuntime } from '@ledger/runtime';
import { EXIT, EXIT_CODES_HELP, InputError, UsageError, type CliContext } from './cli-command.js';
import { COMMANDS } from './commands/index.js';

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'usage: npx ledger <command> [options]',
    '',
    'Runs against the same configuration as the service: DATABASE_URL, or the embedded PostgreSQL in LEDGER_DATA_DIR.',
    '',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'npx ledger <command> --help shows a command\'s options.',
    '',
    EXIT_CODES_HELP,
  ].join('\n');
}

/** Runs one command line and returns its exit code (main.ts exits with it; tests call it in-process). */
export async function runCli(argv: readonly string[], io: { out: NodeJS.WritableStream; err: NodeJS.WritableStream }): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === 'help') {
    io.out.write(`${help()}\n`);
    return name ? EXIT.ok : EXIT.usage;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err.write(`unknown command: ${name}\n\n${help()}\n`);
    return EXIT.usage;
  }
  if (args.includes('--help')) {
    io.out.write(`${command.usage}\n\n${EXIT_CODES_HELP}\n`);
    return EXIT.ok;
  }
  let runtime: Promise<LedgerRuntime> | undefined;
  const context: CliContext = {
    runtime: () => (runtime ??= openRuntime(ledgerConfigFromEnv(), { log: (line) => io.err.write(`${line}\n`) })),
    out: io.out,
    err: io.err,
    log: (line) => io.err.write(`${line}\n`),
  };
  let onSignal = (): void => undefined;
  const stop = new Promise<number>((resolve) => {
    onSignal = (): void => {
      io.err.write('\ninterrupted; run the same command again to resume\n');
      resolve(130);
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });
  try {
    return await Promise.race([command.run([...args], context), stop]);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err.write(`${error.message}\n\n${command.usage}\n`);
      return EXIT.usage;
    }
    if (error instanceof InputError) {
      io.err.write(`${command.name}: ${error.message}\n`);
      return EXIT.usage;
    }
    io.err.write(`${command.name} failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.error;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (runtime) await (await runtime.catch(() => undefined))?.close();
  }
}
