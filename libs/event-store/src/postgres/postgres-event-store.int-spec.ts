import pg from 'pg';
import { InvalidEventsError, type RecordedEvent } from '@ledger/domain';
import { leafHash, spliceMetadata } from '@ledger/integrity';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js';
import { describeEventStoreContract } from '../contract/event-store.contract.js';
import { recordUsed, workerBriefed } from '../contract/test-events.js';
import { PostgresEventStore, STORED_FORM_BYTES, type PostgresEventStoreOptions } from './postgres-event-store.js';

async function openStore(url: string, options: PostgresEventStoreOptions = {}): Promise<{ store: PostgresEventStore; pool: pg.Pool }> {
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  return { store: new PostgresEventStore(pool, { pollIntervalMs: 200, ...options }), pool };
}

describeEventStoreContract('PostgreSQL', async () => {
  const db = await createTestDatabase('store_contract');
  const handles: Array<{ store: PostgresEventStore; pool: pg.Pool }> = [await openStore(db.url)];
  return {
    store: handles[0]!.store,
    another: async () => {
      const handle = await openStore(db.url);
      handles.push(handle);
      return handle.store;
    },
    dispose: async () => {
      for (const h of handles) {
        await h.store.close();
        await h.pool.end();
      }
      await db.drop();
    },
  };
});

