/**
 * npm run bench:ingest — durable ingest through HTTP into a fresh embedded PostgreSQL.
 *
 * Starts the real service (node dist/apps/ledger-api/src/main.js, background workers on) as a
 * child process, then measures, over several runs, the median of:
 *  - events/s for feeds posting batches of 1,000 (4 feeds at once),
 *  - events/s for 64 concurrent clients posting one event per request,
 *  - the same including the time for the background workers (Merkle log, projector) to catch up,
 *  - the API process's peak resident memory (VmHWM), and its worker process's (LEDGER_WORKERS=process).
 * Client and server share this machine's cores: the figures are a floor, not a ceiling.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { generateHistory } from '../test/generators/care-insurance-history.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const BATCH_EVENTS_PER_RUN = Number(process.env.BENCH_BATCH_EVENTS ?? 60_000);
const SINGLE_EVENTS_PER_RUN = Number(process.env.BENCH_SINGLE_EVENTS ?? 12_800);
const BATCH_FEEDS = 4;
const SINGLE_CLIENTS = 64;
const FEED_KEY = 'bench-feed-key-0123456789';
const ADMIN_KEY = 'bench-admin-key-0123456789';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function freePort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as { port: number };
      server.close(() => resolve(address.port));
    });
  });
}

async function startService(dataDir: string, port: number, extraEnv: Record<string, string>): Promise<ChildProcess> {
  // As `npm start` runs it.
  const child = spawn(process.execPath, ['--max-old-space-size=256', 'dist/apps/ledger-api/src/main.js'], {
    env: { ...process.env, PORT: String(port), LEDGER_DATA_DIR: dataDir, LEDGER_API_KEYS: `${FEED_KEY}:feed,${ADMIN_KEY}:admin`, DATABASE_URL: '', ...extraEnv },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('] listening on http')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`service exited (${code}):\n${output}`)));
  });
  return child;
}

// node:http with keep-alive: fetch (undici) costs the client several times more CPU per request,
// and client and service share this machine's cores.
const agent = new http.Agent({ keepAlive: true, maxSockets: SINGLE_CLIENTS });

function post(url: string, body: string): Promise<number> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: hostname, port, path: '/v1/events', method: 'POST', agent,
        headers: { authorization: `Bearer ${FEED_KEY}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

async function peakRssMb(pid: number): Promise<number> {
  const status = await fs.readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

/** Waits until every background worker reports no lag; returns when that happened. */
async function workersCaughtUp(url: string): Promise<number> {
  for (;;) {
    const health = (await (await fetch(`${url}/health`)).json()) as { workers: Array<{ lagEvents: number; state: string }> };
    if (health.workers.every((w) => w.lagEvents === 0 || w.state === 'failed')) return performance.now();
    await new Promise((r) => setTimeout(r, 20));
  }
}

interface Scenario {
  label: string;
  env: Record<string, string>;
}

/** The same load under two layouts: what the target names (hashed and in the Merkle log), and what `npm start` runs. */
const SCENARIOS: Scenario[] = [
  { label: 'Merkle log workers only (the target: hashed and in the Merkle log)', env: { LEDGER_WORKER_NAMES: 'merkle-integrator,checkpoint-signer' } },
  { label: 'every worker, as `npm start` runs (Merkle log + projector: custody and compliance read models)', env: {} },
];

async function workerProcessRssMb(apiPid: number): Promise<number> {
  const children = (await fs.readFile(`/proc/${apiPid}/task/${apiPid}/children`, 'utf8').catch(() => '')).trim().split(/\s+/).filter(Boolean);
  for (const pid of children) {
    const cmdline = await fs.readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes('ledger-cli')) return peakRssMb(Number(pid));
  }
  return Number.NaN;
}

