import fs from 'node:fs/promises';

export default async function globalTeardown() {
  const started = globalThis.__LEDGER_TEST_PG__;
  if (!started) return;
  await started.server.stop();
  await fs.rm(started.dataDir, { recursive: true, force: true });
}
