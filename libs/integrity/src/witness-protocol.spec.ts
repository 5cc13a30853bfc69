import { signCheckpoint } from './checkpoint.js';
import { checkQuorum, cosignerVerifierKey, generateCosignerKey, parseCosignatureVerifierKey, parseCosignerKey } from './cosignature.js';
import { hashToBase64, leafHash } from './hashing.js';
import { LogKeyring } from './log-keyring.js';
import { generateSignerKey, verifierKeyOf } from './signed-note.js';
import { TiledMerkleTree } from './tiled-merkle-tree.js';
import { InMemoryTileStore, parseTilePath, partialTileWidth, tilePath } from './tiles.js';
import { decideAddCheckpoint, formatAddCheckpointRequest, parseAddCheckpointRequest, type WitnessedLog } from './witness-protocol.js';

const ORIGIN = 'ledger.example/okayama';
const logKey = generateSignerKey(ORIGIN);
const witnessKey = generateCosignerKey('witness.city.example/w1');
const cosigner = parseCosignerKey(witnessKey);
const witness = parseCosignatureVerifierKey(cosignerVerifierKey(witnessKey));

function logOf(leaves: string[]): { store: InMemoryTileStore; tree: TiledMerkleTree; note: (size: number) => Promise<string> } {
  const store = new InMemoryTileStore();
  store.appendLeaves(leaves.map((l) => leafHash(l)));
  const tree = new TiledMerkleTree(store);
  return { store, tree, note: async (size) => signCheckpoint({ origin: ORIGIN, size, rootHash: await tree.computeRoot(size) }, logKey) };
}

const fresh = (): Map<string, WitnessedLog> =>
  new Map([[ORIGIN, { origin: ORIGIN, keys: new LogKeyring([verifierKeyOf(logKey)], ORIGIN).toJSON(), size: 0, rootHash: null, checkpoint: null }]]);

describe('tlog-witness add-checkpoint (pure decision)', () => {
  const leaves = Array.from({ length: 40 }, (_, i) => `event ${i}`);

  it('formats and parses the request body: old size, proof lines, empty line, checkpoint', async () => {
    const { tree, note } = logOf(leaves);
    const body = formatAddCheckpointRequest({ oldSize: 10, proof: await tree.consistencyProof(10, 40), checkpoint: await note(40) });
    expect(body.startsWith('old 10\n')).toBe(true);
    const parsed = parseAddCheckpointRequest(body);
    expect(parsed.oldSize).toBe(10);
    expect(parsed.proof.map(hashToBase64)).toEqual((await tree.consistencyProof(10, 40)).map(hashToBase64));
    expect(parsed.checkpoint).toBe(await note(40));
    expect(() => parseAddCheckpointRequest('old 010\n\nx')).toThrow('leading zeros');
  });

  it('cosigns a first checkpoint and then a consistent one; the cosignature verifies', async () => {
    const { tree, note } = logOf(leaves);
    const logs = fresh();
    // Given a witness that never saw the log, When it gets size 10 with old 0
    const first = decideAddCheckpoint(formatAddCheckpointRequest({ oldSize: 0, proof: [], checkpoint: await note(10) }), logs, cosigner, 1_700_000_000);
    expect(first.status).toBe(200);
    if (first.status !== 200) return;
    logs.set(ORIGIN, first.log);
    // Then the cosigned checkpoint carries a valid cosignature
    expect(checkQuorum(first.log.checkpoint!, [witness], 1)).toMatchObject({ ok: true });
    // When the log grows to 40 with a valid consistency proof
    const second = decideAddCheckpoint(formatAddCheckpointRequest({ oldSize: 10, proof: await tree.consistencyProof(10, 40), checkpoint: await note(40) }), logs, cosigner, 1_700_000_005);
    // Then it cosigns and remembers size 40
    expect(second).toMatchObject({ status: 200, log: { size: 40 } });
  });

  it('answers 409 with its size to a stale old size, and 409 to a second root for the same size (split view)', async () => {
    const { note } = logOf(leaves);
    const logs = fresh();
    const first = decideAddCheckpoint(formatAddCheckpointRequest({ oldSize: 0, proof: [], checkpoint: await note(10) }), logs, cosigner, 1);
    if (first.status === 200) logs.set(ORIGIN, first.log);
    expect(decideAddCheckpoint(formatAddCheckpointRequest({ oldSize: 0, proof: [], checkpoint: await note(10) }), logs, cosigner, 2)).toMatchObject({ status: 409, size: 10, evidence: false });
    // Given another view of the log with a different 10th event
    const forked = logOf([...leaves.slice(0, 9), 'rewritten', ...leaves.slice(10)]);
    const decision = decideAddCheckpoint(formatAddCheckpointRequest({ oldSize: 10, proof: [], checkpoint: await forked.note(10) }), logs, cosigner, 3);
    expect(decision).toMatchObject({ status: 409, size: 10, evidence: true });
  });

  it('answers 422 to an inconsistent history, 403 to another key, 404 to another log, 400 to old > size', async () => {
    const { note } = logOf(leaves);
    const logs = fresh();
    const first = decideAddCheckpoint(formatAddCheckpointRequest({ oldSize: 0, proof: [], checkpoint: await note(10) }), logs, cosigner, 1);
    if (first.status === 200) logs.set(ORIGIN, first.log);
    const forked = logOf([...leaves.slice(0, 5), 'rewritten', ...leaves.slice(6)]);
    const proof = await forked.tree.consistencyProof(10, 40);
    expect(decideAddCheckpoint(formatAddCheckpointRequest({ oldSize: 10, proof, checkpoint: await forked.note(40) }), logs, cosigner, 2)).toMatchObject({ status: 422, evidence: true });
    const stranger = signCheckpoint({ origin: ORIGIN, size: 40, rootHash: leafHash('x') }, generateSignerKey(ORIGIN));
    expect(decideAddCheckpoint(formatAddCheckpointRequest({ oldSize: 10, proof: [], checkpoint: stranger }), logs, cosigner, 2)).toMatchObject({ status: 403 });
    const other = signCheckpoint({ origin: 'other.example/log', size: 40, rootHash: leafHash('x') }, generateSignerKey('other.example/log'));
    expect(decideAddCheckpoint(formatAddCheckpointRequest({ oldSize: 0, proof: [], checkpoint: other }), logs, cosigner, 2)).toMatchObject({ status: 404 });
    expect(decideAddCheckpoint(formatAddCheckpointRequest({ oldSize: 20, proof: [], checkpoint: await note(10) }), logs, cosigner, 2)).toMatchObject({ status: 400 });
  });
});

describe('tlog-tiles paths', () => {
  it('parses exactly the spellings tilePath writes', () => {
    for (const [level, index, width] of [[0, 0, 256], [0, 1234067, 5], [1, 999, 255], [2, 1000, 1]] as const) {
      expect(parseTilePath(tilePath(level, index, width).slice('tile/'.length))).toEqual({ level, index, width });
    }
    expect(tilePath(0, 1234067)).toBe('tile/0/x001/x234/067');
    for (const bad of ['0/1', '00/000', '0/x000/001', '0/001.p/0', '0/001.p/256', '0/001.p/05', '64/000', 'entries/000', '0/001/002']) {
      expect(parseTilePath(bad)).toBeNull();
    }
  });

  it('computes partial tile widths as the spec example says (size 70,000)', () => {
    expect([0, 1, 2].map((level) => partialTileWidth(70_000, level))).toEqual([112, 17, 1]);
    expect(partialTileWidth(256, 0)).toBe(0);
    expect(partialTileWidth(256, 1)).toBe(1);
  });
});
