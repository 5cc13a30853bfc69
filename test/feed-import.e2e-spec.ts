import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { parse } from 'csv-parse/sync';
import pg from 'pg';
import { LedgerClient } from '@ledger/client';
import { EXAMPLE_LOG_OPTIONS, EXAMPLE_VIOLATION, importedEventId, loadMapping, operationLogRows, RowMapper, writeOperationLogCsv } from '@ledger/feed-import';
import { demoContract, DEMO_CONTRACT_ID } from './generators/demo-contract.js';
import { getJson, postJson, startServiceProcess, type ServiceProcess } from './support/service-process.js';
import { TEST_KEYS } from './support/test-app.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

const EXAMPLE = path.resolve('examples/operation-log/operation-log.csv');
const MAPPING = path.resolve('examples/operation-log/mapping.yaml');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe('npx ledger import, against the real service', () => {
  let db: TestDatabase;
  let service: ServiceProcess;
  let dir: string;

  const cli = (args: string[]): { child: ChildProcess; done: Promise<Run> } => {
    const child = spawn(process.execPath, ['dist/apps/ledger-cli/src/main.js', 'import', ...args], {
      env: { ...process.env, NODE_OPTIONS: '', LEDGER_URL: service.url, LEDGER_FEED_KEY: TEST_KEYS.feed, LEDGER_DATA_DIR: dir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    const done = new Promise<Run>((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
    return { child, done };
  };
  const run = (args: string[]): Promise<Run> => cli(args).done;

  const count = async (sql: string, params: unknown[] = []): Promise<number> => {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows[0].n;
    } finally {
      await client.end();
    }
  };
  const importedCount = (): Promise<number> => count("SELECT count(*)::int AS n FROM ledger_events WHERE canonical::jsonb->>'source' = 'kaigo-ops-log'");

  beforeAll(async () => {
    db = await createTestDatabase('feed-import');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledger-feed-import-'));
    service = await startServiceProcess(dir, { DATABASE_URL: db.url, LEDGER_WORKERS: 'off' });
    const demo = demoContract();
    for (let i = 0; i < demo.events.length; i += 1000) {
      expect((await postJson(service.url, '/v1/events', { events: demo.events.slice(i, i + 1000) })).status).toBe(201);
    }
  }, 120_000);

  afterAll(async () => {
    await service?.stop();
    await db?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('imports every row of the CP932 example as the expected event; importing it again writes nothing new', async () => {
    const first = await run([EXAMPLE, '--mapping', MAPPING, '--report', path.join(dir, 'example.errors.csv'), '--state', path.join(dir, 'example.state.json')]);
    expect({ code: first.code, stderr: first.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
    const rows = [...operationLogRows(EXAMPLE_LOG_OPTIONS)];
    expect(first.stdout).toContain(`(cp932): ${rows.length - 1} rows — ${rows.length - 1} appended, 0 duplicate, 0 refused`);

    // Every row, mapped here independently, is in the ledger exactly as sent.
    const mapper = new RowMapper(await loadMapping(MAPPING), rows[0]!);
    const expected = rows.slice(1).map((cells, i) => mapper.map(cells, i + 2, Date.now()).event);
    const stored: unknown[] = [];
    for (let after = 0; ; ) {
      const page = await getJson(service.url, `/v1/contracts/${DEMO_CONTRACT_ID}/events?after=${after}&limit=1000`);
      stored.push(...page.body.events.map((e: any) => e.event).filter((e: any) => e.source === 'kaigo-ops-log'));
      if (page.body.next === null) break;
      after = page.body.next;
    }
    expect(stored).toEqual(expected);
    expect(stored.map((e: any) => e.eventId)).toEqual(rows.slice(1).map((r) => importedEventId(DEMO_CONTRACT_ID, [r[0]!])));

    const again = await run([EXAMPLE, '--mapping', MAPPING, '--report', path.join(dir, 'example.errors.csv'), '--state', path.join(dir, 'example.state.json')]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`0 appended, ${rows.length - 1} duplicate, 0 refused`);
    expect(await importedCount()).toBe(rows.length - 1);
  });

  it('lets an officer read the imported records\' compliance through the typed client: the planted copy breaks Article 9', async () => {
    const client = new LedgerClient({ baseUrl: service.url, apiKey: TEST_KEYS.officer });
    const violation = await client.recordCompliance(DEMO_CONTRACT_ID, EXAMPLE_VIOLATION.recordId);
    expect(violation.status).toBe('violation');
    expect(violation.articles['9']!.findings).toEqual([expect.objectContaining({ rule: EXAMPLE_VIOLATION.rule, status: 'violation' })]);
    const custody = await client.recordCustody(DEMO_CONTRACT_ID, 'R-300001');
    expect(custody.holdings.length).toBeGreaterThan(0);
  });

  it('refuses a corrupted row with a report line in the file\'s encoding and exit 1, imports the rest; a dry run writes nothing', async () => {
    const text = iconv.decode(fs.readFileSync(EXAMPLE), 'cp932');
    const corrupted = path.join(dir, 'corrupted.csv');
    fs.writeFileSync(corrupted, iconv.encode(text.replace('OPL-0000010,2025/', 'OPL-0000010,2025/13/'), 'cp932'));
    const report = path.join(dir, 'corrupted.errors.csv');
    const before = await importedCount();

    const dry = await run([corrupted, '--mapping', MAPPING, '--dry-run', '--report', report]);
    expect(dry.code).toBe(1);
    expect(await importedCount()).toBe(before);

    const result = await run([corrupted, '--mapping', MAPPING, '--report', report, '--state', path.join(dir, 'corrupted.state.json')]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('0 appended, 219 duplicate, 1 refused');
    const lines = parse(iconv.decode(fs.readFileSync(report), 'cp932')) as string[][];
    expect(lines).toEqual([
      ['行 (row)', '列 (column)', '値 (value)', '問題', 'problem'],
      ['11', '操作日時', expect.stringMatching(/^2025\/13\//), expect.stringContaining('日時'), expect.stringContaining('cannot read')],
    ]);
  });

  it('exits 2 for a mapping that names a column the file does not have, before writing anything', async () => {
    const mapping = path.join(dir, 'wrong.yaml');
    fs.writeFileSync(mapping, fs.readFileSync(MAPPING, 'utf8').replace('recordId: 記録番号', 'recordId: 記録ID'));
    const result = await run([EXAMPLE, '--mapping', mapping]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('column 記録ID is not in the header');
  });

  it('killed with SIGKILL in the middle, continues with --resume and ends with exactly every row once', async () => {
    const big = path.join(dir, 'backfill.csv');
    await writeOperationLogCsv(big, { records: 3_000, seed: 7, firstRecord: 500_001, logPrefix: 'BF', spacingMinutes: 120 }, 'cp932');
    const total = [...operationLogRows({ records: 3_000, seed: 7, firstRecord: 500_001, logPrefix: 'BF', spacingMinutes: 120 })].length - 1;
    const state = path.join(dir, 'backfill.state.json');
    const args = [big, '--mapping', MAPPING, '--state', state, '--report', path.join(dir, 'backfill.errors.csv'), '--batch-size', '100', '--concurrency', '1'];
    const first = cli(args);
    for (;;) {
      const done = fs.existsSync(state) ? (JSON.parse(fs.readFileSync(state, 'utf8')) as { rowsDone: number }).rowsDone : 0;
      if (done >= 2_000) break;
      if (first.child.exitCode !== null) throw new Error(`the import ended before it could be killed:\n${(await first.done).stderr}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    first.child.kill('SIGKILL');
    expect((await first.done).code).toBeNull();
    const written = await count("SELECT count(*)::int AS n FROM ledger_events WHERE canonical::jsonb->>'recordId' >= 'R-500001'");
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(total);

    const resumed = await run([...args, '--resume']);
    expect({ code: resumed.code, stderr: resumed.stderr }).toEqual({ code: 0, stderr: expect.stringContaining('resuming after row') });
    expect(fs.existsSync(state)).toBe(false);
    const ids = [...operationLogRows({ records: 3_000, seed: 7, firstRecord: 500_001, logPrefix: 'BF', spacingMinutes: 120 })].slice(1).map((r) => importedEventId(DEMO_CONTRACT_ID, [r[0]!]));
    expect(await count('SELECT count(*)::int AS n FROM ledger_events WHERE event_id = ANY($1::uuid[])', [ids])).toBe(total);
    expect(await count("SELECT count(*)::int AS n FROM ledger_events WHERE canonical::jsonb->>'recordId' >= 'R-500001'")).toBe(total);
  });
});
