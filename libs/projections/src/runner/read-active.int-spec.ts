import { ConnectionLostError, isDatabaseUnavailable } from '@ledger/database';
import * as b from '../../../handling/src/testing/builders.js';
import { handlingProjection } from '../handling/handling.projection.js';
import { useHarness } from '../testing/harness.js';
import type { Projection } from './projection.js';
import { readActiveGeneration, readActiveOnce, ReadModelsNotReadyError } from './read-active.js';
import { rebuildReadModels } from './rebuild.js';

const handling = handlingProjection as Projection;

describe('readActiveGeneration: one round trip opens a read-only snapshot of the serving generation', () => {
  const h = useHarness('read_active');

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

  it('given its backend terminated after the first query (TypeORM then releases the runner by itself), then the read fails as the database being unavailable (a 503), not as a released runner (a 500), and the next read works', async () => {
    const failure = await readActiveGeneration(
      h.dataSource,
      async (q) => {
        const [{ pid }] = await q.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        await h.pool.query('SELECT pg_terminate_backend($1)', [pid]);
        const runner = q.manager.queryRunner!;
        for (let i = 0; i < 200 && !runner.isReleased; i++) await new Promise((resolve) => setTimeout(resolve, 10));
        expect(runner.isReleased).toBe(true);
        return q.query('SELECT 1');
      },
      { emptyWhenNotBuilt: true },
    ).then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ConnectionLostError);
    expect(isDatabaseUnavailable(failure)).toBe(true);
    expect(String((failure as Error).cause)).toMatch(/QueryRunnerAlreadyReleasedError|released/);
    expect(await readActiveGeneration(h.dataSource, (q) => q.query('SELECT 1 AS one'), { emptyWhenNotBuilt: true })).toEqual([{ one: 1 }]);
  });
});

describe('streamLength: a stream\'s number of events read by the opening, in its snapshot', () => {
  const h = useHarness('read_stream_length');

  it('given a contract stream of two events, then 2; another stream, 0; a name with quotes is a literal, not SQL; without the option, null', async () => {
    await h.append([b.contract(), b.collected({ record: 'R-1' })].map((d) => d.event));
    await h.append([b.ended()].map((d) => d.event));
    const length = (stream?: string) =>
      readActiveGeneration(h.dataSource, async (q) => q.streamLength, { emptyWhenNotBuilt: true, ...(stream === undefined ? {} : { streamLength: stream }) });
    expect(await length(`contract-${b.CONTRACT_ID}`)).toBe(2);
    expect(await length('contract-no-such')).toBe(0);
    expect(await length(`contract-x'; DROP TABLE public.ledger_events; --`)).toBe(0);
    expect(await length()).toBeNull();
    expect(await length(`contract-${b.CONTRACT_ID}`)).toBe(2);
    // The same count in readActiveOnce's pipeline, before its statement.
    const once = await readActiveOnce<{ n: number }>(h.dataSource, `SELECT $1::int AS n`, [7], { streamLength: `contract-${b.CONTRACT_ID}` });
    expect({ streamLength: once.streamLength, rows: once.rows }).toEqual({ streamLength: 2, rows: [{ n: 7 }] });
    expect((await readActiveOnce(h.dataSource, `SELECT $1::int AS n`, [7])).streamLength).toBeNull();
  });
});

describe('readActiveOnce\'s prepared statement: planned once per connection, and following the serving generation', () => {
  const h = useHarness('read_prepared');

  it('given a statement prepared on every connection of the pool (past PostgreSQL\'s five custom plans), when a rebuild makes another generation serve, then the same statement reads the new generation\'s tables', async () => {
    await h.append([b.contract(), b.collected({ record: 'R-1' })].map((d) => d.event));
    await (await h.catchUp([handling])).stop();
    const byContract = `SELECT record_id FROM handling_records WHERE contract_id = $1 ORDER BY record_id`;
    const read = async (): Promise<{ schema: string; ids: string[]; plain: string[] }> => {
      const once = await readActiveOnce<{ record_id: string }>(h.dataSource, byContract, [b.CONTRACT_ID]);
      return {
        schema: once.generation.schema,
        ids: once.rows.map((r) => r.record_id),
        plain: (await readActiveGeneration(h.dataSource, (q) => q.query<{ record_id: string }>(byContract, [b.CONTRACT_ID]))).map((r) => r.record_id),
      };
    };
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
    const answers = [
      (await readActiveOnce<{ n: number }>(h.dataSource, `SELECT $1::int + 1 AS n`, [1])).rows,
      (await readActiveOnce<{ n: number }>(h.dataSource, `SELECT $1::int + 2 AS n`, [1])).rows,
      (await readActiveOnce<{ n: number }>(h.dataSource, `SELECT $1::int + 1 AS n`, [41])).rows,
    ];
    expect(answers).toEqual([[{ n: 2 }], [{ n: 3 }], [{ n: 42 }]]);
  });
});

