/**
 * An in-memory emulation of the EventStoreDB server behind the part of the 6.x Node client the
 * adapter uses (appendToStream, readStream, subscribeToStream, getStreamMetadata, deleteStream),
 * returning the client's own types and error classes. It exists so that the adapter's logic
 * (planning, commit, fan-out, repair after a crash, staging, subscriptions and reconnects) runs in
 * the contract suite on a machine without a server. It is NOT EventStoreDB: it follows the
 * documented semantics the adapter relies on (per-stream revisions from 0; expected revision
 * any / no_stream / stream_exists / exact, idempotent when the same event IDs already sit at the
 * expected revisions; one append is atomic; MaxAppendSize; `$>` links resolved with resolveLinkTos;
 * catch-up subscriptions from a revision, exclusive; StreamNotFound on a missing stream), and the
 * test against a real server (EVENTSTORE_URL) remains the proof.
 */
import { Readable } from 'node:stream';
import {
  MaxAppendSizeExceededError,
  StreamNotFoundError,
  UnavailableError,
  WrongExpectedVersionError,
  type AppendExpectedRevision,
  type AppendResult,
  type EventData,
  type RecordedEvent,
  type ResolvedEvent,
  type StreamMetadata,
} from '@eventstore/db-client';
import type { EventStoreDbClientLike } from '../eventstoredb-client.js';

interface StoredRecord {
  streamId: string;
  id: string;
  revision: bigint;
  type: string;
  contentType: string;
  data: Buffer;
  metadata: Buffer;
  created: Date;
  commit: bigint;
}

interface StreamState {
  records: StoredRecord[];
  deleted: boolean;
}

interface LiveSubscription {
  stream: string;
  readable: Readable;
  next: number;
  resolveLinkTos: boolean;
}

export interface EmulatorFaults {
  /** Called before an append is applied; throw to fail it (nothing written). */
  beforeAppend?: (stream: string, events: readonly EventData[]) => void;
}

export class EventStoreDbEmulator {
  private readonly streams = new Map<string, StreamState>();
  private readonly metadata = new Map<string, StreamMetadata>();
  private readonly live = new Set<LiveSubscription>();
  private commit = 0n;
  faults: EmulatorFaults = {};
  appends = 0;

  constructor(readonly maxAppendSize = 1_048_576) {}

  client(): EventStoreDbClientLike {
    return new EmulatedClient(this) as unknown as EventStoreDbClientLike;
  }

  setStreamMetadata(stream: string, metadata: StreamMetadata): void {
    this.metadata.set(stream, metadata);
  }

  /** Every open subscription fails as when the server goes away. */
  dropSubscriptions(): void {
    for (const sub of [...this.live]) {
      this.live.delete(sub);
      sub.readable.destroy(new UnavailableError());
    }
  }

  streamNames(): string[] {
    return [...this.streams.keys()];
  }

  /** Test seam: an event appended behind the ledger's back (what an ACL should prevent). */
  rawAppend(stream: string, events: EventData[]): void {
    this.apply(stream, events);
  }

