/**
 * Pure mapping between the ledger's stored events and EventStoreDB (KurrentDB) events: stream
 * names, event data and metadata, links, revisions and positions, and the client's errors. No I/O,
 * no server: unit-tested in eventstoredb-mapping.spec.ts.
 */
import {
  binaryEvent,
  ErrorType,
  isCommandError,
  jsonEvent,
  NO_STREAM,
  WrongExpectedVersionError,
  type AppendExpectedRevision,
  type EventData,
  type RecordedEvent as EsdbRecordedEvent,
  type ResolvedEvent,
} from '@eventstore/db-client';
import {
  LedgerError,
  StoreUnavailableError,
  StreamVersionConflictError,
  type LedgerEvent,
  type RecordedEvent,
} from '@ledger/domain';
import type { PlannedRow } from '../append-plan.js';

/** The ledger's own streams; the record and contract streams keep the names of docs/events.md. */
export interface LedgerStreamNames {
  /** The log: every ledger event once, revision = position − 1. */
  readonly log: string;
  /** One stream per eventId holding one link to the log: the global eventId index. */
  eventId(eventId: string): string;
  /** One stream per contract with links to its events in log order (readAll by contract). */
  contract(contractId: string): string;
  /** A copy of a batch too large for one append, written before the log (roll-forward source). */
  staging(batchId: string): string;
}

export const DEFAULT_PREFIX = 'ledger';

export function ledgerStreamNames(prefix = DEFAULT_PREFIX): LedgerStreamNames {
  if (!/^[A-Za-z0-9][A-Za-z0-9._]*$/.test(prefix)) throw new Error(`stream prefix must be letters, digits, '.' or '_': ${prefix}`);
  return {
    log: `${prefix}.log`,
    eventId: (eventId) => `${prefix}.id-${eventId.toLowerCase()}`,
    contract: (contractId) => `${prefix}.contract-${contractId}`,
    staging: (batchId) => `${prefix}.staging-${batchId}`,
  };
}

/**
 * What the ledger stores beside a log event (EventStoreDB event metadata, not hashed): its leaf
 * hash, the batch it was committed in (so whoever comes next can finish a batch whose fan-out a
 * crash interrupted), and its ordinal among its contract's events (the revision of its link in
 * the contract's index stream).
 */
export interface LogEventMeta {
  /** Hex leaf hash of the stored event. */
  hash: string;
  /** Batch ID (UUID) and its first and last positions. */
  batch: string;
  first: number;
  last: number;
  /** Revision of this event's link in the contract index stream. */
  contractSeq: number;
  /** The batch was too large for one append: it was written to its staging stream first. */
  staged?: boolean;
}

/** A log event as read back: the ledger's recorded event and its metadata. */
export interface LogEntry {
  recorded: RecordedEvent;
  meta: LogEventMeta;
}

/** The log does not look like a ledger log: something wrote, truncated or deleted behind the ledger. */
export class LogIntegrityError extends StoreUnavailableError {}

const STORED_KEYS = ['streamId', 'streamVersion', 'position', 'recordedAt', 'prevHash'] as const;
const HEX64 = /^[0-9a-f]{64}$/;

export function positionOfRevision(revision: bigint): number {
  return Number(revision) + 1;
}

export function revisionOfPosition(position: number): bigint {
  if (!Number.isSafeInteger(position) || position < 1) throw new RangeError(`positions start at 1, got ${position}`);
  return BigInt(position - 1);
}

/** The expected revision that says "the stream's last event is at `revision`" (−1: no stream). */
export function expectedRevisionAfter(revision: number): AppendExpectedRevision {
  return revision < 0 ? NO_STREAM : BigInt(revision);
}

/**
 * The log event of a planned row: eventId as the EventStoreDB event ID, the ledger event type as
 * the event type, the canonical stored event (envelope + ledger metadata) as JSON data, and the
 * hash and batch in the event metadata.
 */
export function toLogEventData(row: PlannedRow, meta: LogEventMeta): EventData {
  return jsonEvent({
    id: row.eventId,
    type: row.event.type,
    data: JSON.parse(row.canonical) as Record<string, unknown>,
    metadata: { ...meta },
  });
}

