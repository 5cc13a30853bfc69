import { randomUUID } from 'node:crypto';
import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  type EventData,
  type ResolvedEvent,
  type StreamSubscription,
} from '@eventstore/db-client';
import {
  instant,
  isoUtc,
  LedgerError,
  StoreUnavailableError,
  type LedgerEvent,
  type RecordedEvent,
} from '@ledger/domain';
import { appendedFromRecorded, planAppend, type KnownEvent, type PlannedRow, type PlanState, type PlannedStreamHead } from '../append-plan.js';
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
import { GroupCommitQueue, type PendingAppend } from '../group-commit.js';
import { inOrderAfter, leadingWithinBytes, storedBytes, streamIdOf } from '../stored-event.js';
import {
  chunkBySize,
  clientConnectionString,
  expectedRevisionAfter,
  fromLogEvent,
  fromResolvedLink,
  isTransientClientError,
  ledgerStreamNames,
  LogIntegrityError,
  mapClientError,
  parseLinkData,
  positionOfRevision,
  toLinkEventData,
  toLogEventData,
  type LedgerStreamNames,
  type LogEntry,
  type LogEventMeta,
} from './eventstoredb-mapping.js';

/** The part of the 6.x client the adapter uses (an emulation of it runs the contract suite without a server). */
export type EventStoreDbClientLike = Pick<
  EventStoreDBClient,
  'appendToStream' | 'readStream' | 'subscribeToStream' | 'getStreamMetadata' | 'deleteStream' | 'dispose'
>;

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


/** A row with what the log stores beside it. */
interface CommittedRow {
  recorded: RecordedEvent;
  meta: LogEventMeta;
}

/** The log moved under a planned append: another writer committed first. Replan. */
class LogMoved extends Error {}

/** The subscriber's handler threw: stop and report, never reconnect. */
class HandlerFailed extends Error {
  constructor(readonly reason: unknown) {
    super('subscription handler failed');
  }
}

const MAX_RECONNECT_DELAY_MS = 5_000;

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
 */
export class EventStoreDbEventStore implements EventStore {
  private readonly names: LedgerStreamNames;
  private readonly clock: () => number;
  private readonly maxAppendBytes: number;
  private readonly concurrency: number;
  private readonly maxContentionRetries: number;
  private readonly reconnectDelayMs: number;
  private readonly writer: GroupCommitQueue;
  private closed = false;
  private readonly subscriptions = new Set<Subscription>();
  /** Position through which this process knows every batch is fanned out. */
  private completeThrough = 0;

