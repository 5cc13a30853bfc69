import type { LedgerEvent, RecordedEvent } from '@ledger/domain';
import { generateHistory } from '../../../../test/generators/care-insurance-history.js';
import { handlingProjection, HANDLING_TABLES } from '../handling/handling.projection.js';
import { listHoldings } from '../handling/holdings-list.js';
import { openHarness, type Harness } from '../testing/harness.js';
import { checkpoints, findGeneration, listGenerations } from './generations.js';
import type { Projection, ProjectionTransaction } from './projection.js';
import { Projector } from './projector.js';
import { readActiveGeneration } from './read-active.js';
import { rebuildReadModels } from './rebuild.js';

const custody = handlingProjection as Projection;
const CUSTODY_TABLES = HANDLING_TABLES;

/** A realistic history: two contracts, 60 records each, some out of the rules. */
function history(seed: number, recordsPerContract = 60): LedgerEvent[] {
  return [...generateHistory({ seed, contracts: 2, recordsPerContract, violationRate: 0.2, batchSize: 500 })].flat();
}

/** Applies events one by one inside the runner's transaction, and throws on reaching `failAt`. */
class FailingProjection implements Projection {
  readonly name: string;
  readonly tables: readonly string[];
  readonly migrations = [];
  constructor(private readonly inner: Projection, private readonly failAt: number) {
    this.name = inner.name;
    this.tables = inner.tables;
  }
  createCache(): unknown {
    return this.inner.createCache();
  }
  async apply(events: readonly RecordedEvent[], tx: ProjectionTransaction, cache: unknown): Promise<void> {
    const before = events.filter((e) => e.position < this.failAt);
    if (before.length > 0) await this.inner.apply(before, tx, cache);
    if (before.length < events.length) throw new Error(`injected failure at position ${this.failAt}`);
  }
}

/** A second read model (its table added to the template as its migration would): events per type. */
class CountingProjection implements Projection {
  readonly name = 'test_counts';
  readonly tables = ['test_event_counts'];
  readonly migrations = [];
  applied = 0;
  createCache(): null {
    return null;
  }
  async apply(events: readonly RecordedEvent[], tx: ProjectionTransaction): Promise<void> {
    this.applied += events.length;
    const counts = new Map<string, number>();
    for (const e of events) counts.set(e.event.type, (counts.get(e.event.type) ?? 0) + 1);
    await tx.query(
      `INSERT INTO test_event_counts (type, n) SELECT * FROM unnest($1::text[], $2::int[])
       ON CONFLICT (type) DO UPDATE SET n = test_event_counts.n + EXCLUDED.n`,
      [[...counts.keys()], [...counts.values()]],
    );
  }
}

/** Rebuilds into a new generation (an uninterrupted run from position 0) and returns both dumps. */
async function liveAndRebuilt(h: Harness, projections: readonly Projection[] = [custody]) {
  const live = await h.active();
  const liveRows = await h.dump(CUSTODY_TABLES, live);
  const rebuilt = await rebuildReadModels(h.set(projections), { batchSize: 997 });
  return { liveRows, rebuiltRows: await h.dump(CUSTODY_TABLES, rebuilt.generation), rebuilt };
}

describe('projector: follows, resumes, exactly once', () => {
  let h: Harness;
  let now = Date.parse('2026-11-25T00:00:00Z');

  beforeEach(async () => {
    h = await openHarness('projector', { clock: () => now });
  });

  afterEach(async () => {
    await h.close();
  });

  it('catches up, then follows events as they commit, and reports its lag in events and seconds', async () => {
    const events = history(11);
    const first = await h.append(events.slice(0, 500));
    const projector = await h.catchUp([custody], { clock: () => now });
    expect(await projector.status()).toMatchObject({ name: 'projector', state: 'running', position: first, lagEvents: 0, lagSeconds: 0 });
    const head = await h.append(events.slice(500));
    await projector.waitFor(head, 20_000);
    expect((await projector.status()).position).toBe(head);

    await projector.stop();
    now += 1_000;
    await h.append(history(12, 2).slice(0, 10));
    now += 90_000;
    const lagging = await projector.status();
    expect(lagging).toMatchObject({ state: 'stopped', position: head, lagEvents: 10 });
    expect(lagging.lagSeconds).toBeCloseTo(90, 0);
  });

  it('resumes from its checkpoint after a stop, and ends with the tables of an uninterrupted run', async () => {
    const events = history(13);
    await h.append(events.slice(0, 500));
    const first = await h.catchUp([custody], { batchSize: 64 });
    await first.stop();
    await h.append(events.slice(500));
    await h.catchUp([custody], { batchSize: 64 });
    const { liveRows, rebuiltRows } = await liveAndRebuilt(h);
    expect(rebuiltRows).toEqual(liveRows);
    expect(liveRows.handling_holdings!.length).toBeGreaterThan(100);
  });

  it('rolls a failed batch back with its checkpoint (a projection throwing mid-batch), and after a restart yields the uninterrupted tables', async () => {
    const events = history(14);
    const head = await h.append(events);
    const failAt = Math.floor(head / 2) + 7;
    const failing = new Projector(h.set([new FailingProjection(custody, failAt)]), { batchSize: 100, retryDelayMs: 10_000 });
    await failing.start();
    for (let i = 0; i < 200 && (await failing.status()).state !== 'failed'; i++) await new Promise((r) => setTimeout(r, 25));
    const failed = await failing.status();
    await failing.stop();
    expect(failed.error).toContain(`injected failure at position ${failAt}`);
    // The checkpoint stopped before the failed batch, and no row holds anything of that batch.
    const generation = await h.active();
    const checkpoint = (await checkpoints(h.dataSource, generation)).get('handling')!;
    expect(checkpoint).toBeLessThan(failAt);
    expect(checkpoint).toBeGreaterThan(0);
    const [{ max }] = (await h.dataSource.query(
      `SELECT max(max_position) AS max FROM ${generation.schema}.handling_records`,
    )) as [{ max: string }];
    expect(Number(max)).toBeLessThanOrEqual(checkpoint);

    await h.catchUp([custody], { batchSize: 100 });
    const { liveRows, rebuiltRows } = await liveAndRebuilt(h);
    expect(liveRows).toEqual(rebuiltRows);
  });

  it('two projectors on the same generation apply every event once', async () => {
    const events = history(15);
    const head = await h.append(events);
    const a = new Projector(h.set([custody]), { batchSize: 50 });
    const b = new Projector(h.set([custody]), { batchSize: 70 });
    await Promise.all([a.start(), b.start()]);
    await Promise.all([a.waitFor(head), b.waitFor(head)]);
    await Promise.all([a.stop(), b.stop()]);
    const { liveRows, rebuiltRows } = await liveAndRebuilt(h);
    expect(liveRows).toEqual(rebuiltRows);
  });

  it('a projection added later catches up from 0 while the others apply nothing twice', async () => {
    const head = await h.append(history(16));
    await h.catchUp([custody]);
    await h.dataSource.query(`CREATE TABLE read_model_template.test_event_counts (type text PRIMARY KEY, n integer NOT NULL)`);
    const counting = new CountingProjection();
    const both = await h.catchUp([custody, counting]);
    await both.stop();
    expect(counting.applied).toBe(head);
    const generation = await h.active();
    const [{ total }] = (await h.dataSource.query(`SELECT sum(n)::int AS total FROM ${generation.schema}.test_event_counts`)) as [{ total: number }];
    expect(total).toBe(head);
    expect(Object.fromEntries(await checkpoints(h.dataSource, generation))).toEqual({ handling: head, test_counts: head });
    const { liveRows, rebuiltRows } = await liveAndRebuilt(h, [custody, counting]);
    expect(liveRows).toEqual(rebuiltRows);
  });
});

