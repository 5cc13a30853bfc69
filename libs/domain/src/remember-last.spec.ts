import fc from 'fast-check';
import { rememberLast } from './remember-last.js';

describe('rememberLast', () => {
  it('property: answers what compute answers for every argument, computing again only when the argument changes', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constant(Number.NaN), fc.constant(-0), fc.constant(0))), (keys) => {
        const calls: number[] = [];
        const f = rememberLast((k: number) => (calls.push(k), `v${String(k)}${Object.is(k, -0) ? '-' : ''}`));
        const answers = keys.map((k) => f(k));
        expect(answers).toEqual(keys.map((k) => `v${String(k)}${Object.is(k, -0) ? '-' : ''}`));
        expect(calls.length).toBe(keys.filter((k, i) => i === 0 || !Object.is(k, keys[i - 1])).length);
      }),
      { numRuns: 500 },
    );
  });

  it('does not take a first argument of undefined for one already seen', () => {
    let calls = 0;
    const f = rememberLast((k: undefined | number) => (calls++, k === undefined ? 'none' : 'some'));
    expect([f(undefined), f(undefined), f(1)]).toEqual(['none', 'none', 'some']);
    expect(calls).toBe(2);
  });
});
