import pg from 'pg';
import {
  CompactRange,
  TILE_WIDTH,
  TiledMerkleTree,
  changedTiles,
  checkConsistency,
  checkInclusion,
  generateSignerKey,
  hashFromBase64,
  hashFromHex,
  leafHash,
  merkleRoot,
  openCheckpoint,
} from '@ledger/integrity';
import { EventStoreDbEventStore, PostgresEventStore, encodeStoredEvent } from '@ledger/event-store';
import { EventStoreDbEmulator } from '../../event-store/src/eventstoredb/testing/eventstoredb-emulator.js';
import { recordUsed } from '../../event-store/src/contract/test-events.js';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import { CheckpointSigner } from './checkpoint-signer.js';
import { LogIntegrityError, NoCheckpointError, TreeSizeError } from './errors.js';
import { publicLogKeys, type LogKeys } from './log-keys.js';
import { LogProofs } from './log-proofs.js';
import { MerkleIntegrator } from './merkle-integrator.js';
import { PostgresTileStore } from './postgres-tile-store.js';
import { inTransaction } from './queryable.js';
import { readTreeState } from './tree-state.js';
import { parseSignerKey, verifierKeyOf } from '@ledger/integrity';

function keysOf(signerKey: string, origin = 'test.invalid/log'): LogKeys {
  const signer = parseSignerKey(signerKey);
  return { ...publicLogKeys(verifierKeyOf(signer), origin), signer, source: 'LEDGER_SIGNING_KEY' };
}

async function allLeaves(store: PostgresEventStore): Promise<Buffer[]> {
  const leaves: Buffer[] = [];
  for (;;) {
    const page = await store.readAll({ after: leaves.length, limit: 1000 });
    if (page.length === 0) return leaves;
    leaves.push(...page.map((e) => hashFromHex(e.hash)));
  }
}

