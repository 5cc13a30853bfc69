import { randomUUID } from 'node:crypto';
import { BACKWARDS, END, WrongExpectedVersionError, type EventData } from '@eventstore/db-client';
import { isoUtc, LedgerError, StoreUnavailableError, type RecordedEvent } from '@ledger/domain';
import { appendedFromRecorded, planAppend, type KnownEvent, type PlannedRow, type PlanState, type PlannedStreamHead } from '../append-plan.js';
import type { AppendedEvent } from '../event-store.port.js';
import type { PendingAppend } from '../group-commit.js';
import { streamIdOf } from '../stored-event.js';
import {
  chunkBySize,
  expectedRevisionAfter,
  fromResolvedLink,
  LogIntegrityError,
  mapClientError,
  toLinkEventData,
  toLogEventData,
  type LogEntry,
  type LogEventMeta,
} from './eventstoredb-mapping.js';
import { mapLimit, sleep, type LedgerStreams } from './eventstoredb-streams.js';

/** A row with what the log stores beside it. */
interface CommittedRow {
  recorded: RecordedEvent;
  meta: LogEventMeta;
}

/** The log moved under a planned append: another writer committed first. Replan. */
class LogMoved extends Error {}

export interface LogWriterOptions {
  clock: () => number;
  maxAppendBytes: number;
  concurrency: number;
  maxContentionRetries: number;
}

/**
 * The commit path of the adapter (see EventStoreDbEventStore for the storage layout): plans a
 * group of appends after the log's head, commits it with one log append (or staged, in chunks),
 * fans it out as links, and completes a batch a crash left unfinished.
 */
export class LogWriter {
  /** Position through which this process knows every batch is fanned out. */
  private completeThrough = 0;

  constructor(
    private readonly streams: LedgerStreams,
    private readonly options: LogWriterOptions,
  ) {}

  private get names(): LedgerStreams['names'] {
    return this.streams.names;
  }

  /** Commits a group of appends, retrying while other writers move the log; settles every request. */
  async commitGroup(group: PendingAppend[]): Promise<void> {
    let outcomes: Array<AppendedEvent[] | LedgerError> | undefined;
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          outcomes = await this.tryCommit(group);
          break;
        } catch (error) {
          if (!(error instanceof LogMoved)) throw error;
          if (attempt >= this.options.maxContentionRetries) {
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
    const tail = await this.streams.readTail();
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
      recordedAt: isoUtc(Math.max(this.options.clock(), lastRecordedAt)),
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
    const last = await mapLimit(contracts, this.options.concurrency, async (c) => [c, await this.streams.lastRevision(this.names.contract(c))] as const);
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
    const chunks = chunkBySize(events, this.options.maxAppendBytes);
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
    await this.streams.appendAt(staging, 0, events);
    try {
      await this.appendToLog(chunkBySize(events, this.options.maxAppendBytes)[0]!, head);
    } catch (error) {
      await this.streams.client.deleteStream(staging).catch(() => undefined);
      throw error;
    }
    await this.streams.appendAt(this.names.log, head, events);
  }

  private async appendToLog(events: EventData[], head: number): Promise<void> {
    try {
      await this.streams.client.appendToStream(this.names.log, events, { expectedRevision: expectedRevisionAfter(head - 1) });
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) throw new LogMoved();
      throw error;
    }
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
      jobs.push(() => this.streams.appendAt(stream, first, links));
    }
    for (const r of rows.slice(0, -1)) {
      jobs.push(() => this.streams.appendAt(this.names.eventId(r.recorded.event.eventId), 0, [link(r)]));
    }
    await mapLimit(jobs, this.options.concurrency, (job) => job());
    await this.streams.appendAt(this.names.eventId(marker.recorded.event.eventId), 0, [link(marker)]);
  }

  /**
   * Makes the log's last batch complete: rolls a staged batch forward from its staging stream and
   * writes any missing links. Cheap when this process knows the batch complete or when the
   * batch's marker (the eventId stream of its last event) exists.
   */
  async completeTail(tail: LogEntry | null): Promise<void> {
    if (!tail) return;
    const { meta } = tail;
    if (this.completeThrough >= meta.last) return;
    let last = tail;
    if (tail.recorded.position < meta.last) {
      if (!meta.staged) throw new LogIntegrityError(`${this.names.log} ends inside batch ${meta.batch} that was not staged`);
      const staged = (await this.streams.readRaw(this.names.staging(meta.batch), { fromRevision: BigInt(tail.recorded.position - meta.first + 1) })).map(
        (r) => r.event!,
      );
      if (staged.length !== meta.last - tail.recorded.position) {
        throw new LogIntegrityError(`staging stream of batch ${meta.batch} is incomplete: cannot finish the committed batch`);
      }
      const events = staged.map((e) => ({ id: e.id, type: e.type, contentType: 'application/json', data: e.data, metadata: e.metadata }) as EventData);
      await this.streams.appendAt(this.names.log, tail.recorded.position, events);
      last = (await this.streams.readTail())!;
    }
    const markerPresent = (await this.streams.lastRevision(this.names.eventId(last.recorded.event.eventId))) >= 0;
    if (!markerPresent) {
      const batch = await this.streams.readLogRange(meta.first, meta.last);
      await this.fanOut(batch);
    }
    if (meta.staged) await this.streams.client.deleteStream(this.names.staging(meta.batch)).catch(() => undefined);
    this.completeThrough = Math.max(this.completeThrough, meta.last);
  }

  private async lookUpEventIds(eventIds: string[]): Promise<Map<string, KnownEvent>> {
    const found = await mapLimit(eventIds, this.options.concurrency, (id) => this.streams.readByEventId(id));
    const known = new Map<string, KnownEvent>();
    for (const recorded of found) {
      if (recorded) known.set(recorded.event.eventId, { event: recorded.event, result: appendedFromRecorded(recorded, 'duplicate') });
    }
    return known;
  }

  private async readStreamHeads(streamIds: string[]): Promise<Map<string, PlannedStreamHead | null>> {
    const heads = await mapLimit(streamIds, this.options.concurrency, async (id) => {
      const [last] = await this.streams.readRaw(id, { direction: BACKWARDS, fromRevision: END, maxCount: 1, resolveLinkTos: true });
      if (!last) return [id, null] as const;
      const { recorded } = fromResolvedLink(last, this.names.log, true);
      return [id, { version: recorded.streamVersion, hash: recorded.hash }] as const;
    });
    return new Map(heads);
  }
}
