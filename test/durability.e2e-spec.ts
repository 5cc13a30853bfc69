import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { checkLog, feed, postmaster, readLog, registration, used } from './support/ledger-log.js';
import { postJson, startServiceProcess, type ServiceProcess } from './support/service-process.js';

describe('durability of the embedded default (the service as a user runs it)', () => {
  let dataDir: string;
  let service: ServiceProcess | undefined;

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'ledger-durability-'));
    await fs.chmod(dataDir, 0o755);
  });

  afterAll(async () => {
    await service?.stop('SIGTERM');
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('starts on an empty data directory, stops, and starts again with its events', async () => {
    service = await startServiceProcess(dataDir);
    expect(service.output()).toContain('initialising a PostgreSQL');
    expect((await postJson(service.url, '/v1/events', registration())).status).toBe(201);
    const first = await postJson(service.url, '/v1/events', { events: [used('R-1'), used('R-2')] });
    expect(first.status).toBe(201);
    await service.stop('SIGTERM');

    service = await startServiceProcess(dataDir);
    expect(service.output()).not.toContain('initialising a PostgreSQL');
    const log = await readLog(service.url);
    expect(log.map((e) => e.event.eventId)).toContain(first.body.events[1].eventId);
    const next = await postJson(service.url, '/v1/events', used('R-1'));
    expect(next.body.events[0]).toMatchObject({ position: 4, streamVersion: 1 });
  });

  it('loses no acknowledged event and half-writes no batch when the service is killed with SIGKILL mid-ingest', async () => {
    const acknowledged = new Set<string>();
    const batches: string[][] = [];
    const feeding = feed(service!.url, 8, acknowledged, batches);
    await new Promise((r) => setTimeout(r, 1500));
    await service!.stop('SIGKILL');
    await feeding.stop();
    expect(acknowledged.size).toBeGreaterThan(100);

    service = await startServiceProcess(dataDir);
    expect(service.output()).toContain('adopted the embedded PostgreSQL');
    checkLog(await readLog(service.url), acknowledged, batches);
    expect((await postJson(service.url, '/v1/events', used('R-after'))).status).toBe(201);
  });

  it('keeps every acknowledged event when the service and its PostgreSQL are both killed (crash recovery)', async () => {
    const acknowledged = new Set<string>();
    const batches: string[][] = [];
    const feeding = feed(service!.url, 8, acknowledged, batches);
    await new Promise((r) => setTimeout(r, 1500));
    const postgres = (await postmaster(dataDir)).pid;
    await service!.stop('SIGKILL');
    process.kill(postgres, 'SIGKILL');
    await feeding.stop();
    expect(acknowledged.size).toBeGreaterThan(100);

    service = await startServiceProcess(dataDir);
    const log = await readLog(service.url);
    checkLog(log, acknowledged, batches);
    expect((await postJson(service.url, '/v1/events', used('R-after'))).body.events[0].position).toBe(log.length + 1);
  });
});
