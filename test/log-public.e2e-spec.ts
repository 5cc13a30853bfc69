import {
  TILE_WIDTH,
  TiledMerkleTree,
  hashToBase64,
  leafHash,
  openCheckpoint,
  partialTileWidth,
  tileKey,
  tilePath,
  type TileReader,
  type TileRequest,
} from '@ledger/integrity';
import { createMerkleLogWorkers } from '@ledger/runtime';
import { CONTRACT, fillerBatch, firstBatch } from '../libs/audit/src/testing/audit-scenario.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * The public log surface as a standard tile client sees it: no credentials, the checkpoint as
 * text/plain, tiles at C2SP tlog-tiles paths; proofs computed from the tiles alone must equal the
 * API's. And the city-wide auditor's view of every leaf by position.
 */
describe('public log: checkpoint and tiles without credentials; entries for city-wide auditors', () => {
  let app: TestApp;
  let publicKey: string;
  const SIZE = 3 * TILE_WIDTH + 45; // full and partial level-0 tiles, a partial level-1 tile

  beforeAll(async () => {
    app = await startTestApp('log_public', { config: { checkpointIntervalMs: 100 }, workers: (runtime) => createMerkleLogWorkers(runtime, () => undefined) });
    publicKey = (await app.request('GET', '/v1/log/public-key')).body.publicKey;
    const events = [...firstBatch(), ...fillerBatch(SIZE).map((e) => ({ ...e, contractId: CONTRACT }))].slice(0, SIZE);
    expect((await app.request('POST', '/v1/events', { role: 'feed', body: { events } })).status).toBe(201);
    for (let i = 0; i < 400; i++) {
      const answer = await fetch(`${app.url}/v1/log/checkpoint`);
      if (answer.status === 200 && (await answer.text()).split('\n')[1] === String(SIZE)) break;
      await new Promise((r) => setTimeout(r, 50));
    }
  });

  afterAll(() => app.close());

  it('serves the latest checkpoint as text/plain without credentials, briefly cacheable; JSON on request', async () => {
    const response = await fetch(`${app.url}/v1/log/checkpoint`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('public, max-age=2');
    const note = await response.text();
    expect(openCheckpoint(note, publicKey).size).toBe(SIZE);
    const json = await app.request('GET', '/v1/log/checkpoint', { headers: { accept: 'application/json' } });
    expect(json.body).toMatchObject({ treeSize: SIZE, note, cosignatures: [] });
  });

  it('lets a client compute an inclusion proof from the public tiles alone: the same proof as the API', async () => {
    // Given only the checkpoint and the tiles a tile client fetches for that size
    const note = await (await fetch(`${app.url}/v1/log/checkpoint`)).text();
    const checkpoint = openCheckpoint(note, publicKey);
    const fetched: string[] = [];
    const reader: TileReader = {
      async readTiles(requests: readonly TileRequest[]) {
        const tiles = new Map<string, Buffer[]>();
        for (const { level, index } of requests) {
          // The tile as the checkpoint implies it: full, or the partial width of its size.
          const full = (index + 1) * TILE_WIDTH ** (level + 1) <= checkpoint.size;
          const path = tilePath(level, index, full ? TILE_WIDTH : partialTileWidth(checkpoint.size, level));
          fetched.push(path);
          const response = await fetch(`${app.url}/v1/log/${path}`);
          expect(response.status).toBe(200);
          const bytes = Buffer.from(await response.arrayBuffer());
          tiles.set(tileKey(level, index), Array.from({ length: bytes.length / 32 }, (_, i) => bytes.subarray(i * 32, i * 32 + 32)));
        }
        return tiles;
      },
    };
    const tree = new TiledMerkleTree(reader);
    // Then its root is the signed root, and its proofs are the API's
    expect((await tree.computeRoot(checkpoint.size)).equals(checkpoint.rootHash)).toBe(true);
    for (const position of [1, 200, TILE_WIDTH + 1, SIZE]) {
      const entry = (await app.request('GET', `/v1/log/entries?from=${position}&limit=1`, { role: 'auditor' })).body.entries[0];
      const api = (await app.request('GET', `/v1/log/inclusion-proof?eventId=${JSON.parse(entry.canonical).eventId}&treeSize=${SIZE}`, { role: 'auditor' })).body;
      const mine = await tree.inclusionProof(position - 1, checkpoint.size);
      expect(mine.map(hashToBase64)).toEqual(api.proof);
    }
    expect(fetched).toEqual(expect.arrayContaining(['tile/0/000', 'tile/0/003.p/45', 'tile/1/000.p/3']));
  });

  it('serves full and partial tiles with long-lived caching; refuses malformed paths and tiles beyond the log', async () => {
    const full = await fetch(`${app.url}/v1/log/tile/0/001`);
    expect(full.status).toBe(200);
    expect(full.headers.get('content-type')).toBe('application/octet-stream');
    expect(full.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(Buffer.from(await full.arrayBuffer())).toHaveLength(8192);
    const partial = Buffer.from(await (await fetch(`${app.url}/v1/log/tile/0/003.p/45`)).arrayBuffer());
    expect(partial).toHaveLength(45 * 32);
    // A narrower partial tile is a prefix of a wider one (hashes never change)
    const narrow = Buffer.from(await (await fetch(`${app.url}/v1/log/tile/0/003.p/7`)).arrayBuffer());
    expect(narrow.equals(partial.subarray(0, 7 * 32))).toBe(true);
    // The first hash of tile 0/000 is the leaf hash of position 1
    const entry = (await app.request('GET', '/v1/log/entries?from=1&limit=1', { role: 'auditor' })).body.entries[0];
    const tile0 = Buffer.from(await (await fetch(`${app.url}/v1/log/tile/0/000`)).arrayBuffer());
    expect(tile0.subarray(0, 32).equals(leafHash(entry.canonical))).toBe(true);
    expect((await fetch(`${app.url}/v1/log/tile/0/003`)).status).toBe(404);
    const bad = await app.request('GET', '/v1/log/tile/0/3');
    expect(bad.body).toMatchObject({ statusCode: 400, code: 'LEDGER.INVALID_REQUEST', errors: [{ field: 'path', rule: 'tilePath' }] });
    expect((await app.request('GET', '/v1/log/tile/entries/000')).status).toBe(400);
  });

  it('gives city-wide auditors every leaf by position, each text hashing to its leaf; others get 401/403', async () => {
    const page = await app.request('GET', '/v1/log/entries?from=1&limit=100', { role: 'auditor' });
    expect(page.status).toBe(200);
    expect(page.body.entries).toHaveLength(100);
    expect(page.body.next).toBe(101);
    for (const entry of page.body.entries) expect(leafHash(entry.canonical).toString('hex')).toBe(entry.leafHash);
    expect(page.body.entries.map((e: any) => e.position)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    const last = await app.request('GET', `/v1/log/entries?from=${SIZE}&limit=100`, { role: 'auditor' });
    expect(last.body).toMatchObject({ next: null });
    expect((await app.request('GET', '/v1/log/entries')).status).toBe(401);
    expect((await app.request('GET', '/v1/log/entries', { role: 'officer' })).status).toBe(403);
    expect((await app.request('GET', '/v1/log/entries?from=0', { role: 'auditor' })).body).toMatchObject({ statusCode: 400, errors: [{ field: 'from', rule: 'integerRange' }] });
  });

  it('puts the field of every 4xx of the log endpoints under errors[], like the rest of the API', async () => {
    const tooLarge = await app.request('GET', `/v1/log/consistency-proof?from=1&to=${SIZE + 10}`, { role: 'auditor' });
    expect(tooLarge.body).toMatchObject({ statusCode: 400, code: 'LEDGER.TREE_SIZE_UNAVAILABLE', errors: [{ index: null, field: 'to', rule: 'treeSize' }] });
    expect(tooLarge.body.details).toBeUndefined();
    const missing = await app.request('GET', `/v1/log/checkpoint?treeSize=${SIZE + 10}`);
    expect(missing.body).toMatchObject({ statusCode: 400, errors: [{ field: 'treeSize' }] });
    const unknown = await app.request('GET', '/v1/log/inclusion-proof?eventId=00000000-0000-4000-8000-000000000000', { role: 'auditor' });
    expect(unknown.body).toMatchObject({ statusCode: 404, errors: [{ field: 'eventId', rule: 'known' }] });
  });
});

describe('public log: rate limit per client address', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp('log_rate', { config: { publicRateLimit: 3 } });
  });

  afterAll(() => app.close());

  it('answers 429 with Retry-After beyond the limit on the public endpoints only', async () => {
    for (let i = 0; i < 3; i++) expect((await fetch(`${app.url}/v1/log/public-key`)).status).toBe(200);
    const limited = await fetch(`${app.url}/v1/log/checkpoint`);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited.json()).toMatchObject({ statusCode: 429, code: 'LEDGER.RATE_LIMITED' });
    expect((await app.request('GET', '/v1/log/checkpoints', { role: 'auditor' })).status).toBe(200);
  });
});
