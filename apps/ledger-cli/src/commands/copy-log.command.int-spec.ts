import { spawn } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import { merkleRoot } from '@ledger/integrity';
import { PostgresEventStore } from '@ledger/event-store';
import { recordUsed, workerBriefed } from '../../../../libs/event-store/src/contract/test-events.js';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js';

const CLI = path.resolve('dist/apps/ledger-cli/src/main.js');

function cli(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env, EVENTSTORE_URL: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

describe('npx ledger copy-log (the built CLI, PostgreSQL to PostgreSQL)', () => {
  let source: TestDatabase;
  let target: TestDatabase;
  let leaves: Buffer[];

  beforeAll(async () => {
    source = await createTestDatabase('cli_copy_src');
    target = await createTestDatabase('cli_copy_dst');
    const pool = new pg.Pool({ connectionString: source.url, max: 2 });
    let now = Date.parse('2026-04-01T00:00:00Z');
    const store = new PostgresEventStore(pool, { clock: () => (now += 250) });
    for (let i = 0; i < 12; i++) await store.append([workerBriefed('c-cli', `W-${i}`), recordUsed('c-cli', `R-${i % 3}`), recordUsed('c-cli', `R-${i % 5}`)]);
    const all = await store.readAll({ after: 0, limit: 1000 });
    leaves = all.map((e) => Buffer.from(e.hash, 'hex'));
    await store.close();
    await pool.end();
  });

  afterAll(async () => {
    await source.drop();
    await target.drop();
  });

  it('copies the configured log, prints progress and both Merkle roots, and exits 0 when they are identical', async () => {
    const run = await cli(['copy-log', '--to', 'postgres', '--target-url', target.url, '--batch-size', '7'], { DATABASE_URL: source.url, LEDGER_WORKERS: 'off' });
    expect(run.err).toMatch(/copy-log: 36\/36/);
    expect(run.code).toBe(0);
    const root = merkleRoot(leaves).toString('hex');
    expect(run.out).toContain(`source Merkle root: ${root}`);
    expect(run.out).toContain(`target Merkle root: ${root}`);
    expect(run.out).toMatch(/copied 36 events \(positions 1–36; resumed from 0\)/);
    expect(run.out).toMatch(/identical/);
    const again = await cli(['copy-log', '--to', 'postgres', '--target-url', target.url], { DATABASE_URL: source.url, LEDGER_WORKERS: 'off' });
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/copied 0 events .*resumed from 36/);
  });

  it('answers a wrong command line with the usage and exit code 2', async () => {
    const run = await cli(['copy-log', '--to', 'mysql', '--target-url', 'x'], { DATABASE_URL: source.url });
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/--to must be eventstoredb or postgres/);
  });
});
