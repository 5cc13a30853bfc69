/**
 * npm run bench:scale — how the read paths' cost grows with history: the same answers measured at
 * 1,000,000 and at 10,000,000 events (BENCH_STEPS), on one growing ledger.
 *
 * Fills a fresh embedded PostgreSQL (or DATABASE_URL; BENCH_DATA_DIR keeps and resumes an embedded
 * one) with a deterministic care-insurance history (test/generators/care-insurance-history.ts:
 * events in occurredAt order over all contracts, so a longer prefix has more records, findings and
 * contract events, not only more of the same) through the ledger's own append code (the
 * PostgreSQL event store, binary COPY), integrates it into the Merkle log and signs a checkpoint
 * (the real integrator and signer), lets the projector catch up from where it stood (the real
 * Projector, incrementally: what a running service does), then, with the real HTTP service on top,
 * times one request at a time:
 *  - a record's verdict and custody at the present, and its verdict at a past asOf;
 *  - the contract view from the read model (first page of findings) and filtered by rule;
 *  - an event's inclusion proof (GET /v1/log/inclusion-proof?eventId=…) against the latest checkpoint;
 * and prints bytes on disk per event. At the end, each figure at each step and its growth
 * (last ÷ first): a flat curve is a cost independent of history.
 *
 * Environment: BENCH_STEPS (1000000,10000000), BENCH_QUERIES (500 per figure and step),
 * DATABASE_URL, BENCH_DATA_DIR, BENCH_KEEP=1. Client, service and PostgreSQL share this machine's
 * cores: figures are indicative of this machine at this moment; nothing is asserted.
 */
import http from 'node:http';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { Projector } from '@ledger/projections';
import { CheckpointSigner, loadLogKeys, MerkleIntegrator } from '@ledger/merkle-log';
import { createProjections, logKeyConfig, type LedgerRuntime } from '@ledger/runtime';
import { ApiKeyRegistry } from '../apps/ledger-api/src/auth/api-keys.js';
import { generateHistory } from '../test/generators/care-insurance-history.js';
import { benchKey, openBenchLedger, percentile, seededRandom as random } from './support.js';

const STEPS = (process.env.BENCH_STEPS ?? '1000000,10000000').split(',').map(Number).sort((a, b) => a - b);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 500);
const CONTRACTS = 10;
const OFFICER_KEY = benchKey('officer');
const AUDITOR_KEY = benchKey('auditor');

const fmt = (n: number): string => Math.round(n).toLocaleString('en');

/** Events of one epoch: CONTRACTS contracts over the generator's 18 months. */
const EPOCH_EVENTS = 1_000_000;

/**
 * The history, read from its start: each step appends the next part of the same one. It comes in
 * epochs of EPOCH_EVENTS events, each CONTRACTS more contracts over the same 18 months (with other
 * seeds and contract IDs): one generator sized for 10M events would hold months of pending
 * lifecycles in memory (GBs) and yield a few thousand events a second. So the 10M ledger has ten
 * times the contracts of the 1M one, each of the same size: the curve is the cost of a longer log
 * and larger tables, not of larger contracts (the contract view's per-contract cost is measured
 * against the number of records by bench:compliance).
 */
function* history(): Generator<import('@ledger/domain').LedgerEvent[]> {
  for (let epoch = 1; ; epoch++) {
    yield* generateHistory({
      seed: 20_261_126 + epoch, contracts: CONTRACTS, recordsPerContract: Math.ceil(EPOCH_EVENTS / CONTRACTS / 5), batchSize: 10_000,
      violationRate: 0.05, contractPrefix: `okayama-kaigo-e${epoch}`,
    });
  }
}

class Filler {
  private readonly source = history();
  private seen = 0;
  private carry: import('@ledger/domain').LedgerEvent[] = [];

  constructor(private readonly runtime: LedgerRuntime) {}

