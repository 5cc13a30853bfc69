/**
 * The projector killed for real: `npx ledger workers` in a child process, SIGKILLed in the
 * middle of its catch-up, restarted; then `npx ledger rebuild` (an uninterrupted run from
 * position 0, itself SIGKILLed once and resumed) must produce identical tables. Runs the build
 * in dist/ (npm run build first).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { ledgerDataSource } from '@ledger/database';
import { PostgresEventStore } from '@ledger/event-store';
import { HANDLING_TABLES, PROJECTION_ENTITIES, quoteSchema, type Generation } from '@ledger/projections';
import { generateHistory } from './generators/care-insurance-history.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

interface Cli {
  child: ChildProcess;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

describe('projector and rebuild killed with SIGKILL', () => {
  let db: TestDatabase;
  let client: pg.Client;
  let dataDir: string;
  let head = 0;

  function cli(args: string[], env: Record<string, string> = {}): Cli {
    const child = spawn(process.execPath, [path.resolve('dist/apps/ledger-cli/src/main.js'), ...args], {
      env: { ...process.env, NODE_OPTIONS: '', DATABASE_URL: db.url, LEDGER_DATA_DIR: dataDir, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    return { child, output: () => output, exited };
  }

  async function generation(status: 'active' | 'building'): Promise<Generation | null> {
    const { rows } = await client.query(`SELECT generation, schema_name, status FROM read_model_generations WHERE status = $1`, [status]);
    return rows[0] ? { generation: rows[0].generation, schema: rows[0].schema_name, status: rows[0].status } : null;
  }

  async function checkpoint(status: 'active' | 'building'): Promise<number> {
    const g = await generation(status);
    if (!g) return 0;
    const { rows } = await client.query(`SELECT position FROM ${quoteSchema(g.schema)}.projection_checkpoints WHERE projection = 'handling'`);
    return rows[0] ? Number(rows[0].position) : 0;
  }

  async function until(what: string, test: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await test())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  async function dump(g: Generation): Promise<Record<string, string[]>> {
    const out: Record<string, string[]> = {};
    for (const table of HANDLING_TABLES) {
      const { rows } = await client.query(`SELECT to_jsonb(t)::text AS row FROM ${quoteSchema(g.schema)}."${table}" t ORDER BY 1`);
      out[table] = rows.map((r: { row: string }) => r.row);
    }
    return out;
  }

  beforeAll(async () => {
    db = await createTestDatabase('crash');
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'ledger-crash-'));
    const pool = new pg.Pool({ connectionString: db.url, max: 2 });
    const store = new PostgresEventStore(pool);
    for (const batch of generateHistory({ seed: 5, contracts: 2, recordsPerContract: 200, violationRate: 0.2, batchSize: 1000 })) {
      head = (await store.append(batch)).at(-1)!.position;
    }
    await store.close();
    await pool.end();
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
  });

  afterAll(async () => {
    await client.end();
    await db.drop();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('a projector killed mid catch-up resumes from its checkpoint, and a killed rebuild resumes; the tables are identical', async () => {
    expect(head).toBeGreaterThan(2000);
    const env = { LEDGER_PROJECTOR_BATCH_SIZE: '20' };

    const first = cli(['workers', '--status-every', '0'], env);
    await until('the projector has committed a few batches', async () => (await checkpoint('active')) >= 200);
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    const killedAt = await checkpoint('active');
    expect(killedAt).toBeLessThan(head);
    // Nothing past the checkpoint is in the read model: the batch in flight rolled back.
    const active = (await generation('active'))!;
    const { rows } = await client.query(
      `SELECT coalesce(max(max_position), 0) AS max FROM ${quoteSchema(active.schema)}.handling_records`,
    );
    expect(Number(rows[0].max)).toBeLessThanOrEqual(killedAt);

    const second = cli(['workers', '--status-every', '0'], env);
    await until('the projector has caught up', async () => (await checkpoint('active')) === head, 60_000);
    second.child.kill('SIGTERM');
    expect(await second.exited).toEqual({ code: 0, signal: null });
    expect(second.output()).toContain('SIGTERM: stopping the workers');
    expect(second.output()).toMatch(/projector: stopped, position [\d,]+, lag 0 events/);

    // An uninterrupted run from 0: the rebuild, killed once and resumed.
    const rebuild = cli(['rebuild', '--batch-size', '50']);
    await until('the rebuild has committed a few batches', async () => (await checkpoint('building')) >= 300);
    rebuild.child.kill('SIGKILL');
    await rebuild.exited;
    const building = (await generation('building'))!;
    const resumedFrom = await checkpoint('building');
    expect(resumedFrom).toBeLessThan(head);
    expect((await generation('active'))!.generation).toBe(active.generation);

    const resumed = cli(['rebuild', '--batch-size', '500']);
    expect(await resumed.exited).toEqual({ code: 0, signal: null });
    expect(resumed.output()).toContain(`resuming the rebuild of generation ${building.generation} from position ${resumedFrom.toLocaleString('en')}`);
    expect(resumed.output()).toMatch(new RegExp(`rebuild generation ${building.generation}: [\\d,]+/[\\d,]+ \\(100\\.0%\\)`));
    expect(resumed.output()).toContain(`read models rebuilt into generation ${building.generation}`);
    const now = (await generation('active'))!;
    expect(now.generation).toBe(building.generation);

    const live = await dump(active);
    expect(live.handling_holdings!.length).toBeGreaterThan(400);
    expect(await dump(now)).toEqual(live);

    // The entities read the rebuilt generation like the old one (same DataSource the service uses).
    const ds = ledgerDataSource(db.url, PROJECTION_ENTITIES);
    await ds.initialize();
    try {
      const count = async (g: Generation) => Number((await ds.query(`SELECT count(*) AS n FROM ${quoteSchema(g.schema)}.handling_steps`))[0].n);
      expect(await count(now)).toBe(await count(active));
    } finally {
      await ds.destroy();
    }
  });
});