async function runScenario(scenario: Scenario, seedBase: number): Promise<void> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'ledger-bench-ingest-'));
  await fs.chmod(dataDir, 0o755);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  console.log(`\n== ${scenario.label}`);
  const service = await startService(dataDir, port, scenario.env);
  try {
    const health = (await (await fetch(`${url}/health`)).json()) as { workers: Array<{ name: string }> };
    await new Promise((r) => setTimeout(r, 1500));
    const workers = ((await (await fetch(`${url}/health`)).json()) as { workers: Array<{ name: string }> }).workers;
    console.log(`background workers: ${(workers.length ? workers : health.workers).map((w) => w.name).join(', ') || 'none'}`);
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
      if ((await post(url, JSON.stringify({ events: registrations }))) !== 201) throw new Error('registration failed');
      let next = 0;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: BATCH_FEEDS }, async () => {
          while (next < bodies.length) {
            const body = bodies[next++]!;
            const status = await post(url, body);
            if (status !== 201) throw new Error(`batch answered ${status}`);
          }
        }),
      );
      const acknowledged = performance.now();
      const caughtUp = await workersCaughtUp(url);
      batchRates.push(total / ((acknowledged - started) / 1000));
      batchRatesWithWorkers.push(total / ((caughtUp - started) / 1000));

      const contractId = `bench-single-${seedBase}-${run}`;
      await post(url, JSON.stringify({
        eventId: randomUUID(), type: 'ContractRegistered', contractId, occurredAt: '2025-04-01T09:00:00+09:00', actor: { org: 'city' },
        data: { title: 'bench', purposes: ['operation'], dataCategories: ['被保険者台帳'], permitsSubcontracting: false, term: { start: '2025-04-01T00:00:00+09:00', end: '2030-03-31T00:00:00+09:00' } },
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
            const status = await post(url, singles[cursor++]!);
            if (status !== 201) throw new Error(`single event answered ${status}`);
          }
        }),
      );
      const singleAcknowledged = performance.now();
      const singleCaughtUp = await workersCaughtUp(url);
      singleRates.push(singles.length / ((singleAcknowledged - singleStarted) / 1000));
      singleRatesWithWorkers.push(singles.length / ((singleCaughtUp - singleStarted) / 1000));
      console.log(
        `run ${run}: batches ${Math.round(batchRates.at(-1)!)} ev/s (${total} events), ` +
          `singles ${Math.round(singleRates.at(-1)!)} ev/s (${singles.length} events)`,
      );
    }
    const rss = await peakRssMb(service.pid!);
    const workerRss = await workerProcessRssMb(service.pid!);
    console.log('medians');
    console.log(`  batches of 1,000 (${BATCH_FEEDS} feeds):          ${Math.round(median(batchRates)).toLocaleString('en')} events/s acknowledged (target ≥ 30,000)`);
    console.log(`    … until the background workers caught up:  ${Math.round(median(batchRatesWithWorkers)).toLocaleString('en')} events/s`);
    console.log(`  ${SINGLE_CLIENTS} clients posting single events:    ${Math.round(median(singleRates)).toLocaleString('en')} events/s acknowledged (target ≥ 5,000)`);
    console.log(`    … until the background workers caught up:  ${Math.round(median(singleRatesWithWorkers)).toLocaleString('en')} events/s`);
    console.log(`  API process peak resident memory (VmHWM):    ${rss.toFixed(0)} MB (target ≤ 300 MB)`);
    console.log(`  worker process peak resident memory:        ${Number.isNaN(workerRss) ? 'none' : `${workerRss.toFixed(0)} MB`}`);
  } finally {
    service.kill('SIGTERM');
    await new Promise((r) => service.once('exit', r));
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  console.log(`bench:ingest — ${os.cpus().length} cores (${os.cpus()[0]?.model}), node ${process.version}`);
  console.log(`each scenario: the service on a fresh embedded PostgreSQL, ${RUNS} runs`);
  try {
    for (const [i, scenario] of SCENARIOS.entries()) await runScenario(scenario, 1000 * (i + 1));
  } finally {
    agent.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