  constructor(
    private readonly client: EventStoreDbClientLike,
    private readonly options: EventStoreDbEventStoreOptions = {},
  ) {
    this.names = ledgerStreamNames(options.prefix);
    this.clock = options.clock ?? Date.now;
    this.writer = new GroupCommitQueue((group) => this.commitGroup(group), options.maxGroupEvents ?? 10_000);
    this.maxAppendBytes = options.maxAppendBytes ?? 900_000;
    this.concurrency = options.concurrency ?? 64;
    this.maxContentionRetries = options.maxContentionRetries ?? 100;
    this.reconnectDelayMs = options.reconnectDelayMs ?? 250;
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
      await this.completeTail(await this.readTail());
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

  private async commitGroup(group: PendingAppend[]): Promise<void> {
    let outcomes: Array<AppendedEvent[] | LedgerError> | undefined;
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          outcomes = await this.tryCommit(group);
          break;
        } catch (error) {
          if (!(error instanceof LogMoved)) throw error;
          if (attempt >= this.maxContentionRetries) {
            throw new StoreUnavailableError(`the ledger log kept moving under this append (${attempt + 1} attempts): too many concurrent writers`);
          }
          await sleep(Math.random() * Math.min(50, 2 + attempt * 2));
        }
      }
    } catch (error) {
      const failure = mapClientError(error, 'append');
      for (const request of group) request.reject(failure);
      return;
    }
    group.forEach((request, i) => {
      const outcome = outcomes![i]!;
      if (outcome instanceof LedgerError) request.reject(outcome);
      else request.resolve(outcome);
    });
  }

  /** One attempt: load the state after the log's head, plan, commit to the log, fan out. */
  private async tryCommit(group: PendingAppend[]): Promise<Array<AppendedEvent[] | LedgerError>> {
    // The log's head first, then everything read for planning: whatever commits after the head
    // was read makes the log append below fail, so the plan never rests on a stale read.
    const tail = await this.readTail();
    await this.completeTail(tail);
    const head = tail ? tail.meta.last : 0;
    const lastRecordedAt = tail ? Date.parse(tail.recorded.recordedAt) : 0;
    const eventIds = new Set<string>();
    const streamIds = new Set<string>();
    for (const request of group) {
      for (const event of request.events) {
        eventIds.add(event.eventId.toLowerCase());
        streamIds.add(streamIdOf(event));
      }
    }
    const [known, heads] = await Promise.all([this.lookUpEventIds([...eventIds]), this.readStreamHeads([...streamIds])]);
    const state: PlanState = {
      position: head,
      recordedAt: isoUtc(Math.max(this.clock(), lastRecordedAt)),
      heads,
      known,
      rows: [],
    };
    const outcomes = group.map((request) => planAppend(request, state));
    if (state.rows.length === 0) return outcomes;

    const committed = await this.assignContractSeqs(state.rows, head);
    await this.commitToLog(committed, head);
    await this.fanOut(committed);
    this.completeThrough = Math.max(this.completeThrough, committed.at(-1)!.meta.last);
    return outcomes;
  }

  private async assignContractSeqs(rows: PlannedRow[], head: number): Promise<Array<CommittedRow & { row: PlannedRow }>> {
    const contracts = [...new Set(rows.map((r) => r.event.contractId))];
    const last = await mapLimit(contracts, this.concurrency, async (c) => [c, await this.lastRevision(this.names.contract(c))] as const);
    const next = new Map(last.map(([c, revision]) => [c, revision + 1]));
    const batch = randomUUID();
    const first = head + 1;
    const lastPosition = head + rows.length;
    return rows.map((row) => {
      const contractSeq = next.get(row.event.contractId)!;
      next.set(row.event.contractId, contractSeq + 1);
      const meta: LogEventMeta = { hash: row.hash, batch, first, last: lastPosition, contractSeq };
      const recorded: RecordedEvent = {
        event: row.event,
        streamId: row.streamId,
        streamVersion: row.streamVersion,
        position: row.position,
        recordedAt: row.recordedAt,
        prevHash: row.prevHash,
        hash: row.hash,
      };
      return { row, recorded, meta };
    });
  }

  /** The commit point. One atomic append when the batch fits; else staging stream, then chunks. */
  private async commitToLog(rows: Array<CommittedRow & { row: PlannedRow }>, head: number): Promise<void> {
    let events = rows.map(({ row, meta }) => toLogEventData(row, meta));
    const chunks = chunkBySize(events, this.maxAppendBytes);
    if (chunks.length === 1) {
      await this.appendToLog(events, head);
      return;
    }
    // Staged: mark every event, write the whole batch to its staging stream (not atomic, not
    // visible to anyone), then the log chunk by chunk. Once the first chunk is in the log, the
    // batch is committed: whoever finds it incomplete finishes it from the staging stream.
    for (const r of rows) r.meta.staged = true;
    events = rows.map(({ row, meta }) => toLogEventData(row, meta));
    const staging = this.names.staging(rows[0]!.meta.batch);
    await this.appendLinksOrEvents(staging, 0, events);
    try {
      await this.appendToLog(chunkBySize(events, this.maxAppendBytes)[0]!, head);
    } catch (error) {
      await this.client.deleteStream(staging).catch(() => undefined);
      throw error;
    }
    await this.appendLinksOrEvents(this.names.log, head, events);
  }

  private async appendToLog(events: EventData[], head: number): Promise<void> {
    try {
      await this.client.appendToStream(this.names.log, events, { expectedRevision: expectedRevisionAfter(head - 1) });
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) throw new LogMoved();
      throw error;
    }
  }

  /**
   * Appends `events` to `stream` so that events[i] sits at revision firstRevision + i, in chunks
   * within maxAppendBytes. Idempotent: what is already there (written by an earlier attempt, or by
   * another process finishing the same batch) is checked by event ID and data and skipped; anything
   * else at those revisions is an integrity error.
   */
  private async appendLinksOrEvents(stream: string, firstRevision: number, events: readonly EventData[]): Promise<void> {
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

  /** Links of committed rows to every stream that indexes them; the last event's eventId stream last. */
  private async fanOut(rows: readonly CommittedRow[]): Promise<void> {
    const byStream = new Map<string, { first: number; links: EventData[] }>();
    const byContract = new Map<string, { first: number; links: EventData[] }>();
    const link = (r: CommittedRow): EventData =>
      toLinkEventData(r.recorded.event.eventId, BigInt(r.recorded.position - 1), this.names.log);
    for (const r of rows) {
      const s = byStream.get(r.recorded.streamId) ?? { first: r.recorded.streamVersion, links: [] };
      s.links.push(link(r));
      byStream.set(r.recorded.streamId, s);
      const contract = this.names.contract(r.recorded.event.contractId);
      const c = byContract.get(contract) ?? { first: r.meta.contractSeq, links: [] };
      c.links.push(link(r));
      byContract.set(contract, c);
    }
    const marker = rows[rows.length - 1]!;
    const jobs: Array<() => Promise<void>> = [];
    for (const [stream, { first, links }] of [...byStream, ...byContract]) {
      jobs.push(() => this.appendLinksOrEvents(stream, first, links));
    }
    for (const r of rows.slice(0, -1)) {
      jobs.push(() => this.appendLinksOrEvents(this.names.eventId(r.recorded.event.eventId), 0, [link(r)]));
    }
    await mapLimit(jobs, this.concurrency, (job) => job());
    await this.appendLinksOrEvents(this.names.eventId(marker.recorded.event.eventId), 0, [link(marker)]);
  }

  /**
   * Makes the log's last batch complete: rolls a staged batch forward from its staging stream and
   * writes any missing links. Cheap when this process knows the batch complete or when the
   * batch's marker (the eventId stream of its last event) exists.
   */
  private async completeTail(tail: LogEntry | null): Promise<void> {
    if (!tail) return;
    const { meta } = tail;
    if (this.completeThrough >= meta.last) return;
    let last = tail;
    if (tail.recorded.position < meta.last) {
      if (!meta.staged) throw new LogIntegrityError(`${this.names.log} ends inside batch ${meta.batch} that was not staged`);
      const staged = (await this.readRaw(this.names.staging(meta.batch), { fromRevision: BigInt(tail.recorded.position - meta.first + 1) })).map(
        (r) => r.event!,
      );
      if (staged.length !== meta.last - tail.recorded.position) {
        throw new LogIntegrityError(`staging stream of batch ${meta.batch} is incomplete: cannot finish the committed batch`);
      }
      const events = staged.map((e) => ({ id: e.id, type: e.type, contentType: 'application/json', data: e.data, metadata: e.metadata }) as EventData);
      await this.appendLinksOrEvents(this.names.log, tail.recorded.position, events);
      last = (await this.readTail())!;
    }
    const markerPresent = (await this.lastRevision(this.names.eventId(last.recorded.event.eventId))) >= 0;
    if (!markerPresent) {
      const batch = await this.readLogRange(meta.first, meta.last);
      await this.fanOut(batch);
    }
    if (meta.staged) await this.client.deleteStream(this.names.staging(meta.batch)).catch(() => undefined);
    this.completeThrough = Math.max(this.completeThrough, meta.last);
  }

  private async readLogRange(first: number, last: number): Promise<LogEntry[]> {
    const entries: LogEntry[] = [];
    while (entries.length < last - first + 1) {
      const from = first + entries.length;
      const page = await this.readRaw(this.names.log, { fromRevision: BigInt(from - 1), maxCount: Math.min(1_000, last - from + 1) });
      if (page.length === 0) throw new LogIntegrityError(`${this.names.log} has no event at position ${from}`);
      for (const r of page) entries.push(fromLogEvent(r.event!, this.names.log));
    }
    return entries;
  }

  private async readTail(): Promise<LogEntry | null> {
    const [last] = await this.readRaw(this.names.log, { direction: BACKWARDS, fromRevision: END, maxCount: 1 });
    return last?.event ? fromLogEvent(last.event, this.names.log) : null;
  }

  private async lookUpEventIds(eventIds: string[]): Promise<Map<string, KnownEvent>> {
    const found = await mapLimit(eventIds, this.concurrency, (id) => this.readByEventId(id));
    const known = new Map<string, KnownEvent>();
    for (const recorded of found) {
      if (recorded) known.set(recorded.event.eventId, { event: recorded.event, result: appendedFromRecorded(recorded, 'duplicate') });
    }
    return known;
  }

  private async readStreamHeads(streamIds: string[]): Promise<Map<string, PlannedStreamHead | null>> {
    const heads = await mapLimit(streamIds, this.concurrency, async (id) => {
      const [last] = await this.readRaw(id, { direction: BACKWARDS, fromRevision: END, maxCount: 1, resolveLinkTos: true });
      if (!last) return [id, null] as const;
      const { recorded } = fromResolvedLink(last, this.names.log, true);
      return [id, { version: recorded.streamVersion, hash: recorded.hash }] as const;
    });
    return new Map(heads);
  }

  // ---------------------------------------------------------------- reads

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const resolved = await this.guard('readStream', () =>
      this.readRaw(streamId, {
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
      this.readRaw(this.names.log, { fromRevision: BigInt(Math.max(0, options.after)), maxCount: options.limit }),
    );
    return leadingWithinBytes(page.map((r) => fromLogEvent(r.event!, this.names.log).recorded), options.maxBytes);
  }

  /** One contract's events after a position: its index stream, entered by binary search on positions. */
  private async readContract(contractId: string, after: number, limit: number): Promise<RecordedEvent[]> {
    const stream = this.names.contract(contractId);
    return this.guard('readAll', async () => {
      const last = await this.lastRevision(stream);
      if (last < 0) return [];
      let lo = 0;
      let hi = last + 1;
      while (lo < hi) {
        const mid = Math.floor((lo + hi) / 2);
        const [probe] = await this.readRaw(stream, { fromRevision: BigInt(mid), maxCount: 1 });
        if (positionOfRevision(parseLinkData(probe!.event!.data).revision) > after) hi = mid;
        else lo = mid + 1;
      }
      if (lo > last) return [];
      const page = await this.readRaw(stream, { fromRevision: BigInt(lo), maxCount: limit, resolveLinkTos: true });
      return page.map((r) => fromResolvedLink(r, this.names.log, false).recorded);
    });
  }

  async readByEventIds(eventIds: readonly string[]): Promise<RecordedEvent[]> {
    const unique = [...new Set(eventIds.map((id) => id.toLowerCase()))];
    const found = await this.guard('readByEventIds', () => mapLimit(unique, this.concurrency, (id) => this.readByEventId(id)));
    return found.filter((r): r is RecordedEvent => r !== null).sort((a, b) => a.position - b.position);
  }

  private async readByEventId(eventId: string): Promise<RecordedEvent | null> {
    if (!/^[0-9a-f-]{36}$/.test(eventId)) return null;
    const [first] = await this.readRaw(this.names.eventId(eventId), { maxCount: 1, resolveLinkTos: true });
    return first ? fromResolvedLink(first, this.names.log, false).recorded : null;
  }

  async streamVersion(streamId: string): Promise<number | null> {
    const last = await this.guard('streamVersion', () => this.lastRevision(streamId));
    return last < 0 ? null : last;
  }

  async headPosition(): Promise<number> {
    const last = await this.guard('headPosition', () => this.lastRevision(this.names.log));
    return last + 1;
  }

  /** Revision of the stream's last event, −1 when it has none. */
  private async lastRevision(stream: string): Promise<number> {
    const [last] = await this.readRaw(stream, { direction: BACKWARDS, fromRevision: END, maxCount: 1 });
    return last?.event ? Number(last.event.revision) : -1;
  }

  private async readRaw(
    stream: string,
    options: { fromRevision?: bigint | typeof START | typeof END; maxCount?: number; direction?: typeof FORWARDS | typeof BACKWARDS; resolveLinkTos?: boolean },
  ): Promise<ResolvedEvent[]> {
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

  private async guard<T>(action: string, run: () => Promise<T>): Promise<T> {
    if (this.closed) throw new StoreUnavailableError('the event store is closed');
    try {
      return await run();
    } catch (error) {
      throw mapClientError(error, action);
    }
  }

  // ---------------------------------------------------------------- subscriptions

  /**
   * A catch-up subscription to the log from `after`: first what is stored, then each event as it
   * commits, in position order, batched up to batchSize while more is ready. When the connection
   * drops (server restart, leader change), it resubscribes from the last position it delivered (its
   * checkpoint), with back-off; duplicates from the server are dropped and a gap is an error.
   */
  subscribe(options: SubscribeOptions, handler: SubscriptionHandler): Subscription {
    const stopper = new AbortController();
    const signal = options.signal ? AbortSignal.any([stopper.signal, options.signal]) : stopper.signal;
    const batchSize = options.batchSize ?? 1_000;
    const run = async (): Promise<void> => {
      let cursor = options.after;
      let delay = this.reconnectDelayMs;
      while (!signal.aborted && !this.closed) {
        const subscription = this.client.subscribeToStream(this.names.log, {
          fromRevision: cursor <= 0 ? START : BigInt(cursor - 1),
        });
        try {
          await this.pump(subscription, cursor, { batchSize, maxBytes: options.maxBytes ?? Number.POSITIVE_INFINITY }, handler, signal, (position) => {
            cursor = position; // the checkpoint a reconnect resumes from
            delay = this.reconnectDelayMs;
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
    const subscription: Subscription = {
      done,
      stop: async () => {
        stopper.abort();
        await done.catch(() => undefined);
        this.subscriptions.delete(subscription);
      },
    };
    this.subscriptions.add(subscription);
    done.catch(() => undefined).finally(() => this.subscriptions.delete(subscription));
    return subscription;
  }

  /**
   * Delivers from one server subscription until it fails (throws) or the signal stops it
   * (returns), reporting each delivered batch's last position.
   */
  private async pump(
    subscription: StreamSubscription,
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
          const { recorded } = fromLogEvent(resolved.event, this.names.log);
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

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    await this.writer.settled();
    if (this.options.ownsClient) await this.client.dispose().catch(() => undefined);
  }
}

function sameData(found: unknown, wanted: unknown): boolean {
  if (found instanceof Uint8Array || wanted instanceof Uint8Array) {
    return found instanceof Uint8Array && wanted instanceof Uint8Array && Buffer.from(found).equals(Buffer.from(wanted));
  }
  return JSON.stringify(found) === JSON.stringify(wanted);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
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
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
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