  async append(stream: string, events: EventData[], expected: AppendExpectedRevision): Promise<AppendResult> {
    await new Promise((r) => setImmediate(r));
    this.faults.beforeAppend?.(stream, events);
    this.appends += 1;
    const size = events.reduce((n, e) => n + encodeData(e).length + encodeMetadata(e).length, 0);
    if (size > this.maxAppendSize) throw MaxAppendSizeExceededError.fromMaxAppendSize(this.maxAppendSize);
    const state = this.streams.get(stream);
    const records = state && !state.deleted ? state.records : [];
    const current = records.length - 1;
    const wrong = (): WrongExpectedVersionError =>
      new WrongExpectedVersionError(undefined, { streamName: stream, expected, current: current < 0 ? 'no_stream' : BigInt(current) });
    const idempotentAt = (from: number): boolean =>
      from + events.length - 1 <= current && events.every((e, i) => records[from + i]!.id === e.id);
    let idempotent = false;
    if (expected === 'any') {
      idempotent = current + 1 >= events.length && idempotentAt(current + 1 - events.length);
    } else if (expected === 'no_stream') {
      if (current >= 0) {
        if (!idempotentAt(0)) throw wrong();
        idempotent = true;
      }
    } else if (expected === 'stream_exists') {
      if (current < 0) throw wrong();
    } else {
      const e = Number(expected);
      if (e > current) throw wrong();
      if (e < current) {
        if (!idempotentAt(e + 1)) throw wrong();
        idempotent = true;
      }
    }
    if (idempotent) return { success: true, nextExpectedRevision: BigInt(current), position: undefined };
    const last = this.apply(stream, events);
    return { success: true, nextExpectedRevision: last.revision, position: { commit: last.commit, prepare: last.commit } };
  }

  private apply(stream: string, events: EventData[]): StoredRecord {
    let state = this.streams.get(stream);
    if (!state || state.deleted) {
      state = { records: state?.records ?? [], deleted: false };
      this.streams.set(stream, state);
    }
    for (const e of events) {
      this.commit += 100n;
      state.records.push({
        streamId: stream,
        id: e.id.toLowerCase(),
        revision: BigInt(state.records.length),
        type: e.type,
        contentType: e.contentType,
        data: encodeData(e),
        metadata: encodeMetadata(e),
        created: new Date(),
        commit: this.commit,
      });
    }
    for (const sub of this.live) if (sub.stream === stream) this.feed(sub);
    return state.records[state.records.length - 1]!;
  }

  read(stream: string, options: { fromRevision?: unknown; direction?: string; maxCount?: number | bigint; resolveLinkTos?: boolean }): ResolvedEvent[] {
    const state = this.streams.get(stream);
    if (!state || state.deleted) throw new StreamNotFoundError(undefined, stream);
    const records = state.records;
    const max = Number(options.maxCount ?? Number.MAX_SAFE_INTEGER);
    const out: ResolvedEvent[] = [];
    if (options.direction === 'backwards') {
      let i = options.fromRevision === 'end' || options.fromRevision === undefined ? records.length - 1 : Number(options.fromRevision as bigint);
      for (i = Math.min(i, records.length - 1); i >= 0 && out.length < max; i--) out.push(this.resolve(records[i]!, options.resolveLinkTos));
    } else {
      let i = options.fromRevision === 'start' || options.fromRevision === undefined ? 0 : options.fromRevision === 'end' ? records.length : Number(options.fromRevision as bigint);
      for (; i < records.length && out.length < max; i++) out.push(this.resolve(records[i]!, options.resolveLinkTos));
    }
    return out;
  }

  subscribe(stream: string, fromRevision: unknown, resolveLinkTos: boolean): Readable & { unsubscribe(): Promise<void> } {
    const readable = new Readable({ objectMode: true, read() {} }) as Readable & { unsubscribe(): Promise<void> };
    const sub: LiveSubscription = { stream, readable, next: 0, resolveLinkTos };
    readable.unsubscribe = async () => {
      this.live.delete(sub);
      readable.destroy();
    };
    setImmediate(() => {
      if (readable.destroyed) return;
      const records = this.streams.get(stream)?.records ?? [];
      sub.next = fromRevision === 'start' || fromRevision === undefined ? 0 : fromRevision === 'end' ? records.length : Number(fromRevision as bigint) + 1;
      this.live.add(sub);
      this.feed(sub);
    });
    return readable;
  }

  private feed(sub: LiveSubscription): void {
    const records = this.streams.get(sub.stream)?.records ?? [];
    while (sub.next < records.length) sub.readable.push(this.resolve(records[sub.next++]!, sub.resolveLinkTos));
  }

