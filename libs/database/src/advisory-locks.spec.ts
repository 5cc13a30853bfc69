import { ADVISORY_LOCKS } from './advisory-locks.js';

describe('advisory lock keys', () => {
  it('given every lock the ledger takes, then no two share a key (a shared key makes one wait on, or refuse for, the other)', () => {
    const keys = Object.values(ADVISORY_LOCKS);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
