/**
 * Retries with exponential backoff. Appends may be retried blindly because an event's eventId is
 * its idempotency key: a batch that was written but whose answer was lost answers `duplicate`.
 */
export interface RetryPolicy {
  /** Attempts after the first (default 8). */
  retries: number;
  /** Delay before the first retry (default 250 ms); doubled at each further one. */
  initialDelayMs: number;
  /** Longest delay between two attempts, also for a server's Retry-After (default 15 s). */
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 8, initialDelayMs: 250, maxDelayMs: 15_000 };

/** Statuses worth another try: rate limited, unavailable, and a gateway in front that lost the service. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);

/**
 * The delay before retry number `attempt` (1-based): initial × 2^(attempt−1), capped, with jitter
 * between half and all of it so that many feeds do not retry in step. A Retry-After the server
 * sent wins when it is longer (still capped).
 */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number, retryAfterMs?: number): number {
  const exponential = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (attempt - 1));
  const jittered = exponential / 2 + (random() * exponential) / 2;
  return Math.round(Math.min(policy.maxDelayMs, Math.max(jittered, retryAfterMs ?? 0)));
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now: number): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
