// One PostgreSQL for every integration and e2e test file: DATABASE_URL / LEDGER_TEST_DATABASE_URL
// when given (a server you run), else the embedded one in a fresh folder under the temp dir.
// Plain ESM over the swc build in dist/ (`npm test` builds first): jest loads global setup
// outside its module mapper.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export default async function globalSetup() {
  const given = process.env.LEDGER_TEST_DATABASE_URL || process.env.DATABASE_URL;
  if (given) {
    process.env.LEDGER_TEST_DATABASE_URL = given;
  } else {
    const { EmbeddedPostgres } = await import('../../dist/libs/database/src/index.js');
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'ledger-test-pg-'));
    await fs.chmod(dataDir, 0o755);
    const server = await EmbeddedPostgres.start({ dataDir });
    process.env.LEDGER_TEST_DATABASE_URL = server.url;
    globalThis.__LEDGER_TEST_PG__ = { server, dataDir };
  }
  const client = new pg.Client({ connectionString: process.env.LEDGER_TEST_DATABASE_URL });
  await client.connect();
  const { rows } = await client.query('SHOW server_version');
  await client.end();
  const where = given ? 'the server of LEDGER_TEST_DATABASE_URL/DATABASE_URL' : 'embedded, started for this run';
  console.log(`\n[tests] integration and e2e tests run against a real PostgreSQL ${rows[0].server_version} (${where})`);
}
