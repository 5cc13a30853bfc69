/**
 * npm run bench:verify — full-log verification throughput and inclusion-proof latency.
 *
 * 1. A ledger of 1,000,000 realistic events (test/generators/care-insurance-history) appended
 *    through the real PostgreSQL event store into a fresh embedded PostgreSQL, integrated into the
 *    Merkle log and signed in ten checkpoints by the real integrator and signer.
 * 2. `verify` over it: libs/audit verifyLog, the code `npm run cli -- verify` runs (one thread per
 *    core: the calling thread and worker threads), several runs, median events/s; the same on one
 *    thread; and one run of the real CLI process, start-up included.
 * 3. Inclusion-proof latency at 10,000,000 leaves: a 10M-leaf tile table built SYNTHETICALLY (leaf
 *    hashes of counters written as tiles directly, no events: 10M events would take the bench an
 *    hour to append), then proofs of random leaves through the PostgreSQL tile store exactly as
 *    GET /v1/log/inclusion-proof computes them (one query of O(log n) tiles); plus the full
 *    by-eventId path (event lookup, tiles, checkpoint) on the 1M-event ledger.
 *
 * Client, verifier and PostgreSQL share this machine's cores, and other work on it moves the
 * figures: they are medians of several runs, indicative, not guarantees. Nothing here is asserted
 * in a test.
 *
 * Environment: BENCH_EVENTS (1000000), BENCH_PROOF_LEAVES (10000000), BENCH_RUNS (5),
 * BENCH_DATA_DIR (keep the cluster there and reuse what is already built; default: a temporary
 * directory, removed at the end).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { verifyLog } from '@ledger/audit';
import { EmbeddedPostgres } from '@ledger/database';
import { migrateLedger } from '@ledger/runtime';
import { PostgresEventStore } from '@ledger/event-store';
import { CompactRange, TiledMerkleTree, changedTiles, checkInclusion, generateSignerKey, leafHash, openCheckpoint, parseSignerKey, verifierKeyOf } from '@ledger/integrity';
import {
  CheckpointSigner,
  LogProofs,
  MerkleIntegrator,
  PostgresTileStore,
  inTransaction,
  publicLogKeys,
  readTreeState,
  writeTreeState,
  type LogKeys,
} from '@ledger/merkle-log';
import { generateHistory } from '../test/generators/care-insurance-history.js';
import { median, percentile } from './support.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const PROOF_LEAVES = Number(process.env.BENCH_PROOF_LEAVES ?? 10_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const PROOFS_PER_RUN = 200;
const ORIGIN = 'bench.invalid/verify';



const n = (x: number): string => Math.round(x).toLocaleString('en');

/** A progress line: rewritten in place on a terminal, one line each time otherwise. */
function progress(line: string): void {
  process.stderr.write(process.stderr.isTTY ? `\r${line}` : `${line}\n`);
}

function progressDone(): void {
  if (process.stderr.isTTY) process.stderr.write('\n');
}
const ms = (x: number): string => `${x.toFixed(2)} ms`;
const verdict = (ok: boolean): string => (ok ? 'meets the target' : 'BELOW the target');

function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function ensureDatabase(serverUrl: string, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    const { rows } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rows.length === 0) await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = databaseUrl(serverUrl, name);
  await migrateLedger(url);
  return url;
}

function benchKeys(dataDir: string): Promise<LogKeys> {
  return (async () => {
    const file = path.join(dataDir, 'bench-signing-key');
    let key: string;
    try {
      key = (await fs.readFile(file, 'utf8')).trim();
    } catch {
      key = generateSignerKey(ORIGIN);
      await fs.writeFile(file, key, { mode: 0o600 });
    }
    const signer = parseSignerKey(key);
    return { ...publicLogKeys(verifierKeyOf(signer), ORIGIN), signer, source: 'LEDGER_SIGNING_KEY' as const };
  })();
}

