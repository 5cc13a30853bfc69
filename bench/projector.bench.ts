/**
 * npm run bench:projector — projector catch-up over 1,000,000 events, and the record answers'
 * p99, also on one record with 1,000,000 events of its own.
 *
 * Fills a fresh embedded PostgreSQL (or DATABASE_URL) with a deterministic care-insurance history
 * (test/generators/care-insurance-history.ts) through the event store, then one more contract with
 * a single record of BENCH_LONG_EVENTS events (a data set used all day), and over several runs:
 *  - drops every read-model generation and times the projector (the same class the service runs,
 *    default batch size) from position 0 to the head: events/s (the handling read model: custody
 *    and compliance in one fold);
 *  - with the real HTTP service on top, times sequential GET …/records/{r}/custody and
 *    …/compliance of random records (access log written on each), and GET …/holdings?overdue=true:
 *    p50/p99 in ms; then the same two answers on the long record, at the present and at past asOf;
 *  - prints this process's peak resident memory (it runs the projector and the service).
 * Prints each run and the medians. Client, service and PostgreSQL share this machine's cores,
 * and the numbers move with what else runs on it: read them as a floor, not a ceiling.
 *
 * Environment: BENCH_EVENTS (default 1000000), BENCH_RUNS (3), BENCH_QUERIES (1000 per run),
 * BENCH_BATCH (projector batch size, default the projector's), DATABASE_URL (use that server; its database
 * must be empty or hold this benchmark's earlier history), BENCH_DATA_DIR (an embedded data directory
 * to use and keep, e.g. one filled by an earlier run), BENCH_KEEP=1 (keep the fresh data directory).
 */
import http from 'node:http';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { Projector, PROJECTOR_BATCH_SIZE, type Projection } from '@ledger/projections';
import type { LedgerEvent } from '@ledger/domain';
import { ApiKeyRegistry } from '../apps/ledger-api/src/auth/api-keys.js';
import { createProjections, type LedgerRuntime } from '@ledger/runtime';
import { generateHistory } from '../test/generators/care-insurance-history.js';
import { benchKey, median, openBenchLedger, percentile } from './support.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 1_000);
const BATCH = Number(process.env.BENCH_BATCH ?? PROJECTOR_BATCH_SIZE);
const LONG_EVENTS = Number(process.env.BENCH_LONG_EVENTS ?? 1_000_000);
const CONTRACTS = 10;
const LONG_CONTRACT = 'okayama-kaigo-bench-long';
const LONG_RECORD = 'R-DAICHO';
const LONG_START = Date.parse('2025-04-01T00:00:00Z');
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

