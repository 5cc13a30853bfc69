import { RateLimitedError } from '@ledger/domain';
import { RateLimiter } from './rate-limits.js';

const LIMITS = { requestsPerSecond: 2, requestBurst: 3, eventsPerSecond: 100, eventBurst: 10_000, authFailuresPerMinute: 6, authFailureBurst: 2 };

function refusal(action: () => void): RateLimitedError | null {
  try {
    action();
    return null;
  } catch (error) {
    if (error instanceof RateLimitedError) return error;
    throw error;
  }
}

describe('rate limits', () => {
  let now = 0;
  const limiter = (): RateLimiter => new RateLimiter(LIMITS, () => now);

  beforeEach(() => {
    now = 0;
  });

  it('lets a key make a burst of requests, then refuses with the seconds to wait, then refills', () => {
    const l = limiter();
    for (let i = 0; i < 3; i++) expect(refusal(() => l.request('k1'))).toBeNull();
    expect(refusal(() => l.request('k1'))?.retryAfterSeconds).toBe(1);
    expect(refusal(() => l.request('k2'))).toBeNull();
    now += 500;
    expect(refusal(() => l.request('k1'))).toBeNull();
  });

  it('charges a batch whole or not at all', () => {
    const l = limiter();
    expect(refusal(() => l.appendEvents('k', 9_990))).toBeNull();
    const refused = refusal(() => l.appendEvents('k', 20));
    expect(refused?.retryAfterSeconds).toBe(1);
    expect(refused?.message).toMatch(/nothing of the batch was written/);
    expect(refusal(() => l.appendEvents('k', 10))).toBeNull();
    now += 1_000;
    expect(refusal(() => l.appendEvents('k', 100))).toBeNull();
    expect(refusal(() => l.appendEvents('k', 20_000))?.message).toMatch(/more than this key's event budget ever holds/);
  });

  it('slows down a source after a burst of failed authentications, and only that source', () => {
    const l = limiter();
    l.authenticationFailed('10.0.0.1');
    expect(refusal(() => l.checkSource('10.0.0.1'))).toBeNull();
    l.authenticationFailed('10.0.0.1');
    expect(refusal(() => l.checkSource('10.0.0.1'))?.retryAfterSeconds).toBe(10);
    expect(refusal(() => l.checkSource('10.0.0.2'))).toBeNull();
    now += 10_000;
    expect(refusal(() => l.checkSource('10.0.0.1'))).toBeNull();
  });

  it('does nothing when switched off', () => {
    const l = new RateLimiter(null, () => now);
    for (let i = 0; i < 100; i++) l.request('k');
    l.appendEvents('k', 1e9);
  });
});
