import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { verifyBundle } from '@ledger/audit';
import { checkConsistency, checkInclusion, hashFromBase64, hashFromHex, openCheckpoint } from '@ledger/integrity';
import { SIGNING_KEY_FILE } from '@ledger/merkle-log';
import { createMerkleLogWorkers } from '@ledger/runtime';
import {
  AFTER_COPY_BEFORE_DEADLINE,
  AFTER_DEADLINE,
  BEFORE_COPY,
  CONTRACT,
  OTHER_CONTRACT,
  eventId,
  firstBatch,
  secondBatch,
} from '../libs/audit/src/testing/audit-scenario.js';
import { startTestApp, TEST_KEYS, type TestApp } from './support/test-app.js';
import { runCli } from './support/cli-process.js';
import { capturingErrors } from './support/capturing-errors.js';

const cli = runCli;

describe('auditors: proofs, export, offline verification and replay through the real service and CLI', () => {
  let app: TestApp;
  let publicKey: string;
  let work: string;
  const env = () => ({ DATABASE_URL: app.db.url, LEDGER_DATA_DIR: app.dataDir });

  async function raw(pathname: string, role: keyof typeof TEST_KEYS = 'auditor'): Promise<{ status: number; headers: Headers; bytes: Buffer }> {
    const response = await fetch(`${app.url}${pathname}`, { headers: { authorization: `Bearer ${TEST_KEYS[role]}` } });
    return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
  }

  beforeAll(async () => {
    app = await startTestApp('audit', {
      config: { checkpointIntervalMs: 100 },
      workers: (runtime) => createMerkleLogWorkers(runtime, () => undefined),
    });
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'ledger-audit-work-'));
  });

  afterAll(async () => {
    await app.close();
    await fs.rm(work, { recursive: true, force: true });
  });

  it('serves the public key without credentials, generated once into the data directory with mode 600', async () => {
    const answer = await app.request('GET', '/v1/log/public-key');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ origin: 'okayama-handling-ledger/log', keyName: 'okayama-handling-ledger/log', algorithm: 'Ed25519' });
    expect(answer.body.publicKey).toMatch(new RegExp(`^okayama-handling-ledger/log\\+${answer.body.keyId}\\+[A-Za-z0-9+/]{44}$`));
    publicKey = answer.body.publicKey;
    expect((await fs.stat(path.join(app.dataDir, SIGNING_KEY_FILE))).mode & 0o777).toBe(0o600);
    const printed = await cli(['public-key'], env());
    expect(printed).toMatchObject({ code: 0 });
    expect(printed.stdout).toBe(`${publicKey}\n`);
  });

  it('answers 404 for the latest checkpoint before any event (public, no credentials), and 401/403 for the auditor-only surface', async () => {
    expect((await app.request('GET', '/v1/log/checkpoint')).body).toMatchObject({ statusCode: 404, code: 'LEDGER.NO_CHECKPOINT' });
    expect((await app.request('GET', '/v1/log/checkpoints')).status).toBe(401);
    expect((await app.request('GET', '/v1/log/checkpoints', { role: 'feed' })).status).toBe(403);
    expect((await app.request('GET', `/v1/contracts/${CONTRACT}/audit-bundle`, { role: 'officer' })).status).toBe(403);
  });

  it('signs checkpoints every few seconds while events arrive; each verifies with the public key', async () => {
    for (const batch of [firstBatch(), secondBatch()]) {
      const posted = await app.request('POST', '/v1/events', { role: 'feed', body: { events: batch } });
      expect(posted.status).toBe(201);
    }
    let latest: any;
    for (let i = 0; i < 200; i++) {
      latest = (await app.request('GET', '/v1/log/checkpoint', { headers: { accept: 'application/json' } })).body;
      if (latest.treeSize === 16) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(latest).toMatchObject({ treeSize: 18, keyId: expect.stringMatching(/^[0-9a-f]{8}$/) });
    expect(openCheckpoint(latest.note, publicKey, 'okayama-handling-ledger/log').size).toBe(18);
    const list = await app.request('GET', '/v1/log/checkpoints?limit=1000', { role: 'auditor' });
    expect(list.body.checkpoints.at(-1)).toEqual(latest);
    const health = await app.request('GET', '/health');
    expect(health.body.workers).toEqual(expect.arrayContaining([
      expect.objectContaining({ name: 'merkle-integrator', state: 'running', position: 18, lagEvents: 0 }),
      expect.objectContaining({ name: 'checkpoint-signer', state: 'running', position: 18 }),
    ]));
  });

  it('serves inclusion and consistency proofs that verify against the signed roots', async () => {
    const id = eventId(`${CONTRACT}/R-1/copied`);
    const latest = (await app.request('GET', '/v1/log/checkpoint', { headers: { accept: 'application/json' } })).body;
    const proof = await app.request('GET', `/v1/log/inclusion-proof?eventId=${id}`, { role: 'auditor' });
    expect(proof.status).toBe(200);
    expect(proof.body).toMatchObject({ eventId: id, treeSize: 18, checkpoint: latest.note });
    const root = openCheckpoint(latest.note, publicKey).rootHash;
    expect(checkInclusion(proof.body.leafIndex, 18, hashFromHex(proof.body.leafHash), proof.body.proof.map(hashFromBase64), root)).toEqual({ valid: true });

    const first = (await app.request('GET', '/v1/log/checkpoints', { role: 'auditor' })).body.checkpoints[0];
    if (first.treeSize < 16) {
      const consistency = await app.request('GET', `/v1/log/consistency-proof?from=${first.treeSize}&to=18`, { role: 'auditor' });
      expect(checkConsistency(first.treeSize, 18, consistency.body.proof.map(hashFromBase64), hashFromBase64(first.rootHash), root)).toEqual({ valid: true });
    }
    const consistency = await app.request('GET', '/v1/log/consistency-proof?from=3&to=18', { role: 'auditor' });
    expect(consistency.status).toBe(200);
    expect(consistency.body.proof.length).toBeGreaterThan(0);
  });

  it('answers a clear 4xx naming the field for a bad or unknown eventId and impossible tree sizes', async () => {
    const expectProblem = async (pathname: string, status: number, field: string) => {
      const answer = await app.request('GET', pathname, { role: 'auditor' });
      expect({ pathname, status: answer.status }).toEqual({ pathname, status });
      expect(JSON.stringify(answer.body)).toContain(`"field":"${field}"`);
    };
    await expectProblem('/v1/log/inclusion-proof?eventId=not-a-uuid', 400, 'eventId');
    await expectProblem('/v1/log/inclusion-proof', 400, 'eventId');
    await expectProblem('/v1/log/inclusion-proof?eventId=00000000-0000-4000-8000-000000000000', 404, 'eventId');
    await expectProblem(`/v1/log/inclusion-proof?eventId=${eventId(`${CONTRACT}/incident`)}&treeSize=2`, 400, 'treeSize');
    await expectProblem(`/v1/log/inclusion-proof?eventId=${eventId(`${CONTRACT}/incident`)}&treeSize=99`, 400, 'treeSize');
    await expectProblem('/v1/log/consistency-proof?from=0&to=5', 400, 'from');
    await expectProblem('/v1/log/consistency-proof?from=5', 400, 'to');
    await expectProblem('/v1/log/consistency-proof?from=9&to=5', 400, 'from');
    await expectProblem('/v1/log/checkpoint?treeSize=7000', 400, 'treeSize');
    await expectProblem(`/v1/contracts/${CONTRACT}/replay`, 400, 'asOf');
    await expectProblem(`/v1/contracts/${CONTRACT}/replay?asOf=tomorrow`, 400, 'asOf');
    await expectProblem(`/v1/contracts/${CONTRACT}/replay?asOf=${encodeURIComponent(AFTER_DEADLINE)}&format=pdf`, 400, 'format');
    await expectProblem(`/v1/contracts/${CONTRACT}/audit-bundle?knownAt=soon`, 400, 'knownAt');
    const unknown = await app.request('GET', '/v1/contracts/no-such-contract/audit-bundle', { role: 'auditor' });
    expect(unknown).toMatchObject({ status: 404, body: { code: 'LEDGER.NOT_FOUND' } });
  });

  it('exports the same bundle bytes over HTTP and from the CLI; it verifies offline and holds no other contract', async () => {
    const http = await raw(`/v1/contracts/${CONTRACT}/audit-bundle?asOf=${encodeURIComponent(AFTER_DEADLINE)}`);
    expect(http.status).toBe(200);
    expect(http.headers.get('content-disposition')).toBe(`attachment; filename="audit-bundle-${CONTRACT}-18.json"`);
    const file = path.join(work, 'bundle.json');
    const exported = await cli(['export', '--contract', CONTRACT, '--as-of', AFTER_DEADLINE, '--out', file], env());
    expect(exported).toMatchObject({ code: 0 });
    expect(exported.stderr).toContain(`verify it offline: npx ledger verify-bundle ${file} --key ${publicKey}`);
    const bytes = await fs.readFile(file);
    expect(bytes.equals(http.bytes)).toBe(true);
    expect(verifyBundle(bytes, publicKey)).toMatchObject({ ok: true, events: 11, streams: 3 });
    expect(bytes.toString('utf8')).not.toContain(OTHER_CONTRACT);
  });

  it('verify-bundle passes an intact bundle with no database (exit 0), fails a changed byte, a removed event and another key (1)', async () => {
    const file = path.join(work, 'bundle.json');
    const emptyDir = await fs.mkdtemp(path.join(os.tmpdir(), 'ledger-no-db-'));
    const offline = { LEDGER_DATA_DIR: emptyDir, DATABASE_URL: '' };
    const intact = await cli(['verify-bundle', file, '--key', publicKey], offline);
    expect(intact).toMatchObject({ code: 0 });
    expect(intact.stdout).toMatch(/^OK: .* holds 11 events of contract okayama-kaigo-2025 in 3 streams, each included in checkpoint 18/);
    expect(await fs.readdir(emptyDir)).toEqual([]); // no embedded PostgreSQL was started

    const bytes = await fs.readFile(file);
    const flipped = Buffer.from(bytes);
    flipped[Math.floor(bytes.length / 2)] ^= 0x01;
    await fs.writeFile(path.join(work, 'flipped.json'), flipped);
    const changed = await cli(['verify-bundle', path.join(work, 'flipped.json'), '--key', publicKey], offline);
    expect(changed.code).toBe(1);
    expect(changed.stdout).toMatch(/^FAILED: /);

    const bundle = JSON.parse(bytes.toString('utf8'));
    bundle.events.splice(5, 1);
    const { canonicalize } = await import('@ledger/integrity');
    await fs.writeFile(path.join(work, 'removed.json'), `${canonicalize(bundle)}\n`);
    const removed = await cli(['verify-bundle', path.join(work, 'removed.json'), '--key', publicKey], offline);
    expect(removed.code).toBe(1);
    expect(removed.stdout).toMatch(/jumps from version 0 to 2; an event is missing from the bundle/);

    const { generateSignerKey, verifierKeyOf } = await import('@ledger/integrity');
    const otherKey = verifierKeyOf(generateSignerKey('okayama-handling-ledger/log'));
    const wrongKey = await cli(['verify-bundle', file, '--key', otherKey], offline);
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stdout).toMatch(/the checkpoint is not valid for your key: it is not signed by your key/);
    await fs.rm(emptyDir, { recursive: true, force: true });
  });

  it('replay refuses the changed bundle of the test before: verification failed (exit 1), nothing replayed', async () => {
    const replayed = await cli(['replay', '--bundle', path.join(work, 'flipped.json'), '--key', publicKey], { LEDGER_DATA_DIR: work, DATABASE_URL: '' });
    expect(replayed).toEqual({ code: 1, stdout: '', stderr: expect.stringMatching(/^FAILED: /) });
  });

  it('replays byte-identically over HTTP and the CLI, and at two moments gives the verdicts the rulebook implies', async () => {
    const url = (asOf: string, format: string) => `/v1/contracts/${CONTRACT}/replay?asOf=${encodeURIComponent(asOf)}&format=${format}`;
    const a = await raw(url(AFTER_COPY_BEFORE_DEADLINE, 'md'));
    const b = await raw(url(AFTER_COPY_BEFORE_DEADLINE, 'md'));
    expect(a.status).toBe(200);
    expect(a.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    expect(a.bytes.equals(b.bytes)).toBe(true);
    const fromCli = await cli(['replay', '--contract', CONTRACT, '--as-of', AFTER_COPY_BEFORE_DEADLINE, '--format', 'md'], env());
    expect(fromCli).toMatchObject({ code: 0 });
    expect(Buffer.from(fromCli.stdout).equals(a.bytes)).toBe(true);
    expect(a.bytes.toString()).toContain('| チェックポイント / Checkpoint | okayama-handling-ledger/log, tree size 18, root ');

    const before = JSON.parse((await raw(url(BEFORE_COPY, 'json'))).bytes.toString());
    const after = JSON.parse((await raw(url(AFTER_DEADLINE, 'json'))).bytes.toString());
    const status = (report: any, article: string) => report.articles.find((x: any) => x.article === article).status;
    expect([before.status, status(before, '9'), status(before, '15')]).toEqual(['compliant', 'not_applicable', 'not_applicable']);
    expect([after.status, status(after, '9'), status(after, '15')]).toEqual(['violation', 'violation', 'violation']);

    const html = await raw(url(AFTER_DEADLINE, 'html'));
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(html.bytes.toString()).toContain('<h2><span lang="ja">第9条（複写、複製の禁止）</span> / <span lang="en">Article 9 (Prohibition of copying and reproduction)</span></h2>');

    const bundleFile = path.join(work, 'bundle.json');
    const offline = await cli(['replay', '--bundle', bundleFile, '--key', publicKey, '--format', 'json'], { LEDGER_DATA_DIR: work, DATABASE_URL: '' });
    expect(offline).toMatchObject({ code: 0 });
    expect(JSON.parse(offline.stdout)).toEqual(after);
  });

  it('verify passes the intact log and, after a superuser changes one event, fails naming its position (real CLI process)', async () => {
    const intact = await cli(['verify'], env());
    expect(intact).toMatchObject({ code: 0, stdout: expect.stringMatching(/^OK: 18 events, \d+ stream chains and \d+ signed checkpoints? verified/) });

    const admin = new pg.Client({ connectionString: app.db.url });
    await admin.connect();
    const { rows } = await admin.query('SELECT position FROM ledger_events WHERE event_id = $1', [eventId(`${CONTRACT}/R-1/copied`)]);
    const position = Number(rows[0].position);
    await admin.query('ALTER TABLE ledger_events DISABLE TRIGGER USER');
    await admin.query(`UPDATE ledger_events SET canonical = replace(canonical, '"DC-OKAYAMA-1"', '"CITY-HALL"') WHERE position = $1`, [position]);
    await admin.query('ALTER TABLE ledger_events ENABLE TRIGGER USER');
    await admin.end();

    const tampered = await cli(['verify', '--jobs', '2', '--key', publicKey], env());
    expect(tampered.code).toBe(1);
    expect(tampered.stdout).toMatch(new RegExp(`^FAILED: first bad position ${position}\\n  position ${position} \\[hash-mismatch\\]: the stored text of event ${eventId(`${CONTRACT}/R-1/copied`)}, with its position, prevHash, recordedAt, stream and version columns, does not hash`));
    const bad = await cli(['verify-bundle', path.join(work, 'bundle.json'), '--key', publicKey], { DATABASE_URL: '', LEDGER_DATA_DIR: work });
    expect(bad.code).toBe(0); // the bundle taken away earlier still proves what the log said
    const { result: replay, errors } = await capturingErrors(() => raw(`/v1/contracts/${CONTRACT}/replay?asOf=${encodeURIComponent(AFTER_DEADLINE)}`));
    expect(errors).toEqual([expect.stringContaining('LogIntegrityError')]);
    expect(replay.status).toBe(500);
    expect(JSON.parse(replay.bytes.toString()).code).toBe('LEDGER.LOG_INTEGRITY');
  });
});
