import { InvalidRequestError } from '@ledger/domain';
import { minPositionOf } from './replica-reads.js';

describe('X-Ledger-Min-Position', () => {
  it('is 0 (no wait) when absent, and the integer sent otherwise', () => {
    expect(minPositionOf(undefined)).toBe(0);
    expect(minPositionOf('42')).toBe(42);
    expect(minPositionOf(' 7 ')).toBe(7);
  });

  it('refuses anything but one non-negative integer with a 400 naming the header and its rule', () => {
    for (const bad of ['', '-1', '1.5', 'soon', '1e3', '9999999999999999', ['1', '2']]) {
      let thrown: unknown;
      try {
        minPositionOf(bad);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(InvalidRequestError);
      expect((thrown as InvalidRequestError).problems[0]).toMatchObject({ field: 'X-Ledger-Min-Position', rule: 'integerRange' });
    }
  });
});
