import pg from 'pg';
import { PostgresEventStore } from '@ledger/event-store';
import { generateSignerKey, leafHash, parseSignerKey, verifierKeyOf } from '@ledger/integrity';
import { recordUsed } from '../../event-store/src/contract/test-events.js';
import { hashedTextOf } from '../../../test/support/stored-rows.js';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import { CheckpointSigner } from './checkpoint-signer.js';
import { IntegrityScrubber } from './integrity-scrubber.js';
import { publicLogKeys } from './log-keys.js';
import { MerkleIntegrator } from './merkle-integrator.js';

const ORIGIN = 'scrubber.test.invalid/log';

describe('the integrity scrubber', () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  let store: PostgresEventStore;

  /** A sealed log of `n` events: appended, integrated into tiles, a checkpoint signed. */
  async function sealedLog(n: number): Promise<void> {
    for (let i = 0; i < n; i += 100) await store.append(Array.from({ length: Math.min(100, n - i) }, (_, j) => recordUsed('c-scrub', `R-${(i + j) % 37}`)));
    await new MerkleIntegrator({ pool, store }).catchUp();
    const signer = parseSignerKey(generateSignerKey(ORIGIN));
    await new CheckpointSigner({ pool, store, keys: { ...publicLogKeys(verifierKeyOf(signer), ORIGIN), signer, source: 'LEDGER_SIGNING_KEY' } }).signIfGrown();
  }

  /** What a database superuser can do behind the ledger's back. */
  async function asSuperuser(sql: string): Promise<void> {
    await pool.query('ALTER TABLE ledger_events DISABLE TRIGGER USER');
    try {
      await pool.query(sql);
    } finally {
      await pool.query('ALTER TABLE ledger_events ENABLE TRIGGER USER');
    }
  }

  const scrubber = (): IntegrityScrubber => new IntegrityScrubber({ pool, store, eventsPerSecond: 100_000, pauseMs: 0, batchBytes: 4_096 });

  beforeEach(async () => {
    db = await createTestDatabase('scrubber');
    pool = new pg.Pool({ connectionString: db.url, max: 4 });
    store = new PostgresEventStore(pool);
    await sealedLog(600);
  });

  afterEach(async () => {
    await store.close();
    await pool.end();
    await db.drop();
  });

  it('finds nothing wrong with an intact log, checking every event up to the latest checkpoint', async () => {
    const subject = scrubber();
    expect(await subject.scrubOnce()).toEqual([]);
    expect((await subject.status()).integrity).toMatchObject({ mismatches: 0, checked: 600, passes: 1, remaining: 0 });
  });

  it('names the position of an event whose content was edited as superuser', async () => {
    await asSuperuser(`UPDATE ledger_events SET canonical = replace(canonical, '"operation"', '"marketing"') WHERE position = 321`);
    const subject = scrubber();
    expect(await subject.scrubOnce()).toEqual([{ position: 321, reason: expect.stringMatching(/does not hash to its stored leaf hash/) }]);
    expect((await subject.status()).integrity).toMatchObject({ mismatches: 1, first: { position: 321 } });
  });

  it('names an event whose content and stored hash were both rewritten, by the Merkle tile that still holds the old leaf', async () => {
    // The stored text edited, and the hash of the text the ledger hashes (the stored text with its metadata columns) recomputed.
    const { stored, full } = await hashedTextOf(pool, 77);
    const edit = (text: string): string => text.replace('"operation"', '"marketing"');
    expect(edit(stored)).not.toBe(stored);
    await asSuperuser(`UPDATE ledger_events SET canonical = '${edit(stored)}', hash = '\\x${leafHash(edit(full)).toString('hex')}' WHERE position = 77`);
    expect(await scrubber().scrubOnce()).toEqual([{ position: 77, reason: expect.stringMatching(/differs from the Merkle log tile/) }]);
  });

  it('names an event whose stored text is no longer an event, and carries on past it', async () => {
    await asSuperuser(`UPDATE ledger_events SET canonical = 'not json' WHERE position = 5`);
    await asSuperuser(`UPDATE ledger_events SET canonical = replace(canonical, '"operation"', '"other"') WHERE position = 500`);
    expect((await scrubber().scrubOnce()).map((f) => f.position)).toEqual([5, 500]);
  });

  it('reports through its status while it runs at its pace, and stops cleanly', async () => {
    await asSuperuser(`UPDATE ledger_events SET canonical = replace(canonical, '"operation"', '"marketing"') WHERE position = 42`);
    const subject = new IntegrityScrubber({ pool, store, eventsPerSecond: 20_000, pauseMs: 50 });
    await subject.start();
    const deadline = Date.now() + 20_000;
    while (((await subject.status()).integrity?.passes ?? 0) < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const status = await subject.status();
    await subject.stop();
    expect(status).toMatchObject({ name: 'integrity-scrubber', state: 'running', integrity: { mismatches: 1, first: { position: 42 } } });
    expect(status.integrity!.passes).toBeGreaterThanOrEqual(2);
    expect((await subject.status()).state).toBe('stopped');
  });
});
