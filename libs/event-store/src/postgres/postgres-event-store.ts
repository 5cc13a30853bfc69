import { EventEmitter } from 'node:events';
import pg from 'pg';
import { ADVISORY_LOCKS, isDatabaseUnavailable, isRefusedValue } from '@ledger/database';
import {
  InvalidEventsError,
  StoreUnavailableError,
  instant,
  isoUtc,
  rememberLast,
  LedgerError,
  type LedgerEvent,
  type RecordedEvent,
} from '@ledger/domain';
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
import { decodeStoredEvent, inOrderAfter, prepareEvent, streamIdOf } from '../stored-event.js';
import { appendedFromRecorded, planAppend, type KnownEvent, type PlannedStreamHead, type PlanState } from '../append-plan.js';
import { copyIn } from './copy-in.js';
import { encodeEventRows, EVENT_ROW_COLUMNS, UnstorableValueError } from './event-rows.js';

/** Serializes every writer of the log, in this process and in any other (CLI, second API). */
const APPEND_LOCK = ADVISORY_LOCKS.append;
const NOTIFY_CHANNEL = 'ledger_events';

export interface PostgresEventStoreOptions {
  /** Ledger clock (epoch ms); recordedAt never goes backwards even if it does. */
  clock?: () => number;
  /** Events per shared transaction when concurrent appends are coalesced. */
  maxGroupEvents?: number;
  /** Poll interval of subscriptions when no notification arrives (ms). */
  pollIntervalMs?: number;
  /** Test seam: runs inside the append transaction just before COMMIT. */
  beforeCommit?: (positions: { first: number; last: number }) => Promise<void>;
  /** Where failed writes are described for the operator (clients never see database text). */
  log?: (line: string) => void;
}


/** A stored row's text and the columns that complete it (storedText: the text may be the producer's event alone). */
const EVENT_COLUMNS = `canonical, encode(hash, 'hex') AS hash, position::text AS pos, stream_id, stream_version,
  (extract(epoch FROM recorded_at) * 1000)::bigint::text AS recorded_ms, encode(prev_hash, 'hex') AS prev_hash`;
const SELECT_EVENT = `SELECT ${EVENT_COLUMNS} FROM ledger_events`;

/**
 * Bytes of an event's full stored form from its row: the stored text and the metadata members
 * spliceMetadata adds (`,"position":N,"prevHash":null|"64 hex","recordedAt":"24 characters",
 * "streamId":"…","streamVersion":N`).
 */
export const STORED_FORM_BYTES = `(octet_length(canonical) + 95 + length(position::text) + CASE WHEN prev_hash IS NULL THEN 4 ELSE 66 END
  + octet_length(stream_id) + length(stream_version::text))`;

interface EventRow {
  canonical: string;
  hash: string;
  pos: string;
  stream_id: string;
  stream_version: number;
  recorded_ms: string;
  prev_hash: string | null;
}

/** recordedAt's text from its column: runs of events share one (their group commit's). */
const recordedText = rememberLast((ms: string) => isoUtc(Number(ms)));

function decodeRow(row: EventRow): RecordedEvent {
  return decodeStoredEvent(row.canonical, row.hash, {
    streamId: row.stream_id,
    streamVersion: row.stream_version,
    position: Number(row.pos),
    recordedAt: recordedText(row.recorded_ms),
    prevHash: row.prev_hash,
  });
}

/**
 * The PostgreSQL adapter. Appends go through one writer: concurrent append calls are coalesced
 * into shared transactions (group commit) that take an advisory lock, so positions are assigned
 * and committed strictly in order and a reader following `position > n` can never skip one.
 */
