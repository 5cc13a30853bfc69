import { EventStoreDBClient } from '@eventstore/db-client';
import { instant, StoreUnavailableError, type LedgerEvent, type RecordedEvent } from '@ledger/domain';
import type {
  AppendedEvent,
  AppendOptions,
  EventStore,
  ReadAllOptions,
  ReadInOrderOptions,
  ReadStreamOptions,
  Subscription,
  SubscribeOptions,
  SubscriptionHandler,
} from '../event-store.port.js';
import { GroupCommitQueue } from '../group-commit.js';
import { inOrderAfter, leadingWithinBytes } from '../stored-event.js';
import type { EventStoreDbClientLike } from './eventstoredb-client.js';
import { LogWriter } from './eventstoredb-log-writer.js';
import {
  clientConnectionString,
  fromLogEvent,
  fromResolvedLink,
  ledgerStreamNames,
  LogIntegrityError,
  mapClientError,
  parseLinkData,
  positionOfRevision,
  type LedgerStreamNames,
} from './eventstoredb-mapping.js';
import { LedgerStreams, mapLimit } from './eventstoredb-streams.js';
import { subscribeToLog } from './eventstoredb-subscription.js';

export type { EventStoreDbClientLike };

export interface EventStoreDbEventStoreOptions {
  /** Ledger clock (epoch ms); recordedAt never goes backwards even if it does. */
  clock?: () => number;
  /** Prefix of the ledger's own streams (`<prefix>.log`, `<prefix>.id-…`, …). Default `ledger`. */
  prefix?: string;
  /** Events per log append when concurrent appends are coalesced. */
  maxGroupEvents?: number;
  /**
   * Largest append sent to the server, in bytes of data + metadata. Keep it under the server's
   * MaxAppendSize (default 1 MiB, at most 16 MiB); a batch larger than this is staged (see docs).
   */
  maxAppendBytes?: number;
  /** Reads and appends in flight at once for eventId lookups and fan-out. */
  concurrency?: number;
  /** Replans of one append when other processes keep moving the log. */
  maxContentionRetries?: number;
  /** First delay before a dropped subscription reconnects; doubles up to 5 s. */
  reconnectDelayMs?: number;
  /** Dispose the client on close (true when the store created it). */
  ownsClient?: boolean;
}

/**
 * The EventStoreDB (KurrentDB) adapter of the EventStore port. See docs/eventstoredb.md.
 *
 * - The log stream `<prefix>.log` holds every ledger event once, revision = position − 1: the
 *   contiguous global order the Merkle log reads. One append of a batch to it, with the log's
 *   expected revision, is the commit point: atomic, and it serializes writers in every process
 *   (a writer that finds the log moved replans). Concurrent appends of this process are coalesced
 *   into one log append (group commit).
 * - After the commit, the batch is fanned out as links: to the streams of docs/events.md
 *   (`record-<contractId>-<recordId>`, `contract-<contractId>`: revision = stream version), to one
 *   stream per eventId (the global idempotency index) and to one index stream per contract. Every
 *   fan-out append has a deterministic expected revision, so repeating it is idempotent.
 * - A crash between commit and the end of fan-out leaves a committed batch whose links are
 *   missing. Only the log's last batch can be in that state: every writer completes it (from the
 *   log) before it plans its own append, and open() does too. The eventId stream of the batch's
 *   last event is written after everything else: its presence proves the batch complete.
 * - A batch too large for one append is written to a staging stream first, then to the log in
 *   chunks; a crash between chunks is rolled forward from the staging stream by the next writer.
 *
 * The commit path is eventstoredb-log-writer.ts, the raw stream access eventstoredb-streams.ts,
 * the catch-up subscription eventstoredb-subscription.ts; this class wires them to the port.
 */