  /** Appends until the log holds `target` events (events already stored, from an earlier run, are skipped). */
  async fillTo(target: number): Promise<void> {
    const have = await this.runtime.eventStore.headPosition();
    const started = performance.now();
    let lastPrint = started;
    while (this.seen < target) {
      let batch = this.carry;
      this.carry = [];
      if (batch.length === 0) {
        const next = this.source.next();
        batch = next.value;
      }
      if (this.seen + batch.length > target) {
        this.carry = batch.slice(target - this.seen);
        batch = batch.slice(0, target - this.seen);
      }
      const from = this.seen;
      this.seen += batch.length;
      if (this.seen > have) await this.runtime.eventStore.append(batch.slice(Math.max(0, have - from)));
      if (performance.now() - lastPrint > 10_000) {
        lastPrint = performance.now();
        console.log(`  filling: ${fmt(this.seen)}/${fmt(target)} events`);
      }
    }
    const added = target - Math.min(have, target);
    const seconds = (performance.now() - started) / 1000;
    if (added > 0) console.log(`appended ${fmt(added)} events through the event store in ${seconds.toFixed(0)} s (${fmt(added / seconds)} events/s)`);
  }
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function get(base: string, pathname: string, key: string): Promise<{ status: number; ms: number; body: string }> {
  const { hostname, port } = new URL(base);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const request = http.request({ host: hostname, port, path: pathname, method: 'GET', agent, headers: { authorization: `Bearer ${key}` } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (c: Buffer) => chunks.push(c));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, ms: performance.now() - started, body: Buffer.concat(chunks).toString('utf8') }));
    });
    request.on('error', reject);
    request.end();
  });
}

interface Figure {
  p50: number;
  p99: number;
}

type StepFigures = Record<string, Figure | number>;

