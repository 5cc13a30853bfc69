/**
 * npm run bench:ingest — durable ingest through HTTP into a fresh embedded PostgreSQL.
 *
 * Starts the real service as `npm start` runs it, once per layout (the Merkle log workers only —
 * the target's "hashed and in the Merkle log" — then every worker), and measures, over several
 * runs, the median of:
 *  - events/s acknowledged for feeds posting batches of 1,000 (4 feeds at once),
 *  - events/s acknowledged for 64 concurrent clients posting one event per request,
 *  - the same including the time for the background workers to catch up,
 *  - the API process's peak resident memory (VmHWM), and its worker process's.
 * Client, service, workers and PostgreSQL share this machine's cores: the figures are a floor.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { generateHistory } from '../test/generators/care-insurance-history.js';
import { benchKey, BenchClient, formatCount, freePort, median, peakRssMb, startService, stopService, workerProcessRssMb } from './support.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const BATCH_EVENTS_PER_RUN = Number(process.env.BENCH_BATCH_EVENTS ?? 60_000);
const SINGLE_EVENTS_PER_RUN = Number(process.env.BENCH_SINGLE_EVENTS ?? 12_800);
const BATCH_FEEDS = 4;
const SINGLE_CLIENTS = 64;
const FEED_KEY = benchKey('feed');

interface Scenario {
  label: string;
  env: Record<string, string>;
}

const SCENARIOS: Scenario[] = [
  { label: 'Merkle log workers only (the target: hashed and in the Merkle log)', env: { LEDGER_WORKER_NAMES: 'merkle-integrator,checkpoint-signer' } },
  { label: 'every worker, as `npm start` runs (Merkle log + projector: custody and compliance read models)', env: {} },
];

async function post(client: BenchClient, body: string): Promise<number> {
  return (await client.request('POST', '/v1/events', FEED_KEY, body)).status;
}

async function runScenario(scenario: Scenario, seedBase: number): Promise<void> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'ledger-bench-ingest-'));
  await fs.chmod(dataDir, 0o755);
  const port = await freePort();
  console.log(`\n== ${scenario.label}`);
  const service = await startService(dataDir, port, { LEDGER_API_KEYS: `${FEED_KEY}:feed`, ...scenario.env });
  const client = new BenchClient(`http://127.0.0.1:${port}`, SINGLE_CLIENTS);
  try {
    await client.workersCaughtUp();
    const health = JSON.parse((await client.request('GET', '/health', '')).text) as { workers: Array<{ name: string }> };
    console.log(`background workers: ${health.workers.map((w) => w.name).join(', ') || 'none'}`);

    const batchRates: number[] = [];
    const batchRatesWithWorkers: number[] = [];
    const singleRates: number[] = [];
    const singleRatesWithWorkers: number[] = [];
    for (let run = 1; run <= RUNS; run++) {
      // Realistic events (many streams, every record event type), new IDs each run.
      const batches = [...generateHistory({
        seed: seedBase + run, contracts: 4, recordsPerContract: Math.ceil(BATCH_EVENTS_PER_RUN / 40), batchSize: 1000,
        contractPrefix: `bench-${seedBase}-${run}`,
      })];
      const bodies = batches.map((events) => JSON.stringify({ events }));
      const total = batches.reduce((n, b) => n + b.length, 0);
      // Contract registrations go first, alone, so that no feed races another's registration.
      const registrations = batches.flat().filter((e) => e.type === 'ContractRegistered');
      if ((await post(client, JSON.stringify({ events: registrations }))) !== 201) throw new Error('registration failed');
      let next = 0;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: BATCH_FEEDS }, async () => {
          while (next < bodies.length) {
            const status = await post(client, bodies[next++]!);
            if (status !== 201) throw new Error(`batch answered ${status}`);
          }
        }),
      );
      const acknowledged = performance.now();
      const caughtUp = await client.workersCaughtUp();
      batchRates.push(total / ((acknowledged - started) / 1000));
      batchRatesWithWorkers.push(total / ((caughtUp - started) / 1000));

      const contractId = `bench-single-${seedBase}-${run}`;
      await post(client, JSON.stringify({
        eventId: randomUUID(), type: 'ContractRegistered', contractId, occurredAt: '2025-04-01T09:00:00+09:00', actor: { org: 'city' },
        data: { title: 'bench', contractorId: 'bench-contractor', purposes: ['operation'], dataCategories: ['被保険者台帳'], permitsSubcontracting: false, term: { start: '2025-04-01T00:00:00+09:00', end: '2030-03-31T00:00:00+09:00' } },
      }));
      const singles = Array.from({ length: SINGLE_EVENTS_PER_RUN }, (_, i) => JSON.stringify({
        eventId: randomUUID(), type: 'RecordUsed', contractId, recordId: `R-${i % 5000}`, occurredAt: '2026-04-01T09:00:00+09:00',
        actor: { org: 'contractor', workerId: 'W-001' }, source: 'kaigo-system', data: { purpose: 'operation' },
      }));
      let cursor = 0;
      const singleStarted = performance.now();
      await Promise.all(
        Array.from({ length: SINGLE_CLIENTS }, async () => {
          while (cursor < singles.length) {
            const status = await post(client, singles[cursor++]!);
            if (status !== 201) throw new Error(`single event answered ${status}`);
          }
        }),
      );
      const singleAcknowledged = performance.now();
      const singleCaughtUp = await client.workersCaughtUp();
      singleRates.push(singles.length / ((singleAcknowledged - singleStarted) / 1000));
      singleRatesWithWorkers.push(singles.length / ((singleCaughtUp - singleStarted) / 1000));
      console.log(`run ${run}: batches ${formatCount(batchRates.at(-1)!)} ev/s (${total} events), singles ${formatCount(singleRates.at(-1)!)} ev/s (${singles.length} events)`);
    }
    const rss = await peakRssMb(service.pid!);
    const workerRss = await workerProcessRssMb(service.pid!);
    console.log('medians');
    console.log(`  batches of 1,000 (${BATCH_FEEDS} feeds):          ${formatCount(median(batchRates))} events/s acknowledged (target ≥ 30,000)`);
    console.log(`    … until the background workers caught up:  ${formatCount(median(batchRatesWithWorkers))} events/s`);
    console.log(`  ${SINGLE_CLIENTS} clients posting single events:    ${formatCount(median(singleRates))} events/s acknowledged (target ≥ 5,000)`);
    console.log(`    … until the background workers caught up:  ${formatCount(median(singleRatesWithWorkers))} events/s`);
    console.log(`  API process peak resident memory (VmHWM):    ${rss.toFixed(0)} MB (target ≤ 300 MB)`);
    console.log(`  worker process peak resident memory:        ${Number.isNaN(workerRss) ? 'none' : `${workerRss.toFixed(0)} MB`}`);
  } finally {
    client.close();
    await stopService(service);
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  console.log(`bench:ingest — ${os.cpus().length} cores (${os.cpus()[0]?.model}), node ${process.version}`);
  console.log(`each layout: the service on a fresh embedded PostgreSQL, ${RUNS} runs`);
  for (const [i, scenario] of SCENARIOS.entries()) await runScenario(scenario, 1000 * (i + 1));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
