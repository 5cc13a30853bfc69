import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import {
  checkQuorum,
  formatAddCheckpointRequest,
  formatCheckpoint,
  generateSignerKey,
  leafHash,
  openCheckpoint,
  parseCosignatureVerifierKey,
  signNote,
  verifierKeyOf,
} from '@ledger/integrity';
import { CONTRACT, fillerBatch, firstBatch, secondBatch } from '../libs/audit/src/testing/audit-scenario.js';
import { freePort, postJson, startServiceProcess, type ServiceProcess } from './support/service-process.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

const run = promisify(execFile);
const CLI = path.resolve('dist/apps/ledger-cli/src/main.js');
const ORIGIN = 'ledger.witness-e2e.test.invalid/log';

async function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH, NODE_OPTIONS: '', ...env } as NodeJS.ProcessEnv });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** A witness as the city runs it: `ledger-cli witness`, its own key, state file and port. */
class WitnessProcess {
  child: ChildProcess | null = null;
  output = '';
  url = '';
  publicKey = '';
  port: number | undefined;

  constructor(
    readonly dir: string,
    readonly name: string,
    readonly logKey: string,
  ) {}

  async start(): Promise<void> {
    const args = ['witness', '--key-file', path.join(this.dir, 'key'), '--name', this.name, '--state', path.join(this.dir, 'state.json')];
    if (!this.publicKey) this.publicKey = (await cli([...args, '--public-key'])).stdout.trim();
    // The same port on a restart: the ledger is configured with this URL.
    this.port ??= await freePort();
    const port = this.port;
    this.url = `http://127.0.0.1:${port}`;
    this.output = '';
    const child = spawn(process.execPath, [CLI, ...args, '--port', String(port), '--log', this.logKey], { env: { PATH: process.env.PATH, NODE_OPTIONS: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    child.stdout!.on('data', (c: Buffer) => (this.output += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (this.output += c.toString()));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (this.output.includes('listening on')) {
          clearInterval(timer);
          resolve();
        }
      }, 20);
      void exited.then(() => {
        clearInterval(timer);
        reject(new Error(`the witness exited:\n${this.output}`));
      });
    });
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    await exited;
  }
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('the city as witness: two witness processes, the service, and quorum verification offline', () => {
  const logKey = generateSignerKey(ORIGIN);
  const logPublicKey = verifierKeyOf(logKey);
  let work: string;
  let db: TestDatabase;
  let service: ServiceProcess;
  let w1: WitnessProcess;
  let w2: WitnessProcess;
  const env = (): Record<string, string> => ({ DATABASE_URL: db.url, LEDGER_SIGNING_KEY: logKey, LEDGER_LOG_ORIGIN: ORIGIN, LEDGER_DATA_DIR: path.join(work, 'ledger') });

  async function publicCheckpoint(): Promise<string> {
    return (await fetch(`${service.url}/v1/log/checkpoint`)).text();
  }

  async function cosignedBy(count: number, size: number): Promise<string> {
    const witnesses = [w1, w2].map((w) => parseCosignatureVerifierKey(w.publicKey));
    return until(`checkpoint ${size} cosigned by ${count}`, async () => {
      const note = await publicCheckpoint();
      if (!note.startsWith(`${ORIGIN}\n${size}\n`)) return undefined;
      return checkQuorum(note, witnesses, count).ok ? note : undefined;
    });
  }

  beforeAll(async () => {
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'ledger-witness-e2e-'));
    db = await createTestDatabase('witness_e2e');
    w1 = new WitnessProcess(path.join(work, 'w1'), 'witness.city.test.invalid/ledger', logPublicKey);
    w2 = new WitnessProcess(path.join(work, 'w2'), 'witness.auditors.test.invalid/ledger', logPublicKey);
    await w1.start();
    await w2.start();
    service = await startServiceProcess(path.join(work, 'ledger'), {
      ...env(),
      LEDGER_WORKERS: 'inline',
      LEDGER_CHECKPOINT_INTERVAL_MS: '100',
      LEDGER_WITNESSES: `${w1.url} ${w1.publicKey},${w2.url} ${w2.publicKey}`,
    });
  });

  afterAll(async () => {
    await service?.stop();
    await w1?.stop();
    await w2?.stop();
    await db.drop();
    await fs.rm(work, { recursive: true, force: true });
  });

  it('serves, without credentials, the checkpoint cosigned by both witnesses; the bundle verifies offline with a quorum of 2', async () => {
    expect((await postJson(service.url, '/v1/events', { events: firstBatch() })).status).toBe(201);
    const size = firstBatch().length;
    const note = await cosignedBy(2, size);
    expect(openCheckpoint(note, logPublicKey).size).toBe(size);

    const bundle = path.join(work, 'contract.bundle.json');
    expect(await cli(['export', '--contract', CONTRACT, '--out', bundle], env())).toMatchObject({ code: 0 });
    const ok = await cli(['verify-bundle', bundle, '--key', logPublicKey, '--witness', w1.publicKey, '--witness', w2.publicKey, '--quorum', '2'], { PATH: process.env.PATH! });
    expect(ok).toMatchObject({ code: 0, stdout: expect.stringContaining('cosigned by witness.city.test.invalid/ledger, witness.auditors.test.invalid/ledger') });
    // A witness the bundle's checkpoint has no cosignature of does not count toward the quorum
    const stranger = (await cli(['witness', '--key-file', path.join(work, 'stranger-key'), '--name', 'stranger.test.invalid/w', '--public-key'])).stdout.trim();
    const short = await cli(['verify-bundle', bundle, '--key', logPublicKey, '--witness', w1.publicKey, '--witness', stranger, '--quorum', '2']);
    expect(short).toMatchObject({ code: 1, stdout: expect.stringContaining("lacks the witnesses' quorum") });
  });

