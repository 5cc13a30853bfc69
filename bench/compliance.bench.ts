/**
 * npm run bench:compliance — compliance answers with 1,000,000 events in the ledger.
 *
 * Starts the real service as `npm start` runs it (background workers in their child process) on a
 * fresh embedded PostgreSQL, loads the demo generator at scale through HTTP (BENCH_CONTRACTS demo
 * contracts, each with enough records to reach BENCH_EVENTS events in all), waits for the
 * projector, then measures, one request at a time (latency, not throughput), over BENCH_ROUNDS
 * rounds:
 *  - a record's verdict at the present (from its stream and the cached contract stream),
 *  - a record's verdict at a past asOf,
 *  - the contract view at the present (from the read model, first page of 100 findings),
 *  - the contract view filtered by rule,
 *  - the contract view at a past asOf (from every stream of the contract: the slow path).
 * It prints p50 and p99 of each round and their medians. Client and service share the machine's
 * cores (and, on a shared machine, with whatever else runs): the figures are a ceiling on latency
 * only for this machine at this moment.
 *
 * BENCH_DATA_DIR=<folder> keeps the loaded ledger there: a later run with the same folder and the
 * same BENCH_EVENTS/BENCH_CONTRACTS skips the load (the demo generator is seeded, so the record IDs
 * are the same) and measures again, so a change to the read path can be measured in minutes.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { demoContract } from '../test/generators/demo-contract.js';
import { benchKey, BenchClient, freePort, median, peakRssMb, percentile, seededRandom as random, startService, stopService, workerProcessRssMb } from './support.js';

const TARGET_EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const CONTRACTS = Number(process.env.BENCH_CONTRACTS ?? 20);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const RECORD_REQUESTS = Number(process.env.BENCH_RECORD_REQUESTS ?? 2_000);
// 1,000 contract requests a round: the p99 of 200 was their second-slowest, one stall away from another figure.
const CONTRACT_REQUESTS = Number(process.env.BENCH_CONTRACT_REQUESTS ?? 1_000);
// Each judges every record of a contract from its folds (≈ 15 s at 1M events): one a round.
const PAST_CONTRACT_REQUESTS = Number(process.env.BENCH_PAST_CONTRACT_REQUESTS ?? 1);
const FEEDS = 4;
const FEED_KEY = benchKey('feed');
const OFFICER_KEY = benchKey('officer');

let client: BenchClient;

function request(_url: string, method: string, pathname: string, key: string, body?: string): Promise<{ status: number; text: string }> {
  return client.request(method, pathname, key, body);
}


/** Milliseconds of each GET, one at a time; every answer must be 200. */
async function timeGets(url: string, paths: readonly string[]): Promise<number[]> {
  const times: number[] = [];
  for (const pathname of paths) {
    const started = performance.now();
    const answer = await request(url, 'GET', pathname, OFFICER_KEY);
    times.push(performance.now() - started);
    if (answer.status !== 200) throw new Error(`GET ${pathname} answered ${answer.status}: ${answer.text.slice(0, 500)}`);
  }
  return times;
}

interface Series {
  name: string;
  p50: number[];
  p99: number[];
  target?: string;
}

function report(series: Series, times: readonly number[]): string {
  const p50 = percentile(times, 50);
  const p99 = percentile(times, 99);
  series.p50.push(p50);
  series.p99.push(p99);
  const slow = times.filter((t) => t > 20).length;
  return `${series.name}: p50 ${p50.toFixed(1)} ms, p90 ${percentile(times, 90).toFixed(1)}, p99 ${p99.toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} (${times.length} requests, ${slow} over 20 ms)`;
}

