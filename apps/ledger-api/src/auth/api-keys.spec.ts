import { ApiKeyRegistry, ApiKeyFormatError, digest, parseApiKeys, roleAllows, secretStrengthBits, MIN_SECRET_BITS } from './api-keys.js';

const STRONG = 'kQ3v9ZP2xYw7LmT4rB8nC1dF6gH0jS5u';
const OTHER = 'Zt8wQ2mV7kR4pL9xN3cB6yH1fD5gJ0sA';

describe('API keys', () => {
  describe('LEDGER_API_KEYS', () => {
    it('reads v1 `secret:role` as a city key for all contracts', () => {
      expect(parseApiKeys(`${STRONG}:feed, ${OTHER}:auditor`)).toEqual([
        { secret: STRONG, role: 'feed', party: 'city', contracts: 'all' },
        { secret: OTHER, role: 'auditor', party: 'city', contracts: 'all' },
      ]);
    });

    it('reads a party, a contract list and a label', () => {
      expect(parseApiKeys(`${STRONG}:feed;party=contractor:okayama-systems;contracts=okayama-kaigo-2025+okayama-kaigo-2026;label=kaigo feed`)).toEqual([
        { secret: STRONG, role: 'feed', party: 'contractor:okayama-systems', contracts: ['okayama-kaigo-2025', 'okayama-kaigo-2026'], label: 'kaigo feed' },
      ]);
      expect(parseApiKeys(`${STRONG}:officer;contracts=*`)[0]!.contracts).toBe('all');
    });

    it('keeps a colon inside a secret (the role follows the last one)', () => {
      expect(parseApiKeys(`a:${STRONG}:officer`)[0]).toMatchObject({ secret: `a:${STRONG}`, role: 'officer' });
    });

    it.each([
      [`${STRONG}:root`, /entry 1: must be secret:role/],
      [`${STRONG}:feed;party=contractor`, /party must be/],
      [`${STRONG}:feed;contracts=a b`, /contracts must be/],
      [`${STRONG}:feed;colour=red`, /unknown attribute "colour"/],
      [`${STRONG}:feed;party=city;party=city`, /each once/],
      [`${STRONG}:admin;party=contractor:x`, /an admin key manages every party's keys/],
      [`${STRONG}:admin;contracts=c1`, /an admin key manages every party's keys/],
      ['short:feed', /at least 16 characters/],
    ])('refuses %s, naming the entry and never the secret', (text, message) => {
      expect(() => parseApiKeys(text)).toThrow(message);
      try {
        parseApiKeys(text);
      } catch (error) {
        expect(error).toBeInstanceOf(ApiKeyFormatError);
        expect((error as Error).message).not.toContain(STRONG);
      }
    });

    it.each(['feed-secret-0123456789', 'local-feed-key-local', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'abcdefghijklmnopqrstuvwxyz0123456789', 'passwordpasswordpassword'])(
      'refuses the guessable secret %s',
      (secret) => {
        expect(secretStrengthBits(secret)).toBeLessThan(MIN_SECRET_BITS);
        expect(() => parseApiKeys(`${secret}:feed`)).toThrow(/too easy to guess/);
      },
    );

    it('accepts random secrets of the usual generators', () => {
      for (const secret of [STRONG, 'f3a9c2e47b1d08a6e5c3b9f2d7a41e60', 'admin-_8uhgZ8AMCBF-waiG0OenhukXaNwXdfG', '7d0b1c0e-2f54-4a8e-9c1d-5b6e2f3a4c8d']) {
        expect(secretStrengthBits(secret)).toBeGreaterThanOrEqual(MIN_SECRET_BITS);
      }
    });
  });

  describe('roles', () => {
    it('let only feed append; admin reads what an auditor reads and manages keys', () => {
      expect(roleAllows('feed', 'feed')).toBe(true);
      expect(['officer', 'auditor', 'admin'].some((r) => roleAllows(r as 'admin', 'feed'))).toBe(false);
      expect(roleAllows('admin', 'auditor') && roleAllows('admin', 'officer') && roleAllows('auditor', 'officer')).toBe(true);
      expect(roleAllows('officer', 'auditor') || roleAllows('feed', 'officer')).toBe(false);
    });
  });

  describe('the registry', () => {
    it('gives keys random IDs, not derived from the secret', () => {
      const a = new ApiKeyRegistry([{ secret: STRONG, role: 'feed' }]).bootstrapKeys()[0]!.keyId;
      const b = new ApiKeyRegistry([{ secret: STRONG, role: 'feed' }]).bootstrapKeys()[0]!.keyId;
      expect(a).toMatch(/^[0-9a-f]{16}$/);
      expect(a).not.toBe(b);
      expect(digest(STRONG).toString('hex')).not.toContain(a);
    });

    it('accepts a rotated key\'s old secret until its grace ends, an expiring key until it expires', () => {
      const registry = new ApiKeyRegistry([]);
      const principal = { keyId: '0123456789abcdef', role: 'feed' as const, party: 'city' as const, contracts: 'all' as const };
      registry.setManaged([{ digest: digest(STRONG), principal, expiresAt: 2_000, previous: { digest: digest(OTHER), validUntil: 1_000 } }]);
      expect(registry.authenticate(STRONG, 500)).toBe(principal);
      expect(registry.authenticate(OTHER, 999)).toBe(principal);
      expect(registry.authenticate(OTHER, 1_000)).toBeNull();
      expect(registry.authenticate(STRONG, 1_999)).toBe(principal);
      expect(registry.authenticate(STRONG, 2_000)).toBeNull();
      expect(registry.authenticate('unknown-key-unknown-key', 0)).toBeNull();
    });
  });
});
