/**
 * One record with 1,000,000 events (issue 9, "Long streams"): a data set used all day for years.
 * The events go through the ledger's own append path (the PostgreSQL adapter, 10,000 a commit);
 * the service runs as users run it, its workers in their supervised process. The record's verdict
 * and custody must be right, and neither process may grow past its memory budget doing the work.
 * Answer times are the benchmark's business (npm run bench:projector), not this test's.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { PostgresEventStore } from '@ledger/event-store';
import type { LedgerEvent } from '@ledger/domain';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';
import { getJson, startServiceProcess, type ServiceProcess } from './support/service-process.js';
import { TEST_KEYS } from './support/test-app.js';

const EVENTS = Number(process.env.LEDGER_LONG_STREAM_EVENTS ?? 1_000_000);
/** Memory budgets (docs/operations.md "Memory"): resident set of each process at its peak. */
const API_BUDGET_MB = 300;
const WORKERS_BUDGET_MB = 512;

const contractId = 'okayama-kaigo-long';
const recordId = 'R-DAICHO';
const start = Date.parse('2025-04-01T00:00:00Z');

function uuid(n: number): string {
  return `10000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

function contractEvent(n: number, type: string, data: Record<string, unknown>, org = 'contractor'): LedgerEvent {
  return { eventId: uuid(n), type, contractId, occurredAt: '2025-03-01T09:00:00+09:00', actor: { org, workerId: 'S-1' }, data } as unknown as LedgerEvent;
}

function recordEvent(n: number, type: string, data: Record<string, unknown>, workerId = 'W-1'): LedgerEvent {
  // One use every 30 s over the whole period, in order.
  return {
    eventId: uuid(n), type, contractId, recordId, occurredAt: new Date(start + n * 30_000).toISOString(),
    actor: { org: 'contractor', workerId }, data,
  } as unknown as LedgerEvent;
}

/** Peak resident set (VmHWM) of a process, in MB. */
async function peakMb(pid: number): Promise<number> {
  const status = await fs.readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

async function childOf(pid: number, marker: string): Promise<number | null> {
  const children = (await fs.readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '')).trim().split(/\s+/).filter(Boolean);
  for (const child of children) {
    if ((await fs.readFile(`/proc/${child}/cmdline`, 'utf8').catch(() => '')).includes(marker)) return Number(child);
  }
  return null;
}

describe(`a record with ${EVENTS.toLocaleString('en')} events`, () => {
  let db: TestDatabase;
  let service: ServiceProcess;
  let dataDir: string;
  let misuse: LedgerEvent;
  let copy: LedgerEvent;

  beforeAll(async () => {
    db = await createTestDatabase('long_stream');
    const pool = new pg.Pool({ connectionString: db.url, max: 2 });
    const store = new PostgresEventStore(pool);
    await store.append([
      contractEvent(1, 'ContractRegistered', {
        title: '介護保険', contractorId: 'okayama-systems', purposes: ['運用保守'], dataCategories: ['被保険者台帳'], permitsSubcontracting: false,
        term: { start: '2025-03-01T00:00:00+09:00', end: '2035-03-31T00:00:00+09:00' },
      }, 'city'),
      contractEvent(2, 'ResponsiblePersonDesignated', { personId: 'P-1', title: '責任者' }),
      contractEvent(3, 'WorkerAuthorized', { workerId: 'W-1', org: 'contractor' }),
      contractEvent(4, 'WorkerBriefed', { workerId: 'W-1', topics: ['confidentiality', 'penalties'] }),
      contractEvent(5, 'WorkerAuthorized', { workerId: 'W-2', org: 'contractor' }),
    ]);
    // The data set: collected once, then used all day; at the middle a worker never briefed uses it
    // once, and near the end a copy is made without the city's consent.
    misuse = recordEvent(100 + Math.floor(EVENTS / 2), 'RecordUsed', { purpose: '運用保守' }, 'W-2');
    copy = recordEvent(100 + EVENTS - 10, 'RecordCopied', { copyId: 'C-1', medium: 'electronic', location: 'DC-1' });
    let batch: LedgerEvent[] = [recordEvent(100, 'RecordCollected', { purpose: '運用保守', dataCategories: ['被保険者台帳'], medium: 'electronic', containsMyNumber: false, location: 'DC-1' })];
    for (let n = 101; n < 100 + EVENTS; n++) {
      if (n === 100 + Math.floor(EVENTS / 2)) batch.push(misuse);
      else if (n === 100 + EVENTS - 10) batch.push(copy);
      else batch.push(recordEvent(n, 'RecordUsed', { purpose: '運用保守' }));
      if (batch.length === 10_000) {
        await store.append(batch);
        batch = [];
      }
    }
    if (batch.length > 0) await store.append(batch);
    await store.close();
    await pool.end();

    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'ledger-long-'));
    service = await startServiceProcess(dataDir, { DATABASE_URL: db.url, LEDGER_WORKER_NAMES: 'projector' });
    const deadline = Date.now() + 20 * 60_000;
    for (;;) {
      const health = await getJson(service.url, '/health');
      const projector = health.body.workers?.find((w: { name: string }) => w.name === 'projector');
      if (projector && projector.lagEvents === 0 && projector.state === 'running') break;
      if (Date.now() > deadline) throw new Error(`the projector did not catch up: ${JSON.stringify(health.body)}`);
      await new Promise((r) => setTimeout(r, 1_000));
    }
  }, 30 * 60_000);

  afterAll(async () => {
    await service?.stop();
    await db?.drop();
    if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('answers its verdict: the one unbriefed use and the unauthorized copy, every other use counted as judged', async () => {
    const answer = await getJson(service.url, `/v1/contracts/${contractId}/records/${recordId}/compliance`, TEST_KEYS.officer);
    expect(answer.status).toBe(200);
    expect(answer.body.status).toBe('violation');
    expect(answer.body.articles['4'].findings.map((f: { eventIds: string[] }) => f.eventIds[0])).toEqual([misuse.eventId]);
    expect(answer.body.articles['9'].findings.map((f: { eventIds: string[] }) => f.eventIds[0])).toEqual([copy.eventId]);
    expect(answer.body.articles['8']).toMatchObject({ status: 'compliant', counts: { violation: 0, pending: 0, compliant: 0 } });
    // A past moment between the two: only the unbriefed use.
    const middle = new Date(start + (100 + EVENTS * 0.75) * 30_000).toISOString();
    const past = await getJson(service.url, `/v1/contracts/${contractId}/records/${recordId}/compliance?asOf=${encodeURIComponent(middle)}`, TEST_KEYS.officer);
    expect(past.body.articles['4'].counts.violation).toBe(1);
    expect(past.body.articles['9'].status).toBe('not_applicable');
  });

  it('answers its custody: the original and the copy, with their latest history and counts', async () => {
    const answer = await getJson(service.url, `/v1/contracts/${contractId}/records/${recordId}/custody`, TEST_KEYS.officer);
    expect(answer.status).toBe(200);
    expect(answer.body.holdings.map((h: { copyId: string | null; state: string }) => [h.copyId, h.state])).toEqual([[null, 'held'], ['C-1', 'held']]);
    expect(answer.body.holdings[0].historyCount).toBe(2);
  });

  it(`stays within the memory budgets: the API ≤ ${API_BUDGET_MB} MB, the worker process ≤ ${WORKERS_BUDGET_MB} MB`, async () => {
    const workers = await childOf(service.pid, 'worker-main');
    expect(workers).not.toBeNull();
    const api = await peakMb(service.pid);
    const worker = await peakMb(workers!);
    process.stdout.write(`long stream: API peak ${api.toFixed(0)} MB, workers peak ${worker.toFixed(0)} MB\n`);
    expect(api).toBeLessThanOrEqual(API_BUDGET_MB);
    expect(worker).toBeLessThanOrEqual(WORKERS_BUDGET_MB);
  });
});
