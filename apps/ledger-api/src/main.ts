import 'reflect-metadata';
import { createLedgerApp } from './create-app.js';
import { ledgerConfigFromEnv, openRuntime, createWorkers, startWorkers, stopWorkers, inlineFleet, WorkerProcessSupervisor, merkleLogOf } from '@ledger/runtime';
import { describeLogKeys } from '@ledger/merkle-log';

const log = (line: string): void => console.log(`[ledger] ${line}`);

async function main(): Promise<void> {
  const config = ledgerConfigFromEnv();
  const runtime = await openRuntime(config, { log });
  const inline = config.workers === 'inline' ? createWorkers(runtime, log) : [];
  const supervisor = config.workers === 'process' ? new WorkerProcessSupervisor({ log, maxOldSpaceMb: config.workerHeapMb }) : null;
  const app = await createLedgerApp(runtime, { log, workers: supervisor ?? inlineFleet(inline) }).catch(async (error: unknown) => {
    await runtime.close();
    throw error;
  });
  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping`);
    await app.close();
    await supervisor?.stop();
    await stopWorkers(inline);
    await runtime.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  // Under `npm start` (supervise.ts): stop when the supervisor goes away, even after a SIGKILL of it.
  process.once('disconnect', () => void stop('supervisor gone'));
  await app.listen({ port: config.port, host: config.host }).catch(async (error: unknown) => {
    await app.close();
    await runtime.close();
    throw error;
  });
  await startWorkers(inline);
  await supervisor?.start();
  const url = await app.getUrl();
  log(`listening on ${url.replace('[::1]', 'localhost')} (API docs: ${url}/docs)`);
  process.send?.({ type: 'ledger-api-listening' });
  log(runtime.database.embedded ? `embedded PostgreSQL, data in ${config.dataDir}` : 'PostgreSQL from DATABASE_URL');
  log(describeLogKeys((await merkleLogOf(runtime)).keys));
  log(
    { process: 'background workers (Merkle log, projector) in a supervised child process', inline: 'background workers in this process', off: 'no background workers here (LEDGER_WORKERS=off)' }[
      config.workers
    ],
  );
}

main().catch((error: unknown) => {
  console.error(`[ledger] could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
