import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrateLedger } from '@ledger/runtime';

export interface TestDatabase {
  readonly url: string;
  readonly name: string;
  drop(): Promise<void>;
}

/** The PostgreSQL server the run shares (test/support/global-setup.mjs). */
export function testServerUrl(): string {
  const url = process.env.LEDGER_TEST_DATABASE_URL;
  if (!url) throw new Error('LEDGER_TEST_DATABASE_URL is not set: run the tests with `npm test` (jest global setup)');
  return url;
}

/** A fresh, migrated database on the shared server, so test files never see each other's events. */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const name = `t_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase().slice(0, 30)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: testServerUrl() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(testServerUrl());
  url.pathname = `/${name}`;
  await migrateLedger(url.toString());
  return {
    url: url.toString(),
    name,
    async drop() {
      const client = new pg.Client({ connectionString: testServerUrl() });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
