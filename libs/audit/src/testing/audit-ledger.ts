import pg from 'pg';
import type { LedgerEvent } from '@ledger/domain';
import { PostgresEventStore } from '@ledger/event-store';
import { generateSignerKey, parseSignerKey, verifierKeyOf } from '@ledger/integrity';
import { CheckpointSigner, LogProofs, MerkleIntegrator, publicLogKeys, type LogKeys } from '@ledger/merkle-log';

export const TEST_ORIGIN = 'audit.test.invalid/log';

/** Log keys from a signer key string (tests make their own instead of reading a data directory). */
export function testLogKeys(signerKey = generateSignerKey(TEST_ORIGIN), origin = TEST_ORIGIN): LogKeys {
  const signer = parseSignerKey(signerKey);
  return { ...publicLogKeys(verifierKeyOf(signer), origin), signer, source: 'LEDGER_SIGNING_KEY' };
}

/** A ledger on a test database: the real store, integrator and signer, driven step by step. */
export interface AuditLedger {
  readonly pool: pg.Pool;
  readonly store: PostgresEventStore;
  readonly keys: LogKeys;
  readonly proofs: LogProofs;
  /** Sets the ledger clock (recordedAt of the next appends). */
  setClock(iso: string): void;
  /** Appends, integrates everything and signs a checkpoint: returns its tree size. */
  appendAndSeal(events: readonly LedgerEvent[]): Promise<number>;
  close(): Promise<void>;
}

export async function openAuditLedger(url: string, keys: LogKeys = testLogKeys()): Promise<AuditLedger> {
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  // An idle connection closed by the server (a test database dropped) is not a test failure.
  pool.on('error', () => undefined);
  let now = Date.parse('2026-05-10T00:00:00Z');
  const store = new PostgresEventStore(pool, { clock: () => now });
  const integrator = new MerkleIntegrator({ pool, store });
  const signer = new CheckpointSigner({ pool, store, keys });
  return {
    pool,
    store,
    keys,
    proofs: new LogProofs(pool, store),
    setClock(iso) {
      now = Date.parse(iso);
    },
    async appendAndSeal(events) {
      if (events.length > 0) await store.append(events);
      const size = await integrator.catchUp();
      await signer.signIfGrown();
      return size;
    },
    async close() {
      await store.close();
      await pool.end();
    },
  };
}
