import { RateLimitedError } from '@ledger/domain';
import type { RateLimits } from '@ledger/runtime';

/** A token bucket refilled continuously at `perMs` tokens a millisecond up to `burst`. */
class Bucket {
  private tokens: number;
  private at: number;

  constructor(
    private readonly perMs: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.at = now;
  }

  private refill(now: number): void {
    if (now > this.at) {
      this.tokens = Math.min(this.burst, this.tokens + (now - this.at) * this.perMs);
      this.at = now;
    }
  }

  /** Takes n tokens and answers 0, or takes none and answers the milliseconds until n are there. */
  take(n: number, now: number): number {
    this.refill(now);
    if (this.tokens >= n) {
      this.tokens -= n;
      return 0;
    }
    return n > this.burst ? Number.POSITIVE_INFINITY : (n - this.tokens) / this.perMs;
  }

  /** Milliseconds until one token is there (0: now). */
  wait(now: number): number {
    this.refill(now);
    return this.tokens >= 1 ? 0 : (1 - this.tokens) / this.perMs;
  }

  full(now: number): boolean {
    this.refill(now);
    return this.tokens >= this.burst;
  }
}

/** Buckets by name, bounded: full buckets are forgotten (they say nothing), then the oldest. */
class Buckets {
  private readonly map = new Map<string, Bucket>();

  constructor(
    private readonly perMs: number,
    private readonly burst: number,
    private readonly max: number,
  ) {}

  get(name: string, now: number): Bucket {
    let bucket = this.map.get(name);
    if (bucket === undefined) {
      if (this.map.size >= this.max) this.prune(now);
      bucket = new Bucket(this.perMs, this.burst, now);
      this.map.set(name, bucket);
    }
    return bucket;
  }

  peek(name: string): Bucket | undefined {
    return this.map.get(name);
  }

  private prune(now: number): void {
    for (const [name, bucket] of this.map) if (bucket.full(now)) this.map.delete(name);
    for (const name of this.map.keys()) {
      if (this.map.size < this.max) break;
      this.map.delete(name);
    }
  }
}

function seconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

/**
 * The budgets of docs/security.md "Rate limits", per API process: requests and appended events
 * per key, and failed authentications per source address. A spent budget is a RateLimitedError
 * (429 with Retry-After). A batch is charged whole before anything of it is written, so a limited
 * key never has half a batch in the log.
 */
export class RateLimiter {
  private readonly requests: Buckets | null;
  private readonly events: Buckets | null;
  private readonly failures: Buckets | null;

  constructor(
    limits: RateLimits | null,
    private readonly clock: () => number,
  ) {
    this.requests = limits && new Buckets(limits.requestsPerSecond / 1000, limits.requestBurst, 100_000);
    this.events = limits && new Buckets(limits.eventsPerSecond / 1000, limits.eventBurst, 100_000);
    this.failures = limits && new Buckets(limits.authFailuresPerMinute / 60_000, limits.authFailureBurst, 10_000);
  }

  /** One request of a key. */
  request(keyId: string): void {
    if (this.requests === null) return;
    const wait = this.requests.get(keyId, this.clock()).take(1, this.clock());
    if (wait > 0) throw new RateLimitedError(`this key has spent its request budget; try again in ${seconds(wait)} s`, seconds(wait));
  }

  /** A batch of `count` events of a key: charged whole, or refused whole. */
  appendEvents(keyId: string, count: number): void {
    if (this.events === null) return;
    const wait = this.events.get(keyId, this.clock()).take(count, this.clock());
    if (wait === Number.POSITIVE_INFINITY) {
      throw new RateLimitedError(`a batch of ${count} events is more than this key's event budget ever holds; send smaller batches`, 60);
    }
    if (wait > 0) throw new RateLimitedError(`this key has spent its event budget: nothing of the batch was written; send it again in ${seconds(wait)} s`, seconds(wait));
  }

  /** Refuses a source whose failed authentications used up its budget, before its key is even looked at. */
  checkSource(source: string): void {
    if (this.failures === null) return;
    const wait = this.failures.peek(source)?.wait(this.clock()) ?? 0;
    if (wait > 0) throw new RateLimitedError(`too many failed authentications from this address; try again in ${seconds(wait)} s`, seconds(wait));
  }

  /** Counts a failed authentication of a source. */
  authenticationFailed(source: string): void {
    if (this.failures === null) return;
    this.failures.get(source, this.clock()).take(1, this.clock());
  }
}
