/**
 * npm run bench:projector — projector catch-up over 1,000,000 events and the custody query p99.
 *
 * Fills a fresh embedded PostgreSQL (or DATABASE_URL) with a deterministic care-insurance history
 * (test/generators/care-insurance-history.ts) through the event store, then, over several runs:
 *  - drops every read-model generation and times the projector (the same class the service runs,
 *    default batch size) from position 0 to the head: events/s, once with the custody projection
 *    alone and once with every registered projection (custody + compliance, as the service runs);
 *  - with the real HTTP service on top, times sequential GET …/records/{r}/custody of random
 *    records (from the streams, access log written on each) and GET …/holdings?overdue=true:
 *    p50/p99 in ms.
 * Prints each run and the medians. Client, service and PostgreSQL share this machine's cores,
 * and the numbers move with what else runs on it: read them as a floor, not a ceiling.
 *
 * Environment: BENCH_EVENTS (default 1000000), BENCH_RUNS (3), BENCH_QUERIES (1000 per run),
 * BENCH_BATCH (projector batch size, default 2000), DATABASE_URL (use that server; its database
 * must be empty or hold this benchmark's earlier history), BENCH_DATA_DIR (an embedded data directory
 * to use and keep, e.g. one filled by an earlier run), BENCH_KEEP=1 (keep the fresh data directory).
 */
import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { CustodyProjection, Projector, type Projection } from '@ledger/projections';
import { ApiKeyRegistry } from '../apps/ledger-api/src/auth/api-keys.js';
import { createLedgerApp } from '../apps/ledger-api/src/create-app.js';
import { createProjections, ledgerConfigFromEnv, openRuntime, type LedgerRuntime } from '@ledger/runtime';
import { generateHistory } from '../test/generators/care-insurance-history.js';
import { benchKey, median, percentile } from './support.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 1_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 2_000);
const CONTRACTS = 10;
const OFFICER_KEY = benchKey('officer');



const fmt = (n: number): string => Math.round(n).toLocaleString('en');