describe('rebuild: fresh tables while the old ones serve, then a switch', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await openHarness('rebuild');
  });

  afterAll(async () => {
    await h.close();
  });

  it('is resumable, serves the old generation until the switch, and the live projector follows the new one', async () => {
    const events = history(21, 150);
    expect(events.length).toBeGreaterThan(1700);
    const projector = await h.catchUp([custody], { batchSize: 200 });
    const head = await h.append(events.slice(0, 1500));
    await projector.waitFor(head);
    const old = await h.active();
    const before = await readActiveGeneration(h.dataSource, (q) => listHoldings(q, { contractId: 'okayama-kaigo-21-1', now: Date.now(), limit: 1000, zone: 'Asia/Tokyo' }));

    // Interrupted after three batches: the new generation stays `building`, the old one serves.
    const stop = new AbortController();
    let batches = 0;
    const interrupted = await rebuildReadModels(h.set([custody]), {
      batchSize: 100,
      signal: stop.signal,
      onProgress: () => {
        if (++batches === 4) stop.abort();
      },
    });
    expect(interrupted).toMatchObject({ switched: false, resumed: false, position: 300 });
    expect((await findGeneration(h.dataSource, 'active'))!.generation).toBe(old.generation);
    expect((await findGeneration(h.dataSource, 'building'))!.generation).toBe(interrupted.generation.generation);
    const during = await readActiveGeneration(h.dataSource, (q) => listHoldings(q, { contractId: 'okayama-kaigo-21-1', now: Date.now(), limit: 1000, zone: 'Asia/Tokyo' }));
    expect(during).toEqual(before);

    // Events keep coming while it runs again; it resumes from its own checkpoint and switches.
    const progress: number[] = [];
    const resumed = await rebuildReadModels(h.set([custody]), { batchSize: 250, onProgress: (p) => progress.push(p.position) });
    expect(resumed).toMatchObject({ switched: true, resumed: true, resumedFrom: 300, position: head });
    expect(progress[0]).toBe(300);
    expect(resumed.generation.generation).toBe(interrupted.generation.generation);
    expect(resumed.replaced!.generation).toBe(old.generation);
    expect(await h.dump(CUSTODY_TABLES, resumed.generation)).toEqual(await h.dump(CUSTODY_TABLES, old));
    const after = await readActiveGeneration(h.dataSource, (q) => listHoldings(q, { contractId: 'okayama-kaigo-21-1', now: Date.now(), limit: 1000, zone: 'Asia/Tokyo' }));
    expect(after).toEqual(before);

    const next = await h.append(events.slice(1500));
    await projector.waitFor(next);
    expect((await projector.status()).generation).toBe(resumed.generation.generation);
    const rebuiltAgain = await rebuildReadModels(h.set([custody]));
    expect(await h.dump(CUSTODY_TABLES, rebuiltAgain.generation)).toEqual(await h.dump(CUSTODY_TABLES, resumed.generation));
    // The generation just replaced is kept; older retired ones are dropped.
    expect(rebuiltAgain.dropped).toEqual([old.schema]);
    expect((await listGenerations(h.dataSource)).map((g) => g.status)).toEqual(['retired', 'active']);
  });
});
