import * as b from '../../../handling/src/testing/builders.js';
import { handlingProjection } from '../handling/handling.projection.js';
import { openHarness, type Harness } from '../testing/harness.js';
import type { Projection } from './projection.js';
import { readActiveGeneration, ReadModelsNotReadyError } from './read-active.js';

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
