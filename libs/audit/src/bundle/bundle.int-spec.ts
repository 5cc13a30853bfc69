import { generateSignerKey, parseCheckpoint, signCheckpoint, signNote, verifierKeyOf, openNote, canonicalize } from '@ledger/integrity';
import { InvalidRequestError, NotFoundError } from '@ledger/domain';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js';
import { openAuditLedger, TEST_ORIGIN, type AuditLedger } from '../testing/audit-ledger.js';
import { CONTRACT, OTHER_CONTRACT, fillerBatch, firstBatch, secondBatch } from '../testing/audit-scenario.js';
import { serializeBundle, type AuditBundle } from './bundle-format.js';
import { exportBundle, type ExportRequest } from './export-bundle.js';
import { verifyBundle } from './verify-bundle.js';

describe('audit bundles: export from PostgreSQL, verify offline with only the public key', () => {
  let db: TestDatabase;
  let ledger: AuditLedger;
  let intact: Buffer;
  const exportOf = (request: ExportRequest) => exportBundle({ store: ledger.store, proofs: ledger.proofs, keys: ledger.keys }, request);
  const parse = (bytes: Buffer): AuditBundle => JSON.parse(bytes.toString('utf8')) as AuditBundle;

  beforeAll(async () => {
    db = await createTestDatabase('audit_bundle');
    ledger = await openAuditLedger(db.url);
    ledger.setClock('2026-04-04T00:00:00Z');
    await ledger.appendAndSeal(firstBatch());
    await ledger.appendAndSeal(fillerBatch(300));
    ledger.setClock('2026-05-10T00:00:00Z');
    await ledger.appendAndSeal(secondBatch());
    await ledger.appendAndSeal(fillerBatch(30, 300));
    intact = (await exportOf({ contractId: CONTRACT, asOf: '2026-06-01T00:00:00+09:00' })).bytes;
  });

  afterAll(async () => {
    await ledger.close();
    await db.drop();
  });

  it('holds every event of the contract, none of another, each proven against the latest signed checkpoint', () => {
    const result = verifyBundle(intact, ledger.keys.publicKey);
    expect(result.problems).toEqual([]);
    expect(result).toMatchObject({ ok: true, contractId: CONTRACT, asOf: '2026-06-01T00:00:00+09:00', knownAt: null, events: 11, streams: 3 });
    expect(result.checkpoint).toMatchObject({ origin: TEST_ORIGIN, treeSize: 348, keyId: ledger.keys.keyId });
    const bundle = parse(intact);
    expect(bundle.events.map((e) => JSON.parse(e.canonical).contractId)).toEqual(Array(11).fill(CONTRACT));
    expect(intact.toString('utf8')).not.toContain(OTHER_CONTRACT);
    expect(intact.toString('utf8')).not.toContain('filler-contract');
    expect(bundle.events.every((e) => e.proof.length >= 1 && e.proof.length <= 9)).toBe(true);
  });

  it('is byte-identical when exported again from the same ledger', async () => {
    const again = await exportOf({ contractId: CONTRACT, asOf: '2026-06-01T00:00:00+09:00' });
    expect(again.bytes.equals(intact)).toBe(true);
  });

  it('is rejected with one byte changed anywhere', () => {
    // Every byte of the first and last 600 and a spread of 600 in between, each changed in its low bit.
    const positions = new Set<number>();
    for (let i = 0; i < 600; i++) {
      positions.add(i);
      positions.add(intact.length - 1 - i);
      positions.add(Math.floor((i * intact.length) / 600));
    }
    const accepted: number[] = [];
    for (const position of positions) {
      const mutated = Buffer.from(intact);
      mutated[position] = mutated[position]! ^ 0x01;
      if (verifyBundle(mutated, ledger.keys.publicKey, { maxProblems: 1 }).ok) accepted.push(position);
    }
    expect(positions.size).toBeGreaterThan(1500);
    expect(accepted).toEqual([]);
  });

  it('names what is wrong for a changed event text, a changed proof, or added whitespace', () => {
    const bundle = parse(intact);
    bundle.events[3]!.canonical = bundle.events[3]!.canonical.replace('"W-001"', '"W-002"');
    let result = verifyBundle(serializeBundle(bundle), ledger.keys.publicKey);
    expect(result.ok).toBe(false);
    expect(result.problems[0]).toMatch(/^event 4 \(position \d+\): its text is not leaf \d+ of the signed tree \(inclusion proof does not lead to the expected root hash\): the event or its proof was altered$/);

    const proofChanged = parse(intact);
    proofChanged.events[0]!.proof[0] = proofChanged.events[0]!.proof[1]!;
    result = verifyBundle(serializeBundle(proofChanged), ledger.keys.publicKey);
    expect(result.problems[0]).toMatch(/^event 1 \(position 1\): its text is not leaf 0 of the signed tree/);

    const spaced = Buffer.concat([intact.subarray(0, 1), Buffer.from(' '), intact.subarray(1)]);
    result = verifyBundle(spaced, ledger.keys.publicKey);
    expect(result.problems).toEqual(['the file is not in canonical form (bytes were changed, added or removed near byte 1)']);
  });

  it('is rejected with an event removed: a hole in its stream, or, for a stream\'s last event, the export statement', () => {
    const holed = parse(intact);
    const removed = holed.events.splice(5, 1)[0]!;
    let result = verifyBundle(serializeBundle(holed), ledger.keys.publicKey);
    expect(result.ok).toBe(false);
    expect(result.problems[0]).toMatch(/^event 8 \(position 315\): stream record-okayama-kaigo-2025-R-1 jumps from version 0 to 2; an event is missing from the bundle$/);
    expect(JSON.parse(removed.canonical)).toMatchObject({ type: 'RecordUsed', recordId: 'R-1', streamVersion: 1 });

    const trimmed = parse(intact);
    trimmed.events.pop();
    result = verifyBundle(serializeBundle(trimmed), ledger.keys.publicKey);
    expect(result.problems).toEqual([
      expect.stringMatching(/^the bundle's content differs from what the log signed when it exported it \(11 events, .* this file: 10 events, .*an event or a field was changed, added or removed$/),
    ]);
  });

  it('is rejected when its checkpoint is signed by another key, and when everything is re-signed by another key', () => {
    const stranger = generateSignerKey(TEST_ORIGIN);
    const bundle = parse(intact);
    bundle.checkpoint = signCheckpoint(parseCheckpoint(openNote(bundle.checkpoint, ledger.keys.publicKey)), stranger);
    let result = verifyBundle(serializeBundle(bundle), ledger.keys.publicKey);
    expect(result.ok).toBe(false);
    expect(result.problems[0]).toMatch(/^the checkpoint is not valid for your key: it is not signed by your key \(note is not signed by key audit\.test\.invalid\/log\+[0-9a-f]{8} \(signed by: audit\.test\.invalid\/log\+[0-9a-f]{8}\)\)$/);

    // A forger re-signs the checkpoint and the statement and puts their own public key in: only their key accepts it.
    bundle.log.publicKey = verifierKeyOf(stranger);
    const { statement: _old, ...body } = bundle;
    const text = openNote(parse(intact).statement, ledger.keys.publicKey);
    bundle.statement = signNote(text, stranger);
    result = verifyBundle(serializeBundle(bundle), ledger.keys.publicKey);
    expect(result.ok).toBe(false);
    expect(result.problems[0]).toMatch(/^the bundle was exported under key/);
    expect(result.problems).toContainEqual(expect.stringMatching(/^the export statement is not valid for your key: it is not signed by your key/));
    expect(body.events.length).toBe(11);
  });

  it('refuses a key that is not a verifier key and a file that is not a bundle', () => {
    expect(verifyBundle(intact, 'not a key').problems[0]).toMatch(/^the key is not a note verifier key/);
    expect(verifyBundle(Buffer.from('{"format":"x"}\n'), ledger.keys.publicKey).problems[0]).toMatch(/^the file is not an audit bundle v1: format is "x"/);
    expect(verifyBundle(Buffer.from('{'), ledger.keys.publicKey).problems[0]).toMatch(/^the file is not JSON/);
    expect(verifyBundle(Buffer.from(`${canonicalize({ ...parse(intact), version: 3 })}\n`), ledger.keys.publicKey).problems[0]).toMatch(/this verifier reads versions 1 and 2/);
  });

  it('with --known-at holds only what the ledger had recorded by then, proven against the same checkpoint', async () => {
    const { bytes, bundle } = await exportOf({ contractId: CONTRACT, knownAt: '2026-04-30T00:00:00Z' });
    const result = verifyBundle(bytes, ledger.keys.publicKey);
    expect(result.ok).toBe(true);
    expect(bundle.events.map((e) => JSON.parse(e.canonical).type)).toEqual([
      'ContractRegistered', 'ResponsiblePersonDesignated', 'WorkerAuthorized', 'WorkerBriefed', 'RecordCollected', 'RecordUsed', 'RecordCollected', 'RecordUsed',
    ]);
    // A bundle claiming a knownAt before an event it holds is caught.
    const lying = { ...parse(intact), knownAt: '2026-04-30T00:00:00Z' };
    expect(verifyBundle(serializeBundle(lying), ledger.keys.publicKey).problems[0]).toMatch(/was recorded at 2026-05-10T00:00:00.000Z, after the bundle's knownAt/);
  });

  it('proves against an earlier checkpoint when asked, and answers clear errors for bad requests', async () => {
    const early = await exportOf({ contractId: CONTRACT, treeSize: 14 });
    expect(verifyBundle(early.bytes, ledger.keys.publicKey)).toMatchObject({ ok: true, events: 8, checkpoint: { treeSize: 14 } });
    await expect(exportOf({ contractId: 'no-such-contract' })).rejects.toBeInstanceOf(NotFoundError);
    await expect(exportOf({ contractId: CONTRACT, treeSize: 15 })).rejects.toThrow(/no checkpoint was signed at tree size 15/);
    const invalid = await exportOf({ contractId: CONTRACT, asOf: 'yesterday', knownAt: '2026-13-01T00:00:00Z' }).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(InvalidRequestError);
    expect((invalid as InvalidRequestError).problems.map((p) => p.field)).toEqual(['asOf', 'knownAt']);
  });
});
