import { BACKWARDS, END, FORWARDS, START, StreamNotFoundError, WrongExpectedVersionError, type EventData, type ResolvedEvent } from '@eventstore/db-client';
import type { RecordedEvent } from '@ledger/domain';
import type { EventStoreDbClientLike } from './eventstoredb-client.js';
import {
  chunkBySize,
  expectedRevisionAfter,
  fromLogEvent,
  fromResolvedLink,
  LogIntegrityError,
  type LedgerStreamNames,
  type LogEntry,
} from './eventstoredb-mapping.js';

export type RawReadOptions = {
  fromRevision?: bigint | typeof START | typeof END;
  maxCount?: number;
  direction?: typeof FORWARDS | typeof BACKWARDS;
  resolveLinkTos?: boolean;
};

/**
 * The ledger's streams on the server, as the writer and the reads both use them: raw reads, the
 * log's tail and ranges, the eventId index, and idempotent appends at known revisions.
 */
export class LedgerStreams {
  constructor(
    readonly client: EventStoreDbClientLike,
    readonly names: LedgerStreamNames,
    private readonly maxAppendBytes: number,
  ) {}

  async readRaw(stream: string, options: RawReadOptions): Promise<ResolvedEvent[]> {
    const events: ResolvedEvent[] = [];
    try {
      for await (const resolved of this.client.readStream(stream, { fromRevision: START, direction: FORWARDS, ...options })) {
        events.push(resolved);
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return events;
  }

  /** Revision of the stream's last event, −1 when it has none. */
  async lastRevision(stream: string): Promise<number> {
    const [last] = await this.readRaw(stream, { direction: BACKWARDS, fromRevision: END, maxCount: 1 });
    return last?.event ? Number(last.event.revision) : -1;
  }

  async readTail(): Promise<LogEntry | null> {
    const [last] = await this.readRaw(this.names.log, { direction: BACKWARDS, fromRevision: END, maxCount: 1 });
    return last?.event ? fromLogEvent(last.event, this.names.log) : null;
  }

  async readLogRange(first: number, last: number): Promise<LogEntry[]> {
    const entries: LogEntry[] = [];
    while (entries.length < last - first + 1) {
      const from = first + entries.length;
      const page = await this.readRaw(this.names.log, { fromRevision: BigInt(from - 1), maxCount: Math.min(1_000, last - from + 1) });
      if (page.length === 0) throw new LogIntegrityError(`${this.names.log} has no event at position ${from}`);
      for (const r of page) entries.push(fromLogEvent(r.event!, this.names.log));
    }
    return entries;
  }

  async readByEventId(eventId: string): Promise<RecordedEvent | null> {
    if (!/^[0-9a-f-]{36}$/.test(eventId)) return null;
    const [first] = await this.readRaw(this.names.eventId(eventId), { maxCount: 1, resolveLinkTos: true });
    return first ? fromResolvedLink(first, this.names.log, false).recorded : null;
  }

  /**
   * Appends `events` to `stream` so that events[i] sits at revision firstRevision + i, in chunks
   * within maxAppendBytes. Idempotent: what is already there (written by an earlier attempt, or by
   * another process finishing the same batch) is checked by event ID and data and skipped; anything
   * else at those revisions is an integrity error.
   */
  async appendAt(stream: string, firstRevision: number, events: readonly EventData[]): Promise<void> {
    let done = 0;
    for (let attempt = 0; done < events.length; attempt++) {
      try {
        for (const chunk of chunkBySize(events.slice(done), this.maxAppendBytes)) {
          await this.client.appendToStream(stream, chunk, { expectedRevision: expectedRevisionAfter(firstRevision + done - 1) });
          done += chunk.length;
        }
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError) || attempt > 20) throw error;
        done = await this.alreadyWritten(stream, firstRevision, events);
      }
    }
  }

  /** How many of `events` are already at their revisions; throws if anything else is there. */
  private async alreadyWritten(stream: string, firstRevision: number, events: readonly EventData[]): Promise<number> {
    const last = await this.lastRevision(stream);
    if (last < firstRevision - 1) {
      throw new LogIntegrityError(`${stream} ends at revision ${last}, before ${firstRevision - 1}: an earlier batch was not fanned out`);
    }
    const present = Math.min(last - firstRevision + 1, events.length);
    if (present <= 0) return 0;
    const existing = await this.readRaw(stream, { fromRevision: BigInt(firstRevision), maxCount: present });
    existing.forEach((resolved, i) => {
      const found = resolved.event;
      const wanted = events[i]!;
      if (!found || found.id !== wanted.id || found.type !== wanted.type || !sameData(found.data, wanted.data)) {
        throw new LogIntegrityError(`${stream}@${firstRevision + i} holds ${found?.id ?? 'nothing'}, not ${wanted.id}: written behind the ledger`);
      }
    });
    return present;
  }
}

function sameData(found: unknown, wanted: unknown): boolean {
  if (found instanceof Uint8Array || wanted instanceof Uint8Array) {
    return found instanceof Uint8Array && wanted instanceof Uint8Array && Buffer.from(found).equals(Buffer.from(wanted));
  }
  return JSON.stringify(found) === JSON.stringify(wanted);
}

/** Waits `ms`, or less when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** `fn` over `items` with at most `limit` in flight, results in input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  });
  await Promise.all(workers);
  return results;
}