export class PostgresEventStore implements EventStore {
  private readonly writer: GroupCommitQueue;
  private readonly clock: () => number;
  private readonly pollIntervalMs: number;
  private readonly notifications = new EventEmitter();
  private listener: pg.Client | null = null;
  private listenerStarting: Promise<void> | null = null;
  private readonly subscriptions = new Set<Subscription>();
  private closed = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly options: PostgresEventStoreOptions = {},
  ) {
    this.clock = options.clock ?? Date.now;
    this.writer = new GroupCommitQueue((group) => this.commitGroup(group), options.maxGroupEvents ?? 10_000);
    this.pollIntervalMs = options.pollIntervalMs ?? 1_000;
    this.notifications.setMaxListeners(0);
  }

  append(events: readonly LedgerEvent[], options: AppendOptions = {}): Promise<AppendedEvent[]> {
    if (this.closed) return Promise.reject(new StoreUnavailableError('the event store is closed'));
    if (events.length === 0) return Promise.resolve([]);
    // The per-event work that does not depend on the log's state is done here, outside the lock.
    return this.writer.enqueue(events, options, events.map(prepareEvent));
  }

  private async commitGroup(group: PendingAppend[]): Promise<void> {
    const outcomes: Array<AppendedEvent[] | LedgerError> = [];
    let client: pg.PoolClient | undefined;
    try {
      client = await this.pool.connect();
      // Two round trips per shared transaction: [BEGIN, lock, read] and [write, notify, COMMIT].
      const state = await this.lockAndLoadState(client, group);
      for (const request of group) {
        outcomes.push(planAppend(request, state));
      }
      if (state.rows.length > 0) {
        const last = state.rows[state.rows.length - 1]!.position;
        const copy = `COPY ledger_events (${EVENT_ROW_COLUMNS}) FROM STDIN (FORMAT binary)`;
        // Subscribers are told at commit (a notification is delivered only if the transaction commits).
        const commit = `SELECT pg_notify('${NOTIFY_CHANNEL}', '${last}'); COMMIT`;
        if (this.options.beforeCommit) {
          await copyIn(client, copy, encodeEventRows(state.rows));
          await this.options.beforeCommit({ first: state.rows[0]!.position, last });
          await client.query(commit);
        } else {
          await copyIn(client, `${copy}; ${commit}`, encodeEventRows(state.rows));
        }
      } else {
        await client.query('COMMIT');
      }
    } catch (error) {
      await client?.query('ROLLBACK').catch(() => undefined);
      client?.release(true);
      client = undefined;
      if (error instanceof LedgerError) {
        for (const request of group) request.reject(error);
      } else if (group.length > 1 && !isDatabaseUnavailable(error)) {
        // One request's value broke the shared transaction: each member again on its own, so
        // only the faulty one fails.
        for (const request of group) await this.commitGroup([request]);
      } else {
        for (const request of group) request.reject(this.clientError(error));
      }
      return;
    } finally {
      client?.release();
    }
    group.forEach((request, i) => {
      const outcome = outcomes[i]!;
      if (outcome instanceof LedgerError) request.reject(outcome);
      else request.resolve(outcome);
    });
  }

  /** What a client learns of a failed write: its kind, never the database's words. */
  private clientError(error: unknown): LedgerError {
    if (isRefusedValue(error)) {
      this.options.log?.(`append refused by PostgreSQL: ${String(error)}`);
      return new InvalidEventsError([
        { index: null, field: '', rule: 'storable', message: 'the database refused a value of these events (nothing was written)' },
      ]);
    }
    if (!isDatabaseUnavailable(error)) this.options.log?.(`append failed: ${String(error)}`);
    return new StoreUnavailableError('the event store is unavailable; nothing was written, retry later');
  }

  /**
   * Opens the transaction, takes the log's lock, then reads the log's head, the events already
   * holding these eventIds and the heads of these streams: one message of three statements. The
   * read is its own statement after the lock: each statement of a READ COMMITTED transaction takes
   * its snapshot when it starts, so it sees every transaction that held the lock before.
   */
  private async lockAndLoadState(client: pg.PoolClient, group: PendingAppend[]): Promise<PlanState> {
    const eventIds = new Set<string>();
    const streamIds = new Set<string>();
    for (const request of group) {
      request.events.forEach((event, i) => {
        eventIds.add(event.eventId);
        streamIds.add(request.prepared?.[i]?.streamId ?? streamIdOf(event));
      });
    }
    // A simple query (no parameters: the arrays are literals) so that the three go as one message.
    const results = (await client.query(
      `BEGIN; SELECT pg_advisory_xact_lock(${APPEND_LOCK});
       WITH head AS (SELECT position, recorded_at FROM ledger_events ORDER BY position DESC LIMIT 1)
       SELECT 0 AS kind, position::text AS a, (extract(epoch FROM recorded_at) * 1000)::bigint::text AS b, NULL AS c FROM head
       UNION ALL
       SELECT 1, canonical, encode(hash, 'hex'),
              json_build_array(position::text, stream_id, stream_version, (extract(epoch FROM recorded_at) * 1000)::bigint::text, encode(prev_hash, 'hex'))::text
         FROM ledger_events WHERE event_id = ANY(${arrayLiteral(eventIds)}::uuid[])
       UNION ALL
       SELECT 2, s.id, e.stream_version::text, encode(e.hash, 'hex')
         FROM unnest(${arrayLiteral(streamIds)}::text[]) AS s(id)
         CROSS JOIN LATERAL (
           SELECT stream_version, hash FROM ledger_events WHERE stream_id = s.id ORDER BY stream_version DESC LIMIT 1
         ) e`,
    )) as unknown as Array<pg.QueryResult<{ kind: number | string; a: string; b: string | null; c: string | null }>>;
    const rows = results[2]!.rows;
    let lastPosition = 0;
    let lastRecordedAt = 0;
    const known = new Map<string, KnownEvent>();
    const heads = new Map<string, PlannedStreamHead | null>();
    for (const id of streamIds) heads.set(id, null);
    for (const row of rows) {
      // pg parses the int column even in a simple query's text rows; Number() either way.
      const kind = Number(row.kind);
      if (kind === 0) {
        lastPosition = Number(row.a);
        lastRecordedAt = Number(row.b);
      } else if (kind === 1) {
        const [pos, streamId, version, recordedMs, prevHash] = JSON.parse(row.c!) as [string, string, number, string, string | null];
        const recorded = decodeRow({ canonical: row.a, hash: row.b!, pos, stream_id: streamId, stream_version: version, recorded_ms: recordedMs, prev_hash: prevHash });
        known.set(recorded.event.eventId, { event: recorded.event, result: appendedFromRecorded(recorded, 'duplicate') });
      } else {
        heads.set(row.a, { version: Number(row.b), hash: row.c! });
      }
    }
    return {
      position: lastPosition,
      recordedAt: isoUtc(Math.max(this.clock(), lastRecordedAt)),
      heads,
      known,
      rows: [],
    };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const result = await this.pool.query<EventRow>(
      `${SELECT_EVENT} WHERE stream_id = $1 AND stream_version >= $2 ORDER BY stream_version LIMIT $3`,
      [streamId, options.fromVersion ?? 0, options.limit ?? 2_147_483_647],
    );
    return result.rows.map((row) => decodeRow(row));
  }

  async readStreamInOrder(streamId: string, options: ReadInOrderOptions): Promise<RecordedEvent[]> {
    const after = options.after ?? { at: Number.MIN_SAFE_INTEGER, pos: 0 };
    const from = isDate(after.at) ? new Date(after.at).toISOString() : null;
    const until = options.untilAt === undefined || !isDate(options.untilAt + 1) ? null : new Date(options.untilAt + 1).toISOString();
    const maxPosition = options.maxPosition ?? Number.MAX_SAFE_INTEGER;
    // The index orders by the stored occurred_at (microseconds); the judgement order truncates to
    // milliseconds: read whole milliseconds and sort within them here.
    const query = (lower: string | null, upper: string | null, limit: number) =>
      this.pool.query<EventRow>(
        `${SELECT_EVENT} WHERE stream_id = $1 AND ($2::timestamptz IS NULL OR occurred_at >= $2::timestamptz)
           AND ($3::timestamptz IS NULL OR occurred_at < $3::timestamptz) AND position <= $4
         ORDER BY occurred_at, position LIMIT $5`,
        [streamId, lower, upper, maxPosition, limit],
      );
    const rows = (await query(from, until, options.limit)).rows;
    let events = rows.map((row) => decodeRow(row));
    if (rows.length === options.limit && events.length > 0) {
      // Complete the last millisecond (it may continue past the limit).
      const lastMs = instant(events[events.length - 1]!.event.occurredAt);
      const upper = new Date(lastMs + 1).toISOString();
      const rest = (await query(new Date(lastMs).toISOString(), until !== null && until < upper ? until : upper, 2_147_483_647)).rows
        .map((row) => decodeRow(row));
      const seen = new Set(events.map((e) => e.position));
      events = [...events, ...rest.filter((e) => !seen.has(e.position))];
    }
    return inOrderAfter(events, after);
  }

  async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    if (options.maxBytes !== undefined) return this.readAllWithin(options, options.maxBytes);
    const result = options.contractId
      ? await this.pool.query<EventRow>(
          `${SELECT_EVENT} WHERE contract_id = $1 AND position > $2 ORDER BY position LIMIT $3`,
          [options.contractId, options.after, options.limit],
        )
      : await this.pool.query<EventRow>(
          `${SELECT_EVENT} WHERE position > $1 ORDER BY position LIMIT $2`,
          [options.after, options.limit],
        );
    return result.rows.map((row) => decodeRow(row));
  }

  /**
   * readAll cut by the running size of the events' full stored form (octet_length reads no
   * TOASTed value): the stored text plus the length of the metadata members a compact text is
   * spliced with (STORED_FORM_BYTES). A row stored in the full form counts them twice: a smaller
   * page, never a larger one.
   */
  private async readAllWithin(options: ReadAllOptions, maxBytes: number): Promise<RecordedEvent[]> {
    const params: unknown[] = [options.after, options.limit, maxBytes];
    if (options.contractId) params.push(options.contractId);
    const result = await this.pool.query<EventRow>(
      `SELECT canonical, hash, pos, stream_id, stream_version, recorded_ms, prev_hash FROM (
         SELECT ${EVENT_COLUMNS}, position AS at,
                sum(${STORED_FORM_BYTES}) OVER (ORDER BY position) - ${STORED_FORM_BYTES} AS before
           FROM ledger_events WHERE position > $1${options.contractId ? ' AND contract_id = $4' : ''}
          ORDER BY position LIMIT $2) AS page
        WHERE before = 0 OR before < $3 ORDER BY at`,
      params,
    );
    return result.rows.map((row) => decodeRow(row));
  }

  async readByEventIds(eventIds: readonly string[]): Promise<RecordedEvent[]> {
    if (eventIds.length === 0) return [];
    const result = await this.pool.query<EventRow>(
      `${SELECT_EVENT} WHERE event_id = ANY($1::uuid[]) ORDER BY position`,
      [eventIds.map((id) => id.toLowerCase())],
    );
    return result.rows.map((row) => decodeRow(row));
  }

  async streamVersion(streamId: string): Promise<number | null> {
    const result = await this.pool.query<{ v: number | null }>(
      'SELECT max(stream_version) AS v FROM ledger_events WHERE stream_id = $1',
      [streamId],
    );
    return result.rows[0]?.v ?? null;
  }

  async headPosition(): Promise<number> {
    const result = await this.pool.query<{ p: string | null }>('SELECT max(position) AS p FROM ledger_events');
    return Number(result.rows[0]?.p ?? 0);
  }

  subscribe(options: SubscribeOptions, handler: SubscriptionHandler): Subscription {
    const stopper = new AbortController();
    const signals = options.signal ? [stopper.signal, options.signal] : [stopper.signal];
    const signal = AbortSignal.any(signals);
    const batchSize = options.batchSize ?? 1_000;
    const run = async (): Promise<void> => {
      let cursor = options.after;
      await this.ensureListener().catch(() => undefined);
      while (!signal.aborted && !this.closed) {
        const events = await this.readAll({ after: cursor, limit: batchSize, maxBytes: options.maxBytes });
        if (events.length > 0) {
          await handler(events);
          cursor = events[events.length - 1]!.position;
          continue;
        }
        await this.waitForNotification(cursor, signal);
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

  private waitForNotification(after: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        this.notifications.off('position', onNotify);
        signal.removeEventListener('abort', finish);
        resolve();
      };
      const onNotify = (position: number): void => {
        if (position > after) finish();
      };
      const timer = setTimeout(finish, this.pollIntervalMs);
      this.notifications.on('position', onNotify);
      signal.addEventListener('abort', finish, { once: true });
    });
  }

  /** One LISTEN connection wakes every subscription; polling covers a lost connection. */
  private ensureListener(): Promise<void> {
    if (this.listener || this.closed) return Promise.resolve();
    if (this.listenerStarting) return this.listenerStarting;
    const options = this.pool.options as pg.ClientConfig;
    const client = new pg.Client(options);
    this.listenerStarting = (async () => {
      try {
        await client.connect();
        client.on('notification', (message) => {
          this.notifications.emit('position', Number(message.payload));
        });
        client.on('error', () => {
          if (this.listener === client) this.listener = null;
          client.end().catch(() => undefined);
        });
        await client.query(`LISTEN ${NOTIFY_CHANNEL}`);
        if (this.closed) await client.end();
        else this.listener = client;
      } finally {
        this.listenerStarting = null;
      }
    })();
    return this.listenerStarting;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    await this.writer.settled();
    await this.listenerStarting?.catch(() => undefined);
    await this.listener?.end().catch(() => undefined);
    this.listener = null;
  }
}

/** A PostgreSQL array literal of texts, as an SQL string constant (escape string syntax, whatever standard_conforming_strings says). */
function arrayLiteral(values: Iterable<string>): string {
  let text = '{';
  for (const value of values) {
    // A NUL would end the query's text; PostgreSQL refuses it in a text value anyway.
    if (value.includes('\0')) throw new UnstorableValueError('a text holds a NUL character', '22021');
    if (text.length > 1) text += ',';
    text += `"${/[\\"]/.test(value) ? value.replace(/[\\"]/g, '\\$&') : value}"`;
  }
  text += '}';
  return `E'${/[\\']/.test(text) ? text.replace(/\\/g, '\\\\').replace(/'/g, "''") : text}'`;
}

/** Whether an instant in epoch ms is a date PostgreSQL and JavaScript can both hold. */
function isDate(ms: number): boolean {
  return Number.isFinite(ms) && Math.abs(ms) <= 8_640_000_000_000_000 && !Number.isNaN(new Date(ms).getTime());
}
