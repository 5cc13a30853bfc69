import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { checkLog, CONTRACT, feed, postmaster, readLog, registration, used } from './support/ledger-log.js';
import { postJson, startServiceProcess, type ServiceProcess } from './support/service-process.js';
import { TEST_KEYS } from './support/test-app.js';

interface Health {
  status: string;
  reasons: Array<{ code: string; message: string }>;
}

async function health(url: string): Promise<{ status: number; body: Health } | null> {
  try {
    const response = await fetch(`${url}/health`);
    return { status: response.status, body: (await response.json()) as Health };
  } catch {
    return null;
  }
}

async function waitFor<T>(probe: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting; last: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function newDataDir(label: string): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), `ledger-${label}-`));
  await fs.chmod(dir, 0o755);
  return dir;
}

/** Stops a server left running by a killed owner (the next start would adopt it; a test cleans up). */
async function stopLeftoverPostgres(dataDir: string): Promise<void> {
  const server = await postmaster(dataDir).catch(() => null);
  if (server && alive(server.pid)) {
    process.kill(server.pid, 'SIGINT');
    await waitFor(async () => alive(server.pid), (isAlive) => !isAlive, 30_000);
  }
}

describe('faults injected into real processes', () => {
  describe('PostgreSQL killed under load', () => {
    let dataDir: string;
    let service: ServiceProcess;

    beforeAll(async () => {
      dataDir = await newDataDir('pg-kill');
      service = await startServiceProcess(dataDir);
      expect((await postJson(service.url, '/v1/events', registration())).status).toBe(201);
    });

    afterAll(async () => {
      await service.stop('SIGTERM');
      await stopLeftoverPostgres(dataDir);
      await fs.rm(dataDir, { recursive: true, force: true });
    });

    it('answers 503 with Retry-After while it is down, never 500, never crashes, comes back on the same port, and loses nothing acknowledged', async () => {
      const acknowledged = new Set<string>();
      const batches: string[][] = [];
      const statuses = new Map<number, number>();
      const feeding = feed(service.url, 8, acknowledged, batches, (status) => statuses.set(status, (statuses.get(status) ?? 0) + 1));
      // Readers all along: the contract view at the present (one pipelined round trip) and a record's
      // verdict and custody (several queries in one snapshot, the connection can die between two):
      // 200 or 503, nothing else (a record not fed yet: 404).
      const views = new Map<number, number>();
      const others = new Map<string, number>();
      let reading = true;
      const read = async (target: string, seen: (status: number) => void): Promise<void> => {
        while (reading) {
          const answer = await fetch(`${service.url}${target}`, { headers: { authorization: `Bearer ${TEST_KEYS.officer}` } }).catch(() => null);
          if (answer) {
            seen(answer.status);
            await answer.arrayBuffer();
          }
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      };
      const reader = Promise.all([
        read(`/v1/contracts/${CONTRACT}/compliance`, (status) => views.set(status, (views.get(status) ?? 0) + 1)),
        ...['compliance', 'custody'].map((what) =>
          read(`/v1/contracts/${CONTRACT}/records/R-0-1/${what}`, (status) => {
            if (status !== 200 && status !== 404) others.set(`${what} ${status}`, (others.get(`${what} ${status}`) ?? 0) + 1);
          }),
        ),
      ]);
      await waitFor(async () => acknowledged.size, (n) => n > 200);
      const before = await postmaster(dataDir);
      process.kill(before.pid, 'SIGKILL');

      // While it is down: /health says so (503, degraded, the reason), appends answer 503 with Retry-After.
      const down = await waitFor(() => health(service.url), (h) => h?.status === 503);
      expect(down!.body).toMatchObject({ status: 'degraded', reasons: [expect.objectContaining({ code: 'database_unavailable' })] });
      expect(JSON.stringify(down!.body)).not.toMatch(/127\.0\.0\.1|:\d{4,5}\b/);
      const refused = await fetch(`${service.url}/v1/events`, {
        method: 'POST',
        headers: { authorization: 'Bearer feed-secret-0123456789', 'content-type': 'application/json' },
        body: JSON.stringify(used('R-down')),
      }).catch(() => null);
      if (refused && refused.status === 503) {
        expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
        expect(JSON.stringify(await refused.json())).not.toMatch(/57P01|terminating|ECONNREFUSED|127\.0\.0\.1/);
      }

      // It comes back by itself, on the same port and data directory, and appends are acknowledged again.
      const acknowledgedWhenKilled = acknowledged.size;
      await waitFor(async () => acknowledged.size, (n) => n > acknowledgedWhenKilled + 200);
      await feeding.stop();
      const viewsBeforeRecovery = views.get(200) ?? 0;
      await waitFor(async () => views.get(200) ?? 0, (n) => n > viewsBeforeRecovery + 3);
      reading = false;
      await reader;
      // Any other status fails with what the service logged about it (a 500 logs its stack).
      const otherViews = [...views.keys()].filter((s) => s !== 200 && s !== 503);
      const otherReads = [...others.keys()].filter((key) => !key.endsWith(' 503'));
      const failed = otherViews.length + otherReads.length > 0;
      const logged = failed ? service.output().split('\n').filter((line) => /ERROR|\bat /.test(line)).slice(0, 40) : [];
      expect({ otherViews, otherReads, logged }).toEqual({ otherViews: [], otherReads: [], logged: [] });
      const after = await postmaster(dataDir);
      expect(after.pid).not.toBe(before.pid);
      expect(after.port).toBe(before.port);
      expect(service.exited()).toBe(false);
      expect(service.output()).toContain('the embedded PostgreSQL is gone: starting it again on the same port and data directory');
      expect(service.output()).not.toMatch(/Unhandled 'error' event|uncaught/i);

      expect(statuses.get(503) ?? 0).toBeGreaterThan(0);
      expect([...statuses.keys()].filter((s) => s !== 201 && s !== 503)).toEqual([]);
      checkLog(await readLog(service.url), acknowledged, batches);
      await waitFor(() => health(service.url), (h) => h?.status === 200 && h.body.status === 'ok');
    }, 120_000);
  });

  describe('the API process under `npm start` (supervise.js)', () => {
    let dataDir: string;
    let service: ServiceProcess;

    beforeAll(async () => {
      dataDir = await newDataDir('supervised');
      service = await startServiceProcess(dataDir, { LEDGER_WORKERS: 'off', LEDGER_API_HEAP_MB: '200', LEDGER_API_SEMI_SPACE_MB: '12' }, { entry: 'supervise' });
    });

    afterAll(async () => {
      await service.stop('SIGTERM');
      await stopLeftoverPostgres(dataDir);
      await fs.rm(dataDir, { recursive: true, force: true });
    });

    async function apiChild(): Promise<number | null> {
      const children = (await fs.readFile(`/proc/${service.pid}/task/${service.pid}/children`, 'utf8')).trim().split(/\s+/).filter(Boolean);
      for (const child of children) {
        if ((await fs.readFile(`/proc/${child}/cmdline`, 'utf8').catch(() => '')).includes('main.js')) return Number(child);
      }
      return null;
    }

    it('is started again when it dies, at the same address, with its events (and the V8 sizes it was given)', async () => {
      expect((await postJson(service.url, '/v1/events', registration())).status).toBe(201);
      const first = await waitFor(apiChild, (pid) => pid !== null);
      expect((await fs.readFile(`/proc/${first}/cmdline`, 'utf8')).split('\0')).toEqual(expect.arrayContaining(['--max-old-space-size=200', '--max-semi-space-size=12']));
      process.kill(first!, 'SIGKILL');
      const second = await waitFor(apiChild, (pid) => pid !== null && pid !== first);
      await waitFor(() => health(service.url), (h) => h?.status === 200);
      expect(alive(second!)).toBe(true);
      expect(service.output()).toMatch(/\[supervisor\] the API process exited \(SIGKILL\); starting it again in 1 s/);
      expect((await postJson(service.url, '/v1/events', used('R-after-restart'))).body.events[0]).toMatchObject({ status: 'appended', position: 2 });
    });

    it('stops with its API on SIGTERM', async () => {
      const api = await waitFor(apiChild, (pid) => pid !== null);
      await service.stop('SIGTERM');
      await waitFor(async () => alive(api!), (isAlive) => !isAlive, 30_000);
      expect(service.exited()).toBe(true);
    });
  });
});
