/**
 * npm run bench:ingest — the ledger's durable HTTP ingest next to a library event store, Emmett's
 * PostgreSQL store (@event-driven-io/emmett-postgresql), on the same PostgreSQL server, in the same
 * run, with the same events.
 *
 * Servers: a fresh embedded PostgreSQL (the one `npm start` runs), then, when DATABASE_URL is set,
 * that server too (its databases `ledger_bench_ingest` and `emmett_bench_ingest` are dropped and
 * made anew: give it a throwaway server). The service runs as `npm start` runs it, with the
 * background workers off (Emmett has no Merkle log to keep: BENCH_WORKERS=merkle turns the
 * integrator and signer on, and reports the time until they caught up).
 *
 * Each run, on each server, alternating who goes first:
 *  - mix "history": a care-insurance history (every record event type, ≈5.5 events per record
 *    stream, a few dozen per contract stream), the ledger by 4 feeds posting batches of 1,000,
 *    Emmett by 4 writers appending each stream's events of the run (calls of up to 100);
 *  - mix "dense": streams of 100 events (a record used all day), the same way: Emmett's best case,
 *    100 events per appendToStream;
 *  - 64 clients posting one event per request, and Emmett with 64 callers appending one each.
 * It prints each run, then medians, spread (min–max of the runs) and the ratios measured in the
 * same runs, and where the time goes per event: the service's CPU, PostgreSQL's CPU (postmaster and
 * every backend, from /proc), this process's CPU (the HTTP client, or Emmett itself), what the
 * database sessions were doing (sampled), and the machine's load average.
 *
 * Environment: BENCH_RUNS (5), BENCH_BATCH_EVENTS (60000 per mix and run), BENCH_SINGLE_EVENTS
 * (12800), DATABASE_URL, BENCH_WORKERS (off | merkle), BENCH_SERVERS (embedded,url), BENCH_MIXES
 * (history,dense,singles).
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { LedgerEvent } from '@ledger/domain';
import { EmbeddedPostgres } from '@ledger/database';
import { generateHistory } from '../test/generators/care-insurance-history.js';
import { EmmettPeer, emmettCalls } from './emmett-peer.js';
import { benchKey, BenchClient, formatCount, freePort, median, startService, stopService } from './support.js';
import { ownCpuMs, postmasterPid, treeCpuMs, WaitSampler } from './where-time-goes.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const BATCH_EVENTS = Number(process.env.BENCH_BATCH_EVENTS ?? 60_000);
const SINGLE_EVENTS = Number(process.env.BENCH_SINGLE_EVENTS ?? 12_800);
const WORKERS = process.env.BENCH_WORKERS === 'merkle' ? 'merkle' : 'off';
const SERVERS = (process.env.BENCH_SERVERS ?? 'embedded,url').split(',');
const MIXES = (process.env.BENCH_MIXES ?? 'history,dense,singles').split(',');
const FEEDS = 4;
const SINGLE_CLIENTS = 64;
const FEED_KEY = benchKey('feed');
const LEDGER_DB = 'ledger_bench_ingest';
const EMMETT_DB = 'emmett_bench_ingest';

interface Measured {
  events: number;
  seconds: number;
  /** CPU ms of the service (ledger) or of this process (Emmett: the library runs here). */
  appCpu: number;
  /** CPU ms of this process while it was the ledger's HTTP client (0 for Emmett). */
  clientCpu: number;
  pgCpu: number;
  waits: Array<{ what: string; sessions: number }>;
  /** Seconds until the background workers caught up (BENCH_WORKERS=merkle). */
  caughtUp?: number;
}

interface Side {
  /** Appends and resolves when every event is acknowledged. */
  run(): Promise<void>;
  appPid: number | null;
  database: string;
}

