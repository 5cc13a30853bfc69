import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js';
import { copyIn } from './copy-in.js';

/** One binary COPY row of a single int4 column (header, tuple, trailer). */
function rowsOfInt(values: number[]): Buffer[] {
  const header = Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)]);
  const tuples = values.map((v) => {
    const t = Buffer.alloc(10);
    t.writeInt16BE(1, 0);
    t.writeInt32BE(4, 2);
    t.writeInt32BE(v, 6);
    return t;
  });
  return [header, ...tuples, Buffer.from([0xff, 0xff])];
}

describe('COPY FROM STDIN of encoded bytes', () => {
  let db: TestDatabase;
  let pool: pg.Pool;

  beforeAll(async () => {
    db = await createTestDatabase('copy_in');
    pool = new pg.Pool({ connectionString: db.url, max: 1 });
    await pool.query('CREATE TABLE copied (x int CHECK (x > 0))');
  });

  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('takes the rows sent in several buffers, runs the statements after it, and counts only the COPY', async () => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const copied = await copyIn(client, `COPY copied (x) FROM STDIN (FORMAT binary); SELECT pg_notify('n', '1'); COMMIT`, rowsOfInt([1, 2, 3]));
      expect(copied).toBe(3);
      expect((await client.query('SELECT count(*)::int AS n FROM copied')).rows[0]).toEqual({ n: 3 });
    } finally {
      client.release();
    }
  });

  it("rejects with PostgreSQL's error when it refuses a row, nothing is kept, and the connection serves the next query", async () => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const refused = await copyIn(client, 'COPY copied (x) FROM STDIN (FORMAT binary); COMMIT', rowsOfInt([4, -1])).then(
        () => null,
        (error: unknown) => error,
      );
      expect(refused).toMatchObject({ code: '23514' });
      await client.query('ROLLBACK');
      expect((await client.query('SELECT count(*)::int AS n FROM copied')).rows[0]).toEqual({ n: 3 });
    } finally {
      client.release();
    }
  });
  it('given a COPY statement that fails before it reads any data (no such table), when the data went with it, then PostgreSQL skips the data, the promise rejects, and the connection serves the next COPY', async () => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const refused = await copyIn(client, 'COPY no_such_table (x) FROM STDIN (FORMAT binary); COMMIT', rowsOfInt([7, 8, 9])).then(
        () => null,
        (error: unknown) => error,
      );
      expect(refused).toMatchObject({ code: '42P01' });
      await client.query('ROLLBACK');
      // The skipped CopyData and CopyDone left nothing behind on the connection.
      expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      await client.query('BEGIN');
      expect(await copyIn(client, 'COPY copied (x) FROM STDIN (FORMAT binary); COMMIT', rowsOfInt([10]))).toBe(1);
      expect((await client.query('SELECT count(*)::int AS n FROM copied WHERE x >= 7')).rows[0]).toEqual({ n: 1 });
    } finally {
      client.release();
    }
  });

  it('given more data than a socket buffer holds (200,000 rows in 1,000 buffers), then every row arrives', async () => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('CREATE TEMP TABLE many (x int) ON COMMIT DROP');
      const values = Array.from({ length: 200_000 }, (_, i) => i + 1);
      const [header, ...rest] = rowsOfInt(values);
      const trailer = rest.pop()!;
      const buffers: Buffer[] = [header!];
      for (let i = 0; i < rest.length; i += 200) buffers.push(Buffer.concat(rest.slice(i, i + 200)));
      buffers.push(trailer);
      expect(await copyIn(client, 'COPY many (x) FROM STDIN (FORMAT binary)', buffers)).toBe(200_000);
      expect((await client.query('SELECT count(*)::int AS n, sum(x)::bigint AS s FROM many')).rows[0]).toEqual({ n: 200_000, s: String((200_000 * 200_001) / 2) });
      await client.query('COMMIT');
    } finally {
      client.release();
    }
  });
});
