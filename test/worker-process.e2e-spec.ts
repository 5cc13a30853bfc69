import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { EXAMPLE_EVENTS } from '@ledger/wire';
import { postJson, startServiceProcess, type ServiceProcess } from './support/service-process.js';

interface Health {
  status: string;
  reasons: Array<{ code: string; worker?: string; message: string }>;
  workers: Array<{ name: string; state: string; lagEvents: number }>;
}

const WORKERS = ['checkpoint-signer', 'integrity-scrubber', 'merkle-integrator', 'projector'];

async function health(service: ServiceProcess): Promise<Health> {
  return (await (await fetch(`${service.url}/health`)).json()) as Health;
}

async function waitFor<T>(probe: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting; last: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function workerChildOf(pid: number): Promise<number | null> {
  const children = (await fs.readFile(`/proc/${pid}/task/${pid}/children`, 'utf8')).trim().split(/\s+/).filter(Boolean);
  for (const child of children) {
    if ((await fs.readFile(`/proc/${child}/cmdline`, 'utf8').catch(() => '')).includes('worker-main')) return Number(child);
  }
  return null;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('the background workers in their supervised child process (LEDGER_WORKERS=process, the default)', () => {
  let dataDir: string;
  let service: ServiceProcess | undefined;

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'ledger-workers-'));
    await fs.chmod(dataDir, 0o755);
    // Kills in quick succession count as a crash loop from 3 on; this file kills more often than that on purpose.
    service = await startServiceProcess(dataDir, { LEDGER_WORKERS: 'process', LEDGER_HEALTH_CRASH_LOOP_RESTARTS: '10' });
    expect((await postJson(service.url, '/v1/events', { ...EXAMPLE_EVENTS.ContractRegistered, eventId: randomUUID() })).status).toBe(201);
  });

  afterAll(async () => {
    await service?.stop('SIGTERM');
    // The API was killed: its embedded PostgreSQL outlived it (the next start would adopt it).
    const pid = Number((await fs.readFile(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').catch(() => '')).split('\n')[0]);
    if (pid > 0 && alive(pid)) {
      process.kill(pid, 'SIGINT');
      await waitFor(async () => alive(pid), (isAlive) => !isAlive);
    }
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('reports every worker on /health from the child process', async () => {
    const answer = await waitFor(() => health(service!), (h) => h.workers.length === 4 && h.workers.every((w) => w.state === 'running'));
    expect(answer.workers.map((w) => w.name).sort()).toEqual(WORKERS);
  });

  it('restarts the worker process when it dies, and the API keeps answering meanwhile', async () => {
    const first = await waitFor(() => workerChildOf(service!.pid), (pid) => pid !== null);
    process.kill(first!, 'SIGKILL');
    const failed = await waitFor(() => health(service!), (h) => h.workers.some((w) => w.state === 'failed'));
    expect(failed.workers.every((w) => w.state === 'failed')).toBe(true);
    const second = await waitFor(() => workerChildOf(service!.pid), (pid) => pid !== null && pid !== first);
    await waitFor(() => health(service!), (h) => h.workers.length === 4 && h.workers.every((w) => w.state === 'running'));
    expect(alive(second!)).toBe(true);
  });

  it('comes back each time the worker process is killed in quick succession, while appends keep being acknowledged, and catches up', async () => {
    const acknowledged: number[] = [];
    let feeding = true;
    const feed = (async () => {
      for (let i = 0; feeding; i++) {
        const answer = await postJson(service!.url, '/v1/events', { ...EXAMPLE_EVENTS.RecordUsed, eventId: randomUUID(), recordId: `R-K${i % 7}` });
        acknowledged.push(answer.status);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    let previous: number | null = null;
    for (let round = 0; round < 2; round++) {
      const child = await waitFor(() => workerChildOf(service!.pid), (pid) => pid !== null && pid !== previous);
      await waitFor(() => health(service!), (h) => h.workers.length === 4 && h.workers.every((w) => w.state === 'running'));
      process.kill(child!, 'SIGKILL');
      previous = child;
      const down = await waitFor(() => health(service!), (h) => h.status === 'degraded');
      expect(down.reasons.every((r) => r.code === 'worker_failed')).toBe(true);
    }
    feeding = false;
    await feed;
    const caughtUp = await waitFor(() => health(service!), (h) => h.status === 'ok' && h.workers.every((w) => w.state === 'running' && w.lagEvents === 0), 40_000);
    expect(caughtUp.workers.map((w) => w.name).sort()).toEqual(WORKERS);
    expect(acknowledged.length).toBeGreaterThan(10);
    expect(acknowledged.filter((status) => status !== 201)).toEqual([]);
  }, 120_000);

  it('takes the worker process down with the API, even when the API is killed', async () => {
    const child = await waitFor(() => workerChildOf(service!.pid), (pid) => pid !== null);
    await service!.stop('SIGKILL');
    service = undefined;
    await waitFor(async () => alive(child!), (isAlive) => !isAlive);
  });
});

describe('a worker process that crash-loops (its heap too small to start)', () => {
  let dataDir: string;
  let service: ServiceProcess | undefined;

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'ledger-crash-loop-'));
    await fs.chmod(dataDir, 0o755);
    service = await startServiceProcess(dataDir, { LEDGER_WORKERS: 'process', LEDGER_WORKER_HEAP_MB: '12', LEDGER_HEALTH_CRASH_LOOP_RESTARTS: '2' });
  });

  afterAll(async () => {
    await service?.stop('SIGTERM');
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('turns /health degraded naming the crash loop, while the API keeps acknowledging appends', async () => {
    const degraded = await waitFor(() => health(service!), (h) => h.reasons.some((r) => r.code === 'worker_crash_loop'), 30_000);
    expect(degraded.status).toBe('degraded');
    expect(degraded.reasons).toContainEqual(expect.objectContaining({ code: 'worker_crash_loop', worker: 'worker-process' }));
    expect(degraded.workers.every((w) => w.state !== 'running')).toBe(true);
    expect((await postJson(service!.url, '/v1/events', { ...EXAMPLE_EVENTS.ContractRegistered, eventId: randomUUID() })).status).toBe(201);
    const read = await fetch(`${service!.url}/metrics`);
    expect(await read.text()).toMatch(/^ledger_worker_process_restarts [2-9]\d*$/m);
    expect(service!.output()).toMatch(/the worker process exited \((code \d+|SIG[A-Z]+)\); restarting it in [124] s/);
  });
});
