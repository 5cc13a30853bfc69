/**
 * What the benchmarks share: statistics, starting the real service as `npm start` runs it, a
 * cheap HTTP client (node:http with keep-alive: fetch costs the client several times more CPU per
 * request, and client and service share the machine's cores), and reading memory from /proc.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ledgerConfigFromEnv, openRuntime, type LedgerRuntime } from '@ledger/runtime';
import type { ApiKeyRegistry } from '../apps/ledger-api/src/auth/api-keys.js';
import { createLedgerApp } from '../apps/ledger-api/src/create-app.js';

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The p-th percentile (0-100), nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** A small seedable PRNG (mulberry32): the same seed picks the same records in every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const formatCount = (n: number): string => Math.round(n).toLocaleString('en');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as net.AddressInfo;
      server.close(() => resolve(address.port));
    });
  });
}

/** A fresh bootstrap secret for a role, as strong as LEDGER_API_KEYS requires. */
export function benchKey(role: string): string {
  return `${role}-${randomBytes(24).toString('base64url')}`;
}

/**
 * The service on an embedded PostgreSQL in dataDir, as `npm start` runs it; resolves once it
 * listens. Without per-key rate limits (LEDGER_RATE_LIMITS=off): a benchmark's one key stands for
 * all the feeds and readers a real ledger would have.
 */
export async function startService(dataDir: string, port: number, env: Record<string, string>): Promise<ChildProcess> {
  // The V8 flags supervise.ts gives the API under `npm start`; BENCH_SERVICE_NODE_FLAGS adds more
  // (e.g. `--cpu-prof --cpu-prof-dir=/tmp/profiles` to see where the API's time goes).
  const extra = (process.env.BENCH_SERVICE_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, ['--max-old-space-size=256', '--max-semi-space-size=8', ...extra, 'dist/apps/ledger-api/src/main.js'], {
    env: { ...process.env, PORT: String(port), LEDGER_DATA_DIR: dataDir, DATABASE_URL: process.env.BENCH_DATABASE_URL ?? '', LEDGER_RATE_LIMITS: 'off', ...env },
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

export async function stopService(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

export class BenchClient {
  private readonly agent: http.Agent;

  constructor(private readonly base: string, sockets: number) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets: sockets });
  }

  /** Requests sent again after the connection was reset before an answer (printed by the benchmarks that see any). */
  resets = 0;

  /**
   * One request; sent again (up to 3 times) when the connection is reset before any answer: a kept-alive
   * socket the server closed as it was reused. Every request a benchmark sends may be repeated:
   * reads, and appends (exactly once by eventId).
   */
  async request(method: string, pathname: string, key: string, body?: string): Promise<{ status: number; text: string; ms: number }> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once(method, pathname, key, body);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (attempt >= 3 || !(code === 'ECONNRESET' || code === 'EPIPE')) throw error;
        this.resets += 1;
        console.log(`  (connection reset before an answer to ${method} ${pathname.split('?')[0]}: sent again)`);
      }
    }
  }

  private once(method: string, pathname: string, key: string, body?: string): Promise<{ status: number; text: string; ms: number }> {
    const { hostname, port } = new URL(this.base);
    const started = performance.now();
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: hostname, port, path: pathname, method, agent: this.agent,
          headers: {
            ...(key ? { authorization: `Bearer ${key}` } : {}),
            ...(body !== undefined ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {}),
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (c: Buffer) => chunks.push(c));
          response.on('end', () =>
            resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - started }),
          );
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  /** Resolves when every background worker reports no lag (or has failed). */
  async workersCaughtUp(pollMs = 20): Promise<number> {
    for (;;) {
      const health = JSON.parse((await this.request('GET', '/health', '')).text) as { workers: Array<{ lagEvents: number; state: string }> };
      if (health.workers.every((w) => w.lagEvents === 0 || w.state === 'failed')) return performance.now();
      await new Promise((r) => setTimeout(r, pollMs));
    }
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Peak resident memory (VmHWM) of a process, in MB. */
export async function peakRssMb(pid: number): Promise<number> {
  const status = await fs.readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

/** Peak resident memory of the API's supervised worker process, if it has one. */
export async function workerProcessRssMb(apiPid: number): Promise<number> {
  const children = (await fs.readFile(`/proc/${apiPid}/task/${apiPid}/children`, 'utf8').catch(() => '')).trim().split(/\s+/).filter(Boolean);
  for (const pid of children) {
    const cmdline = await fs.readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes('worker-main')) return peakRssMb(Number(pid));
  }
  return Number.NaN;
}

/**
 * A benchmark's own ledger in this process: DATABASE_URL's server, or an embedded one in
 * BENCH_DATA_DIR (kept and reused) or in a fresh temporary directory (removed by `close` unless
 * BENCH_KEEP=1); `serve` starts the real HTTP service on it. `close` stops both and quiets the
 * runtime's log first.
 */
export interface BenchLedger {
  runtime: LedgerRuntime;
  dataDir: string;
  /** Where it lives, for the benchmark's first line. */
  where: string;
  serve(keys: ApiKeyRegistry): Promise<string>;
  close(): Promise<void>;
}

export async function openBenchLedger(name: string): Promise<BenchLedger> {
  const given = process.env.DATABASE_URL || undefined;
  const reuse = process.env.BENCH_DATA_DIR || undefined;
  const dataDir = reuse ? path.resolve(reuse) : await fs.mkdtemp(path.join(os.tmpdir(), `ledger-bench-${name}-`));
  await fs.mkdir(dataDir, { recursive: true });
  await fs.chmod(dataDir, 0o755);
  let closing = false;
  const runtime = await openRuntime(
    { ...ledgerConfigFromEnv({}), databaseUrl: given, dataDir, port: 0, rateLimits: null },
    { log: (l) => !closing && console.log(`  ${l}`) },
  );
  let app: Awaited<ReturnType<typeof createLedgerApp>> | null = null;
  return {
    runtime,
    dataDir,
    where: given ? 'PostgreSQL of DATABASE_URL' : `${reuse ? 'embedded PostgreSQL' : 'fresh embedded PostgreSQL'} in ${dataDir}`,
    async serve(keys) {
      app = await createLedgerApp(runtime, { keys });
      await app.listen({ port: 0, host: '127.0.0.1' });
      return `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
    },
    async close() {
      await app?.close();
      closing = true;
      await runtime.close();
      if (!reuse && process.env.BENCH_KEEP !== '1') await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}
