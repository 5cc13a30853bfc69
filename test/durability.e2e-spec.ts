import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { LedgerEvent, RecordedEvent } from '@ledger/domain';
import { encodeStoredEvent } from '@ledger/event-store';
import { getJson, postJson, startServiceProcess, type ServiceProcess } from './support/service-process.js';

const CONTRACT = 'durability-contract';

function registration(): LedgerEvent {
  return {
    eventId: randomUUID(), type: 'ContractRegistered', contractId: CONTRACT, occurredAt: '2025-04-01T09:00:00+09:00', actor: { org: 'city' },
    data: { title: 'durability', contractorId: 'okayama-systems', purposes: ['operation'], dataCategories: ['被保険者台帳'], permitsSubcontracting: false, term: { start: '2025-04-01T00:00:00+09:00', end: '2030-03-31T00:00:00+09:00' } },
  };
}

function used(recordId: string): LedgerEvent {
  return {
    eventId: randomUUID(), type: 'RecordUsed', contractId: CONTRACT, recordId, occurredAt: '2026-04-01T09:00:00+09:00',
    actor: { org: 'contractor', workerId: 'W-1' }, data: { purpose: 'operation' },
  };
}

async function readLog(url: string): Promise<RecordedEvent[]> {
  const all: RecordedEvent[] = [];
  for (let after = 0; ; ) {
    const page = await getJson(url, `/v1/contracts/${CONTRACT}/events?after=${after}&limit=1000`);
    expect(page.status).toBe(200);
    all.push(...page.body.events);
    if (page.body.next === null) return all;
    after = page.body.next;
  }
}

/** Every acknowledged event is there; every batch is all there or not at all; hashes chain. */
function checkLog(log: RecordedEvent[], acknowledged: Set<string>, batches: string[][]): void {
  const ids = new Set(log.map((e) => e.event.eventId));
  for (const id of acknowledged) expect(ids.has(id)).toBe(true);
  for (const batch of batches) {
    const present = batch.filter((id) => ids.has(id)).length;
    expect([0, batch.length]).toContain(present);
  }
  expect(log.map((e) => e.position)).toEqual(log.map((_, i) => i + 1));
  const lastOfStream = new Map<string, RecordedEvent>();
  for (const recorded of log) {
    expect(encodeStoredEvent(recorded.event, recorded).hash.toString('hex')).toBe(recorded.hash);
    const previous = lastOfStream.get(recorded.streamId);
    expect(recorded.streamVersion).toBe(previous ? previous.streamVersion + 1 : 0);
    expect(recorded.prevHash).toBe(previous ? previous.hash : null);
    lastOfStream.set(recorded.streamId, recorded);
  }
}

/** Feeds batches from several clients until stopped; remembers what was acknowledged. */
function feed(url: string, clients: number, acknowledged: Set<string>, batches: string[][]): { stop: () => Promise<void> } {
  let running = true;
  const loops = Array.from({ length: clients }, async (_, c) => {
    for (let n = 0; running; n++) {
      const events = Array.from({ length: 1 + ((c + n) % 40) }, (_, i) => used(`R-${c}-${(n + i) % 17}`));
      batches.push(events.map((e) => e.eventId));
      try {
        const answer = await postJson(url, '/v1/events', { events });
        if (answer.status === 201) for (const e of events) acknowledged.add(e.eventId);
      } catch {
        return; // the service died mid-request: this batch was never acknowledged
      }
    }
  });
  return {
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
  };
}

async function postmasterPid(dataDir: string): Promise<number> {
  return Number((await fs.readFile(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8')).split('\n')[0]);
}

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
    const postgres = await postmasterPid(dataDir);
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