/** A link (`$>`) to the log event at `logRevision`, with the event's ID so re-appends are idempotent. */
export function toLinkEventData(eventId: string, logRevision: bigint, logStream: string): EventData {
  return binaryEvent({ id: eventId, type: '$>', data: Buffer.from(`${logRevision}@${logStream}`, 'utf8') });
}

export function parseLinkData(data: unknown): { revision: bigint; stream: string } {
  const text = data instanceof Uint8Array ? Buffer.from(data).toString('utf8') : typeof data === 'string' ? data : '';
  const match = /^(\d+)@(.+)$/.exec(text);
  if (!match) throw new LogIntegrityError(`not a link to the ledger log: ${JSON.stringify(text).slice(0, 80)}`);
  return { revision: BigInt(match[1]!), stream: match[2]! };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

export function parseLogEventMeta(metadata: unknown, where: string): LogEventMeta {
  if (!isObject(metadata)) throw new LogIntegrityError(`${where}: no ledger metadata`);
  const { hash, batch, first, last, contractSeq, staged } = metadata;
  const integer = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
  if (typeof hash !== 'string' || !HEX64.test(hash) || typeof batch !== 'string' || !integer(first) || !integer(last) || !integer(contractSeq)) {
    throw new LogIntegrityError(`${where}: malformed ledger metadata`);
  }
  return staged === true ? { hash, batch, first, last, contractSeq, staged: true } : { hash, batch, first, last, contractSeq };
}

/**
 * The ledger's recorded event from a log event. Checks that the event sits where its stored
 * position says (revision = position − 1): a log that was truncated, or written to by anyone but
 * the ledger, fails here instead of shifting every position and leaf index after it.
 */
export function fromLogEvent(event: EsdbRecordedEvent, logStream: string): LogEntry {
  const where = `${event.streamId}@${event.revision}`;
  if (event.streamId !== logStream) throw new LogIntegrityError(`${where}: expected an event of ${logStream}`);
  if (!event.isJson || !isObject(event.data)) throw new LogIntegrityError(`${where}: not a ledger event (JSON data expected)`);
  const meta = parseLogEventMeta(event.metadata, where);
  const stored = { ...event.data };
  const ledger: Record<string, unknown> = {};
  for (const key of STORED_KEYS) {
    ledger[key] = stored[key];
    delete stored[key];
  }
  const position = ledger.position;
  if (position !== positionOfRevision(event.revision)) {
    throw new LogIntegrityError(`${where}: stored position ${String(position)} is not revision + 1`);
  }
  if (typeof ledger.streamId !== 'string' || typeof ledger.streamVersion !== 'number' || typeof ledger.recordedAt !== 'string') {
    throw new LogIntegrityError(`${where}: stored event lacks its stream, version or recordedAt`);
  }
  if (typeof stored.eventId !== 'string' || stored.eventId.toLowerCase() !== event.id.toLowerCase()) throw new LogIntegrityError(`${where}: event ID ${event.id} is not the eventId ${String(stored.eventId)}`);
  return {
    recorded: {
      event: stored as unknown as LedgerEvent,
      streamId: ledger.streamId,
      streamVersion: ledger.streamVersion,
      position,
      recordedAt: ledger.recordedAt,
      prevHash: typeof ledger.prevHash === 'string' ? ledger.prevHash : null,
      hash: meta.hash,
    },
    meta,
  };
}

/**
 * The log event behind a link read with resolveLinkTos: the link must resolve into the log, and,
 * for a stream of docs/events.md, sit at the revision equal to the event's stream version.
 */
export function fromResolvedLink(resolved: ResolvedEvent, logStream: string, expectVersionAsRevision: boolean): LogEntry {
  const link = resolved.link;
  const target = resolved.event;
  if (!link || !target || target.type === '$>') {
    const where = link ? `${link.streamId}@${link.revision}` : (target ? `${target.streamId}@${target.revision}` : 'a read');
    throw new LogIntegrityError(`${where}: a link to the ledger log that does not resolve (was the log truncated or scavenged?)`);
  }
  const entry = fromLogEvent(target as EsdbRecordedEvent, logStream);
  if (link.id.toLowerCase() !== entry.recorded.event.eventId.toLowerCase()) {
    throw new LogIntegrityError(`${link.streamId}@${link.revision}: link ID ${link.id} is not the eventId it points to`);
  }
  if (expectVersionAsRevision && Number(link.revision) !== entry.recorded.streamVersion) {
    throw new LogIntegrityError(`${link.streamId}@${link.revision}: links to an event of stream version ${entry.recorded.streamVersion}`);
  }
  return entry;
}

/** Bytes an event counts for against the server's MaxAppendSize (data + metadata + a margin). */
export function appendSizeOf(event: EventData): number {
  const bytes = (value: unknown): number => {
    if (value === undefined) return 0;
    if (value instanceof Uint8Array) return value.byteLength;
    return Buffer.byteLength(JSON.stringify(value), 'utf8');
  };
  return bytes(event.data) + bytes(event.metadata) + Buffer.byteLength(event.type, 'utf8') + 128;
}

/** Consecutive chunks of `events`, each within `maxBytes` (an event larger than that goes alone). */
export function chunkBySize<T extends EventData>(events: readonly T[], maxBytes: number): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let size = 0;
  for (const event of events) {
    const bytes = appendSizeOf(event);
    if (current.length > 0 && size + bytes > maxBytes) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(event);
    size += bytes;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/**
 * EVENTSTORE_URL as the client takes it. The 6.x client knows `esdb://` and `esdb+discover://`;
 * KurrentDB's `kurrentdb://` (and `kdb://`, `kurrent://`) name the same gRPC endpoints.
 */
export function clientConnectionString(url: string): string {
  const match = /^(kurrentdb|kurrent|kdb|esdb)(\+discover)?:\/\//i.exec(url.trim());
  if (!match) throw new Error('EVENTSTORE_URL must start with esdb://, esdb+discover:// or kurrentdb:// (e.g. esdb://eventstoredb:2113?tls=false)');
  return `esdb${match[2] ? '+discover' : ''}://${url.trim().slice(match[0].length)}`;
}

/** EVENTSTORE_URL with its password hidden, for logs and /health. */
export function redactConnectionString(url: string): string {
  return url.replace(/\/\/([^:@/]+):([^@/]+)@/, '//$1:***@');
}

/** True for errors after which the same call may succeed: the server or the network, not the request. */
export function isTransientClientError(error: unknown): boolean {
  if (!(error instanceof Error) || !isCommandError(error)) return !(error instanceof LedgerError);
  switch (error.type) {
    case ErrorType.UNAVAILABLE:
    case ErrorType.DEADLINE_EXCEEDED:
    case ErrorType.TIMEOUT:
    case ErrorType.NOT_LEADER:
    case ErrorType.CANCELLED:
    case ErrorType.UNKNOWN:
      return true;
    default:
      return false;
  }
}

/**
 * A client error as one of the port's errors. A wrong expected version becomes the port's
 * StreamVersionConflictError (the adapter itself never lets one reach a caller for the log: it
 * replans); everything else that is not the caller's fault is StoreUnavailableError (503), with the
 * client's error type in the message so an operator sees what happened. The server's own words
 * (which may name its address) never go into a message a client receives.
 */
export function mapClientError(error: unknown, action: string): LedgerError {
  if (error instanceof LedgerError) return error;
  if (error instanceof WrongExpectedVersionError) {
    const expected = typeof error.expectedVersion === 'bigint' ? error.expectedVersion.toString() : String(error.expectedVersion);
    const actual = typeof error.actualVersion === 'bigint' ? Number(error.actualVersion) : -1;
    return new StreamVersionConflictError(error.streamName, expected, actual);
  }
  if (error instanceof Error && isCommandError(error)) {
    switch (error.type) {
      case ErrorType.ACCESS_DENIED:
        return new StoreUnavailableError(`EventStoreDB refused ${action} (access denied: check the user in EVENTSTORE_URL and the streams' ACLs)`);
      case ErrorType.MAXIMUM_APPEND_SIZE_EXCEEDED:
        return new StoreUnavailableError(`EventStoreDB refused ${action}: larger than its MaxAppendSize; lower maxAppendBytes of the adapter`);
      case ErrorType.STREAM_DELETED:
        return new LogIntegrityError(`EventStoreDB ${action}: a ledger stream was deleted`);
      default:
        return new StoreUnavailableError(`EventStoreDB ${action} failed (${error.type})`);
    }
  }
  return new StoreUnavailableError(`EventStoreDB ${action} failed (${error instanceof Error ? error.name : 'unknown error'})`);
}

