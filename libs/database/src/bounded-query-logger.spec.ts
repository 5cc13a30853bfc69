import { BoundedQueryLogger, LOGGED_QUERY_CHARS } from './bounded-query-logger.js';

describe('BoundedQueryLogger: a failed query as one bounded line, never its parameters', () => {
  const logged = (): { lines: string[]; logger: BoundedQueryLogger } => {
    const lines: string[] = [];
    return { lines, logger: new BoundedQueryLogger((line) => lines.push(line)) };
  };

  it('given a failed statement with a batch of documents as parameters, then one line names the error and the statement, and no parameter reaches the log', () => {
    const { lines, logger } = logged();
    const documents = JSON.stringify(Array.from({ length: 5_000 }, (_, i) => ({ record: `R-${i}`, worker: `W-${i}` })));
    logger.logQueryError(new Error('terminating connection due to unexpected postmaster exit'), `INSERT INTO handling_records\n  SELECT * FROM json_populate_recordset(NULL::handling_records, $1)`, [documents, 42]);
    expect(lines).toEqual(['query failed: terminating connection due to unexpected postmaster exit -- INSERT INTO handling_records SELECT * FROM json_populate_recordset(NULL::handling_records, $1) -- 2 parameters, not logged']);
  });

  it('given a statement and an error longer than the bound, then both are cut and the line stays bounded', () => {
    const { lines, logger } = logged();
    logger.logQueryError('x'.repeat(10_000), `SELECT ${'a, '.repeat(10_000)}1`);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.length).toBeLessThan(3 * LOGGED_QUERY_CHARS);
    expect(lines[0]).toMatch(/… \(30008 characters\)$/);
  });

  it('logs nothing else: queries that succeed, slow queries, schema and migration messages', () => {
    const { lines, logger } = logged();
    logger.logQuery('SELECT 1', []);
    logger.logQuerySlow();
    logger.logSchemaBuild();
    logger.logMigration();
    logger.log();
    expect(lines).toEqual([]);
  });
});