describe('the PostgreSQL event log', () => {
  let db: TestDatabase;
  let admin: pg.Client;

  beforeAll(async () => {
    db = await createTestDatabase('store_pg');
    admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
  });

  afterAll(async () => {
    await admin.end();
    await db.drop();
  });

  it('refuses UPDATE, DELETE and TRUNCATE of events, even to its owner', async () => {
    const { store, pool } = await openStore(db.url);
    await store.append([recordUsed('c-immutable', 'R-1')]);
    await expect(admin.query(`UPDATE ledger_events SET type = 'RecordCopied'`)).rejects.toThrow(/append-only: UPDATE refused/);
    await expect(admin.query(`DELETE FROM ledger_events`)).rejects.toThrow(/append-only: DELETE refused/);
    await expect(admin.query(`TRUNCATE ledger_events`)).rejects.toThrow(/append-only: TRUNCATE refused/);
    expect((await admin.query('SELECT count(*)::int AS n FROM ledger_events')).rows[0].n).toBeGreaterThan(0);
    await store.close();
    await pool.end();
  });

  it('refuses a second event at the same stream version even from a writer that bypasses the store', async () => {
    const { store, pool } = await openStore(db.url);
    const [appended] = await store.append([recordUsed('c-unique', 'R-1')]);
    const insert = admin.query(
      `INSERT INTO ledger_events (position, event_id, stream_id, stream_version, type, contract_id, occurred_at, recorded_at, canonical, hash)
       VALUES ($1, gen_random_uuid(), $2, 0, 'RecordUsed', 'c-unique', now(), now(), '{}', '\\x00')`,
      [1_000_000, appended!.streamId],
    );
    await expect(insert).rejects.toThrow(/ledger_events_stream_version/);
    await store.close();
    await pool.end();
  });

  it('commits appenders in position order: a slow commit holds back later appenders, so no reader ever skips one', async () => {
    let releaseSlow!: () => void;
    let slowStarted!: () => void;
    const slowCommitReached = new Promise<void>((reached) => {
      slowStarted = reached;
    });
    const slow = await openStore(db.url, {
      beforeCommit: () =>
        new Promise<void>((resolve) => {
          slowStarted();
          releaseSlow = resolve;
        }),
    });
    const fast = await openStore(db.url);
    const start = await fast.store.headPosition();

    const observed: number[] = [];
    let reading = true;
    const reader = (async () => {
      let cursor = start;
      while (reading || cursor < start + 3) {
        const page: RecordedEvent[] = await fast.store.readAll({ after: cursor, limit: 100 });
        for (const e of page) observed.push(e.position);
        if (page.length > 0) cursor = page[page.length - 1]!.position;
        await new Promise((r) => setTimeout(r, 5));
      }
    })();

    const slowAppend = slow.store.append([recordUsed('c-order', 'R-slow')]);
    await slowCommitReached;
    let fastDone = false;
    const fastAppend = fast.store.append([recordUsed('c-order', 'R-a'), recordUsed('c-order', 'R-b')]).then((r) => {
      fastDone = true;
      return r;
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(fastDone).toBe(false); // waits behind the uncommitted slow transaction
    expect(observed).toEqual([]);
    releaseSlow();
    const [slowResult] = await slowAppend;
    const fastResult = await fastAppend;
    reading = false;
    await reader;
    expect(slowResult!.position).toBe(start + 1);
    expect(fastResult.map((r) => r.position)).toEqual([start + 2, start + 3]);
    expect(observed).toEqual([start + 1, start + 2, start + 3]);
    for (const h of [slow, fast]) {
      await h.store.close();
      await h.pool.end();
    }
  });

  it('stores in every column what PostgreSQL itself reads from the stored text, and the text with those columns spliced back hashes to the stored hash (binary COPY)', async () => {
    const { store, pool } = await openStore(db.url);
    const odd = ['2026-04-01T09:00:00.0000025+09:00', '2026-04-01T09:00:00.999999999-05:30', '0050-03-01T00:00:00Z', '2026-02-28T23:59:59.5Z'];
    await store.append([
      ...odd.map((occurredAt, i) => ({ ...recordUsed('c-columns', `R-${i}`, '運用保守 "quoted" \\ back'), occurredAt })),
      workerBriefed('c-columns', 'W-9'),
      recordUsed('c-columns', 'R-0'),
    ]);
    const { rows } = await admin.query(
      `SELECT count(*)::int AS n,
              count(*) FILTER (WHERE occurred_at = (canonical::jsonb->>'occurredAt')::timestamptz
                                 AND event_id = (canonical::jsonb->>'eventId')::uuid
                                 AND type = canonical::jsonb->>'type'
                                 AND contract_id = canonical::jsonb->>'contractId'
                                 AND record_id IS NOT DISTINCT FROM canonical::jsonb->>'recordId'
                                 AND NOT canonical::jsonb ?| array['position', 'prevHash', 'recordedAt', 'streamId', 'streamVersion'])::int AS same
         FROM ledger_events WHERE contract_id = 'c-columns'`,
    );
    expect(rows[0]).toEqual({ n: 6, same: 6 });
    // The hashed text is the stored text with the metadata columns, as PostgreSQL gives them back, spliced in.
    const stored = await admin.query<{ canonical: string; hash: Buffer; position: string; stream_id: string; stream_version: number; recorded_at: Date; prev_hash: Buffer | null; bytes: number }>(
      `SELECT canonical, hash, position, stream_id, stream_version, recorded_at, prev_hash, ${STORED_FORM_BYTES}::int AS bytes
         FROM ledger_events WHERE contract_id = 'c-columns' ORDER BY position`,
    );
    for (const row of stored.rows) {
      const meta = { position: Number(row.position), streamId: row.stream_id, streamVersion: row.stream_version, recordedAt: row.recorded_at.toISOString(), prevHash: row.prev_hash?.toString('hex') ?? null };
      const full = spliceMetadata(row.canonical, meta)!;
      expect(leafHash(full).equals(row.hash)).toBe(true);
      // What a read's byte budget counts for the row (readAll's maxBytes) is the full form's size.
      expect(row.bytes).toBe(Buffer.byteLength(full));
    }
    expect(rows[0]).toEqual({ n: 6, same: 6 });
    await store.close();
    await pool.end();
  });

  it('appends and chains streams whose IDs hold quotes, backslashes and commas (the state query takes them as literals)', async () => {
    const { store, pool } = await openStore(db.url);
    const contract = `c-'q"b\\,{x}`;
    const events = [recordUsed(contract, 'R-1'), recordUsed(contract, `R-'2"\\`)];
    const first = await store.append(events);
    const again = await store.append([events[0]!, recordUsed(contract, 'R-1'), recordUsed(contract, `R-'2"\\`)]);
    expect(again.map((a) => [a.status, a.streamVersion])).toEqual([['duplicate', 0], ['appended', 1], ['appended', 1]]);
    expect((await store.readStream(again[2]!.streamId)).map((e) => e.prevHash)).toEqual([null, first[1]!.hash]);
    await store.close();
    await pool.end();
  });

  it('keeps recordedAt from going backwards when the clock does', async () => {
    let now = Date.parse('2030-01-01T00:00:00Z');
    const { store, pool } = await openStore(db.url, { clock: () => now });
    const [a] = await store.append([recordUsed('c-clock', 'R-1')]);
    now -= 3_600_000;
    const [b] = await store.append([recordUsed('c-clock', 'R-1')]);
    expect(b!.recordedAt).toBe(a!.recordedAt);
    await store.close();
    await pool.end();
  });

  it('fails only the request whose value PostgreSQL refuses when it shares a group commit, with a 4xx-class error and no database text', async () => {
    const logged: string[] = [];
    const { store, pool } = await openStore(db.url, { log: (line) => logged.push(line) });
    const head = await store.headPosition();
    // The first append holds the writer, so the next ones queue up and share one transaction.
    const first = store.append([recordUsed('c-poison', 'R-0')]);
    const valid = Array.from({ length: 20 }, (_, i) => store.append([recordUsed('c-poison', `R-${i + 1}`)]));
    // Year 0 passes no validation of the wire (1900–2200); a store caller bypassing it is what this guards.
    const poison = store.append([{ ...recordUsed('c-poison', 'R-poison'), occurredAt: '0000-01-01T00:00:00Z' }]);
    const more = Array.from({ length: 20 }, (_, i) => store.append([recordUsed('c-poison', `R-${i + 21}`)]));
    await first;
    const results = await Promise.allSettled([...valid, ...more]);
    expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
    const refused = await poison.then(() => null, (error: unknown) => error);
    expect(refused).toBeInstanceOf(InvalidEventsError);
    expect((refused as InvalidEventsError).message + JSON.stringify((refused as InvalidEventsError).problems)).not.toMatch(/date\/time|out of range|22008/);
    expect(logged.join('\n')).toMatch(/22008|out of range/);
    expect(await store.headPosition()).toBe(head + 41);
    await store.close();
    await pool.end();
  });
});
