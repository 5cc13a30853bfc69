import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startServiceProcess, type ServiceProcess } from './support/service-process.js';

interface Health {
  workers: Array<{ name: string; state: string; lagEvents: number }>;
}

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
    service = await startServiceProcess(dataDir, { LEDGER_WORKERS: 'process' });
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
    const answer = await waitFor(() => health(service!), (h) => h.workers.length === 3 && h.workers.every((w) => w.state === 'running'));
    expect(answer.workers.map((w) => w.name).sort()).toEqual(['checkpoint-signer', 'merkle-integrator', 'projector']);
  });

  it('restarts the worker process when it dies, and the API keeps answering meanwhile', async () => {
    const first = await waitFor(() => workerChildOf(service!.pid), (pid) => pid !== null);
    process.kill(first!, 'SIGKILL');
    const failed = await waitFor(() => health(service!), (h) => h.workers.some((w) => w.state === 'failed'));
    expect(failed.workers.every((w) => w.state === 'failed')).toBe(true);
    const second = await waitFor(() => workerChildOf(service!.pid), (pid) => pid !== null && pid !== first);
    await waitFor(() => health(service!), (h) => h.workers.length === 3 && h.workers.every((w) => w.state === 'running'));
    expect(alive(second!)).toBe(true);
  });

  it('takes the worker process down with the API, even when the API is killed', async () => {
    const child = await waitFor(() => workerChildOf(service!.pid), (pid) => pid !== null);
    await service!.stop('SIGKILL');
    service = undefined;
    await waitFor(async () => alive(child!), (isAlive) => !isAlive);
  });
});