async function time(base: string, key: string, paths: readonly string[]): Promise<Figure> {
  const times: number[] = [];
  for (const p of paths) {
    const answer = await get(base, p, key);
    if (answer.status !== 200) throw new Error(`GET ${p} answered ${answer.status}: ${answer.body.slice(0, 300)}`);
    times.push(answer.ms);
  }
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

async function bytesPerEvent(runtime: LedgerRuntime, events: number): Promise<{ events: number; merkle: number; readModels: number }> {
  const [row] = (await runtime.dataSource.query(`
    SELECT coalesce(sum(pg_total_relation_size(c.oid)) FILTER (WHERE n.nspname = 'public' AND c.relname = 'ledger_events'), 0)::bigint AS events,
           coalesce(sum(pg_total_relation_size(c.oid)) FILTER (WHERE n.nspname = 'public' AND c.relname IN ('merkle_tiles', 'log_checkpoints', 'merkle_log_state')), 0)::bigint AS merkle,
           coalesce(sum(pg_total_relation_size(c.oid)) FILTER (WHERE n.nspname LIKE 'read\\_model\\_g%'), 0)::bigint AS read_models
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r'`)) as [{ events: string; merkle: string; read_models: string }];
  return { events: Number(row.events) / events, merkle: Number(row.merkle) / events, readModels: Number(row.read_models) / events };
}

async function measureStep(runtime: LedgerRuntime, base: string, step: number): Promise<StepFigures> {
  const pick = random(step);
  const records = (await runtime.pool.query<{ contract_id: string; record_id: string; occurred_at: Date }>(
    `SELECT contract_id, record_id, occurred_at FROM ledger_events TABLESAMPLE SYSTEM (1) WHERE record_id IS NOT NULL LIMIT 5000`,
  )).rows;
  const events = (await runtime.pool.query<{ event_id: string }>(`SELECT event_id::text FROM ledger_events TABLESAMPLE SYSTEM (1) LIMIT ${QUERIES}`)).rows;
  const contracts = [...new Set(records.map((r) => r.contract_id))].sort();
  const any = (): (typeof records)[number] => records[Math.floor(pick() * records.length)]!;
  const recordPaths = Array.from({ length: QUERIES }, () => any());
  // Warm each contract's cached stream once (the first answer of a contract indexes it).
  for (const c of contracts) await get(base, `/v1/contracts/${c}/compliance?limit=1`, OFFICER_KEY);
  const figures: StepFigures = {};
  figures['record verdict, present'] = await time(base, OFFICER_KEY, recordPaths.map((r) => `/v1/contracts/${r.contract_id}/records/${r.record_id}/compliance`));
  figures['record custody, present'] = await time(base, OFFICER_KEY, recordPaths.map((r) => `/v1/contracts/${r.contract_id}/records/${r.record_id}/custody`));
  figures['record verdict, past asOf'] = await time(base, OFFICER_KEY, recordPaths.map((r) =>
    `/v1/contracts/${r.contract_id}/records/${r.record_id}/compliance?asOf=${encodeURIComponent(new Date(r.occurred_at.getTime() + 3_600_000).toISOString())}`));
  const contractPaths = Array.from({ length: Math.max(50, QUERIES / 5) }, (_, i) => contracts[i % contracts.length]!);
  figures['contract view, present'] = await time(base, OFFICER_KEY, contractPaths.map((c) => `/v1/contracts/${c}/compliance`));
  figures['contract view, ?rule=art9.copy-without-authorization'] = await time(base, OFFICER_KEY, contractPaths.map((c) => `/v1/contracts/${c}/compliance?rule=art9.copy-without-authorization`));
  figures['inclusion proof by eventId'] = await time(base, AUDITOR_KEY, events.map((e) => `/v1/log/inclusion-proof?eventId=${e.event_id}`));
  const head = await runtime.eventStore.headPosition();
  const bytes = await bytesPerEvent(runtime, head);
  figures['bytes/event: events table'] = bytes.events;
  figures['bytes/event: Merkle log'] = bytes.merkle;
  figures['bytes/event: read models'] = bytes.readModels;
  const records0 = (await runtime.dataSource.query(`SELECT count(*)::int AS n FROM ledger_events WHERE stream_version = 0 AND record_id IS NOT NULL`)) as [{ n: number }];
  console.log(`\nat ${fmt(head)} events (${fmt(records0[0].n)} records, ${contracts.length} contracts sampled), one request at a time:`);
  for (const [name, f] of Object.entries(figures)) {
    console.log(typeof f === 'number' ? `  ${name.padEnd(52)} ${fmt(f)} B` : `  ${name.padEnd(52)} p50 ${f.p50.toFixed(1).padStart(6)} ms   p99 ${f.p99.toFixed(1).padStart(6)} ms`);
  }
  return figures;
}

async function main(): Promise<void> {
  const ledger = await openBenchLedger('scale');
  const { runtime } = ledger;
  console.log(`bench:scale — ${os.cpus().length} cores (${os.cpus()[0]?.model}), node ${process.version}, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log(`${ledger.where}; steps ${STEPS.map(fmt).join(' → ')} events; ${fmt(QUERIES)} requests per figure\n`);
  const keys = new ApiKeyRegistry([{ secret: OFFICER_KEY, role: 'officer' }, { secret: AUDITOR_KEY, role: 'auditor' }]);
  const results: Array<{ step: number; figures: StepFigures }> = [];
  try {
    const base = await ledger.serve(keys);
    const filler = new Filler(runtime);
    const logKeys = await loadLogKeys(logKeyConfig(runtime.config), { create: true });
    const integrator = new MerkleIntegrator({ pool: runtime.pool, store: runtime.eventStore, batchSize: 10_000 });
    const signer = new CheckpointSigner({ pool: runtime.pool, store: runtime.eventStore, keys: logKeys });
    for (const step of STEPS) {
      await filler.fillTo(step);
      let started = performance.now();
      await integrator.catchUp();
      await signer.signIfGrown();
      console.log(`Merkle log integrated and signed at ${fmt(step)} in ${((performance.now() - started) / 1000).toFixed(0)} s`);
      const projector = new Projector({ dataSource: runtime.dataSource, eventStore: runtime.eventStore, projections: createProjections() });
      started = performance.now();
      // From the previous step (a resumed BENCH_DATA_DIR may have projected more: the rate is then a floor).
      const from = results.at(-1)?.step ?? 0;
      await projector.start();
      await projector.waitFor(step, 4 * 60 * 60_000);
      const seconds = (performance.now() - started) / 1000;
      await projector.stop();
      console.log(`projector caught up from ${fmt(from)} to ${fmt(step)} in ${seconds.toFixed(0)} s (${fmt((step - from) / seconds)} events/s)`);
      await runtime.dataSource.query('VACUUM ANALYZE');
      results.push({ step, figures: await measureStep(runtime, base, step) });
    }
    console.log(`\nthe curve (${STEPS.map(fmt).join(' → ')} events): each figure at each step, and last ÷ first`);
    for (const name of Object.keys(results[0]!.figures)) {
      const values = results.map((r) => r.figures[name]!);
      const text = values.map((v) => (typeof v === 'number' ? `${fmt(v)} B` : `p50 ${v.p50.toFixed(1)} / p99 ${v.p99.toFixed(1)} ms`)).join('  →  ');
      const first = values[0]!;
      const last = values[values.length - 1]!;
      const growth = typeof first === 'number' ? (last as number) / first : (last as Figure).p99 / first.p99;
      console.log(`  ${name.padEnd(52)} ${text}   (×${growth.toFixed(2)}${typeof first === 'number' ? '' : ' at p99'})`);
    }
  } finally {
    agent.destroy();
    await ledger.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
