/**
 * Entry point of the worker process that the API supervises (LEDGER_WORKERS=process): the
 * background workers against the same configuration as the API, reporting over IPC. The API
 * starts this file, never the CLI.
 */
import 'reflect-metadata';
import { ledgerConfigFromEnv } from '../ledger-config.js';
import { openRuntime } from '../ledger-runtime.js';
import { runWorkers } from './run-workers.js';

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

async function main(): Promise<number> {
  const stopped = new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  const runtime = await openRuntime(ledgerConfigFromEnv(), { log });
  try {
    await runWorkers(runtime, { log, statusEverySeconds: 0, stopped });
    return 0;
  } finally {
    await runtime.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    log(`worker process failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(3);
  },
);