  it('reports each witness on /health and /metrics; a witness that is down delays only its own cosignature', async () => {
    const health = (await (await fetch(`${service.url}/health`)).json()) as { workers: any[] };
    expect(health.workers).toEqual(expect.arrayContaining([
      expect.objectContaining({ name: 'witness:witness.city.test.invalid/ledger', state: 'running' }),
      expect.objectContaining({ name: 'witness:witness.auditors.test.invalid/ledger', state: 'running' }),
    ]));
    expect(await (await fetch(`${service.url}/metrics`)).text()).toContain('ledger_worker_lag_events{worker="witness:witness.city.test.invalid/ledger"}');

    // Given the second witness goes down
    await w2.stop();
    expect((await postJson(service.url, '/v1/events', { events: secondBatch() })).status).toBe(201);
    const size = firstBatch().length + secondBatch().length;
    // Then the checkpoint still gets the first witness's cosignature, and /health shows the second lagging
    await cosignedBy(1, size);
    const lagging = await until('the down witness to show its lag', async () => {
      const workers = ((await (await fetch(`${service.url}/health`)).json()) as { workers: any[] }).workers;
      const w = workers.find((s) => s.name === 'witness:witness.auditors.test.invalid/ledger');
      return w.lagEvents > 0 && w.error ? w : undefined;
    });
    expect(lagging).toMatchObject({ state: 'retrying', error: expect.stringContaining('unreachable') });

    // When it comes back (a new process on its state file), Then it catches up from its own state
    await w2.start();
    await cosignedBy(2, size);
  });

  it('catches a split view: a second checkpoint of the same size with another root is refused by the witness (409) and kept as evidence', async () => {
    const note = await publicCheckpoint();
    const size = openCheckpoint(note, logPublicKey).size;
    // Given the operator (holding the log's key) shows some client another history of the same size
    const other = signNote(formatCheckpoint({ origin: ORIGIN, size, rootHash: leafHash('another history') }), logKey);
    // When that checkpoint reaches a witness (as a client gossiping it, or the log asking for a cosignature)
    const response = await fetch(`${w1.url}/add-checkpoint`, { method: 'POST', body: formatAddCheckpointRequest({ oldSize: size, proof: [], checkpoint: other }) });
    // Then the witness refuses to cosign it, tells its size, and keeps the evidence
    expect(response.status).toBe(409);
    expect(await response.text()).toBe(`${size}\n`);
    expect(response.headers.get('x-witness-reason')).toContain('split view');
    const evidence = ((await (await fetch(`${w1.url}/evidence`)).json()) as { evidence: any[] }).evidence;
    expect(evidence.at(-1)).toMatchObject({ origin: ORIGIN, status: 409 });
    // And the witness's own view is still the log's real checkpoint
    const theirs = await (await fetch(`${w1.url}/checkpoint?origin=${encodeURIComponent(ORIGIN)}`)).text();
    expect(openCheckpoint(theirs, logPublicKey).rootHash.equals(openCheckpoint(note, logPublicKey).rootHash)).toBe(true);
  });

  it('catches a rolled-back log: verify against the cosigned checkpoint fails after the last events are deleted as superuser', async () => {
    expect((await postJson(service.url, '/v1/events', { events: fillerBatch(4).map((e) => ({ ...e, contractId: CONTRACT })) })).status).toBe(201);
    const size = firstBatch().length + secondBatch().length + 4;
    const kept = path.join(work, 'cosigned-checkpoint.txt');
    await fs.writeFile(kept, await cosignedBy(2, size));
    const witnessArgs = ['--witness', w1.publicKey, '--witness', w2.publicKey, '--quorum', '2'];
    expect(await cli(['verify', '--checkpoint', kept, ...witnessArgs], env())).toMatchObject({ code: 0 });
    await service.stop();

    // Given the operator rolls the log back: the last 4 events, their checkpoints and cosignatures deleted as superuser
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    try {
      await admin.query('BEGIN');
      for (const table of ['ledger_events', 'log_checkpoints', 'checkpoint_cosignatures']) await admin.query(`ALTER TABLE ${table} DISABLE TRIGGER USER`);
      await admin.query('DELETE FROM ledger_events WHERE position > $1', [size - 4]);
      await admin.query('DELETE FROM log_checkpoints WHERE tree_size > $1', [size - 4]);
      await admin.query('DELETE FROM checkpoint_cosignatures WHERE tree_size > $1', [size - 4]);
      for (const table of ['ledger_events', 'log_checkpoints', 'checkpoint_cosignatures']) await admin.query(`ALTER TABLE ${table} ENABLE TRIGGER USER`);
      await admin.query('COMMIT');
    } finally {
      await admin.end();
    }
    // Then verify against the cosigned checkpoint the auditor kept (or fetched from a witness) fails
    const result = await cli(['verify', '--checkpoint', kept, ...witnessArgs], env());
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/log-cut|missing-position/);
    // And the witness's own latest checkpoint says the same: it is larger than anything the log still has
    const fromWitness = path.join(work, 'witness-checkpoint.txt');
    await fs.writeFile(fromWitness, await (await fetch(`${w2.url}/checkpoint?origin=${encodeURIComponent(ORIGIN)}`)).text());
    expect((await cli(['verify', '--checkpoint', fromWitness, ...witnessArgs], env())).code).toBe(1);
  });
});
