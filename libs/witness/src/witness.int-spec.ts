import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { checkQuorum, cosignerVerifierKey, generateCosignerKey, parseCosignatureVerifierKey, parseCosignerKey } from '@ledger/integrity';
import { CosignatureRequester } from '@ledger/merkle-log';
import { fillerBatch, firstBatch, secondBatch } from '../../audit/src/testing/audit-scenario.js';
import { TEST_ORIGIN, openAuditLedger, testLogKeys, type AuditLedger } from '../../audit/src/testing/audit-ledger.js';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import { generateSignerKey, leafHash, signCheckpoint } from '@ledger/integrity';
import { WitnessServer } from './witness-server.js';
import { WitnessState } from './witness-state.js';

/**
 * The witness against real ledgers in PostgreSQL: the log's requester talks to the witness over
 * HTTP exactly as the service does. A forked history is a second test database signed with the
 * same key, whose events differ from a point on.
 */
describe('witness: cosigns what extends its last checkpoint, refuses any other history', () => {
  const logKey = generateSignerKey(TEST_ORIGIN);
  const witnessKey = parseCosignerKey(generateCosignerKey('witness.city.test.invalid/ledger'));
  const witness = parseCosignatureVerifierKey(cosignerVerifierKey(witnessKey));
  let dbs: TestDatabase[];
  let honest: AuditLedger;
  let forked: AuditLedger;
  let dir: string;
  let server: WitnessServer;
  let url: string;

  async function startWitness(): Promise<void> {
    const state = await WitnessState.open(path.join(dir, 'state.json'), [{ origin: TEST_ORIGIN, publicKey: honest.keys.publicKey }]);
    server = new WitnessServer({ cosigner: witnessKey, state, clock: () => Date.parse('2026-05-10T00:00:00Z') });
    url = await server.listen(0, '127.0.0.1');
  }

  function requester(ledger: AuditLedger): CosignatureRequester {
    return new CosignatureRequester({ pool: ledger.pool, store: ledger.store, witness: { url, verifier: witness } });
  }

  async function stateOf(): Promise<any> {
    return (await fetch(`${url}/`)).json();
  }

  beforeAll(async () => {
    dbs = [await createTestDatabase('witness_honest'), await createTestDatabase('witness_forked')];
    honest = await openAuditLedger(dbs[0]!.url, testLogKeys(logKey));
    forked = await openAuditLedger(dbs[1]!.url, testLogKeys(logKey));
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ledger-witness-'));
    await startWitness();
  });

  afterAll(async () => {
    await server.close();
    await honest.close();
    await forked.close();
    for (const db of dbs) await db.drop();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('cosigns a first checkpoint and then a consistent one; the log stores and serves the cosignatures', async () => {
    // Given a log with a checkpoint, When its requester asks the witness
    const first = await honest.appendAndSeal(firstBatch());
    expect(await requester(honest).requestOnce()).toBe(first);
    // When it grows and asks again (old size = the witness's size, with a consistency proof)
    const second = await honest.appendAndSeal(secondBatch());
    expect(await requester(honest).requestOnce()).toBe(second);
    // Then the stored cosignature verifies on the log's checkpoint
    const latest = (await honest.proofs.checkpoints.latest())!;
    expect(checkQuorum(await honest.proofs.cosignedNote(latest), [witness], 1)).toMatchObject({ ok: true });
    // And the witness remembers that size
    expect((await stateOf()).logs[0]).toMatchObject({ origin: TEST_ORIGIN, size: second });
  });

  it('refuses a forked history signed with the same key (422) and keeps its state and the evidence', async () => {
    // Given a second database whose history differs (other events) but is signed with the same key
    const size = (await stateOf()).logs[0].size as number;
    forked.setClock('2026-05-11T00:00:00Z');
    await forked.appendAndSeal([...firstBatch().slice(0, 3), ...fillerBatch(size + 5)]);
    // When its requester asks the witness (it learns the witness's size from a 409, then sends a proof from its own tree)
    await expect(requester(forked).requestOnce()).rejects.toThrow(/answered 422/);
    // Then the witness kept its state, and the refused checkpoint as evidence
    expect((await stateOf()).logs[0].size).toBe(size);
    const evidence = ((await (await fetch(`${url}/evidence`)).json()) as { evidence: any[] }).evidence;
    expect(evidence.at(-1)).toMatchObject({ origin: TEST_ORIGIN, status: 422, reason: expect.stringContaining('not consistent') });
  });

  it('survives a restart: the state is on disk, and the next consistent checkpoint is cosigned from it', async () => {
    const before = (await stateOf()).logs[0].size as number;
    // Given the witness process stops and starts again on the same state file
    await server.close();
    await startWitness();
    expect((await stateOf()).logs[0].size).toBe(before);
    // When the honest log grows, Then its next checkpoint is cosigned from the remembered size
    const size = await honest.appendAndSeal(fillerBatch(3, 100));
    expect(await requester(honest).requestOnce()).toBe(size);
    // And its latest cosigned checkpoint is served for auditors to compare
    const served = await (await fetch(`${url}/checkpoint?origin=${encodeURIComponent(TEST_ORIGIN)}`)).text();
    expect(served.split('\n')[1]).toBe(String(size));
    expect(checkQuorum(served, [witness], 1).ok).toBe(true);
  });

  it('answers the protocol statuses: 404 unknown origin, 403 unknown key, 400 malformed, 409 text/x.tlog.size, 405 GET', async () => {
    const other = await fetch(`${url}/add-checkpoint`, { method: 'POST', body: 'old 0\n\nother.invalid/log\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n— other.invalid/log AAAAAAAA\n' });
    expect(other.status).toBe(404);
    const stranger = signCheckpoint({ origin: TEST_ORIGIN, size: 1, rootHash: leafHash('x') }, generateSignerKey(TEST_ORIGIN));
    expect((await fetch(`${url}/add-checkpoint`, { method: 'POST', body: `old 0\n\n${stranger}` })).status).toBe(403);
    expect((await fetch(`${url}/add-checkpoint`, { method: 'POST', body: 'old 01\n\nx' })).status).toBe(400);
    const latest = (await honest.proofs.checkpoints.latest())!;
    const stale = await fetch(`${url}/add-checkpoint`, { method: 'POST', body: `old 0\n\n${latest.note}` });
    expect(stale.status).toBe(409);
    expect(stale.headers.get('content-type')).toBe('text/x.tlog.size');
    expect(await stale.text()).toBe(`${latest.treeSize}\n`);
    expect((await fetch(`${url}/add-checkpoint`)).status).toBe(405);
  });
});
