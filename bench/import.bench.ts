/**
 * npm run bench:import — 1,000,000 CSV rows (the operation-log generator, CP932) through
 * `npm run cli -- import` into the service as `npm start` runs it (the Merkle log workers, as the
 * first layout of bench:ingest), on a fresh embedded PostgreSQL. Prints rows/s and the peak
 * resident memory of the importer and of the service; then, for the target, the HTTP batch ingest
 * rate of bench:ingest's method (4 feeds posting batches of 1,000) on the same service.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { generateHistory } from '../test/generators/care-insurance-history.js';
import { operationLogRows, writeOperationLogCsv, type OperationLogOptions } from '../libs/feed-import/src/index.js';
import { BenchClient, formatCount, freePort, peakRssMb, startService, stopService } from './support.js';

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 1_000_000);
const REFERENCE_EVENTS = Number(process.env.BENCH_REFERENCE_EVENTS ?? 200_000);
const CONCURRENCY = process.env.BENCH_IMPORT_CONCURRENCY ?? '2';
const FEED_KEY = 'bench-feed-key-0123456789';
const CONTRACT = 'bench-import';

async function main(): Promise<void> {
  console.log(`bench:import — ${os.cpus().length} cores (${os.cpus()[0]?.model}), node ${process.version}`);
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ledger-bench-import-'));
  await fs.chmod(dir, 0o755);
  // About 5.9 rows per record: enough records for ROWS rows, cut to exactly ROWS below.
  const options: OperationLogOptions = { records: Math.ceil(ROWS / 5.5), seed: 1, spacingMinutes: 1, start: '2025-06-02T09:00:00', logPrefix: 'BENCH' };
  const csv = path.join(dir, 'operation-log.csv');
  const mapping = path.join(dir, 'mapping.yaml');
  console.log(`writing ${formatCount(ROWS)} rows (CP932) …`);
  await writeOperationLogCsv(csv, { ...options, records: recordsFor(options, ROWS) }, 'cp932');
  const rows = countRows({ ...options, records: recordsFor(options, ROWS) });
  await fs.writeFile(mapping, (await fs.readFile('examples/operation-log/mapping.yaml', 'utf8')).replace('contractId: okayama-kaigo-demo', `contractId: ${CONTRACT}`));
  console.log(`${formatCount(rows)} rows, ${((await fs.stat(csv)).size / 1e6).toFixed(0)} MB`);

  const port = await freePort();
  const service = await startService(path.join(dir, 'data'), port, { LEDGER_API_KEYS: `${FEED_KEY}:feed`, LEDGER_WORKER_NAMES: 'merkle-integrator,checkpoint-signer' });
  const client = new BenchClient(`http://127.0.0.1:${port}`, 8);
  try {
    await register(client, CONTRACT);
    const started = performance.now();
    const importer = spawn(process.execPath, ['dist/apps/ledger-cli/src/main.js', 'import', csv, '--mapping', mapping, '--concurrency', CONCURRENCY], {
      env: { ...process.env, LEDGER_URL: `http://127.0.0.1:${port}`, LEDGER_FEED_KEY: FEED_KEY },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let importerPeak = 0;
    const sampler = setInterval(() => void peakRssMb(importer.pid!).then((mb) => (importerPeak = Math.max(importerPeak, mb)), () => undefined), 200);
    let output = '';
    importer.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    importer.stderr!.on('data', (c: Buffer) => process.stderr.write(c));
    const code = await new Promise<number | null>((resolve) => importer.on('exit', resolve));
    clearInterval(sampler);
    const seconds = (performance.now() - started) / 1000;
    if (code !== 0) throw new Error(`the import exited ${code}:\n${output}`);
    process.stdout.write(output);
    const importRate = rows / seconds;
    const serviceDuringImport = await peakRssMb(service.pid!);

    console.log(`reference: ${formatCount(REFERENCE_EVENTS)} events as batches of 1,000 from 4 feeds (bench:ingest's method) …`);
    const batches = [...generateHistory({ seed: 99, contracts: 4, recordsPerContract: Math.ceil(REFERENCE_EVENTS / 40), batchSize: 1000, contractPrefix: 'bench-ref' })];
    const registrations = batches.flat().filter((e) => e.type === 'ContractRegistered');
    if ((await client.request('POST', '/v1/events', FEED_KEY, JSON.stringify({ events: registrations }))).status !== 201) throw new Error('registration failed');
    const bodies = batches.map((events) => JSON.stringify({ events }));
    const total = batches.reduce((n, b) => n + b.length, 0);
    let next = 0;
    const refStarted = performance.now();
    await Promise.all(Array.from({ length: 4 }, async () => {
      while (next < bodies.length) {
        const answer = await client.request('POST', '/v1/events', FEED_KEY, bodies[next++]!);
        if (answer.status !== 201) throw new Error(`batch answered ${answer.status}`);
      }
    }));
    const referenceRate = total / ((performance.now() - refStarted) / 1000);

    console.log('results');
    console.log(`  import of ${formatCount(rows)} CSV rows (CP932):          ${formatCount(importRate)} rows/s (${seconds.toFixed(0)} s, concurrency ${CONCURRENCY})`);
    console.log(`  importer peak resident memory (VmHWM):    ${importerPeak.toFixed(0)} MB`);
    console.log(`  service peak resident memory (VmHWM):     ${serviceDuringImport.toFixed(0)} MB (during the import)`);
    console.log(`  HTTP batch ingest on the same service:    ${formatCount(referenceRate)} events/s`);
    console.log(`  import / batch ingest:                    ${((100 * importRate) / referenceRate).toFixed(0)} % (target ≥ 80 %)`);
  } finally {
    client.close();
    await stopService(service);
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** The records that give at least `rows` rows. */
function recordsFor(options: OperationLogOptions, rows: number): number {
  let records = options.records;
  while (countRows({ ...options, records }) < rows) records = Math.ceil(records * 1.05);
  return records;
}

function countRows(options: OperationLogOptions): number {
  let n = -1;
  for (const _row of operationLogRows(options)) n++;
  return n;
}

async function register(client: BenchClient, contractId: string): Promise<void> {
  const answer = await client.request('POST', '/v1/events', FEED_KEY, JSON.stringify({
    eventId: randomUUID(), type: 'ContractRegistered', contractId, occurredAt: '2025-04-01T09:00:00+09:00', actor: { org: 'city', workerId: 'S-010' },
    data: {
      title: 'bench import', purposes: ['介護保険システム再構築', '介護保険システム運用保守'],
      dataCategories: ['被保険者台帳', '要介護認定', '給付実績', '保険料賦課', '住所地特例', '負担限度額認定'], permitsSubcontracting: true,
      term: { start: '2025-04-01T00:00:00+09:00', end: '2035-03-31T23:59:59+09:00' },
    },
  }));
  if (answer.status !== 201) throw new Error(`registration answered ${answer.status}: ${answer.text}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
