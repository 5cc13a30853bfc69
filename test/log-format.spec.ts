import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { bodyDigest, digestText, serializeBundle, statementText, verifyBundle, BUNDLE_FORMAT, BUNDLE_VERSION, type BundleBody } from '@ledger/audit';
import { TreeSizeError } from '@ledger/merkle-log';
import { encodeStoredEvent } from '@ledger/event-store';
import type { LedgerEvent } from '@ledger/domain';
import {
  TiledMerkleTree,
  InMemoryTileStore,
  addSignatures,
  cosign,
  cosignedMessage,
  cosignerVerifierKey,
  formatAddCheckpointRequest,
  formatCheckpoint,
  hashToBase64,
  hashToHex,
  keyRotationLine,
  parseSignerKey,
  leafHash,
  parseCosignatureVerifierKey,
  signCheckpoint,
  signNote,
  splitNote,
  tilePath,
  verifierKeyOf,
} from '@ledger/integrity';
import { errorAnswer } from '../apps/ledger-api/src/http/ledger-exception.filter.js';

/**
 * docs/log-format.md's worked examples, recomputed from the inputs the document itself gives
 * (keys, events, a time) with the ledger's own code: the document cannot drift from what the
 * ledger does. After a deliberate format change, regenerate them with
 * UPDATE_LOG_FORMAT_EXAMPLES=1 and review the diff.
 */
const DOC = path.resolve('docs/log-format.md');
const BLOCK = /<!-- example:([a-z0-9-]+) -->\n```[a-z]*\n([\s\S]*?)```\n/g;

function blocks(text: string): Map<string, string> {
  return new Map([...text.matchAll(BLOCK)].map((m) => [m[1]!, m[2]!]));
}

