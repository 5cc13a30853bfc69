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
});