  private resolve(record: StoredRecord, resolveLinkTos = false): ResolvedEvent {
    const event = toRecordedEvent(record);
    if (!resolveLinkTos || record.type !== '$>') return { event, commitPosition: record.commit };
    const match = /^(\d+)@(.+)$/.exec(record.data.toString('utf8'));
    const target = match ? this.streams.get(match[2]!)?.records[Number(match[1])] : undefined;
    const link = event as ResolvedEvent['link'];
    return target ? { event: toRecordedEvent(target), link, commitPosition: record.commit } : { link, commitPosition: record.commit };
  }

  getMetadata(stream: string): StreamMetadata | undefined {
    return this.metadata.get(stream);
  }

  softDelete(stream: string): void {
    const state = this.streams.get(stream);
    if (state) state.deleted = true;
  }
}

function encodeData(e: EventData): Buffer {
  return e.contentType === 'application/json' ? Buffer.from(JSON.stringify(e.data), 'utf8') : Buffer.from(e.data as Uint8Array);
}

function encodeMetadata(e: EventData): Buffer {
  if (e.metadata === undefined || e.metadata === null) return Buffer.alloc(0);
  return e.metadata instanceof Uint8Array ? Buffer.from(e.metadata) : Buffer.from(JSON.stringify(e.metadata), 'utf8');
}

/** As the client's convertGrpcRecord: JSON data parsed, metadata parsed when it is JSON. */
function toRecordedEvent(r: StoredRecord): RecordedEvent {
  let metadata: unknown;
  if (r.metadata.length > 0) {
    try {
      metadata = JSON.parse(r.metadata.toString('utf8'));
    } catch {
      metadata = new Uint8Array(r.metadata);
    }
  }
  const isJson = r.contentType === 'application/json';
  let data: unknown = new Uint8Array(r.data);
  if (isJson) {
    try {
      data = JSON.parse(r.data.toString('utf8'));
    } catch {
      data = r.data.toString('utf8');
    }
  }
  return {
    streamId: r.streamId,
    id: r.id,
    revision: r.revision,
    type: r.type,
    data,
    metadata,
    isJson,
    created: r.created,
    position: { commit: r.commit, prepare: r.commit },
  } as RecordedEvent;
}

class EmulatedClient {
  private disposed = false;

  constructor(private readonly server: EventStoreDbEmulator) {}

  private check(): void {
    if (this.disposed) throw new UnavailableError();
  }

  async appendToStream(stream: string, events: EventData | EventData[], options: { expectedRevision?: AppendExpectedRevision } = {}): Promise<AppendResult> {
    this.check();
    return this.server.append(stream, Array.isArray(events) ? events : [events], options.expectedRevision ?? 'any');
  }

  readStream(stream: string, options: { fromRevision?: unknown; direction?: string; maxCount?: number | bigint; resolveLinkTos?: boolean } = {}): Readable {
    const server = this.server;
    const check = (): void => this.check();
    async function* generate(): AsyncGenerator<ResolvedEvent> {
      await new Promise((r) => setImmediate(r));
      check();
      yield* server.read(stream, options);
    }
    const readable = Readable.from(generate()) as Readable & { cancel(): Promise<void> };
    readable.cancel = async () => {
      readable.destroy();
    };
    return readable;
  }

  subscribeToStream(stream: string, options: { fromRevision?: unknown; resolveLinkTos?: boolean } = {}): Readable {
    this.check();
    return this.server.subscribe(stream, options.fromRevision, options.resolveLinkTos ?? false);
  }

  async getStreamMetadata(stream: string): Promise<{ streamName: string; metadata?: StreamMetadata }> {
    this.check();
    const metadata = this.server.getMetadata(stream);
    return metadata ? { streamName: stream, metadata } : { streamName: stream };
  }

  async deleteStream(stream: string): Promise<{ position?: undefined }> {
    this.check();
    this.server.softDelete(stream);
    return {};
  }

  async dispose(): Promise<void> {
    this.disposed = true;
  }
}