export class EventStoreDbEventStore implements EventStore {
  private readonly names: LedgerStreamNames;
  private readonly concurrency: number;
  private readonly reconnectDelayMs: number;
  private readonly streams: LedgerStreams;
  private readonly logWriter: LogWriter;
  private readonly writer: GroupCommitQueue;
  private closed = false;
  private readonly subscriptions = new Set<Subscription>();

  constructor(
    private readonly client: EventStoreDbClientLike,
    private readonly options: EventStoreDbEventStoreOptions = {},
  ) {
    this.names = ledgerStreamNames(options.prefix);
    this.concurrency = options.concurrency ?? 64;
    this.reconnectDelayMs = options.reconnectDelayMs ?? 250;
    const maxAppendBytes = options.maxAppendBytes ?? 900_000;
    this.streams = new LedgerStreams(client, this.names, maxAppendBytes);
    this.logWriter = new LogWriter(this.streams, {
      clock: options.clock ?? Date.now,
      maxAppendBytes,
      concurrency: this.concurrency,
      maxContentionRetries: options.maxContentionRetries ?? 100,
    });
    this.writer = new GroupCommitQueue((group) => this.logWriter.commitGroup(group), options.maxGroupEvents ?? 10_000);
  }

  /** Connects with an EVENTSTORE_URL (`esdb://…`, `esdb+discover://…` or `kurrentdb://…`) and opens the log. */
  static async connect(url: string, options: Omit<EventStoreDbEventStoreOptions, 'ownsClient'> = {}): Promise<EventStoreDbEventStore> {
    const client = EventStoreDBClient.connectionString(clientConnectionString(url));
    const store = new EventStoreDbEventStore(client, { ...options, ownsClient: true });
    try {
      await store.open();
    } catch (error) {
      await client.dispose().catch(() => undefined);
      throw error;
    }
    return store;
  }

  /**
   * Checks that the log may never be truncated by scavenging (no $maxAge, $maxCount or $tb on it)
   * and finishes the fan-out of a batch a crash interrupted.
   */
  async open(): Promise<void> {
    try {
      const { metadata } = await this.client.getStreamMetadata(this.names.log);
      if (metadata && (metadata.maxAge !== undefined || metadata.maxCount !== undefined || metadata.truncateBefore !== undefined)) {
        throw new LogIntegrityError(
          `${this.names.log} has $maxAge, $maxCount or $tb in its stream metadata: scavenging would delete ledger events. ` +
            'Remove them (docs/eventstoredb.md, "Scavenging") before the ledger uses this log.',
        );
      }
      await this.logWriter.completeTail(await this.streams.readTail());
    } catch (error) {
      throw mapClientError(error, 'opening the ledger log');
    }
  }

  // ---------------------------------------------------------------- append

  append(events: readonly LedgerEvent[], options: AppendOptions = {}): Promise<AppendedEvent[]> {
    if (this.closed) return Promise.reject(new StoreUnavailableError('the event store is closed'));
    if (events.length === 0) return Promise.resolve([]);
    return this.writer.enqueue(events, options);
  }