/** One more contract with one record of LONG_EVENTS events (a use every 30 s), appended after the history. */
async function fillLong(runtime: LedgerRuntime): Promise<void> {
  if ((await runtime.eventStore.streamVersion(`record-${LONG_CONTRACT}-${LONG_RECORD}`)) !== null) return;
  const started = performance.now();
  const uuid = (n: number): string => `20000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
  const contract = (n: number, type: string, data: Record<string, unknown>, org = 'contractor'): LedgerEvent =>
    ({ eventId: uuid(n), type, contractId: LONG_CONTRACT, occurredAt: '2025-03-01T09:00:00+09:00', actor: { org, workerId: 'S-1' }, data }) as unknown as LedgerEvent;
  await runtime.eventStore.append([
    contract(1, 'ContractRegistered', {
      title: '介護保険', contractorId: 'bench-contractor', purposes: ['運用保守'], dataCategories: ['被保険者台帳'], permitsSubcontracting: false,
      term: { start: '2025-03-01T00:00:00+09:00', end: '2035-03-31T00:00:00+09:00' },
    }, 'city'),
    contract(2, 'ResponsiblePersonDesignated', { personId: 'P-1', title: '責任者' }),
    contract(3, 'WorkerAuthorized', { workerId: 'W-1', org: 'contractor' }),
    contract(4, 'WorkerBriefed', { workerId: 'W-1', topics: ['confidentiality', 'penalties'] }),
  ]);
  let batch: LedgerEvent[] = [];
  for (let n = 0; n < LONG_EVENTS; n++) {
    const type = n === 0 ? 'RecordCollected' : 'RecordUsed';
    const data = n === 0 ? { purpose: '運用保守', dataCategories: ['被保険者台帳'], medium: 'electronic', containsMyNumber: false } : { purpose: '運用保守' };
    batch.push({ eventId: uuid(100 + n), type, contractId: LONG_CONTRACT, recordId: LONG_RECORD, occurredAt: new Date(LONG_START + n * 30_000).toISOString(), actor: { org: 'contractor', workerId: 'W-1' }, data } as unknown as LedgerEvent);
    if (batch.length === 10_000) {
      await runtime.eventStore.append(batch);
      batch = [];
    }
  }
  if (batch.length > 0) await runtime.eventStore.append(batch);
  console.log(`appended one record of ${fmt(LONG_EVENTS)} events in ${((performance.now() - started) / 1000).toFixed(1)} s`);
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
  const ledger = await openBenchLedger('projector');
  const { runtime } = ledger;
  console.log(`bench:projector — ${os.cpus().length} cores (${os.cpus()[0]?.model}), node ${process.version}`);
  console.log(`${ledger.where}; ${fmt(EVENTS)} events, ${RUNS} runs, projector batches of ${fmt(BATCH)}\n`);
  const keys = new ApiKeyRegistry([{ secret: OFFICER_KEY, role: 'officer' }]);
  try {
    await fill(runtime);
    if (LONG_EVENTS > 0) await fillLong(runtime);
    const head = await runtime.eventStore.headPosition();
    const records = (await runtime.pool.query<{ contract_id: string; record_id: string }>(
      `SELECT contract_id, record_id FROM ledger_events WHERE record_id IS NOT NULL AND position % 97 = 0 LIMIT 20000`,
    )).rows;
    const contracts = [...new Set(records.map((r) => r.contract_id))];
    const base = await ledger.serve(keys);

    const rates: number[] = [];
    const names = createProjections().map((p) => p.name).join(' + ');
    const custodyP99: number[] = [];
    const custodyP50: number[] = [];
    const verdictP99: number[] = [];
    const verdictP50: number[] = [];
    const holdingsP99: number[] = [];
    const longP: Record<string, number[]> = { verdict50: [], verdict99: [], custody50: [], custody99: [], past50: [], past99: [] };
    let seed = 7;
    const random = (): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    for (let run = 1; run <= RUNS; run++) {
      const rate = await catchUp(runtime, createProjections(), head);
      rates.push(rate);
      const custody: number[] = [];
      const verdict: number[] = [];
      for (let i = 0; i < QUERIES; i++) {
        const r = records[Math.floor(random() * records.length)]!;
        const answer = await get(base, `/v1/contracts/${r.contract_id}/records/${r.record_id}/custody`);
        if (answer.status !== 200) throw new Error(`custody answered ${answer.status}`);
        custody.push(answer.ms);
        const judged = await get(base, `/v1/contracts/${r.contract_id}/records/${r.record_id}/compliance`);
        if (judged.status !== 200) throw new Error(`compliance answered ${judged.status}`);
        verdict.push(judged.ms);
      }
      verdictP50.push(percentile(verdict, 50));
      verdictP99.push(percentile(verdict, 99));
      if (LONG_EVENTS > 0) {
        const long = { verdict: [] as number[], custody: [] as number[], past: [] as number[] };
        const path = `/v1/contracts/${LONG_CONTRACT}/records/${LONG_RECORD}`;
        for (let i = 0; i < Math.max(100, QUERIES / 5); i++) {
          long.verdict.push((await get(base, `${path}/compliance`)).ms);
          long.custody.push((await get(base, `${path}/custody`)).ms);
          const asOf = new Date(LONG_START + Math.floor(random() * LONG_EVENTS) * 30_000).toISOString();
          const past = await get(base, `${path}/compliance?asOf=${encodeURIComponent(asOf)}`);
          if (past.status !== 200) throw new Error(`long record, past asOf: ${past.status}`);
          long.past.push(past.ms);
        }
        longP.verdict50!.push(percentile(long.verdict, 50));
        longP.verdict99!.push(percentile(long.verdict, 99));
        longP.custody50!.push(percentile(long.custody, 50));
        longP.custody99!.push(percentile(long.custody, 99));
        longP.past50!.push(percentile(long.past, 50));
        longP.past99!.push(percentile(long.past, 99));
        console.log(
          `run ${run}: the record of ${fmt(LONG_EVENTS)} events: verdict p99 ${percentile(long.verdict, 99).toFixed(1)} ms, custody p99 ${percentile(long.custody, 99).toFixed(1)} ms, past asOf p99 ${percentile(long.past, 99).toFixed(1)} ms`,
        );
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
        `run ${run}: catch-up ${fmt(rate)} events/s (${names}); custody p50 ${percentile(custody, 50).toFixed(1)} ms, ` +
          `p99 ${percentile(custody, 99).toFixed(1)} ms; compliance p99 ${percentile(verdict, 99).toFixed(1)} ms (${custody.length} records); holdings?overdue=true p99 ${percentile(holdings, 99).toFixed(1)} ms`,
      );
    }
    console.log(`\nmedians over ${RUNS} runs, ${fmt(head)} events in the ledger`);
    console.log(`  projector catch-up (${names}: custody + compliance): ${fmt(median(rates))} events/s (target ≥ 20,000)`);
    console.log(`  GET …/records/{r}/custody:                  p50 ${median(custodyP50).toFixed(1)} ms, p99 ${median(custodyP99).toFixed(1)} ms (target p99 ≤ 20 ms)`);
    console.log(`  GET …/records/{r}/compliance:               p50 ${median(verdictP50).toFixed(1)} ms, p99 ${median(verdictP99).toFixed(1)} ms (target p99 ≤ 20 ms)`);
    console.log(`  GET …/holdings?overdue=true&limit=100:      p99 ${median(holdingsP99).toFixed(1)} ms`);
    if (LONG_EVENTS > 0) {
      console.log(`  one record of ${fmt(LONG_EVENTS)} events: compliance p50 ${median(longP.verdict50!).toFixed(1)} / p99 ${median(longP.verdict99!).toFixed(1)} ms, ` +
        `custody p50 ${median(longP.custody50!).toFixed(1)} / p99 ${median(longP.custody99!).toFixed(1)} ms, past asOf p50 ${median(longP.past50!).toFixed(1)} / p99 ${median(longP.past99!).toFixed(1)} ms (target p99 ≤ 20 ms)`);
    }
    console.log(`  peak resident memory of this process (projector and service): ${fmt(process.resourceUsage().maxRSS / 1024)} MB`);
  } finally {
    agent.destroy();
    await ledger.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
