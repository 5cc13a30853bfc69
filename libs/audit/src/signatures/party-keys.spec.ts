import { ed25519PrivateKeyFromBase64, generateEventSigningKey, signEvent } from '@ledger/integrity';
import { PartyKeyring, parsePinnedKeys, pinnedKeyring, type PartyKey } from './party-keys.js';

const cityPair = generateEventSigningKey();
const vendorPair = generateEventSigningKey();
const CITY: PartyKey = { keyId: '00000000000000c1', party: 'city', publicKey: cityPair.publicKey, validFrom: '2026-01-01T00:00:00.000Z', validUntil: '2026-07-01T00:00:00.000Z' };
const VENDOR: PartyKey = { keyId: '00000000000000a1', party: 'contractor:vendor-a', publicKey: vendorPair.publicKey, validFrom: '2026-01-01T00:00:00.000Z', validUntil: null };
const AT = Date.parse('2026-04-01T00:00:00Z');
const event = { eventId: '5b0c7c1e-8a39-4d2e-9a51-0f3c1f1f6a10', type: 'RecordUsed', contractId: 'c-a', data: { purpose: '運用保守' } };
const signedBy = (pair: { privateKey: string }, keyId: string) => signEvent(event, ed25519PrivateKeyFromBase64(pair.privateKey)!, keyId);

describe("parties' signing keys", () => {
  const keyring = new PartyKeyring([CITY, VENDOR]);

  it('accepts the acting party\'s key, valid at the moment, whose signature verifies', () => {
    expect(keyring.check(signedBy(vendorPair, VENDOR.keyId), 'contractor:vendor-a', AT)).toMatchObject({ ok: true, key: VENDOR });
  });

  it('names each fault: unknown key, wrong party, outside the interval, altered bytes', () => {
    expect(keyring.check(signedBy(vendorPair, 'ffffffffffffffff'), 'contractor:vendor-a', AT)).toMatchObject({ ok: false, fault: 'unknown-key' });
    expect(keyring.check(signedBy(cityPair, CITY.keyId), 'contractor:vendor-a', AT)).toMatchObject({ ok: false, fault: 'wrong-party' });
    expect(keyring.check(signedBy(cityPair, CITY.keyId), 'city', Date.parse('2026-07-01T00:00:00Z'))).toMatchObject({ ok: false, fault: 'not-valid-then' });
    const tampered = { ...signedBy(vendorPair, VENDOR.keyId), data: { purpose: '運用保守 ' } };
    expect(keyring.check(tampered, 'contractor:vendor-a', AT)).toMatchObject({ ok: false, fault: 'bad-signature' });
    expect(keyring.check(signedBy(cityPair, VENDOR.keyId), 'contractor:vendor-a', AT)).toMatchObject({ ok: false, fault: 'bad-signature' });
  });

  it('checks with the pinned keys, and names a carried key that differs from its pin', () => {
    const { keyring: pinned, problems } = pinnedKeyring([CITY, { ...VENDOR, publicKey: cityPair.publicKey }], [{ keyId: VENDOR.keyId, party: VENDOR.party, publicKey: VENDOR.publicKey }]);
    expect(problems).toEqual([expect.stringMatching(/^signing key 00000000000000a1 differs from the one you pinned/)]);
    expect(pinned.size).toBe(1);
    expect(pinned.check(signedBy(vendorPair, VENDOR.keyId), 'contractor:vendor-a', AT).ok).toBe(true);
    expect(pinned.check(signedBy(cityPair, CITY.keyId), 'city', AT)).toMatchObject({ ok: false, fault: 'unknown-key' });
  });

  it('reads a pinned-keys file and names a bad entry', () => {
    expect(parsePinnedKeys(JSON.stringify([{ keyId: VENDOR.keyId, party: VENDOR.party, publicKey: VENDOR.publicKey }]))).toHaveLength(1);
    expect(parsePinnedKeys(JSON.stringify({ signingKeys: [CITY] }))).toEqual([CITY]);
    expect(() => parsePinnedKeys(JSON.stringify([{ keyId: 'x', party: 'city', publicKey: CITY.publicKey }]))).toThrow(/pinned key 1: keyId/);
  });
});
