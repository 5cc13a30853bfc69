import pg from 'pg';
import { merkleRoot } from '@ledger/integrity';
import type { RecordedEvent } from '@ledger/domain';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import { recordUsed, workerBriefed } from './contract/test-events.js';
import { compareLogs, copyLog, CopyLogError } from './copy-log.js';
import type { EventStore } from './event-store.port.js';
import { EventStoreDbEventStore } from './eventstoredb/eventstoredb-event-store.js';
import { EventStoreDbEmulator } from './eventstoredb/testing/eventstoredb-emulator.js';
import { PostgresEventStore } from './postgres/postgres-event-store.js';

interface Opened {
  store: PostgresEventStore;
  pool: pg.Pool;
  setClock(ms: number): void;
}

function open(db: TestDatabase, start = Date.parse('2026-04-01T00:00:00Z')): Opened {
  let now = start;
  const pool = new pg.Pool({ connectionString: db.url, max: 4 });
  return { store: new PostgresEventStore(pool, { clock: () => now }), pool, setClock: (ms) => (now = ms) };
}

async function everything(store: EventStore): Promise<RecordedEvent[]> {
  const all: RecordedEvent[] = [];
  for (;;) {
    const page = await store.readAll({ after: all.at(-1)?.position ?? 0, limit: 500 });
    if (page.length === 0) return all;
    all.push(...page);
  }
}

describe('copying an event log through the port (PostgreSQL to PostgreSQL)', () => {
  const dbs: TestDatabase[] = [];
  const handles: Opened[] = [];
  let source: Opened;

  beforeAll(async () => {
    const db = await createTestDatabase('copy_src');
    dbs.push(db);
    source = open(db);
    handles.push(source);
    // A history with many commits: several streams, contract events, concurrent appends that
    // share one commit (and one recordedAt), and a clock that stalls and goes backwards.
    let t = Date.parse('2026-04-01T00:00:00Z');
    for (let round = 0; round < 30; round++) {
      t += round % 5 === 0 ? 0 : round % 7 === 0 ? -60_000 : 1_500;
      source.setClock(t);
      await Promise.all([
        source.store.append([recordUsed('c-copy', `R-${round % 6}`), recordUsed('c-copy', `R-${(round + 1) % 6}`)]),
        source.store.append([workerBriefed('c-copy', `W-${round}`)]),
        source.store.append(Array.from({ length: 1 + (round % 4) }, (_, i) => recordUsed(`c-other-${round % 3}`, `R-${i}`))),
      ]);
    }
  });

  afterAll(async () => {
    for (const h of handles) {
      await h.store.close();
      await h.pool.end();
    }
    for (const db of dbs) await db.drop();
  });

  it('copies in order, resumes after an interruption, and ends with the same leaves and Merkle root', async () => {
    const db = await createTestDatabase('copy_dst');
    dbs.push(db);
    const target = open(db, 0);
    handles.push(target);
    const sourceHead = await source.store.headPosition();
    expect(sourceHead).toBeGreaterThan(100);

    const stop = new AbortController();
    let calls = 0;
    const first = await copyLog({
      source: source.store,
      target: target.store,
      setTargetClock: target.setClock,
      batchSize: 16,
      signal: stop.signal,
      onProgress: () => {
        if (++calls === 4) stop.abort();
      },
    });
    expect(first.complete).toBe(false);
    const interruptedAt = await target.store.headPosition();
    expect(interruptedAt).toBeGreaterThan(0);
    expect(interruptedAt).toBeLessThan(sourceHead);

    const progress: number[] = [];
    const second = await copyLog({
      source: source.store,
      target: target.store,
      setTargetClock: target.setClock,
      batchSize: 16,
      onProgress: (done) => progress.push(done),
    });
    expect(second).toMatchObject({ resumedFrom: interruptedAt, copied: sourceHead - interruptedAt, sourceHead, complete: true });
    expect(progress[0]).toBe(interruptedAt);
    expect(progress.at(-1)).toBe(sourceHead);
    expect(second.comparison).toMatchObject({ leaves: sourceHead, firstMismatch: null, identical: true });

    const ours = await everything(source.store);
    const theirs = await everything(target.store);
    expect(theirs).toEqual(ours); // events, streams, versions, positions, recordedAt, prevHash, hashes
    const reference = merkleRoot(ours.map((e) => Buffer.from(e.hash, 'hex'))).toString('hex');
    expect(second.comparison!.sourceRoot).toBe(reference);
    expect(second.comparison!.targetRoot).toBe(reference);

    const again = await copyLog({ source: source.store, target: target.store, setTargetClock: target.setClock });
    expect(again).toMatchObject({ copied: 0, complete: true, comparison: { identical: true } });
  });

  it('refuses a target that is not a prefix of the source, and the comparison names the first difference', async () => {
    const db = await createTestDatabase('copy_bad');
    dbs.push(db);
    const target = open(db);
    handles.push(target);
    await target.store.append([recordUsed('c-copy', 'R-0')]);
    await expect(copyLog({ source: source.store, target: target.store, setTargetClock: target.setClock })).rejects.toBeInstanceOf(CopyLogError);
    const comparison = await compareLogs(source.store, target.store, 3);
    expect(comparison).toMatchObject({ firstMismatch: 1, identical: false });
    expect(comparison.targetRoot).not.toBe(comparison.sourceRoot);
  });

  it('copies into the EventStoreDB adapter (over the emulator) with the same Merkle root', async () => {
    let now = 0;
    const target = new EventStoreDbEventStore(new EventStoreDbEmulator().client(), { clock: () => now });
    await target.open();
    const report = await copyLog({ source: source.store, target, setTargetClock: (ms) => (now = ms), batchSize: 50 });
    expect(report.comparison).toMatchObject({ identical: true, firstMismatch: null });
    expect(await everything(target)).toEqual(await everything(source.store));
    await target.close();
  });
});