async function main(): Promise<void> {
  // Events per clean record, measured on a sample, to size the contracts.
  const sample = demoContract({ contractId: 'sample', cleanRecords: 2_000 });
  const base = demoContract({ contractId: 'sample', cleanRecords: 0 }).events.length;
  const perRecord = (sample.events.length - base) / 2_000;
  const estimate = Math.max(0, Math.round((TARGET_EVENTS / CONTRACTS - base) / perRecord));
  // Corrected once on a contract of that size, so the contracts add up to about TARGET_EVENTS.
  const measured = demoContract({ contractId: 'sample', cleanRecords: estimate }).events.length;
  const cleanRecords = Math.max(0, Math.ceil(estimate * (TARGET_EVENTS / CONTRACTS - base) / Math.max(1, measured - base)));

  const kept = process.env.BENCH_DATA_DIR ? path.resolve(process.env.BENCH_DATA_DIR) : null;
  const dataDir = kept ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'ledger-bench-compliance-')));
  await fs.mkdir(dataDir, { recursive: true });
  await fs.chmod(dataDir, 0o755);
  const loadMarker = path.join(dataDir, 'bench-compliance-load.json');
  const loadKey = JSON.stringify({ TARGET_EVENTS, CONTRACTS, cleanRecords });
  const loadedBefore = kept !== null && (await fs.readFile(loadMarker, 'utf8').catch(() => null)) === loadKey;
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  console.log(`bench:compliance — ${os.cpus().length} cores (${os.cpus()[0]?.model}), node ${process.version}`);
  console.log(`service on ${loadedBefore ? 'the kept' : 'a fresh'} embedded PostgreSQL in ${dataDir}`);
  if (!loadedBefore) console.log(`loading ${CONTRACTS} demo contracts × ${cleanRecords.toLocaleString('en')} records (≈ ${perRecord.toFixed(1)} events per record) through HTTP, ${FEEDS} feeds, batches of 1,000\n`);
  const service = await startService(dataDir, port, { LEDGER_API_KEYS: `${FEED_KEY}:feed,${OFFICER_KEY}:officer` });
  client = new BenchClient(url, FEEDS + 1);
  try {
    const contracts: Array<{ contractId: string; recordIds: string[] }> = [];
    let total = 0;
    let next = 0;
    const started = performance.now();
    let lastReport = started;
    await Promise.all(
      Array.from({ length: FEEDS }, async () => {
        while (next < CONTRACTS) {
          const n = next++;
          const demo = demoContract({ contractId: `bench-kaigo-${String(n + 1).padStart(3, '0')}`, cleanRecords, seed: 1000 + n });
          contracts[n] = { contractId: demo.contractId, recordIds: demo.recordIds };
          if (loadedBefore) {
            total += demo.events.length;
            continue;
          }
          for (let i = 0; i < demo.events.length; i += 1000) {
            const answer = await request(url, 'POST', '/v1/events', FEED_KEY, JSON.stringify({ events: demo.events.slice(i, i + 1000) }));
            if (answer.status !== 201) throw new Error(`batch answered ${answer.status}: ${answer.text.slice(0, 500)}`);
            total += Math.min(1000, demo.events.length - i);
            if (performance.now() - lastReport > 10_000) {
              lastReport = performance.now();
              console.log(`  … ${total.toLocaleString('en')} events, ${Math.round(total / ((lastReport - started) / 1000)).toLocaleString('en')} events/s`);
            }
          }
        }
      }),
    );
    const loaded = performance.now();
    if (kept) await fs.writeFile(loadMarker, loadKey);
    if (!loadedBefore) console.log(`loaded ${total.toLocaleString('en')} events in ${((loaded - started) / 1000).toFixed(1)} s (${Math.round(total / ((loaded - started) / 1000)).toLocaleString('en')} events/s acknowledged)`);
    await client.workersCaughtUp(250);
    const caughtUp = performance.now();
    console.log(`background workers (projector: custody and compliance read models) caught up ${((caughtUp - loaded) / 1000).toFixed(1)} s later (${Math.round(total / ((caughtUp - started) / 1000)).toLocaleString('en')} events/s end to end)`);
    const loadRss = await peakRssMb(service.pid!);
    console.log(`service peak resident memory so far (VmHWM): ${loadRss.toFixed(0)} MB\n`);

    const pick = random(42);
    const anyRecord = (): { contractId: string; recordId: string } => {
      const c = contracts[Math.floor(pick() * contracts.length)]!;
      return { contractId: c.contractId, recordId: c.recordIds[Math.floor(pick() * c.recordIds.length)]! };
    };
    // Warm-up: each contract's stream indexed once by the service (the cache a new process builds on first use).
    const warmup = await timeGets(url, contracts.map((c) => `/v1/contracts/${c.contractId}/records/${c.recordIds[0]}/compliance`));
    console.log(`first record verdict of each contract (indexes the contract stream): median ${median(warmup).toFixed(1)} ms, max ${Math.max(...warmup).toFixed(1)} ms\n`);

    const series: Series[] = [
      { name: 'record verdict, present            ', p50: [], p99: [], target: 'p99 ≤ 20 ms' },
      { name: 'record verdict, past asOf          ', p50: [], p99: [], target: 'p99 ≤ 20 ms' },
      { name: 'contract view, present (read model)', p50: [], p99: [], target: 'p99 ≤ 20 ms' },
      { name: 'contract view, present, ?rule=…    ', p50: [], p99: [] },
      { name: 'contract view, past asOf (streams) ', p50: [], p99: [] },
    ];
    const pastAsOf = ['2025-09-30T00:00:00%2B09:00', '2026-01-31T00:00:00%2B09:00', '2026-06-30T00:00:00%2B09:00'];
    const rules = ['art13.transport-overdue', 'art9.copy-without-authorization', 'art10.report-overdue', 'art14.disposal-not-witnessed'];
    for (let round = 1; round <= ROUNDS; round++) {
      console.log(`round ${round}`);
      const recordPaths = Array.from({ length: RECORD_REQUESTS }, () => {
        const { contractId, recordId } = anyRecord();
        return `/v1/contracts/${contractId}/records/${recordId}/compliance`;
      });
      console.log(`  ${report(series[0]!, await timeGets(url, recordPaths))}`);
      const pastPaths = Array.from({ length: RECORD_REQUESTS }, (_, i) => {
        const { contractId, recordId } = anyRecord();
        return `/v1/contracts/${contractId}/records/${recordId}/compliance?asOf=${pastAsOf[i % pastAsOf.length]}`;
      });
      // A record with no event before a past asOf answers 404: measure only those that exist then.
      const existing: string[] = [];
      for (const pathname of pastPaths) if ((await request(url, 'GET', pathname, OFFICER_KEY)).status === 200) existing.push(pathname);
      console.log(`  ${report(series[1]!, await timeGets(url, existing))}`);
      const contractPaths = Array.from({ length: CONTRACT_REQUESTS }, (_, i) => `/v1/contracts/${contracts[i % contracts.length]!.contractId}/compliance`);
      console.log(`  ${report(series[2]!, await timeGets(url, contractPaths))}`);
      const rulePaths = Array.from({ length: CONTRACT_REQUESTS }, (_, i) => `/v1/contracts/${contracts[i % contracts.length]!.contractId}/compliance?rule=${rules[i % rules.length]}`);
      console.log(`  ${report(series[3]!, await timeGets(url, rulePaths))}`);
      const pastContractPaths = Array.from({ length: PAST_CONTRACT_REQUESTS }, (_, i) =>
        `/v1/contracts/${contracts[(i + round) % contracts.length]!.contractId}/compliance?asOf=${pastAsOf[i % pastAsOf.length]}`);
      console.log(`  ${report(series[4]!, await timeGets(url, pastContractPaths))}`);
    }
    const rss = await peakRssMb(service.pid!);
    console.log(`\nmedians of ${ROUNDS} rounds (${total.toLocaleString('en')} events, ${CONTRACTS} contracts of ${(cleanRecords + 17).toLocaleString('en')} records)`);
    for (const s of series) {
      console.log(`  ${s.name}  p50 ${median(s.p50).toFixed(1).padStart(7)} ms   p99 ${median(s.p99).toFixed(1).padStart(7)} ms${s.target ? `   (target ${s.target})` : ''}`);
    }
    console.log(`  API process peak resident memory (VmHWM): ${loadRss.toFixed(0)} MB after loading, ${rss.toFixed(0)} MB after the queries`);
    console.log(`  worker process peak resident memory: ${(await workerProcessRssMb(service.pid!)).toFixed(0)} MB`);
  } finally {
    client.close();
    await stopService(service);
    if (!kept) await fs.rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