/** Appends the history until the log holds EVENTS events (resuming a filled database). */
async function fill(runtime: LedgerRuntime): Promise<number> {
  const have = await runtime.eventStore.headPosition();
  if (have >= EVENTS) return have;
  if (have > 0) console.log(`the log holds ${fmt(have)} events; appending the rest of the same history`);
  const started = performance.now();
  let seen = 0;
  let lastPrint = started;
  const recordsPerContract = Math.ceil(EVENTS / CONTRACTS / 5);
  for (const batch of generateHistory({ seed: 20_260_401, contracts: CONTRACTS, recordsPerContract, batchSize: 10_000, violationRate: 0.05 })) {
    const take = batch.slice(0, EVENTS - seen);
    seen += take.length;
    if (seen > have) await runtime.eventStore.append(take.slice(Math.max(0, take.length - (seen - have))));
    if (performance.now() - lastPrint > 5_000) {
      lastPrint = performance.now();
      console.log(`  filling: ${fmt(seen)}/${fmt(EVENTS)} events`);
    }
    if (seen >= EVENTS) break;
  }
  const head = await runtime.eventStore.headPosition();
  console.log(`filled the log with ${fmt(head - have)} events in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return head;
}

async function dropReadModels(runtime: LedgerRuntime): Promise<void> {
  const rows = (await runtime.dataSource.query(`SELECT schema_name FROM read_model_generations`)) as Array<{ schema_name: string }>;
  for (const { schema_name } of rows) await runtime.dataSource.query(`DROP SCHEMA "${schema_name}" CASCADE`);
  await runtime.dataSource.query(`DELETE FROM read_model_generations`);
}

async function catchUp(runtime: LedgerRuntime, projections: Projection[], head: number): Promise<number> {
  await dropReadModels(runtime);
  await runtime.dataSource.query('CHECKPOINT');
  const projector = new Projector({ dataSource: runtime.dataSource, eventStore: runtime.eventStore, projections }, { batchSize: BATCH });
  const started = performance.now();
  await projector.start();
  await projector.waitFor(head, 60 * 60_000);
  const seconds = (performance.now() - started) / 1000;
  await projector.stop();
  return head / seconds;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function get(base: string, pathname: string): Promise<{ status: number; ms: number }> {
  const { hostname, port } = new URL(base);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: hostname, port, path: pathname, method: 'GET', agent, headers: { authorization: `Bearer ${OFFICER_KEY}` } },
      (response) => {
        response.resume();
        response.on('end', () => resolve({ status: response.statusCode ?? 0, ms: performance.now() - started }));
      },
    );
    request.on('error', reject);
    request.end();
  });
}

async function main(): Promise<void> {
  const given = process.env.DATABASE_URL || undefined;
  const reuse = process.env.BENCH_DATA_DIR || undefined;
  const dataDir = reuse ? path.resolve(reuse) : await fs.mkdtemp(path.join(os.tmpdir(), 'ledger-bench-projector-'));
  await fs.mkdir(dataDir, { recursive: true });
  await fs.chmod(dataDir, 0o755);
  console.log(`bench:projector — ${os.cpus().length} cores (${os.cpus()[0]?.model}), node ${process.version}`);
  console.log(`${given ? 'PostgreSQL of DATABASE_URL' : `${reuse ? 'embedded PostgreSQL' : 'fresh embedded PostgreSQL'} in ${dataDir}`}; ${fmt(EVENTS)} events, ${RUNS} runs, projector batches of ${fmt(BATCH)}\n`);
  let closing = false;
  const runtime = await openRuntime(
    { ...ledgerConfigFromEnv({}), databaseUrl: given, dataDir, port: 0, rateLimits: null },
    // Idle connections ended by the server's own shutdown at the end are not news.
    { log: (l) => !closing && console.log(`  ${l}`) },
  );
  const keys = new ApiKeyRegistry([{ secret: OFFICER_KEY, role: 'officer' }]);
  let app: Awaited<ReturnType<typeof createLedgerApp>> | null = null;
  try {
    const head = await fill(runtime);
    const records = (await runtime.pool.query<{ contract_id: string; record_id: string }>(
      `SELECT contract_id, record_id FROM ledger_events WHERE record_id IS NOT NULL AND position % 97 = 0 LIMIT 20000`,
    )).rows;
    const contracts = [...new Set(records.map((r) => r.contract_id))];
    app = await createLedgerApp(runtime, { keys });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.getHttpServer().address() as { port: number };
    const base = `http://127.0.0.1:${address.port}`;

    const rates: number[] = [];
    const allRates: number[] = [];
    const names = createProjections().map((p) => p.name).join(' + ');
    const custodyP99: number[] = [];
    const custodyP50: number[] = [];
    const holdingsP99: number[] = [];
    let seed = 7;
    const random = (): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    for (let run = 1; run <= RUNS; run++) {
      const rate = await catchUp(runtime, [new CustodyProjection()], head);
      rates.push(rate);
      const allRate = await catchUp(runtime, createProjections(), head);
      allRates.push(allRate);
      const custody: number[] = [];
      for (let i = 0; i < QUERIES; i++) {
        const r = records[Math.floor(random() * records.length)]!;
        const answer = await get(base, `/v1/contracts/${r.contract_id}/records/${r.record_id}/custody`);
        if (answer.status !== 200) throw new Error(`custody answered ${answer.status}`);
        custody.push(answer.ms);
      }
      const holdings: number[] = [];
      for (let i = 0; i < Math.max(50, QUERIES / 10); i++) {
        const contractId = contracts[i % contracts.length]!;
        const answer = await get(base, `/v1/contracts/${contractId}/holdings?overdue=true&limit=100`);
        if (answer.status !== 200) throw new Error(`holdings answered ${answer.status}`);
        holdings.push(answer.ms);
      }
      custodyP50.push(percentile(custody, 50));
      custodyP99.push(percentile(custody, 99));
      holdingsP99.push(percentile(holdings, 99));
      console.log(
        `run ${run}: catch-up ${fmt(rate)} events/s (custody), ${fmt(allRate)} events/s (${names}); custody p50 ${percentile(custody, 50).toFixed(1)} ms, ` +
          `p99 ${percentile(custody, 99).toFixed(1)} ms (${custody.length} records); holdings?overdue=true p99 ${percentile(holdings, 99).toFixed(1)} ms`,
      );
    }
    console.log(`\nmedians over ${RUNS} runs, ${fmt(head)} events in the ledger`);
    console.log(`  projector catch-up, custody read model:     ${fmt(median(rates))} events/s (target ≥ 20,000)`);
    console.log(`  projector catch-up, ${names}: ${fmt(median(allRates))} events/s (what the service runs)`);
    console.log(`  GET …/records/{r}/custody:                  p50 ${median(custodyP50).toFixed(1)} ms, p99 ${median(custodyP99).toFixed(1)} ms (target p99 ≤ 20 ms)`);
    console.log(`  GET …/holdings?overdue=true&limit=100:      p99 ${median(holdingsP99).toFixed(1)} ms`);
  } finally {
    agent.destroy();
    await app?.close();
    closing = true;
    await runtime.close();
    if (!reuse && process.env.BENCH_KEEP !== '1') await fs.rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