describe('readActiveOnce: the opening, one prepared statement and the COMMIT in one round trip', () => {
  const h = useHarness('read_once');

  /** What PostgreSQL says of the connection the pool hands out next (one connection: the pool's first idle one). */
  const session = (): Promise<{ prepared: string[] }> =>
    readActiveGeneration(h.dataSource, async (q) => ({
      prepared: (await q.query<{ statement: string }>(`SELECT statement FROM pg_prepared_statements WHERE name LIKE 'rm_%' ORDER BY statement`)).map((r) => r.statement),
    }));

  it('given no generation yet, then the statement reads the template\'s empty tables and the generation says so', async () => {
    const read = await readActiveOnce<{ n: number }>(h.dataSource, `SELECT count(*)::int AS n FROM handling_records WHERE contract_id = $1`, [b.CONTRACT_ID]);
    expect(read).toEqual({ generation: { generation: 0, schema: 'read_model_template', status: 'active' }, checkpoints: new Map(), streamLength: null, rows: [{ n: 0 }] });
  });

  it('given a serving generation, then the statement reads its tables in a read-only repeatable-read snapshot, with the checkpoints of that snapshot, typed as node-pg types them', async () => {
    const position = await h.append([b.contract(), b.collected({ record: 'R-1' }), b.collected({ record: 'R-2' })].map((d) => d.event));
    await (await h.catchUp([handling])).stop();
    const { schema } = await h.active();
    const read = await readActiveOnce<{ ids: string[]; n: number; big: string; flag: boolean; path: string; isolation: string; readOnly: string; json: unknown }>(
      h.dataSource,
      `SELECT array_agg(record_id ORDER BY record_id) AS ids, count(*)::int AS n, 9007199254740993::bigint AS big, true AS flag,
              current_setting('search_path') AS path, current_setting('transaction_isolation') AS isolation,
              current_setting('transaction_read_only') AS "readOnly", json_build_array($2::text, 1) AS json
         FROM handling_records WHERE contract_id = $1 AND record_id = ANY($3::text[])`,
      [b.CONTRACT_ID, 'ア', ['R-1', 'R-2', 'R-9']],
    );
    expect(read.generation.schema).toBe(schema);
    expect(read.checkpoints.get('handling')).toBe(position);
    expect(read.rows).toEqual([{ ids: ['R-1', 'R-2'], n: 2, big: '9007199254740993', flag: true, path: `${schema}, public`, isolation: 'repeatable read', readOnly: 'on', json: ['ア', 1] }]);
    // The transaction was committed: the connection is idle again, not in a transaction.
    const after = await readActiveGeneration(h.dataSource, (q) => q.query<{ n: number }>(`SELECT count(*)::int AS n FROM handling_records`));
    expect(after).toEqual([{ n: 2 }]);
  });

  it('given the same statement read many times on several connections at once, then it is parsed once per connection (no "already exists")', async () => {
    const sql = `SELECT record_id FROM handling_records WHERE contract_id = $1 AND record_id = $2`;
    for (let i = 0; i < 20; i++) {
      const [one, two] = await Promise.all([
        readActiveOnce<{ record_id: string }>(h.dataSource, sql, [b.CONTRACT_ID, 'R-1']),
        readActiveOnce<{ record_id: string }>(h.dataSource, sql, [b.CONTRACT_ID, 'R-2']),
      ]);
      expect(one.rows).toEqual([{ record_id: 'R-1' }]);
      expect(two.rows).toEqual([{ record_id: 'R-2' }]);
    }
    // Every connection that ran it holds it once (PostgreSQL refuses a second Parse of a name: none was sent).
    for (let i = 0; i < 4; i++) {
      const { prepared } = await session();
      expect(prepared.filter((text) => text === sql).length).toBeLessThanOrEqual(1);
    }
  });

  it('given a statement that fails when it runs, then the error is PostgreSQL\'s, the transaction is rolled back and the next reads work on every connection', async () => {
    const sql = `SELECT 1 / $1::int AS n`;
    const printed: string[] = [];
    const consoleLog = console.log;
    console.log = (line: string) => void printed.push(line);
    try {
      for (let i = 0; i < 12; i++) {
        await expect(readActiveOnce(h.dataSource, sql, [0])).rejects.toThrow(/division by zero/);
        expect((await readActiveOnce<{ n: number }>(h.dataSource, sql, [1])).rows).toEqual([{ n: 1 }]);
      }
    } finally {
      console.log = consoleLog;
    }
    // Each failure logged as the data source logs a failed query: one line, the statement, no parameter.
    expect(printed).toEqual(Array.from({ length: 12 }, () => 'query failed: division by zero -- SELECT 1 / $1::int AS n -- 1 parameter, not logged'));
    // No connection of the pool was left inside a transaction (aborted or not).
    const open = await h.dataSource.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state LIKE 'idle in transaction%'`,
    );
    expect(open).toEqual([{ n: 0 }]);
  });

  it('given a statement PostgreSQL cannot parse, then its error is thrown, and neither side believes the name prepared: the next statements run', async () => {
    for (let i = 0; i < 6; i++) {
      await expect(readActiveOnce(h.dataSource, `SELEC 1 AS n WHERE $1::int = 1`, [1])).rejects.toThrow(/syntax error/);
      await expect(readActiveOnce(h.dataSource, `SELECT * FROM no_such_table WHERE $1::int = 1`, [1])).rejects.toThrow(/no_such_table/);
    }
    expect((await readActiveOnce<{ n: number }>(h.dataSource, `SELECT $1::int + 1 AS n`, [1])).rows).toEqual([{ n: 2 }]);
    // A value node-pg cannot send (bind fails before anything leaves): refused, and the connection still works.
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    await expect(readActiveOnce(h.dataSource, `SELECT $1::jsonb AS j`, [circular])).rejects.toThrow();
    expect((await readActiveOnce<{ n: number }>(h.dataSource, `SELECT $1::int + 2 AS n`, [1])).rows).toEqual([{ n: 3 }]);
  });
});