/** Appends EVENTS realistic events through the real store, integrating and signing every tenth. */
async function buildLedger(url: string, keys: LogKeys): Promise<void> {
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  const store = new PostgresEventStore(pool);
  try {
    const head = await store.headPosition();
    if (head >= EVENTS) {
      console.log(`ledger: reusing ${n(head)} events`);
      return;
    }
    if (head > 0) throw new Error(`the bench database holds ${head} events, fewer than ${EVENTS}: remove BENCH_DATA_DIR`);
    const integrator = new MerkleIntegrator({ pool, store, batchSize: 10_000 });
    const signer = new CheckpointSigner({ pool, store, keys });
    const started = performance.now();
    let appended = 0;
    let nextCheckpoint = EVENTS / 10;
    const history = generateHistory({ seed: 42, contracts: 20, recordsPerContract: Math.ceil(EVENTS / 20 / 4), batchSize: 10_000, contractPrefix: 'bench' });
    for (const batch of history) {
      const events = batch.slice(0, EVENTS - appended);
      if (events.length === 0) break;
      await store.append(events);
      appended += events.length;
      if (appended >= nextCheckpoint || appended === EVENTS) {
        await integrator.catchUp();
        await signer.signIfGrown();
        nextCheckpoint += EVENTS / 10;
        progress(`ledger: ${n(appended)} events appended, integrated and signed`);
      }
      if (appended === EVENTS) break;
    }
    if (appended < EVENTS) throw new Error(`the generator gave only ${appended} events`);
    progressDone();
    console.log(`ledger: ${n(appended)} events appended through the store, integrated and signed in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    await store.close();
    await pool.end();
  }
}

/** A tile table of PROOF_LEAVES synthetic leaves (no events), written as the integrator would. */
async function buildSyntheticTiles(url: string): Promise<Buffer> {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  try {
    const state = await readTreeState(pool);
    if (state.size === PROOF_LEAVES) {
      console.log(`synthetic tile table: reusing ${n(state.size)} leaves`);
      return state.rootHash;
    }
    if (state.size > 0) throw new Error('the synthetic tile database is half built: remove BENCH_DATA_DIR');
    const started = performance.now();
    const range = CompactRange.empty();
    const BATCH = 65_536;
    for (let first = 0; first < PROOF_LEAVES; first += BATCH) {
      const leaves: Buffer[] = [];
      for (let i = first; i < Math.min(first + BATCH, PROOF_LEAVES); i++) leaves.push(leafHash(`synthetic leaf ${i}`));
      const previous = range.size;
      const nodes = range.appendAll(leaves);
      await inTransaction(pool, async (client) => {
        await new PostgresTileStore(client).writeTiles(changedTiles(nodes));
        await writeTreeState(client, previous, range, new Date());
      });
      if ((first / BATCH) % 16 === 15) progress(`synthetic tile table: ${n(range.size)} leaves`);
    }
    progressDone();
    const { rows } = await pool.query(`SELECT count(*)::int AS tiles, pg_size_pretty(pg_total_relation_size('merkle_tiles')) AS size FROM merkle_tiles`);
    console.log(`synthetic tile table: ${n(PROOF_LEAVES)} leaves in ${n(rows[0].tiles)} tiles (${rows[0].size}), built in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    return range.root();
  } finally {
    await pool.end();
  }
}

async function benchVerify(url: string, keys: LogKeys, jobs: number | undefined): Promise<number[]> {
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  const rates: number[] = [];
  try {
    for (let run = 1; run <= RUNS; run++) {
      const started = performance.now();
      const report = await verifyLog({ db: pool, databaseUrl: url, verifier: keys.verifier, origin: keys.origin, jobs });
      const seconds = (performance.now() - started) / 1000;
      if (!report.ok || report.events !== EVENTS) throw new Error(`verify failed: ${JSON.stringify(report.problems.slice(0, 3))}`);
      rates.push(report.events / seconds);
      process.stderr.write(`  run ${run}: ${n(report.events / seconds)} events/s (${seconds.toFixed(2)} s)\n`);
    }
  } finally {
    await pool.end();
  }
  return rates;
}

async function benchCli(url: string, keys: LogKeys): Promise<{ seconds: number; output: string }> {
  const started = performance.now();
  const { stdout } = await promisify(execFile)(process.execPath, [path.resolve('dist/apps/ledger-cli/src/main.js'), 'verify', '--key', keys.publicKey], {
    env: { ...process.env, DATABASE_URL: url, LEDGER_LOG_ORIGIN: ORIGIN, NODE_OPTIONS: '' },
  });
  return { seconds: (performance.now() - started) / 1000, output: stdout.trim().split('\n')[0]! };
}

async function benchSyntheticProofs(url: string, root: Buffer): Promise<{ medians: number[]; p99s: number[] }> {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const tree = new TiledMerkleTree(new PostgresTileStore(pool));
  const medians: number[] = [];
  const p99s: number[] = [];
  try {
    await tree.inclusionProof(0, PROOF_LEAVES); // connect
    for (let run = 1; run <= RUNS; run++) {
      const times: number[] = [];
      for (let i = 0; i < PROOFS_PER_RUN; i++) {
        const index = Math.floor(Math.random() * PROOF_LEAVES);
        const started = performance.now();
        const proof = await tree.inclusionProof(index, PROOF_LEAVES);
        times.push(performance.now() - started);
        if (!checkInclusion(index, PROOF_LEAVES, leafHash(`synthetic leaf ${index}`), proof, root).valid) throw new Error(`proof of leaf ${index} does not verify`);
      }
      medians.push(median(times));
      p99s.push(percentile(times, 99));
    }
  } finally {
    await pool.end();
  }
  return { medians, p99s };
}

async function benchEventProofs(url: string, keys: LogKeys): Promise<number[]> {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const store = new PostgresEventStore(pool);
  const proofs = new LogProofs(pool, store);
  const medians: number[] = [];
  try {
    const latest = await proofs.latestCheckpoint();
    const root = openCheckpoint(latest.note, keys.verifier).rootHash;
    const { rows } = await pool.query<{ event_id: string }>(`SELECT event_id FROM ledger_events TABLESAMPLE SYSTEM (1) LIMIT ${PROOFS_PER_RUN * RUNS}`);
    await proofs.inclusionProof(rows[0]!.event_id);
    for (let run = 0; run < RUNS; run++) {
      const times: number[] = [];
      for (const { event_id } of rows.slice(run * PROOFS_PER_RUN, (run + 1) * PROOFS_PER_RUN)) {
        const started = performance.now();
        const answer = await proofs.inclusionProof(event_id);
        times.push(performance.now() - started);
        const valid = checkInclusion(answer.leafIndex, answer.treeSize, Buffer.from(answer.leafHash, 'hex'), answer.proof.map((h) => Buffer.from(h, 'base64')), root);
        if (!valid.valid) throw new Error(`proof of ${event_id} does not verify`);
      }
      if (times.length > 0) medians.push(median(times));
    }
  } finally {
    await store.close();
    await pool.end();
  }
  return medians;
}

async function main(): Promise<void> {
  const keep = process.env.BENCH_DATA_DIR;
  const dataDir = keep ? path.resolve(keep) : await fs.mkdtemp(path.join(os.tmpdir(), 'ledger-bench-verify-'));
  await fs.mkdir(dataDir, { recursive: true });
  await fs.chmod(dataDir, 0o755);
  const cpus = os.cpus();
  console.log(`bench:verify — ${cpus.length} cores (${cpus[0]?.model ?? 'unknown'}), node ${process.version}, ${RUNS} runs each`);
  const server = await EmbeddedPostgres.start({ dataDir });
  try {
    const keys = await benchKeys(dataDir);
    const ledgerUrl = await ensureDatabase(server.url, 'bench_ledger');
    const tilesUrl = await ensureDatabase(server.url, 'bench_tiles_10m');
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    console.log(`PostgreSQL ${(await admin.query('SHOW server_version')).rows[0].server_version} (embedded) in ${dataDir}\n`);
    await admin.end();

    await buildLedger(ledgerUrl, keys);
    const root = await buildSyntheticTiles(tilesUrl);
    console.log('');

    const defaultJobs = Math.min(os.availableParallelism(), 4);
    console.log(`verify over ${n(EVENTS)} events (libs/audit verifyLog, as \`npm run cli -- verify\`), ${defaultJobs} threads (this one and ${defaultJobs - 1} worker${defaultJobs === 2 ? '' : 's'}):`);
    const parallel = await benchVerify(ledgerUrl, keys, undefined);
    console.log(`verify over ${n(EVENTS)} events, one thread:`);
    const single = await benchVerify(ledgerUrl, keys, 1);
    const cli = await benchCli(ledgerUrl, keys);

    console.log(`inclusion proofs of random leaves in the synthetic ${n(PROOF_LEAVES)}-leaf tile table (${PROOFS_PER_RUN} per run):`);
    const synthetic = await benchSyntheticProofs(tilesUrl, root);
    console.log(`inclusion proofs by eventId in the ${n(EVENTS)}-event ledger (${PROOFS_PER_RUN} per run):`);
    const byEvent = await benchEventProofs(ledgerUrl, keys);

    const verifyMedian = median(parallel);
    const proofMedian = median(synthetic.medians);
    console.log('\n=== results (medians of runs) ===');
    console.log(`verify, ${defaultJobs} threads:                 ${n(verifyMedian)} events/s   [runs: ${parallel.map(n).join(', ')}]   target ≥ 250,000: ${verdict(verifyMedian >= 250_000)}`);
    console.log(`verify, 1 thread:                  ${n(median(single))} events/s   [runs: ${single.map(n).join(', ')}]`);
    console.log(`verify, real CLI process, 1 run:   ${n(EVENTS / cli.seconds)} events/s (${cli.seconds.toFixed(2)} s with start-up; "${cli.output}")`);
    console.log(
      `inclusion proof, ${n(PROOF_LEAVES)} leaves (synthetic tiles): median ${ms(proofMedian)}, p99 ${ms(median(synthetic.p99s))}   ` +
        `[run medians: ${synthetic.medians.map(ms).join(', ')}]   target ≤ 50 ms: ${verdict(proofMedian <= 50)}`,
    );
    console.log(`inclusion proof by eventId, ${n(EVENTS)} events: median ${ms(median(byEvent))}   [run medians: ${byEvent.map(ms).join(', ')}]`);
    console.log('\nThe verifier, PostgreSQL and any other work share this machine: figures vary from run to run and machine to machine.');
  } finally {
    await server.stop();
    if (!keep) await fs.rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
