import * as b from '../../../handling/src/testing/builders.js';
import { handlingProjection } from '../handling/handling.projection.js';
import { openHarness, type Harness } from '../testing/harness.js';
import type { Projection } from './projection.js';
import { readActiveGeneration, ReadModelsNotReadyError } from './read-active.js';
import { rebuildReadModels } from './rebuild.js';

const handling = handlingProjection as Projection;

describe('readActiveGeneration: one round trip opens a read-only snapshot of the serving generation', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await openHarness('read_active');
  });

  afterAll(async () => {
    await h.close();
  });

  it('given no generation yet, then a reader that can answer from the log reads the empty template, and any other is refused; the connection goes back either way', async () => {
    const empty = await readActiveGeneration(
      h.dataSource,
      async (q) => ({ generation: q.generation, checkpoints: [...q.checkpoints], records: await q.query(`SELECT count(*)::int AS n FROM handling_records`) }),
      { emptyWhenNotBuilt: true },
    );
    expect(empty).toEqual({ generation: { generation: 0, schema: 'read_model_template', status: 'active' }, checkpoints: [], records: [{ n: 0 }] });
    // More refusals than the pool has connections: a connection kept by a refused read would block the last ones.
    for (let i = 0; i < 10; i++) await expect(readActiveGeneration(h.dataSource, async () => 'read')).rejects.toBeInstanceOf(ReadModelsNotReadyError);
  });

  it('given a serving generation, then its tables are on the search_path, its checkpoints come with it, and the snapshot refuses writes', async () => {
    const position = await h.append([b.contract(), b.collected({ record: 'R-1' })].map((d) => d.event));
    const projector = await h.catchUp([handling]);
    await projector.stop();
    const { schema } = await h.active();
    const read = await readActiveGeneration(h.dataSource, async (q) => ({
      schema: q.generation.schema,
      handling: q.checkpoints.get('handling'),
      path: (await q.query<{ path: string }>(`SELECT current_setting('search_path') AS path`))[0]!.path,
      records: (await q.query<{ record_id: string }>(`SELECT record_id FROM handling_records`)).map((r) => r.record_id),
      isolation: (await q.query<{ level: string }>(`SELECT current_setting('transaction_isolation') AS level`))[0]!.level,
    }));
    expect(read).toEqual({ schema, handling: position, path: `${schema}, public`, records: ['R-1'], isolation: 'repeatable read' });
    // TypeORM prints the failed query (console.log): kept here, where it is provoked.
    const printed: unknown[] = [];
    const consoleLog = console.log;
    console.log = (...args: unknown[]) => void printed.push(args);
    try {
      await expect(readActiveGeneration(h.dataSource, (q) => q.query(`DELETE FROM handling_records`))).rejects.toThrow(/read-only transaction/);
    } finally {
      console.log = consoleLog;
    }
    expect(JSON.stringify(printed)).toMatch(/read-only transaction/);
    // The refused write was rolled back with its transaction: the rows are there, and the next read works.
    expect(await readActiveGeneration(h.dataSource, (q) => q.query(`SELECT count(*)::int AS n FROM handling_records`))).toEqual([{ n: 1 }]);
  });
});

describe('prepared statements of a read: planned once per connection, and following the serving generation', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await openHarness('read_prepared');
  });

  afterAll(async () => {
    await h.close();
  });

  it('given a statement prepared on every connection of the pool (past PostgreSQL\'s five custom plans), when a rebuild makes another generation serve, then the same statement reads the new generation\'s tables', async () => {
    await h.append([b.contract(), b.collected({ record: 'R-1' })].map((d) => d.event));
    await (await h.catchUp([handling])).stop();
    const byContract = `SELECT record_id FROM handling_records WHERE contract_id = $1 ORDER BY record_id`;
    const read = (): Promise<{ schema: string; ids: string[]; plain: string[] }> =>
      readActiveGeneration(h.dataSource, async (q) => ({
        schema: q.generation.schema,
        ids: (await q.prepared<{ record_id: string }>(byContract, [b.CONTRACT_ID])).map((r) => r.record_id),
        plain: (await q.query<{ record_id: string }>(byContract, [b.CONTRACT_ID])).map((r) => r.record_id),
      }));
    const first = await h.active();
    // Concurrent reads, so that several connections of the pool prepare it, each more than five times.
    for (let round = 0; round < 8; round++) {
      for (const answer of await Promise.all(Array.from({ length: 6 }, read))) expect(answer).toEqual({ schema: first.schema, ids: ['R-1'], plain: ['R-1'] });
    }
    await h.append([b.collected({ record: 'R-2' })].map((d) => d.event));
    const rebuilt = await rebuildReadModels(h.set([handling]), { batchSize: 997 });
    expect(rebuilt.generation.schema).not.toBe(first.schema);
    for (let round = 0; round < 3; round++) {
      for (const answer of await Promise.all(Array.from({ length: 6 }, read))) {
        expect(answer).toEqual({ schema: rebuilt.generation.schema, ids: ['R-1', 'R-2'], plain: ['R-1', 'R-2'] });
      }
    }
  });

  it('given two statements and then the first again with other values, then each answers its own text with its own values', async () => {
    const answers = await readActiveGeneration(h.dataSource, async (q) => [
      await q.prepared<{ n: number }>(`SELECT $1::int + 1 AS n`, [1]),
      await q.prepared<{ n: number }>(`SELECT $1::int + 2 AS n`, [1]),
      await q.prepared<{ n: number }>(`SELECT $1::int + 1 AS n`, [41]),
    ]);
    expect(answers).toEqual([[{ n: 2 }], [{ n: 3 }], [{ n: 42 }]]);
  });
});