/** Everything the document shows, computed from its inputs. */
async function computeAll(input: Map<string, string>): Promise<Map<string, string>> {
  const logKey = input.get('log-signing-key')!.trim();
  const nextKey = input.get('next-log-signing-key')!.trim();
  const witnessKey = input.get('witness-signing-key')!.trim();
  const time = Number(input.get('cosignature-time')!.trim());
  const origin = input.get('origin')!.trim();
  const stored = JSON.parse(input.get('events')!) as Array<{ event: LedgerEvent; streamId: string; streamVersion: number; position: number; recordedAt: string }>;

  const out = new Map<string, string>();
  out.set('log-public-key', `${verifierKeyOf(logKey)}\n`);
  out.set('witness-public-key', `${cosignerVerifierKey(witnessKey)}\n`);

  // Leaves: the stored event (producer's event + metadata, prevHash chaining each stream), RFC 8785, SHA-256(0x00 ‖ text).
  const previous = new Map<string, string>();
  const leaves = stored.map(({ event, streamId, streamVersion, position, recordedAt }) => {
    const { canonical, hash } = encodeStoredEvent(event, { streamId, streamVersion, position, recordedAt, prevHash: previous.get(streamId) ?? null });
    previous.set(streamId, hashToHex(hash));
    return { position, canonical, hash };
  });
  out.set('stored-events', leaves.map((l) => `${l.canonical}\n`).join(''));
  out.set('leaf-hashes', leaves.map((l) => `${hashToHex(l.hash)}\n`).join(''));
  // The first leaf hash once more, with nothing but SHA-256, as a third party would compute it.
  const manual = createHash('sha256').update(Buffer.from([0])).update(leaves[0]!.canonical, 'utf8').digest();
  expect(manual.equals(leafHash(leaves[0]!.canonical))).toBe(true);

  const tiles = new InMemoryTileStore();
  const root = tiles.appendLeaves(leaves.map((l) => l.hash));
  const tree = new TiledMerkleTree(tiles);
  const size = leaves.length;
  const checkpoint = signCheckpoint({ origin, size, rootHash: root }, logKey);
  out.set('checkpoint', checkpoint);
  const text = splitNote(checkpoint).text;
  out.set('cosigned-message', cosignedMessage(text, time).toString('utf8'));
  const cosigned = addSignatures(checkpoint, [cosign(text, witnessKey, time)]);
  out.set('cosigned-checkpoint', cosigned);

  const proof = await tree.inclusionProof(1, size);
  out.set('inclusion-proof', `${JSON.stringify({ leafIndex: 1, treeSize: size, leafHash: hashToHex(leaves[1]!.hash), proof: proof.map(hashToBase64) }, null, 2)}\n`);
  out.set('checkpoint-older', signCheckpoint({ origin, size: size - 1, rootHash: await tree.computeRoot(size - 1) }, logKey));
  out.set('add-checkpoint-request', formatAddCheckpointRequest({ oldSize: size - 1, proof: await tree.consistencyProof(size - 1, size), checkpoint }));
  const tile = (await tiles.readTiles([{ level: 0, index: 0, width: size }])).get('0/0')!.slice(0, size);
  out.set('tile', `GET /v1/log/${tilePath(0, 0, size)}\n${Buffer.concat(tile).toString('hex').replace(/(.{64})/g, '$1\n')}`);

  const body: BundleBody = {
    format: BUNDLE_FORMAT,
    version: BUNDLE_VERSION,
    contractId: (JSON.parse(leaves[0]!.canonical) as { contractId: string }).contractId,
    asOf: null,
    knownAt: null,
    log: { origin, publicKey: verifierKeyOf(logKey) },
    checkpoint: cosigned,
    events: await Promise.all(leaves.map(async (l) => ({ position: l.position, canonical: l.canonical, proof: (await tree.inclusionProof(l.position - 1, size)).map(hashToBase64) }))),
  };
  const digest = digestText(bodyDigest(body));
  const statement = statementText({ origin, contractId: body.contractId, treeSize: size, events: body.events.length, digest });
  out.set('statement-text', statement);
  const bundle = serializeBundle({ ...body, statement: signNote(statement, logKey) });
  const verified = verifyBundle(bundle, verifierKeyOf(logKey), { witnesses: [parseCosignatureVerifierKey(cosignerVerifierKey(witnessKey))], quorum: 1 });
  expect(verified.problems).toEqual([]);
  out.set('bundle', bundle.toString('utf8'));

  const rotationText = formatCheckpoint({ origin, size, rootHash: root, extensions: [keyRotationLine(parseSignerKey(logKey), parseSignerKey(nextKey))] });
  out.set('next-log-public-key', `${verifierKeyOf(nextKey)}\n`);
  out.set('rotation-checkpoint', addSignatures(signNote(rotationText, logKey), [splitNote(signNote(rotationText, nextKey)).signatures[0]!.line]));

  const error = errorAnswer(new TreeSizeError('treeSize', `treeSize ${size + 1} is beyond the Merkle log, which holds ${size} events so far`));
  out.set('error-tree-size', `${JSON.stringify(error, null, 2)}\n`);
  return out;
}

describe('docs/log-format.md: the worked examples are what the ledger computes from the document\'s inputs', () => {
  const doc = fs.readFileSync(DOC, 'utf8');
  const input = blocks(doc);

  it('recomputes every example block', async () => {
    const expected = await computeAll(input);
    if (process.env.UPDATE_LOG_FORMAT_EXAMPLES) {
      const updated = doc.replace(BLOCK, (whole, name: string, _content: string) => {
        const value = expected.get(name);
        return value === undefined ? whole : whole.replace(/\n```([a-z]*)\n[\s\S]*?```\n$/, (_m, lang: string) => `\n\`\`\`${lang}\n${value}\`\`\`\n`);
      });
      fs.writeFileSync(DOC, updated);
      return;
    }
    for (const [name, value] of expected) {
      expect({ name, value: input.get(name) }).toEqual({ name, value });
    }
  });
});