const rate = (m: Measured): number => m.events / m.seconds;
const us = (ms: number, events: number): string => `${((ms * 1000) / events).toFixed(1)} µs`;
const load = (): string => os.loadavg().map((l) => l.toFixed(2)).join(' ');

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function freshDatabases(adminUrl: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    for (const db of [LEDGER_DB, EMMETT_DB]) {
      await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${db}`);
    }
  } finally {
    await admin.end();
  }
}

async function measure(side: Side, serverUrl: string, postmaster: number | null, events: number, client?: BenchClient): Promise<Measured> {
  const sampler = new WaitSampler(serverUrl, side.database);
  await sampler.start();
  const app0 = side.appPid === null ? ownCpuMs() : treeCpuMs(side.appPid);
  const own0 = ownCpuMs();
  const pg0 = postmaster === null ? Number.NaN : treeCpuMs(postmaster);
  const started = performance.now();
  await side.run();
  const seconds = (performance.now() - started) / 1000;
  const pg1 = postmaster === null ? Number.NaN : treeCpuMs(postmaster);
  const own1 = ownCpuMs();
  const app1 = side.appPid === null ? own1 : treeCpuMs(side.appPid);
  const waits = await sampler.stop();
  const measured: Measured = { events, seconds, appCpu: app1 - app0, clientCpu: side.appPid === null ? 0 : own1 - own0, pgCpu: pg1 - pg0, waits };
  if (client && WORKERS === 'merkle') measured.caughtUp = ((await client.workersCaughtUp()) - started) / 1000;
  return measured;
}

/** A care-insurance history of about `events` events, contracts registered apart (first). */
function historyMix(seed: number, prefix: string, events: number): { registrations: LedgerEvent[]; rest: LedgerEvent[] } {
  const all = [...generateHistory({ seed, contracts: FEEDS, recordsPerContract: Math.ceil(events / FEEDS / 5.5), batchSize: 10_000, contractPrefix: prefix })].flat();
  return { registrations: all.filter((e) => e.type === 'ContractRegistered'), rest: all.filter((e) => e.type !== 'ContractRegistered') };
}

/** Streams of 100 RecordUsed events each, interleaved as a feed of many busy records posts them. */
function denseMix(contractId: string, events: number): { registrations: LedgerEvent[]; rest: LedgerEvent[] } {
  const streams = Math.ceil(events / 100);
  const rest: LedgerEvent[] = [];
  for (let i = 0; i < events; i++) {
    rest.push({
      eventId: randomUUID(), type: 'RecordUsed', contractId, recordId: `R-${String(i % streams).padStart(6, '0')}`,
      occurredAt: new Date(Date.parse('2026-04-01T00:00:00Z') + i * 1000).toISOString().replace('Z', '+00:00'),
      actor: { org: 'contractor', workerId: 'W-001' }, source: 'kaigo-system', data: { purpose: 'operation' },
    } as unknown as LedgerEvent);
  }
  return { registrations: [registration(contractId)], rest };
}

function registration(contractId: string): LedgerEvent {
  return {
    eventId: randomUUID(), type: 'ContractRegistered', contractId, occurredAt: '2025-04-01T09:00:00+09:00', actor: { org: 'city' },
    data: { title: 'bench', contractorId: 'bench-contractor', purposes: ['operation'], dataCategories: ['被保険者台帳'], permitsSubcontracting: false, term: { start: '2025-04-01T00:00:00+09:00', end: '2030-03-31T00:00:00+09:00' } },
  } as unknown as LedgerEvent;
}

async function post(client: BenchClient, body: string): Promise<void> {
  const answer = await client.request('POST', '/v1/events', FEED_KEY, body);
  if (answer.status !== 201) throw new Error(`POST /v1/events answered ${answer.status}: ${answer.text.slice(0, 300)}`);
}

function ledgerBatches(client: BenchClient, events: readonly LedgerEvent[]): () => Promise<void> {
  const bodies: string[] = [];
  for (let i = 0; i < events.length; i += 1000) bodies.push(JSON.stringify({ events: events.slice(i, i + 1000) }));
  return async () => {
    let next = 0;
    await Promise.all(Array.from({ length: FEEDS }, async () => {
      while (next < bodies.length) await post(client, bodies[next++]!);
    }));
  };
}

function ledgerSingles(client: BenchClient, events: readonly LedgerEvent[]): () => Promise<void> {
  const bodies = events.map((e) => JSON.stringify(e));
  return async () => {
    let next = 0;
    await Promise.all(Array.from({ length: SINGLE_CLIENTS }, async () => {
      while (next < bodies.length) await post(client, bodies[next++]!);
    }));
  };
}

interface Results {
  [figure: string]: { ledger: Measured[]; emmett: Measured[] };
}

async function benchServer(label: string, serverUrl: string, postmaster: number | null, dataDir: string): Promise<void> {
  console.log(`\n== ${label}${postmaster === null ? ' (PostgreSQL CPU not readable: another machine or no access to its data directory)' : ''}`);
  await freshDatabases(serverUrl);
  const port = await freePort();
  const env: Record<string, string> = { LEDGER_API_KEYS: `${FEED_KEY}:feed`, DATABASE_URL: withDatabase(serverUrl, LEDGER_DB) };
  if (WORKERS === 'off') env.LEDGER_WORKERS = 'off';
  else env.LEDGER_WORKER_NAMES = 'merkle-integrator,checkpoint-signer';
  const service = await startService(dataDir, port, env);
  const client = new BenchClient(`http://127.0.0.1:${port}`, SINGLE_CLIENTS);
  const emmett = await EmmettPeer.open(withDatabase(serverUrl, EMMETT_DB));
  const results: Results = {};
  const record = (figure: string, who: 'ledger' | 'emmett', m: Measured): void => {
    (results[figure] ??= { ledger: [], emmett: [] })[who].push(m);
  };
  try {
    for (let run = 1; run <= RUNS; run++) {
      const loadBefore = load();
      const mixes = [
        ...(MIXES.includes('history') ? [{ figure: 'history mix, batches of 1,000 / Emmett per stream', ...historyMix(run, `bench-h${run}-${Date.now()}`, BATCH_EVENTS) }] : []),
        ...(MIXES.includes('dense') ? [{ figure: 'dense streams, batches of 1,000 / Emmett 100 per call', ...denseMix(`bench-d${run}-${Date.now()}`, BATCH_EVENTS) }] : []),
      ];
      const line: string[] = [];
      for (const mix of mixes) {
        await post(client, JSON.stringify({ events: mix.registrations }));
        const ledgerSide: Side = { run: ledgerBatches(client, mix.rest), appPid: service.pid!, database: LEDGER_DB };
        const plans = emmettCalls([...mix.registrations, ...mix.rest], FEEDS);
        const emmettSide: Side = { run: () => emmett.append(plans), appPid: null, database: EMMETT_DB };
        const order = run % 2 ? (['ledger', 'emmett'] as const) : (['emmett', 'ledger'] as const);
        for (const who of order) {
          const m = who === 'ledger'
            ? await measure(ledgerSide, serverUrl, postmaster, mix.rest.length, client)
            : await measure(emmettSide, serverUrl, postmaster, mix.registrations.length + mix.rest.length);
          record(mix.figure, who, m);
        }
        const l = results[mix.figure]!.ledger.at(-1)!;
        const e = results[mix.figure]!.emmett.at(-1)!;
        const calls = plans.reduce((n, p) => n + p.length, 0);
        line.push(`${mix.figure.split(',')[0]}: ledger ${formatCount(rate(l))}/s, Emmett ${formatCount(rate(e))}/s (${(e.events / calls).toFixed(1)} events per call), ratio ${(rate(l) / rate(e)).toFixed(2)}`);
      }
      if (!MIXES.includes('singles')) {
        console.log(`run ${run} (load ${loadBefore} → ${load()}): ${line.join('; ')}`);
        continue;
      }
      const contractId = `bench-single-${run}-${Date.now()}`;
      await post(client, JSON.stringify(registration(contractId)));
      const singles = Array.from({ length: SINGLE_EVENTS }, (_, i) => ({
        eventId: randomUUID(), type: 'RecordUsed', contractId, recordId: `R-${i % 5000}`, occurredAt: '2026-04-01T09:00:00+09:00',
        actor: { org: 'contractor', workerId: 'W-001' }, source: 'kaigo-system', data: { purpose: 'operation' },
      }) as unknown as LedgerEvent);
      const ledgerSingle = await measure({ run: ledgerSingles(client, singles), appPid: service.pid!, database: LEDGER_DB }, serverUrl, postmaster, singles.length, client);
      const emmettSingle = await measure({ run: () => emmett.appendSingles(singles, SINGLE_CLIENTS), appPid: null, database: EMMETT_DB }, serverUrl, postmaster, singles.length);
      record(`${SINGLE_CLIENTS} clients, one event per request / per call`, 'ledger', ledgerSingle);
      record(`${SINGLE_CLIENTS} clients, one event per request / per call`, 'emmett', emmettSingle);
      line.push(`singles: ledger ${formatCount(rate(ledgerSingle))}/s, Emmett ${formatCount(rate(emmettSingle))}/s`);
      console.log(`run ${run} (load ${loadBefore} → ${load()}): ${line.join('; ')}`);
    }
    report(results);
  } finally {
    client.close();
    await emmett.close();
    await stopService(service);
  }
  await bytesOnDisk(serverUrl, dataDir);
}

/** The rows of one statement, on a connection of its own (the benchmark's few queries of a database's sizes and counts). */
async function rowsOf<T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** Bytes of every table (its indexes and TOAST included) of a database's public schema, by table. */
async function tableBytes(url: string): Promise<Map<string, number>> {
  await rowsOf(url, 'CHECKPOINT').catch(() => undefined);
  const rows = await rowsOf<{ name: string; bytes: string }>(
    url,
    `SELECT c.relname AS name, pg_total_relation_size(c.oid) AS bytes FROM pg_class c
      WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r'`,
  );
  return new Map(rows.map((r) => [r.name, Number(r.bytes)]));
}

/** Where a table's bytes are: its heap (with its free-space and visibility maps), its TOAST (with the TOAST index), each index. */
interface RelationPart { table: string; part: string; bytes: number }

async function relationParts(url: string, tables: readonly string[]): Promise<RelationPart[]> {
  const rows = await rowsOf<{ table: string; part: string; bytes: string; ord: number }>(
    url,
    `SELECT t.relname AS table, 'heap' AS part, pg_table_size(t.oid) - COALESCE(pg_total_relation_size(NULLIF(t.reltoastrelid, 0)), 0) AS bytes, 0 AS ord
         FROM pg_class t WHERE t.relnamespace = 'public'::regnamespace AND t.relname = ANY($1)
       UNION ALL
       SELECT t.relname, 'TOAST', COALESCE(pg_total_relation_size(NULLIF(t.reltoastrelid, 0)), 0), 1
         FROM pg_class t WHERE t.relnamespace = 'public'::regnamespace AND t.relname = ANY($1)
       UNION ALL
       SELECT t.relname, 'index ' || i.relname, pg_relation_size(i.oid), 2
         FROM pg_class t JOIN pg_index x ON x.indrelid = t.oid JOIN pg_class i ON i.oid = x.indexrelid
        WHERE t.relnamespace = 'public'::regnamespace AND t.relname = ANY($1)
       ORDER BY 1, 4, 3 DESC`,
    [tables],
  );
  return rows.map((r) => ({ table: r.table, part: r.part, bytes: Number(r.bytes) }));
}

/** How the stored canonical text is kept: how many values PostgreSQL compressed, their size in the row and their length. */
async function canonicalStorage(url: string): Promise<string> {
  const [row] = await rowsOf<{ compressed: string; n: string; stored: string; raw: string }>(
    url,
    `SELECT count(*) FILTER (WHERE pg_column_compression(canonical) IS NOT NULL) AS compressed, count(*) AS n,
            avg(pg_column_size(canonical)) AS stored, avg(octet_length(canonical)) AS raw FROM ledger_events`,
  );
  return `canonical text: ${formatCount(Number(row!.compressed))} of ${formatCount(Number(row!.n))} values compressed; ` +
    `on average ${formatCount(Number(row!.stored))} B stored for ${formatCount(Number(row!.raw))} B of text ` +
    '(a row under about 2 kB is never compressed: TOAST_TUPLE_THRESHOLD)';
}

async function countOf(url: string, sql: string): Promise<number> {
  return Number((await rowsOf<{ n: string }>(url, sql))[0]!.n);
}

/**
 * Bytes on disk per event, for the same events in both stores: the ledger's events (table, indexes,
 * TOAST), its Merkle log (tiles and checkpoints, built here by its workers if the runs had them
 * off), and the whole public schema; Emmett's whole schema (messages, streams and their indexes).
 * Then where they are: each table's heap, TOAST and each index per event, and whether PostgreSQL
 * compressed the canonical text at all.
 */
async function bytesOnDisk(serverUrl: string, dataDir: string): Promise<void> {
  const ledgerUrl = withDatabase(serverUrl, LEDGER_DB);
  const port = await freePort();
  const service = await startService(dataDir, port, {
    LEDGER_API_KEYS: `${FEED_KEY}:feed`, DATABASE_URL: ledgerUrl, LEDGER_WORKER_NAMES: 'merkle-integrator,checkpoint-signer',
  });
  const client = new BenchClient(`http://127.0.0.1:${port}`, 1);
  try {
    await client.workersCaughtUp(250);
  } finally {
    client.close();
    await stopService(service);
  }
  const ledger = await tableBytes(ledgerUrl);
  const emmett = await tableBytes(withDatabase(serverUrl, EMMETT_DB));
  const ledgerEvents = await countOf(ledgerUrl, 'SELECT count(*) AS n FROM ledger_events');
  const emmettEvents = await countOf(withDatabase(serverUrl, EMMETT_DB), 'SELECT count(*) AS n FROM emt_messages');
  const sum = (m: Map<string, number>, names?: readonly string[]): number =>
    [...m].filter(([name]) => names === undefined || names.includes(name)).reduce((n, [, b]) => n + b, 0);
  const perEvent = (bytes: number, events: number): string => `${formatCount(bytes / events)} B/event`;
  const events = sum(ledger, ['ledger_events']);
  const merkle = sum(ledger, ['merkle_tiles', 'log_checkpoints', 'merkle_log_state']);
  const ledgerAll = sum(ledger);
  const emmettAll = sum(emmett);
  console.log(`bytes on disk (${formatCount(ledgerEvents)} events in the ledger, ${formatCount(emmettEvents)} in Emmett's store; tables with their indexes and TOAST):`);
  console.log(`  ledger events ${perEvent(events, ledgerEvents)}, Merkle log ${perEvent(merkle, ledgerEvents)}, events + Merkle log ${perEvent(events + merkle, ledgerEvents)}, whole schema ${perEvent(ledgerAll, ledgerEvents)}`);
  console.log(`  Emmett's whole schema ${perEvent(emmettAll, emmettEvents)}`);
  console.log(`  ratio ledger (events + Merkle log) / Emmett: ${((events + merkle) / ledgerEvents / (emmettAll / emmettEvents)).toFixed(2)} (target ≤ 1.5)`);
  console.log('  where the bytes are (per event):');
  const parts = [
    ...(await relationParts(ledgerUrl, ['ledger_events', 'merkle_tiles', 'log_checkpoints', 'merkle_log_state'])).map((p) => ({ ...p, events: ledgerEvents })),
    ...(await relationParts(withDatabase(serverUrl, EMMETT_DB), [...emmett.keys()])).map((p) => ({ ...p, table: `Emmett ${p.table}`, events: emmettEvents })),
  ];
  // Parts under 5 B/event (empty tables' first pages, at small sizes) are summed, per store.
  const small = { ledger: 0, Emmett: 0 };
  for (const p of parts) {
    const perEventBytes = p.bytes / p.events;
    if (perEventBytes >= 5) console.log(`    ${p.table} ${p.part}: ${perEventBytes.toFixed(1)} B`);
    else small[p.table.startsWith('Emmett ') ? 'Emmett' : 'ledger'] += perEventBytes;
  }
  console.log(`    the rest (parts under 5 B each): ledger ${small.ledger.toFixed(1)} B, Emmett ${small.Emmett.toFixed(1)} B`);
  console.log(`  ${await canonicalStorage(ledgerUrl)}`);
}

function spread(values: number[]): string {
  return `${formatCount(Math.min(...values))}–${formatCount(Math.max(...values))}`;
}

function report(results: Results): void {
  console.log(`medians of ${RUNS} runs (spread: min–max of the runs; ratios: ledger ÷ Emmett within each run, then their median)`);
  for (const [figure, { ledger, emmett }] of Object.entries(results)) {
    const ratios = ledger.map((l, i) => rate(l) / rate(emmett[i]!));
    console.log(`  ${figure}`);
    console.log(`    ledger (HTTP, durable, hashed, chained): ${formatCount(median(ledger.map(rate)))} events/s [${spread(ledger.map(rate))}]`);
    const caught = ledger.filter((m) => m.caughtUp !== undefined);
    if (caught.length > 0) console.log(`      … until the Merkle log workers caught up: ${formatCount(median(caught.map((m) => m.events / m.caughtUp!)))} events/s`);
    console.log(`    Emmett (library, no HTTP):               ${formatCount(median(emmett.map(rate)))} events/s [${spread(emmett.map(rate))}]`);
    console.log(`    ratio ledger / Emmett:                   ${median(ratios).toFixed(2)} [${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}]`);
    for (const [who, list] of [['ledger', ledger], ['Emmett', emmett]] as const) {
      const m = (f: (x: Measured) => number): number => median(list.map((x) => f(x) / x.events));
      const idle = m((x) => os.cpus().length * x.seconds * 1000 - x.appCpu - x.clientCpu - (Number.isNaN(x.pgCpu) ? 0 : x.pgCpu));
      const parts = [
        `${who === 'ledger' ? 'API' : 'Emmett (this process)'} CPU ${us(m((x) => x.appCpu), 1)}`,
        ...(who === 'ledger' ? [`HTTP client CPU ${us(m((x) => x.clientCpu), 1)}`] : []),
        `PostgreSQL CPU ${Number.isNaN(list[0]!.pgCpu) ? 'n/a' : us(m((x) => x.pgCpu), 1)}`,
        `cores not used by these processes (waits, or other load) ${us(idle, 1)}`,
      ];
      console.log(`    ${who} per event: ${parts.join(', ')}`);
      const waits = new Map<string, number[]>();
      for (const x of list) for (const w of x.waits) (waits.get(w.what) ?? waits.set(w.what, []).get(w.what)!).push(w.sessions);
      const top = [...waits].map(([what, v]) => ({ what, sessions: median([...v, ...Array(list.length - v.length).fill(0)]) }))
        .sort((a, b) => b.sessions - a.sessions).slice(0, 5);
      console.log(`      its database sessions, on average: ${top.map((w) => `${w.what} ${w.sessions.toFixed(2)}`).join('; ')}`);
    }
  }
}

async function main(): Promise<void> {
  console.log(`bench:ingest — ${os.cpus().length} cores (${os.cpus()[0]?.model}), node ${process.version}, load ${load()}`);
  console.log(`${RUNS} runs; ${formatCount(BATCH_EVENTS)} events per mix and run; ${formatCount(SINGLE_EVENTS)} single events; background workers ${WORKERS}`);
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ledger-bench-ingest-'));
  await fs.chmod(dir, 0o755);
  try {
    if (SERVERS.includes('embedded')) {
      const server = await EmbeddedPostgres.start({ dataDir: path.join(dir, 'embedded') });
      try {
        const admin = withDatabase(server.url, 'postgres');
        await benchServer(`embedded PostgreSQL ${await serverVersion(admin)} (fresh, this machine)`, admin, await postmasterPid(admin), path.join(dir, 'service-embedded'));
      } finally {
        await server.stop();
      }
    }
    const given = process.env.DATABASE_URL;
    if (SERVERS.includes('url') && given) {
      await benchServer(`PostgreSQL ${await serverVersion(given)} of DATABASE_URL`, given, await postmasterPid(given), path.join(dir, 'service-url'));
    } else if (SERVERS.includes('url')) {
      console.log('\n(DATABASE_URL not set: only the embedded server was measured)');
    }
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

async function serverVersion(url: string): Promise<string> {
  return (await rowsOf<{ server_version: string }>(url, 'SHOW server_version'))[0]!.server_version.split(' ')[0]!;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
