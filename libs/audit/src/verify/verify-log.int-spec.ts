import pg from 'pg';
import { encodeStoredEvent } from '@ledger/event-store';
import { generateSignerKey, parseVerifierKey, signCheckpoint, leafHash } from '@ledger/integrity';
import { hashedTextOf } from '../../../../test/support/stored-rows.js';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js';
import { openAuditLedger, testLogKeys, type AuditLedger } from '../testing/audit-ledger.js';
import { eventId, fillerBatch, firstBatch, secondBatch } from '../testing/audit-scenario.js';
import { copyRows } from './copy-rows.js';
import { verifyLog, type VerifyLogOptions } from './verify-log.js';

/**
 * Tampering done the way a database superuser would: triggers disabled, rows changed in place.
 * The ledger: 12 events (checkpoint 1), 40 more (2), 4 more (3), 20 more (4) = 76 events.
 */
describe('verify: the full-log verifier against a tampered PostgreSQL', () => {
  let db: TestDatabase;
  let ledger: AuditLedger;
  let admin: pg.Client;

  async function build(): Promise<void> {
    db = await createTestDatabase('verify_log');
    ledger = await openAuditLedger(db.url);
    await ledger.appendAndSeal(firstBatch()); // 14 events: checkpoint #1 at 14
    await ledger.appendAndSeal(fillerBatch(38)); // checkpoint #2 at 52
    await ledger.appendAndSeal(secondBatch());
    await ledger.appendAndSeal(fillerBatch(20, 40));
    admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
  }

  async function tamper(...statements: string[]): Promise<void> {
    await admin.query('ALTER TABLE ledger_events DISABLE TRIGGER USER');
    await admin.query('ALTER TABLE log_checkpoints DISABLE TRIGGER USER');
    for (const sql of statements) await admin.query(sql);
  }

  async function positionOf(name: string): Promise<number> {
    const { rows } = await admin.query('SELECT position FROM ledger_events WHERE event_id = $1', [eventId(name)]);
    return Number(rows[0].position);
  }

  const verify = (extra: Partial<VerifyLogOptions> = {}) =>
    verifyLog({ db: ledger.pool, verifier: ledger.keys.verifier, origin: ledger.keys.origin, jobs: 1, chunkBits: 5, ...extra });

  beforeEach(build);

  afterEach(async () => {
    await admin.end();
    await ledger.close();
    await db.drop();
  });

  it('passes an intact log: every hash, chain, root and checkpoint holds', async () => {
    const progress: number[] = [];
    const report = await verify({ onProgress: (done) => progress.push(done) });
    expect(report).toMatchObject({ ok: true, head: 76, events: 76, checkpoints: 4, uncheckpointed: 0, firstBadPosition: null, problems: [] });
    expect(report.latest).toMatchObject({ seq: 4, treeSize: 76 });
    expect(report.streams).toBe(2 + 3 + 13);
    expect(progress.at(-1)).toBe(76);
  });

  it('names the position of an event whose payload was changed', async () => {
    const position = await positionOf('okayama-kaigo-2025/incident');
    await tamper(`UPDATE ledger_events SET canonical = replace(canonical, '"loss"', '"theft"') WHERE position = ${position}`);
    const report = await verify();
    expect(report.ok).toBe(false);
    expect(report.firstBadPosition).toBe(position);
    expect(report.problems[0]).toMatchObject({ position, kind: 'hash-mismatch' });
    expect(report.problems[0]!.message).toMatch(/does not hash to its stored hash/);
    expect(report.problems.map((p) => p.kind)).toContain('root-mismatch');
  });

  it('names the position even when the superuser also recomputed the stored hash', async () => {
    const position = await positionOf('okayama-kaigo-2025/R-1/copied');
    // The stored text changed, and the hash of the text the ledger hashes (the stored text with its metadata columns) recomputed.
    const { stored, full } = await hashedTextOf(admin, position);
    const edit = (text: string): string => text.replace('"DC-OKAYAMA-1"', '"CITY-HALL"');
    expect(edit(stored)).not.toBe(stored);
    await tamper();
    await admin.query('UPDATE ledger_events SET canonical = $1, hash = $2 WHERE position = $3', [edit(stored), leafHash(edit(full)), position]);
    const report = await verify();
    expect(report.firstBadPosition).toBe(position);
    expect(report.problems[0]).toMatchObject({ position, kind: 'leaf-mismatch' });
  });

  it('names the first missing position when an event was deleted', async () => {
    await tamper('DELETE FROM ledger_events WHERE position = 30');
    const report = await verify();
    expect(report.firstBadPosition).toBe(30);
    expect(report.problems[0]).toMatchObject({ position: 30, kind: 'missing-position' });
    expect(report.problems[0]!.message).toMatch(/position 30 is missing \(the next stored row is position 31\)/);
  });

  const swap20and21 = [
    'UPDATE ledger_events SET position = position + 1000000 WHERE position IN (20, 21)',
    'UPDATE ledger_events SET position = CASE position WHEN 1000020 THEN 21 ELSE 20 END WHERE position > 1000000',
  ];

  it('names the first of two swapped events (their stored texts are compact: the position is hashed from its column)', async () => {
    await tamper(...swap20and21);
    const report = await verify();
    expect(report.firstBadPosition).toBe(20);
    expect(report.problems[0]).toMatchObject({ position: 20, kind: 'hash-mismatch' });
    expect(report.problems[0]!.message).toMatch(/with its position, prevHash, recordedAt, stream and version columns/);
  });

  it('given a ledger stored before the compact form (every text the full stored form), then it verifies, and a swap is named as a moved event', async () => {
    await tamper();
    for (let position = 1; position <= 76; position++) {
      const { full } = await hashedTextOf(admin, position);
      await admin.query('UPDATE ledger_events SET canonical = $1 WHERE position = $2', [full, position]);
    }
    expect(await verify()).toMatchObject({ ok: true, events: 76, problems: [] });
    await tamper(...swap20and21);
    const report = await verify();
    expect(report.problems[0]).toMatchObject({ position: 20, kind: 'moved-event' });
    expect(report.problems[0]!.message).toMatch(/holds the event recorded at position 21/);
  });

  it('names a compact row whose recorded_at was moved by less than a millisecond (its text rebuilds the same, the column cannot be what the ledger wrote)', async () => {
    const position = await positionOf('okayama-kaigo-2025/incident');
    await tamper(`UPDATE ledger_events SET recorded_at = recorded_at + interval '1 microsecond' WHERE position = ${position}`);
    const report = await verify();
    expect(report.firstBadPosition).toBe(position);
    expect(report.problems[0]).toMatchObject({ position, kind: 'column-mismatch' });
    expect(report.problems[0]!.message).toMatch(/recorded_at .* digits below the millisecond/);
  });

  it('names the position of an inserted event, even one with a valid hash and its own stream', async () => {
    const { rows } = await admin.query('SELECT recorded_at FROM ledger_events WHERE position = 15');
    const recordedAt = (rows[0].recorded_at as Date).toISOString();
    const forged = {
      eventId: eventId('forged'), type: 'RecordUsed' as const, contractId: 'okayama-kaigo-2025', recordId: 'R-FORGED',
      occurredAt: '2026-04-03T09:00:00+09:00', actor: { org: 'contractor' as const, workerId: 'W-001' }, data: { purpose: 'x' },
    };
    const streamId = 'record-okayama-kaigo-2025-R-FORGED';
    const { canonical, hash } = encodeStoredEvent(forged, { streamId, streamVersion: 0, position: 15, recordedAt, prevHash: null });
    await tamper(
      'UPDATE ledger_events SET position = position + 1000000 WHERE position >= 15',
      'UPDATE ledger_events SET position = position - 1000000 + 1 WHERE position > 1000000',
    );
    await admin.query(
      `INSERT INTO ledger_events (position, event_id, stream_id, stream_version, type, contract_id, record_id, occurred_at, recorded_at, canonical, prev_hash, hash)
       VALUES (15, $1, $2, 0, 'RecordUsed', 'okayama-kaigo-2025', 'R-FORGED', $3, $4, $5, NULL, $6)`,
      [forged.eventId, streamId, forged.occurredAt, recordedAt, canonical, hash],
    );
    const report = await verify();
    expect(report.firstBadPosition).toBe(15);
    expect(report.problems[0]).toMatchObject({ position: 15, kind: 'leaf-mismatch' });
    // The event that was at 15, now at 16: its compact text rebuilt with position 16 no longer hashes to its hash.
    expect(report.problems.find((p) => p.position === 16)).toMatchObject({ kind: 'hash-mismatch' });
  });

  it('names a column that no longer agrees with the hashed event (it would hide the event from its contract)', async () => {
    const position = await positionOf('okayama-kaigo-2025/incident');
    await tamper(`UPDATE ledger_events SET contract_id = 'other-city-contract' WHERE position = ${position}`);
    const report = await verify();
    expect(report.firstBadPosition).toBe(position);
    expect(report.problems[0]).toMatchObject({ kind: 'column-mismatch' });
    expect(report.problems[0]!.message).toBe('column contract_id is "other-city-contract" but the hashed event says "okayama-kaigo-2025"');
  });

  it('names the checkpoint whose row was edited: a changed column, a changed signed text', async () => {
    await tamper(`UPDATE log_checkpoints SET root_hash = sha256('forged'::bytea) WHERE seq = 2`);
    let report = await verify();
    expect(report.firstBadPosition).toBe(52);
    expect(report.problems[0]).toMatchObject({ position: 52, kind: 'checkpoint-columns' });
    expect(report.problems[0]!.message).toMatch(/^checkpoint 52 \(#2\): its tree_size and root_hash columns/);

    await tamper(`UPDATE log_checkpoints SET note = replace(note, E'\\n56\\n', E'\\n55\\n') WHERE seq = 3`);
    report = await verify();
    expect(report.problems.find((p) => p.kind === 'checkpoint-signature')).toMatchObject({ position: 56 });
    expect(report.problems.find((p) => p.kind === 'checkpoint-signature')!.message).toMatch(/checkpoint 56 \(#3\): invalid signature/);
  });

  it('finds a deleted checkpoint and a log cut below its latest checkpoint', async () => {
    await tamper('DELETE FROM log_checkpoints WHERE seq = 2', 'DELETE FROM ledger_events WHERE position > 70');
    const report = await verify();
    expect(report.problems.map((p) => [p.position, p.kind])).toEqual([
      [56, 'checkpoint-order'],
      [71, 'missing-position'],
      [76, 'log-cut'],
    ]);
    expect(report.problems[0]!.message).toMatch(/^checkpoint 56 \(#3\): checkpoint #2 is missing/);
    expect(report.problems[2]!.message).toMatch(/checkpoint 76 \(#4\) signs 76 events but the log ends at position 70: the log was cut/);
  });

  it('fails a log whose every checkpoint was signed by another key', async () => {
    const report = await verify({ verifier: parseVerifierKey(testLogKeys().publicKey) });
    expect(report.ok).toBe(false);
    expect(report.problems[0]).toMatchObject({ position: 14, kind: 'checkpoint-signature' });
    expect(report.problems[0]!.message).toMatch(/not signed by key/);
  });

  it('catches a log cut at its tail with its checkpoints, given a checkpoint the auditor kept', async () => {
    const kept = (await ledger.proofs.latestCheckpoint()).note;
    await tamper('DELETE FROM ledger_events WHERE position > 56', 'DELETE FROM log_checkpoints WHERE seq = 4');
    expect((await verify()).ok).toBe(true);
    const report = await verify({ trustedCheckpoints: [kept] });
    expect(report.ok).toBe(false);
    expect(report.problems[0]).toMatchObject({ position: 57, kind: 'missing-position' });
    expect(report.problems.map((p) => p.kind)).toContain('log-cut');
  });

  it('detects a history rewritten with consistent hashes, chains and tiles by the signed roots alone', async () => {
    // Rewrite every event from position 53 on (a new payload, hashes and chains recomputed), and forge the tiles to match.
    const rows: Array<{ canonical: string }> = [];
    for (let position = 53; position <= 76; position++) rows.push({ canonical: (await hashedTextOf(admin, position)).full });
    const heads = new Map<string, string>();
    const { rows: before } = await admin.query(`SELECT stream_id, encode(hash, 'hex') AS hash FROM ledger_events WHERE position < 53 ORDER BY position`);
    for (const row of before) heads.set(row.stream_id, row.hash);
    await tamper('ALTER TABLE merkle_tiles DISABLE TRIGGER USER');
    for (const row of rows) {
      const event = JSON.parse(row.canonical);
      if (event.position === 60) event.data = { purpose: 'rewritten' };
      event.prevHash = heads.get(event.streamId) ?? null;
      const { canonical } = { canonical: JSON.stringify(Object.fromEntries(Object.entries(event).sort(([a], [b]) => (a < b ? -1 : 1)))) };
      const hash = leafHash(canonical);
      heads.set(event.streamId, hash.toString('hex'));
      await admin.query('UPDATE ledger_events SET canonical = $1, hash = $2, prev_hash = $3 WHERE position = $4', [canonical, hash, event.prevHash === null ? null : Buffer.from(event.prevHash, 'hex'), event.position]);
    }
    await admin.query(`UPDATE merkle_tiles SET hashes = (SELECT string_agg(hash, ''::bytea ORDER BY position) FROM ledger_events WHERE position <= 76) WHERE level = 0 AND idx = 0`);
    const report = await verify();
    expect(report.ok).toBe(false);
    expect(report.problems.every((p) => p.kind === 'root-mismatch' || p.kind === 'checkpoint-consistency')).toBe(true);
    expect(report.problems[0]).toMatchObject({ position: 57, kind: 'root-mismatch' });
    expect(report.problems[0]!.message).toMatch(/an event in positions 57–76 was changed/);
  });

  it('gives the same report on worker threads, each with its own connection, as in one thread', async () => {
    const workerUrl = new URL('../../../../dist/libs/audit/src/verify/verify-worker.js', import.meta.url);
    const parallel = (chunkBits: number) => verify({ jobs: 3, chunkBits, databaseUrl: db.url, workerUrl });
    expect(await parallel(3)).toEqual(await verify({ chunkBits: 3 }));
    const position = await positionOf('okayama-kaigo-2025/incident');
    await tamper(`UPDATE ledger_events SET canonical = replace(canonical, '"loss"', '"theft"') WHERE position = ${position}`, 'DELETE FROM ledger_events WHERE position = 70');
    const inline = await verify({ chunkBits: 4 });
    expect(inline.firstBadPosition).toBe(position);
    expect(inline.problems).toContainEqual(expect.objectContaining({ position: 70, kind: 'missing-position' }));
    expect(await parallel(4)).toEqual(inline);
  });

  it('streams rows with binary COPY: each with its twelve fields, none for an empty range', async () => {
    const positions: number[] = [];
    const count = await copyRows(ledger.pool, 10, 20, (bytes, offsets, lengths) => {
      expect(Array.from(lengths).filter((l) => l === -1).length).toBeLessThanOrEqual(2);
      positions.push(bytes.readInt32BE(offsets[0]!) * 2 ** 32 + bytes.readUInt32BE(offsets[0]! + 4));
    });
    expect(count).toBe(11);
    expect(positions).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
    expect(await copyRows(ledger.pool, 500, 600, () => undefined)).toBe(0);
  });

  it("plans its COPY in a transaction of its own: the caller's connection keeps its settings, after a failure too", async () => {
    const one = new pg.Pool({ connectionString: db.url, max: 1 });
    const settings = async () =>
      (await one.query("SELECT current_setting('enable_sort') AS sort, current_setting('enable_bitmapscan') AS bitmap, current_setting('enable_seqscan') AS seq")).rows[0];
    try {
      expect(await copyRows(one, 1, 76, () => undefined)).toBe(76);
      expect(await settings()).toEqual({ sort: 'on', bitmap: 'on', seq: 'on' });
      await expect(copyRows(one, 1, 76, () => {
        throw new Error('the handler gives up');
      })).rejects.toThrow('the handler gives up');
      expect(await settings()).toEqual({ sort: 'on', bitmap: 'on', seq: 'on' });
      expect((await one.query('SELECT count(*)::int AS n FROM ledger_events')).rows[0].n).toBe(76);
    } finally {
      await one.end();
    }
  });

  it('reports a log with events but no signed checkpoint', async () => {
    await tamper('DELETE FROM log_checkpoints');
    const report = await verify();
    expect(report.problems).toEqual([expect.objectContaining({ position: 1, kind: 'root-unverifiable' })]);
  });

  it('passes a log signed under another key only with that key, and checks a checkpoint given by the auditor', async () => {
    const stranger = generateSignerKey('audit.test.invalid/log');
    const foreign = signCheckpoint({ origin: ledger.keys.origin, size: 13, rootHash: leafHash('x') }, stranger);
    await expect(verify({ trustedCheckpoints: [foreign] })).rejects.toThrow(/does not open with the log's key/);
  });
});
