import { execFile } from 'node:child_process';
import { randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { verifyBundle } from '@ledger/audit';
import type { LedgerEvent } from '@ledger/domain';
import { ed25519PrivateKeyFromBase64, generateEventSigningKey, signEvent } from '@ledger/integrity';
import { createMerkleLogWorkers } from '@ledger/runtime';
import { exampleEvent } from '@ledger/wire';
import { startTestApp, TEST_KEYS, type TestApp } from './support/test-app.js';

const run = promisify(execFile);
const CLI = path.resolve('dist/apps/ledger-cli/src/main.js');

/**
 * Signed events through the real service (EVENTS.md v2 "Signed events"): parties' keys registered,
 * rotated and revoked by the city's admin; with the contract's policy off a signature is optional
 * but must be right; with requireSignedEvents an unsigned event is a 400 and a wrong signature a
 * 403; the bundle carries the keys and an auditor verifies every signature offline; a feed signs
 * with `npx ledger sign-events` without writing crypto code.
 */
describe('signed events', () => {
  let app: TestApp;
  let work: string;
  const CONTRACT = 'signed-contract';
  const vendorFeed = `feed-${randomBytes(24).toString('base64url')}`;
  const keys: Record<string, { keyId: string; privateKey: KeyObject; publicKey: string }> = {};

  const register = async (name: string, party: string) => {
    const pair = generateEventSigningKey();
    const answer = await app.request('POST', '/v1/admin/signing-keys', { role: 'admin', body: { party, publicKey: pair.publicKey, label: name } });
    expect(answer.status).toBe(201);
    keys[name] = { keyId: answer.body.keyId, privateKey: ed25519PrivateKeyFromBase64(pair.privateKey)!, publicKey: pair.publicKey };
    return answer.body;
  };
  const used = (): LedgerEvent => exampleEvent('RecordUsed', randomUUID(), { contractId: CONTRACT, recordId: 'R-1' });
  const sign = (event: LedgerEvent, name: string): LedgerEvent => signEvent(event, keys[name]!.privateKey, keys[name]!.keyId);
  const post = (events: LedgerEvent[], secret = vendorFeed) => app.request('POST', '/v1/events', { secret, body: { events } });
  const policy = (requireSignedEvents: boolean) =>
    sign(exampleEvent('ContractAmended', randomUUID(), { contractId: CONTRACT, data: { policy: { requireSignedEvents } } } as never), 'city');

  beforeAll(async () => {
    app = await startTestApp('signed', {
      keys: [{ secret: vendorFeed, role: 'feed', party: 'contractor:okayama-systems' }],
      config: { checkpointIntervalMs: 100 },
      workers: (runtime) => createMerkleLogWorkers(runtime, () => undefined),
    });
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'ledger-signed-'));
    await register('city', 'city');
    await register('vendor', 'contractor:okayama-systems');
    await register('other', 'contractor:another-vendor');
    const contract = exampleEvent('ContractRegistered', randomUUID(), { contractId: CONTRACT });
    expect((await app.request('POST', '/v1/events', { role: 'feed', body: sign(contract, 'city') })).status).toBe(201);
    expect((await post([exampleEvent('RecordCollected', randomUUID(), { contractId: CONTRACT, recordId: 'R-1' })])).status).toBe(201);
  });

  afterAll(async () => {
    await app.close();
    await fs.rm(work, { recursive: true, force: true });
  });

  describe('with the policy off', () => {
    it('accepts unsigned events and rightly signed ones', async () => {
      expect((await post([used(), sign(used(), 'vendor')])).status).toBe(201);
    });

    it('still refuses a signature that is wrong: tampered, another party\'s, an unknown key', async () => {
      const tampered = { ...sign(used(), 'vendor'), data: { purpose: '介護保険システム運用保守' } } as LedgerEvent;
      const answer = await post([tampered, sign(used(), 'city'), { ...used(), signature: { keyId: 'ffffffffffffffff', sig: sign(used(), 'vendor').signature!.sig } }]);
      expect(answer.status).toBe(403);
      expect(answer.body.errors.map((e: { index: number; field: string; rule: string }) => [e.index, e.field, e.rule])).toEqual([
        [0, 'signature', 'bad-signature'],
        [1, 'signature', 'wrong-party'],
        [2, 'signature.keyId', 'unknown-key'],
      ]);
    });

    it('refuses a signed event whose eventId is not lower case (the stored eventId is, and the signature must cover it)', async () => {
      const event = sign({ ...used(), eventId: randomUUID().toUpperCase() }, 'vendor');
      const answer = await post([event]);
      expect(answer.status).toBe(400);
      expect(answer.body.errors).toEqual([expect.objectContaining({ field: 'eventId', rule: 'lowercaseWhenSigned' })]);
    });
  });

  describe('with requireSignedEvents', () => {
    beforeAll(async () => {
      expect((await app.request('POST', '/v1/events', { role: 'feed', body: policy(true) })).status).toBe(201);
    });

    it('refuses an unsigned event with a 400 naming signature, and writes nothing of its batch', async () => {
      const good = sign(used(), 'vendor');
      const answer = await post([good, used()]);
      expect(answer.status).toBe(400);
      expect(answer.body.errors).toEqual([expect.objectContaining({ index: 1, field: 'signature', rule: 'required', message: expect.stringMatching(/sign the event with a key of contractor:okayama-systems/) })]);
      expect((await app.request('GET', `/v1/log/inclusion-proof?eventId=${good.eventId}`, { role: 'auditor' })).status).toBe(404);
    });

    it("refuses the wrong party's key with a 403, even for the city's own feed", async () => {
      expect((await post([sign(used(), 'other')])).status).toBe(403);
      const cityStatingTheContractor = await app.request('POST', '/v1/events', { role: 'feed', body: sign(used(), 'city') });
      expect(cityStatingTheContractor.status).toBe(403);
      expect(cityStatingTheContractor.body.errors).toEqual([expect.objectContaining({ rule: 'wrong-party' })]);
    });

    it('accepts the acting party\'s signature', async () => {
      expect((await post([sign(used(), 'vendor'), sign(used(), 'vendor')])).status).toBe(201);
    });

    it('refuses a revoked key from the moment it is revoked', async () => {
      await register('leaked', 'contractor:okayama-systems');
      expect((await post([sign(used(), 'leaked')])).status).toBe(201);
      const revoked = await app.request('DELETE', `/v1/admin/signing-keys/${keys.leaked!.keyId}`, { role: 'admin' });
      expect(revoked.body).toMatchObject({ ended: 'revoked', validUntil: expect.any(String) });
      const answer = await post([sign(used(), 'leaked')]);
      expect(answer.status).toBe(403);
      expect(answer.body.errors).toEqual([expect.objectContaining({ rule: 'not-valid-then' })]);
    });

    it('rotates a key: the old one is refused from then on, the new one accepted, the old events still verify', async () => {
      const next = generateEventSigningKey();
      const rotated = await app.request('POST', `/v1/admin/signing-keys/${keys.vendor!.keyId}/rotate`, { role: 'admin', body: { publicKey: next.publicKey } });
      expect(rotated.status).toBe(200);
      expect(rotated.body.previous).toMatchObject({ keyId: keys.vendor!.keyId, ended: 'rotated', replacedBy: rotated.body.current.keyId });
      const old = keys.vendor!;
      keys.vendor = { keyId: rotated.body.current.keyId, privateKey: ed25519PrivateKeyFromBase64(next.privateKey)!, publicKey: next.publicKey };
      expect((await post([signEvent(used(), old.privateKey, old.keyId)])).body.errors).toEqual([expect.objectContaining({ rule: 'not-valid-then' })]);
      expect((await post([sign(used(), 'vendor')])).status).toBe(201);
      // A key ends once: rotating or revoking it again is refused.
      expect((await app.request('DELETE', `/v1/admin/signing-keys/${old.keyId}`, { role: 'admin' })).status).toBe(400);
    });

    it('lets a feed sign with the CLI: new-signing-key, registration by the city, sign-events on NDJSON', async () => {
      const keyFile = path.join(work, 'feed.key');
      const generated = await run(process.execPath, [CLI, 'new-signing-key', '--out', keyFile], { env: { PATH: process.env.PATH } });
      const publicKey = generated.stdout.trim();
      expect((await fs.stat(keyFile)).mode & 0o777).toBe(0o600);
      const registered = await app.request('POST', '/v1/admin/signing-keys', { role: 'admin', body: { party: 'contractor:okayama-systems', publicKey, label: 'kaigo-system feed' } });
      const input = path.join(work, 'events.ndjson');
      const events = [used(), { ...used(), eventId: randomUUID().toUpperCase() }];
      await fs.writeFile(input, events.map((e) => JSON.stringify(e)).join('\n'));
      const output = path.join(work, 'signed.json');
      await run(process.execPath, [CLI, 'sign-events', '--key', keyFile, '--key-id', registered.body.keyId, '--out', output, input], { env: { PATH: process.env.PATH } });
      const signed = JSON.parse(await fs.readFile(output, 'utf8'));
      expect(signed.events.map((e: LedgerEvent) => e.signature?.keyId)).toEqual([registered.body.keyId, registered.body.keyId]);
      expect((await app.request('POST', '/v1/events', { secret: vendorFeed, body: signed })).status).toBe(201);
    });

    it('lets the city turn the policy off again', async () => {
      expect((await app.request('POST', '/v1/events', { role: 'feed', body: policy(false) })).status).toBe(201);
      expect((await post([used()])).status).toBe(201);
    });
  });

  it('exports a bundle whose every signature an auditor verifies offline, with the carried keys or the ones pinned', async () => {
    const head = (await app.request('GET', `/v1/contracts/${CONTRACT}/events?limit=1000`, { role: 'auditor' })).body.events.at(-1).position;
    let bundle: Buffer | null = null;
    for (let i = 0; i < 200 && bundle === null; i++) {
      const checkpoint = await app.request('GET', '/v1/log/checkpoint', { headers: { accept: 'application/json' } });
      if (checkpoint.status === 200 && checkpoint.body.treeSize >= head) {
        const answer = await fetch(`${app.url}/v1/contracts/${CONTRACT}/audit-bundle`, { headers: { authorization: `Bearer ${TEST_KEYS.auditor}` } });
        bundle = Buffer.from(await answer.arrayBuffer());
      } else {
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    const publicKey = (await app.request('GET', '/v1/log/public-key')).body.publicKey;
    const result = verifyBundle(bundle!, publicKey);
    expect(result.problems).toEqual([]);
    expect(result.signedEvents).toBeGreaterThanOrEqual(8);
    const registry = (await app.request('GET', '/v1/admin/signing-keys', { role: 'admin' })).body.keys as Array<{ keyId: string; party: string; publicKey: string }>;
    const pins = registry.map(({ keyId, party, publicKey: key }) => ({ keyId, party, publicKey: key }));
    expect(verifyBundle(bundle!, publicKey, { pinnedKeys: pins as never })).toMatchObject({ ok: true, pinnedKeys: true });
  });
});
