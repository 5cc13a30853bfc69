import { START, type ResolvedEvent, type StreamSubscription } from '@eventstore/db-client';
import { StoreUnavailableError, type RecordedEvent } from '@ledger/domain';
import type { Subscription, SubscribeOptions, SubscriptionHandler } from '../event-store.port.js';
import { storedBytes } from '../stored-event.js';
import type { EventStoreDbClientLike } from './eventstoredb-client.js';
import { fromLogEvent, isTransientClientError, LogIntegrityError, mapClientError, type LedgerStreamNames } from './eventstoredb-mapping.js';
import { sleep } from './eventstoredb-streams.js';

/** The subscriber's handler threw: stop and report, never reconnect. */
class HandlerFailed extends Error {
  constructor(readonly reason: unknown) {
    super('subscription handler failed');
  }
}

const MAX_RECONNECT_DELAY_MS = 5_000;

/**
 * A catch-up subscription to the log from `after`: first what is stored, then each event as it
 * commits, in position order, batched up to batchSize while more is ready. When the connection
 * drops (server restart, leader change), it resubscribes from the last position it delivered (its
 * checkpoint), with back-off; duplicates from the server are dropped and a gap is an error.
 */
export function subscribeToLog(
  client: EventStoreDbClientLike,
  names: LedgerStreamNames,
  { reconnectDelayMs, isClosed }: { reconnectDelayMs: number; isClosed: () => boolean },
  options: SubscribeOptions,
  handler: SubscriptionHandler,
): Subscription {
  const stopper = new AbortController();
  const signal = options.signal ? AbortSignal.any([stopper.signal, options.signal]) : stopper.signal;
  const batchSize = options.batchSize ?? 1_000;
  const run = async (): Promise<void> => {
    let cursor = options.after;
    let delay = reconnectDelayMs;
    while (!signal.aborted && !isClosed()) {
      const subscription = client.subscribeToStream(names.log, {
        fromRevision: cursor <= 0 ? START : BigInt(cursor - 1),
      });
      try {
        await pump(subscription, names, cursor, { batchSize, maxBytes: options.maxBytes ?? Number.POSITIVE_INFINITY }, handler, signal, (position) => {
          cursor = position; // the checkpoint a reconnect resumes from
          delay = reconnectDelayMs;
        });
      } catch (error) {
        if (error instanceof HandlerFailed) throw error.reason;
        if (error instanceof LogIntegrityError || !isTransientClientError(error)) throw mapClientError(error, 'subscription');
        await sleep(delay, signal);
        delay = Math.min(delay * 2, MAX_RECONNECT_DELAY_MS);
      } finally {
        await subscription.unsubscribe().catch(() => undefined);
      }
    }
  };
  const done = run();
  return {
    done,
    stop: async () => {
      stopper.abort();
      await done.catch(() => undefined);
    },
  };
}

/**
 * Delivers from one server subscription until it fails (throws) or the signal stops it
 * (returns), reporting each delivered batch's last position.
 */
async function pump(
  subscription: StreamSubscription,
  names: LedgerStreamNames,
  after: number,
  { batchSize, maxBytes }: { batchSize: number; maxBytes: number },
  handler: SubscriptionHandler,
  signal: AbortSignal,
  onDelivered: (position: number) => void,
): Promise<void> {
  let cursor = after;
  let failure: unknown = null;
  let ended = false;
  let wake: (() => void) | null = null;
  const notify = (): void => {
    wake?.();
  };
  subscription.on('error', (error: Error) => {
    failure = error;
    notify();
  });
  subscription.on('end', () => {
    ended = true;
    notify();
  });
  subscription.on('readable', notify);
  signal.addEventListener('abort', notify, { once: true });
  try {
    for (;;) {
      if (signal.aborted) return;
      const batch: RecordedEvent[] = [];
      let bytes = 0;
      while (batch.length < batchSize && bytes < maxBytes) {
        const resolved = subscription.read() as ResolvedEvent | null;
        if (resolved === null) break;
        if (!resolved.event) continue;
        const { recorded } = fromLogEvent(resolved.event, names.log);
        const expected = cursor + batch.length + 1;
        if (recorded.position < expected) continue; // already delivered before a reconnect
        if (recorded.position > expected) throw new LogIntegrityError(`subscription skipped from position ${expected - 1} to ${recorded.position}`);
        batch.push(recorded);
        if (maxBytes !== Number.POSITIVE_INFINITY) bytes += storedBytes(recorded);
      }
      if (batch.length > 0) {
        try {
          await handler(batch);
        } catch (error) {
          throw new HandlerFailed(error);
        }
        cursor = batch[batch.length - 1]!.position;
        onDelivered(cursor);
        continue;
      }
      if (failure) throw failure;
      if (ended) throw new StoreUnavailableError('the subscription ended');
      await new Promise<void>((resolve) => {
        wake = resolve;
        if (failure || ended || signal.aborted || subscription.readableLength > 0) resolve();
      });
      wake = null;
    }
  } finally {
    signal.removeEventListener('abort', notify);
  }
}
