import { scrubSliceSize } from './integrity-scrubber.js';

describe('the integrity scrubber keeps its pace in slices of 1/50 s', () => {
  it('given the default pace of 2,000 events/s, then it checks 40 events at a time (500 held a core ≈ 10 ms)', () => {
    expect(scrubSliceSize(2_000)).toBe(40);
  });

  it('given a pace below 50 events/s, then one event at a time; given a very fast pace, then at most 2,000 (one read\'s bound)', () => {
    expect(scrubSliceSize(1)).toBe(1);
    expect(scrubSliceSize(49)).toBe(1);
    expect(scrubSliceSize(51)).toBe(2);
    expect(scrubSliceSize(10_000_000)).toBe(2_000);
  });
});
