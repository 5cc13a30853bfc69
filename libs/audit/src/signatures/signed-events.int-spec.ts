import type { KeyObject } from 'node:crypto';
import type { LedgerEvent } from '@ledger/domain';
import { ed25519PrivateKeyFromBase64, generateEventSigningKey, signEvent } from '@ledger/integrity';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js';
import { exportBundle } from '../bundle/export-bundle.js';
import { verifyBundle } from '../bundle/verify-bundle.js';
import { openAuditLedger, type AuditLedger } from '../testing/audit-ledger.js';
import { eventId } from '../testing/audit-scenario.js';
import { verifyLog } from '../verify/verify-log.js';
import type { PartyKey } from './party-keys.js';

/**
 * Signed events as an auditor checks them offline: a contract whose events the city and its
 * contractor signed (one contractor key rotated halfway) verifies in a bundle and in the full log;
 * events written behind the ledger's back (the ledger refuses each of them at its door) are named.
 */
describe('signed events, verified offline', () => {
  let db: TestDatabase;
  let ledger: AuditLedger;

  const pair = () => {
    const keys = generateEventSigningKey();
    return { publicKey: keys.publicKey, privateKey: ed25519PrivateKeyFromBase64(keys.privateKey)! };
  };
  const city = pair();
  const vendor1 = pair();
  const vendor2 = pair();
  const other = pair();
  const ROTATED = '2026-05-01T00:00:00.000Z';
  const KEYS: PartyKey[] = [
    { keyId: '00000000000000c1', party: 'city', publicKey: city.publicKey, validFrom: '2026-01-01T00:00:00.000Z', validUntil: null },
    { keyId: '00000000000000a1', party: 'contractor:okayama-systems', publicKey: vendor1.publicKey, validFrom: '2026-01-01T00:00:00.000Z', validUntil: ROTATED },
    { keyId: '00000000000000a2', party: 'contractor:okayama-systems', publicKey: vendor2.publicKey, validFrom: ROTATED, validUntil: null },
    { keyId: '00000000000000b1', party: 'contractor:other-vendor', publicKey: other.publicKey, validFrom: '2026-01-01T00:00:00.000Z', validUntil: null },
  ];
  const signed = (event: LedgerEvent, key: { privateKey: KeyObject }, keyId: string): LedgerEvent => signEvent(event, key.privateKey, keyId);
  const worker = { org: 'contractor' as const, workerId: 'W-001' };

  function registered(contractId: string, policy: object = {}): LedgerEvent {
    return {
      eventId: eventId(`${contractId}/registered`), type: 'ContractRegistered', contractId, occurredAt: '2026-04-01T09:00:00+09:00', actor: { org: 'city' },
      data: {
        title: '運用保守業務委託', contractorId: 'okayama-systems', purposes: ['運用保守'], dataCategories: ['被保険者台帳'], permitsSubcontracting: false,
        term: { start: '2026-04-01T00:00:00+09:00', end: '2027-03-31T23:59:59+09:00' }, policy,
      },
    } as LedgerEvent;
  }
  const used = (contractId: string, name: string, recordId = 'R-1'): LedgerEvent => ({
    eventId: eventId(`${contractId}/${name}`), type: 'RecordUsed', contractId, recordId, occurredAt: '2026-04-03T09:00:00+09:00', actor: worker, data: { purpose: '運用保守' },
  });
  const exportOf = async (contractId: string) =>
    (await exportBundle({ store: ledger.store, proofs: ledger.proofs, keys: ledger.keys, signingKeys: async ({ parties, keyIds }) => KEYS.filter((k) => parties.includes(k.party) || keyIds.includes(k.keyId)) }, { contractId })).bytes;
  const verifyAll = () => verifyLog({ db: ledger.pool, verifier: ledger.keys.verifier, origin: ledger.keys.origin, jobs: 1, partyKeys: KEYS });

  beforeAll(async () => {
    db = await createTestDatabase('signed_events');
    ledger = await openAuditLedger(db.url);
    ledger.setClock('2026-04-04T00:00:00Z');
    await ledger.appendAndSeal([
      signed(registered('signed-contract', { requireSignedEvents: true }), city, '00000000000000c1'),
      signed(used('signed-contract', 'before-rotation'), vendor1, '00000000000000a1'),
      signed(registered('forged-contract', { requireSignedEvents: true }), city, '00000000000000c1'),
    ]);
    ledger.setClock('2026-05-10T00:00:00Z');
    await ledger.appendAndSeal([signed(used('signed-contract', 'after-rotation'), vendor2, '00000000000000a2')]);
  });

  afterAll(async () => {
    await ledger.close();
    await db.drop();
  });

  it('verifies every signature of a bundle, old key and rotated key alike, with the keys it carries or the ones pinned', async () => {
    const bytes = await exportOf('signed-contract');
    const result = verifyBundle(bytes, ledger.keys.publicKey);
    expect(result.problems).toEqual([]);
    expect(result).toMatchObject({ ok: true, events: 3, signedEvents: 3, pinnedKeys: false });
    const bundle = JSON.parse(bytes.toString('utf8'));
    expect(bundle.version).toBe(1);
    expect(bundle.signingKeys.map((k: PartyKey) => k.keyId)).toEqual(['00000000000000a1', '00000000000000a2', '00000000000000c1']);
    const pins = KEYS.map(({ keyId, party, publicKey }) => ({ keyId, party, publicKey }));
    expect(verifyBundle(bytes, ledger.keys.publicKey, { pinnedKeys: pins })).toMatchObject({ ok: true, pinnedKeys: true });
  });

  it('fails a bundle whose carried key differs from the one the auditor pinned', async () => {
    const pins = [{ keyId: '00000000000000a1', party: 'contractor:okayama-systems' as const, publicKey: other.publicKey }];
    const result = verifyBundle(await exportOf('signed-contract'), ledger.keys.publicKey, { pinnedKeys: pins });
    expect(result.ok).toBe(false);
    expect(result.problems[0]).toMatch(/^signing key 00000000000000a1 differs from the one you pinned/);
  });

  it('verifies every signature of the full log', async () => {
    const report = await verifyAll();
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ ok: true, signedEvents: 4 });
  });

  describe('events written behind the ledger\'s back', () => {
    const forgeries: Record<string, LedgerEvent> = {};

    beforeAll(async () => {
      const tampered = signed(used('forged-contract', 'tampered'), vendor2, '00000000000000a2');
      forgeries.tampered = { ...tampered, data: { purpose: '運用保守（改）' } } as LedgerEvent;
      forgeries.oldKey = signed(used('forged-contract', 'old-key'), vendor1, '00000000000000a1');
      forgeries.otherVendor = signed(used('forged-contract', 'other-vendor'), other, '00000000000000b1');
      forgeries.cityAsContractor = signed(used('forged-contract', 'city-key'), city, '00000000000000c1');
      forgeries.unsigned = used('forged-contract', 'unsigned');
      await ledger.appendAndSeal(Object.values(forgeries));
    });

    it('fail the bundle, each named by its eventId and what is wrong', async () => {
      const result = verifyBundle(await exportOf('forged-contract'), ledger.keys.publicKey);
      expect(result.ok).toBe(false);
      const about = (event: LedgerEvent) => result.problems.find((p) => p.includes(event.eventId)) ?? '';
      expect(about(forgeries.tampered!)).toMatch(/its signature does not verify with key 00000000000000a2/);
      expect(about(forgeries.oldKey!)).toMatch(/valid from 2026-01-01T00:00:00.000Z until 2026-05-01T00:00:00.000Z, not at 2026-05-10/);
      expect(about(forgeries.otherVendor!)).toMatch(/key 00000000000000b1 of contractor:other-vendor, but the event is stated by contractor:okayama-systems/);
      expect(about(forgeries.cityAsContractor!)).toMatch(/key 00000000000000c1 of city, but the event is stated by contractor:okayama-systems/);
      expect(about(forgeries.unsigned!)).toMatch(/is unsigned, but the contract requires signed events since position 3/);
    });

    it('fail the full log, each at its position', async () => {
      const report = await verifyAll();
      expect(report.ok).toBe(false);
      const kinds = report.problems.map((p) => [p.kind, p.message.match(/event ([0-9a-f-]{36})/)?.[1]]);
      for (const name of ['tampered', 'oldKey', 'otherVendor', 'cityAsContractor']) {
        expect(kinds).toContainEqual(['event-signature', forgeries[name]!.eventId]);
      }
    });

    it('leave the other contract\'s bundle intact', async () => {
      expect(verifyBundle(await exportOf('signed-contract'), ledger.keys.publicKey).ok).toBe(true);
    });
  });
});