  // ---------------------------------------------------------------- reads

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const resolved = await this.guard('readStream', () =>
      this.streams.readRaw(streamId, {
        fromRevision: BigInt(options.fromVersion ?? 0),
        maxCount: options.limit ?? Number.MAX_SAFE_INTEGER,
        resolveLinkTos: true,
      }),
    );
    return resolved.map((r) => fromResolvedLink(r, this.names.log, true).recorded);
  }

  /**
   * EventStoreDB cannot read a stream by occurredAt: this reads the stream and sorts it, so it
   * costs the stream's length (docs/eventstoredb.md "Reads in judgement order"). The read models
   * that answer for long streams live in PostgreSQL either way.
   */
  async readStreamInOrder(streamId: string, options: ReadInOrderOptions): Promise<RecordedEvent[]> {
    const all = await this.readStream(streamId);
    const until = options.untilAt ?? Number.POSITIVE_INFINITY;
    const maxPosition = options.maxPosition ?? Number.MAX_SAFE_INTEGER;
    const within = all.filter((e) => e.position <= maxPosition && instant(e.event.occurredAt) <= until);
    const ordered = inOrderAfter(within, options.after ?? { at: Number.NEGATIVE_INFINITY, pos: 0 });
    if (ordered.length <= options.limit) return ordered;
    const lastMs = instant(ordered[options.limit - 1]!.event.occurredAt);
    let end = options.limit;
    while (end < ordered.length && instant(ordered[end]!.event.occurredAt) === lastMs) end++;
    return ordered.slice(0, end);
  }

  async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    if (options.limit <= 0) return [];
    if (options.contractId !== undefined) return leadingWithinBytes(await this.readContract(options.contractId, options.after, options.limit), options.maxBytes);
    const page = await this.guard('readAll', () =>
      this.streams.readRaw(this.names.log, { fromRevision: BigInt(Math.max(0, options.after)), maxCount: options.limit }),
    );
    return leadingWithinBytes(page.map((r) => fromLogEvent(r.event!, this.names.log).recorded), options.maxBytes);
  }

  /** One contract's events after a position: its index stream, entered by binary search on positions. */
  private async readContract(contractId: string, after: number, limit: number): Promise<RecordedEvent[]> {
    const stream = this.names.contract(contractId);
    return this.guard('readAll', async () => {
      const last = await this.streams.lastRevision(stream);
      if (last < 0) return [];
      let lo = 0;
      let hi = last + 1;
      while (lo < hi) {
        const mid = Math.floor((lo + hi) / 2);
        const [probe] = await this.streams.readRaw(stream, { fromRevision: BigInt(mid), maxCount: 1 });
        if (positionOfRevision(parseLinkData(probe!.event!.data).revision) > after) hi = mid;
        else lo = mid + 1;
      }
      if (lo > last) return [];
      const page = await this.streams.readRaw(stream, { fromRevision: BigInt(lo), maxCount: limit, resolveLinkTos: true });
      return page.map((r) => fromResolvedLink(r, this.names.log, false).recorded);
    });
  }

  async readByEventIds(eventIds: readonly string[]): Promise<RecordedEvent[]> {
    const unique = [...new Set(eventIds.map((id) => id.toLowerCase()))];
    const found = await this.guard('readByEventIds', () => mapLimit(unique, this.concurrency, (id) => this.streams.readByEventId(id)));
    return found.filter((r): r is RecordedEvent => r !== null).sort((a, b) => a.position - b.position);
  }

  async streamVersion(streamId: string): Promise<number | null> {
    const last = await this.guard('streamVersion', () => this.streams.lastRevision(streamId));
    return last < 0 ? null : last;
  }

  async headPosition(): Promise<number> {
    const last = await this.guard('headPosition', () => this.streams.lastRevision(this.names.log));
    return last + 1;
  }

  private async guard<T>(action: string, run: () => Promise<T>): Promise<T> {
    if (this.closed) throw new StoreUnavailableError('the event store is closed');
    try {
      return await run();
    } catch (error) {
      throw mapClientError(error, action);
    }
  }

  // ---------------------------------------------------------------- subscriptions

  /** A catch-up subscription to the log (eventstoredb-subscription.ts), stopped when the store closes. */
  subscribe(options: SubscribeOptions, handler: SubscriptionHandler): Subscription {
    const inner = subscribeToLog(this.client, this.names, { reconnectDelayMs: this.reconnectDelayMs, isClosed: () => this.closed }, options, handler);
    const subscription: Subscription = {
      done: inner.done,
      stop: async () => {
        await inner.stop();
        this.subscriptions.delete(subscription);
      },
    };
    this.subscriptions.add(subscription);
    inner.done.catch(() => undefined).finally(() => this.subscriptions.delete(subscription));
    return subscription;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    await this.writer.settled();
    if (this.options.ownsClient) await this.client.dispose().catch(() => undefined);
  }
}