describe('the Merkle log in PostgreSQL', () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  let store: PostgresEventStore;
  const keys = keysOf(generateSignerKey('test.invalid/log'));

  beforeAll(async () => {
    db = await createTestDatabase('merkle_log');
    pool = new pg.Pool({ connectionString: db.url, max: 4 });
    store = new PostgresEventStore(pool, { pollIntervalMs: 50 });
  });

  afterAll(async () => {
    await store.close();
    await pool.end();
    await db.drop();
  });

  describe('tiles', () => {
    let tilesDb: TestDatabase;
    let tilesPool: pg.Pool;

    beforeAll(async () => {
      tilesDb = await createTestDatabase('merkle_tiles');
      tilesPool = new pg.Pool({ connectionString: tilesDb.url, max: 2 });
    });

    afterAll(async () => {
      await tilesPool.end();
      await tilesDb.drop();
    });

    it('stores the tiles of appended batches and serves the same roots and proofs as the reference tree', async () => {
      const range = CompactRange.empty();
      const leaves = Array.from({ length: 700 }, (_, i) => leafHash(`leaf ${i}`));
      for (const batch of [leaves.slice(0, 1), leaves.slice(1, 300), leaves.slice(300, 513), leaves.slice(513)]) {
        await inTransaction(tilesPool, (client) => new PostgresTileStore(client).writeTiles(changedTiles(range.appendAll(batch))));
      }
      const tree = new TiledMerkleTree(new PostgresTileStore(tilesPool));
      for (const size of [1, 2, 255, 256, 257, 512, 513, 700]) {
        expect((await tree.computeRoot(size)).equals(merkleRoot(leaves.slice(0, size)))).toBe(true);
      }
      const root = merkleRoot(leaves);
      for (const index of [0, 255, 256, 699]) {
        expect(checkInclusion(index, 700, leaves[index]!, await tree.inclusionProof(index, 700), root)).toEqual({ valid: true });
      }
      expect(checkConsistency(300, 700, await tree.consistencyProof(300, 700), merkleRoot(leaves.slice(0, 300)), root)).toEqual({ valid: true });
      const { rows } = await tilesPool.query('SELECT level, idx, width FROM merkle_tiles ORDER BY level, idx');
      expect(rows.map((r) => [r.level, Number(r.idx), r.width])).toEqual([[0, 0, 256], [0, 1, 256], [0, 2, 188], [1, 0, 2]]);
    });

    it('accepts a re-applied update and refuses a gap or a different hash for a stored position (a fork)', async () => {
      const stored = new PostgresTileStore(tilesPool);
      const [tile] = await stored.readTiles([{ level: 0, index: 2, width: 1 }]).then((m) => [...m.values()]);
      const same = { level: 0, index: 2, offset: 10, width: 12, hashes: tile!.slice(10, 12) };
      await expect(inTransaction(tilesPool, (c) => new PostgresTileStore(c).writeTiles([same]))).resolves.toBeUndefined();
      const fork = { ...same, hashes: [leafHash('other'), tile![11]!] };
      await expect(inTransaction(tilesPool, (c) => new PostgresTileStore(c).writeTiles([fork]))).rejects.toThrow(/conflicts with the stored hash at position 10/);
      const gap = { level: 0, index: 2, offset: 200, width: 201, hashes: [leafHash('x')] };
      await expect(inTransaction(tilesPool, (c) => new PostgresTileStore(c).writeTiles([gap]))).rejects.toThrow(/starts at 200 but the tile holds only 188/);
    });

    it('has the database refuse to change a stored hash, shrink a tile or delete one', async () => {
      await expect(tilesPool.query(`UPDATE merkle_tiles SET hashes = overlay(hashes PLACING '\\x00'::bytea FROM 1) WHERE level = 0 AND idx = 0`)).rejects.toThrow(/may only grow/);
      await expect(tilesPool.query(`UPDATE merkle_tiles SET width = 1, hashes = substring(hashes FROM 1 FOR 32) WHERE level = 0 AND idx = 2`)).rejects.toThrow(/may only grow/);
      await expect(tilesPool.query('DELETE FROM merkle_tiles')).rejects.toThrow(/append-only: DELETE refused/);
      await expect(tilesPool.query('TRUNCATE merkle_tiles')).rejects.toThrow(/append-only: TRUNCATE refused/);
    });
  });

  describe('integrator, signer and proofs', () => {
    let integrator: MerkleIntegrator;
    let signer: CheckpointSigner;
    const proofs = () => new LogProofs(pool, store);

    beforeAll(() => {
      integrator = new MerkleIntegrator({ pool, store, batchSize: 7 });
      signer = new CheckpointSigner({ pool, store, keys, intervalMs: 60_000 });
    });

    afterAll(async () => {
      await integrator.stop();
      await signer.stop();
    });

    it('answers "no checkpoint yet" on an empty log and signs nothing', async () => {
      await expect(proofs().latestCheckpoint()).rejects.toBeInstanceOf(NoCheckpointError);
      expect(await signer.signIfGrown()).toBeNull();
    });

    it('follows the log as events arrive, in batches, and its root is the RFC 6962 root of the stored hashes', async () => {
      await integrator.start();
      for (let i = 0; i < 5; i++) await store.append(Array.from({ length: 9 }, (_, j) => recordUsed('c-merkle', `R-${(i * 9 + j) % 4}`)));
      await waitFor(async () => (await readTreeState(pool)).size === 45);
      const state = await readTreeState(pool);
      expect(state.rootHash.equals(merkleRoot(await allLeaves(store)))).toBe(true);
      expect((await integrator.status()).lagEvents).toBe(0);
    });

    it('signs a checkpoint when the tree has grown, verifiable with the public key, and none when it has not', async () => {
      const first = await signer.signIfGrown();
      expect(first).not.toBeNull();
      const opened = openCheckpoint(first!.note, keys.publicKey, 'test.invalid/log');
      expect(opened.size).toBe(45);
      expect(opened.rootHash.equals(merkleRoot(await allLeaves(store)))).toBe(true);
      expect(await signer.signIfGrown()).toBeNull();
    });

    it('resumes after a restart from its stored state, and the next checkpoint is consistent with the previous one', async () => {
      await integrator.stop();
      await store.append(Array.from({ length: 20 }, (_, j) => recordUsed('c-merkle', `R-${j}`)));
      const restarted = new MerkleIntegrator({ pool, store, batchSize: 6 });
      await restarted.start();
      await waitFor(async () => (await readTreeState(pool)).size === 65);
      await restarted.stop();
      const second = await signer.signIfGrown();
      const leaves = await allLeaves(store);
      expect(second!.treeSize).toBe(65);
      const answer = await proofs().consistencyProof(45, 65);
      expect(checkConsistency(45, 65, answer.proof.map(hashFromBase64), merkleRoot(leaves.slice(0, 45)), second!.rootHash)).toEqual({ valid: true });
      expect(answer.checkpoints.from).not.toBeNull();
      expect(answer.checkpoints.to).toBe(second!.note);
    });

    it('serves an inclusion proof for an eventId that verifies against the signed root', async () => {
      const [event] = await store.readAll({ after: 30, limit: 1 });
      const answer = await proofs().inclusionProof(event!.event.eventId);
      const checkpoint = openCheckpoint(answer.checkpoint!, keys.publicKey);
      expect(answer).toMatchObject({ position: 31, leafIndex: 30, treeSize: 65, leafHash: event!.hash });
      expect(checkInclusion(30, 65, hashFromHex(answer.leafHash), answer.proof.map(hashFromBase64), checkpoint.rootHash)).toEqual({ valid: true });
      const older = await proofs().inclusionProof(event!.event.eventId, 45);
      expect(older.treeSize).toBe(45);
      expect(checkInclusion(30, 45, hashFromHex(older.leafHash), older.proof.map(hashFromBase64), openCheckpoint(older.checkpoint!, keys.publicKey).rootHash).valid).toBe(true);
    });

    it('answers clear errors for an unknown eventId and tree sizes it cannot serve', async () => {
      const [event] = await store.readAll({ after: 40, limit: 1 });
      await expect(proofs().inclusionProof('00000000-0000-4000-8000-000000000000')).rejects.toThrow(/not in the ledger/);
      await expect(proofs().inclusionProof(event!.event.eventId, 40)).rejects.toThrow(/treeSize must be at least 41/);
      await expect(proofs().inclusionProof(event!.event.eventId, 1_000)).rejects.toThrow(TreeSizeError);
      await expect(proofs().consistencyProof(0, 10)).rejects.toThrow(/from must be at least 1/);
      await expect(proofs().consistencyProof(20, 10)).rejects.toThrow(/must not be greater/);
      await expect(proofs().consistencyProof(10, 66)).rejects.toThrow(/beyond the Merkle log, which holds 65/);
    });

    it('computes many inclusion proofs in batches that all verify', async () => {
      const leaves = await allLeaves(store);
      const root = merkleRoot(leaves);
      const indexes = leaves.map((_, i) => i);
      const all = await proofs().inclusionProofs(indexes, leaves.length, 16);
      expect(all.every((proof, i) => checkInclusion(i, leaves.length, leaves[i]!, proof, root).valid)).toBe(true);
    });

    it('keeps every checkpoint: the database refuses to update or delete one', async () => {
      await expect(pool.query(`UPDATE log_checkpoints SET tree_size = 1`)).rejects.toThrow(/append-only: UPDATE refused/);
      await expect(pool.query(`DELETE FROM log_checkpoints`)).rejects.toThrow(/append-only: DELETE refused/);
      const { rows } = await pool.query('SELECT tree_size FROM log_checkpoints ORDER BY seq');
      expect(rows.map((r) => Number(r.tree_size))).toEqual([45, 65]);
    });

    it('refuses to sign a tree that is not consistent with the previous checkpoint, and reports it failed', async () => {
      const forkDb = await createTestDatabase('merkle_fork');
      const forkPool = new pg.Pool({ connectionString: forkDb.url, max: 2 });
      const forkStore = new PostgresEventStore(forkPool);
      try {
        await forkStore.append(Array.from({ length: 10 }, (_, i) => recordUsed('c-fork', `R-${i}`)));
        const forkIntegrator = new MerkleIntegrator({ pool: forkPool, store: forkStore });
        await forkIntegrator.catchUp();
        const forkSigner = new CheckpointSigner({ pool: forkPool, store: forkStore, keys, intervalMs: 50 });
        await forkSigner.signIfGrown();
        // A superuser rewrites history below the checkpoint and rebuilds the tiles and state to match.
        await forkPool.query(`ALTER TABLE merkle_tiles DISABLE TRIGGER USER`);
        await forkPool.query(`DELETE FROM merkle_tiles`);
        const forged = CompactRange.empty();
        const leaves = Array.from({ length: 12 }, (_, i) => leafHash(`forged ${i}`));
        await inTransaction(forkPool, (c) => new PostgresTileStore(c).writeTiles(changedTiles(forged.appendAll(leaves))));
        await forkPool.query(`UPDATE merkle_log_state SET tree_size = 12, frontier = $1, root_hash = $2`, [Buffer.concat(forged.hashes()), forged.root()]);
        await expect(forkSigner.signIfGrown()).rejects.toThrow(/not consistent with checkpoint 10 \(#1\)/);
        // Running as a worker, it stops in `failed` with the reason, and does not retry.
        await forkSigner.start();
        for (let i = 0; i < 100 && (await forkSigner.status()).state !== 'failed'; i++) await new Promise((r) => setTimeout(r, 20));
        const status = await forkSigner.status();
        await forkSigner.stop();
        expect(status.state).toBe('failed');
        expect(status.error).toMatch(/not consistent with checkpoint 10 \(#1\)/);
        const { rows } = await forkPool.query('SELECT count(*)::int AS n FROM log_checkpoints');
        expect(rows[0].n).toBe(1);
      } finally {
        await forkStore.close();
        await forkPool.end();
        await forkDb.drop();
      }
    });

    it('refuses to integrate an event whose stored content does not hash to its stored hash', async () => {
      const badDb = await createTestDatabase('merkle_bad_event');
      const badPool = new pg.Pool({ connectionString: badDb.url, max: 2 });
      const badStore = new PostgresEventStore(badPool);
      try {
        await badStore.append([recordUsed('c-bad', 'R-1'), recordUsed('c-bad', 'R-2')]);
        await badPool.query(`ALTER TABLE ledger_events DISABLE TRIGGER USER`);
        await badPool.query(`UPDATE ledger_events SET canonical = replace(canonical, '"operation"', '"marketing"') WHERE position = 2`);
        const bad = new MerkleIntegrator({ pool: badPool, store: badStore });
        await expect(bad.catchUp()).rejects.toThrow(LogIntegrityError);
        await expect(bad.catchUp()).rejects.toThrow(/refusing to integrate position 2/);
        expect((await readTreeState(badPool)).size).toBe(0);
      } finally {
        await badStore.close();
        await badPool.end();
        await badDb.drop();
      }
    });

    it('integrates a log held in EventStoreDB (emulated), reading it only through the port; tiles stay in PostgreSQL', async () => {
      const esdbDb = await createTestDatabase('merkle_esdb');
      const esdbPool = new pg.Pool({ connectionString: esdbDb.url, max: 2 });
      const esdb = new EventStoreDbEventStore(new EventStoreDbEmulator().client());
      await esdb.open();
      try {
        for (let i = 0; i < 3; i++) await esdb.append(Array.from({ length: 40 }, (_, j) => recordUsed('c-esdb', `R-${(i * 40 + j) % 9}`)));
        const fromEsdb = new MerkleIntegrator({ pool: esdbPool, store: esdb, batchSize: 25 });
        await fromEsdb.start();
        await waitFor(async () => (await readTreeState(esdbPool)).size === 120);
        await fromEsdb.stop();
        const leaves: Buffer[] = [];
        for (let after = 0; ; ) {
          const page = await esdb.readAll({ after, limit: 50 });
          if (page.length === 0) break;
          leaves.push(...page.map((e) => hashFromHex(e.hash)));
          after = page[page.length - 1]!.position;
        }
        expect((await readTreeState(esdbPool)).rootHash.equals(merkleRoot(leaves))).toBe(true);
        const signed = await new CheckpointSigner({ pool: esdbPool, store: esdb, keys }).signIfGrown();
        expect(signed!.treeSize).toBe(120);
      } finally {
        await esdb.close();
        await esdbPool.end();
        await esdbDb.drop();
      }
    });

    it('writes a full tile once it holds 256 leaves, and a leaf tile matches the stored hashes', async () => {
      const before = (await readTreeState(pool)).size;
      await store.append(Array.from({ length: TILE_WIDTH - before + 3 }, (_, j) => recordUsed('c-merkle', `R-${j % 7}`)));
      await integrator.catchUp();
      const [tile] = [...(await new PostgresTileStore(pool).readTiles([{ level: 0, index: 0, width: 256 }])).values()];
      const leaves = await allLeaves(store);
      expect(tile!.length).toBe(256);
      expect(tile!.every((hash, i) => hash.equals(leaves[i]!))).toBe(true);
      const [first] = await store.readAll({ after: 0, limit: 1 });
      const { canonical } = encodeStoredEvent(first!.event, { ...first!, prevHash: first!.prevHash });
      expect(leafHash(canonical).equals(tile![0]!)).toBe(true);
    });
  });
});

async function waitFor(predicate: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!(await predicate())) {
    if (Date.now() - started > timeoutMs) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}
