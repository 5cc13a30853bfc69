import {
  AccessDeniedError,
  DeadlineExceededError,
  MaxAppendSizeExceededError,
  NotLeaderError,
  StreamDeletedError,
  UnavailableError,
  WrongExpectedVersionError,
  type RecordedEvent as EsdbRecordedEvent,
} from '@eventstore/db-client';
import { StoreUnavailableError, StreamVersionConflictError, type LedgerEvent } from '@ledger/domain';
import { planAppend, type PlanState } from '../append-plan.js';
import { recordUsed } from '../contract/test-events.js';
import { encodeStoredEvent } from '../stored-event.js';
import {
  appendSizeOf,
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
  redactConnectionString,
  revisionOfPosition,
  toLinkEventData,
  toLogEventData,
  type LogEventMeta,
} from './eventstoredb-mapping.js';

const names = ledgerStreamNames();

/** What the client hands back for an appended event: JSON data and metadata parsed, as convertGrpcRecord does. */
function asRead(data: ReturnType<typeof toLogEventData>, streamId: string, revision: bigint): EsdbRecordedEvent {
  const bytes = (v: unknown): Buffer => (v instanceof Uint8Array ? Buffer.from(v) : Buffer.from(JSON.stringify(v), 'utf8'));
  const isJson = data.contentType === 'application/json';
  return {
    streamId,
    id: data.id,
    revision,
    type: data.type,
    isJson,
    created: new Date(),
    data: isJson ? JSON.parse(bytes(data.data).toString('utf8')) : new Uint8Array(bytes(data.data)),
    metadata: data.metadata === undefined ? undefined : JSON.parse(bytes(data.metadata).toString('utf8')),
  } as EsdbRecordedEvent;
}

function planned(events: LedgerEvent[], position = 0): PlanState {
  const state: PlanState = { position, recordedAt: '2026-05-01T00:00:00.000Z', heads: new Map(), known: new Map(), rows: [] };
  const outcome = planAppend({ events, expected: new Map() }, state);
  if (outcome instanceof Error) throw outcome;
  return state;
}

const meta = (hash: string, extra: Partial<LogEventMeta> = {}): LogEventMeta => ({ hash, batch: 'b7e0c1c2-0000-4000-8000-000000000001', first: 1, last: 2, contractSeq: 0, ...extra });

describe('EventStoreDB mapping', () => {
  describe('streams and positions', () => {
    it('names the ledger streams under a prefix and keeps the record and contract streams of docs/events.md', () => {
      expect(names.log).toBe('ledger.log');
      expect(names.eventId('5B0C7C1E-8A39-4D2E-9A51-0F3C1F1F6A10')).toBe('ledger.id-5b0c7c1e-8a39-4d2e-9a51-0f3c1f1f6a10');
      expect(names.contract('okayama-kaigo-2025')).toBe('ledger.contract-okayama-kaigo-2025');
      expect(ledgerStreamNames('t1').log).toBe('t1.log');
      expect(() => ledgerStreamNames('$bad')).toThrow();
      const [row] = planned([recordUsed('okayama-kaigo-2025', 'R-000123')]).rows;
      expect(row!.streamId).toBe('record-okayama-kaigo-2025-R-000123');
    });

    it('maps log revisions to contiguous positions (position = revision + 1) and back', () => {
      expect(positionOfRevision(0n)).toBe(1);
      expect(positionOfRevision(41n)).toBe(42);
      expect(revisionOfPosition(42)).toBe(41n);
      expect(() => revisionOfPosition(0)).toThrow(RangeError);
      expect(expectedRevisionAfter(-1)).toBe('no_stream');
      expect(expectedRevisionAfter(6)).toBe(6n);
    });
  });

  describe('event data and metadata', () => {
    it('writes the canonical stored event as JSON data with eventId as the event ID and the type as event type', () => {
      const event = recordUsed('c-1', 'R-1');
      const [row] = planned([event], 6).rows;
      const data = toLogEventData(row!, meta(row!.hash, { first: 7, last: 7, contractSeq: 3 }));
      expect(data.id).toBe(event.eventId);
      expect(data.type).toBe('RecordUsed');
      expect(data.contentType).toBe('application/json');
      expect(JSON.stringify(data.data)).toBe(row!.canonical); // the stored bytes are the hashed canonical form
      expect(data.metadata).toEqual({ hash: row!.hash, batch: expect.any(String), first: 7, last: 7, contractSeq: 3 });
    });

    it('reads back the same recorded event, the stored hash, and a hash anyone can recompute', () => {
      const events = [recordUsed('c-1', 'R-1'), recordUsed('c-1', 'R-1')];
      const state = planned(events);
      const second = state.rows[1]!;
      const entry = fromLogEvent(asRead(toLogEventData(second, meta(second.hash, { contractSeq: 1 })), names.log, 1n), names.log);
      expect(entry.recorded).toEqual({
        event: events[1],
        streamId: 'record-c-1-R-1',
        streamVersion: 1,
        position: 2,
        recordedAt: '2026-05-01T00:00:00.000Z',
        prevHash: state.rows[0]!.hash,
        hash: second.hash,
      });
      expect(entry.meta.contractSeq).toBe(1);
      expect(encodeStoredEvent(entry.recorded.event, entry.recorded).hash.toString('hex')).toBe(second.hash);
    });

    it('refuses a log event that is not where its position says, or that the ledger did not write', () => {
      const [row] = planned([recordUsed('c-1', 'R-1')]).rows;
      const data = toLogEventData(row!, meta(row!.hash));
      expect(() => fromLogEvent(asRead(data, names.log, 5n), names.log)).toThrow(/not revision \+ 1/);
      expect(() => fromLogEvent(asRead({ ...data, metadata: { hash: 'nope' } }, names.log, 0n), names.log)).toThrow(LogIntegrityError);
      expect(() => fromLogEvent(asRead(data, 'elsewhere', 0n), names.log)).toThrow(LogIntegrityError);
      expect(() => fromLogEvent(asRead({ ...data, id: '00000000-0000-4000-8000-000000000000' }, names.log, 0n), names.log)).toThrow(/is not the eventId/);
    });

    it('links streams to the log with `$>` events carrying the eventId, and resolves them checking the stream version', () => {
      const [row] = planned([recordUsed('c-1', 'R-1')]).rows;
      const link = toLinkEventData(row!.eventId, 0n, names.log);
      expect(link).toMatchObject({ id: row!.eventId, type: '$>', contentType: 'application/octet-stream' });
      expect(parseLinkData(link.data)).toEqual({ revision: 0n, stream: 'ledger.log' });
      expect(() => parseLinkData(Buffer.from('garbage'))).toThrow(LogIntegrityError);
      const target = asRead(toLogEventData(row!, meta(row!.hash)), names.log, 0n);
      const linkRead = asRead(link, 'record-c-1-R-1', 0n) as NonNullable<Parameters<typeof fromResolvedLink>[0]['link']>;
      expect(fromResolvedLink({ event: target, link: linkRead }, names.log, true).recorded.streamVersion).toBe(0);
      const atWrongRevision = { ...linkRead, revision: 3n };
      expect(() => fromResolvedLink({ event: target, link: atWrongRevision }, names.log, true)).toThrow(/stream version 0/);
      expect(() => fromResolvedLink({ link: linkRead }, names.log, true)).toThrow(/does not resolve/);
    });

    it('chunks appends within the size budget, never splitting an event and never leaving one out', () => {
      const rows = planned(Array.from({ length: 25 }, (_, i) => recordUsed('c-1', `R-${i}`))).rows;
      const events = rows.map((r) => toLogEventData(r, meta(r.hash)));
      const budget = appendSizeOf(events[0]!) * 4 + 10;
      const chunks = chunkBySize(events, budget);
      expect(chunks.flat()).toEqual(events);
      const sizes = chunks.map((c) => c.reduce((n, e) => n + appendSizeOf(e), 0));
      expect(Math.max(...sizes)).toBeLessThanOrEqual(budget);
      chunks.slice(0, -1).forEach((chunk, i) => expect(sizes[i]! + appendSizeOf(chunks[i + 1]![0]!)).toBeGreaterThan(budget));
      expect(chunks.length).toBeGreaterThanOrEqual(7);
      expect(chunkBySize(events, 1).length).toBe(25);
    });
  });

  describe('errors to the port', () => {
    it('maps a wrong expected version to StreamVersionConflictError with the versions', () => {
      const error = mapClientError(new WrongExpectedVersionError(undefined, { streamName: 'record-c-R-1', expected: 3n, current: 5n }), 'append');
      expect(error).toBeInstanceOf(StreamVersionConflictError);
      expect(error).toMatchObject({ streamId: 'record-c-R-1', expected: '3', actual: 5, code: 'LEDGER.STREAM_VERSION_CONFLICT' });
      const noStream = mapClientError(new WrongExpectedVersionError(undefined, { streamName: 's', expected: 'stream_exists', current: 'no_stream' }), 'append');
      expect(noStream).toMatchObject({ expected: 'stream_exists', actual: -1 });
    });

    it('maps server, network and permission failures to StoreUnavailableError (503) naming the cause', () => {
      expect(mapClientError(new UnavailableError(), 'append')).toBeInstanceOf(StoreUnavailableError);
      expect(mapClientError(new DeadlineExceededError(), 'readAll').message).toMatch(/readAll failed \(deadline-exceeded\)/);
      expect(mapClientError(new AccessDeniedError(), 'append').message).toMatch(/access denied/);
      expect(mapClientError(MaxAppendSizeExceededError.fromMaxAppendSize(1024), 'append').message).toMatch(/MaxAppendSize/);
      expect(mapClientError(StreamDeletedError.fromStreamName('ledger.log'), 'append')).toBeInstanceOf(LogIntegrityError);
      expect(mapClientError(new Error('socket hang up'), 'append')).toMatchObject({ code: 'LEDGER.STORE_UNAVAILABLE' });
    });

    it('retries subscriptions only after failures of the server or the network', () => {
      expect(isTransientClientError(new UnavailableError())).toBe(true);
      expect(isTransientClientError(new DeadlineExceededError())).toBe(true);
      expect(isTransientClientError(new AccessDeniedError())).toBe(false);
      expect(isTransientClientError(new LogIntegrityError('gap'))).toBe(false);
      expect(typeof NotLeaderError).toBe('function');
    });
  });

  describe('connection strings', () => {
    it('accepts esdb://, esdb+discover:// and kurrentdb:// and hides the password in logs', () => {
      expect(clientConnectionString('esdb://eventstoredb:2113?tls=false')).toBe('esdb://eventstoredb:2113?tls=false');
      expect(clientConnectionString('kurrentdb://a:2113,b:2113,c:2113?tls=true')).toBe('esdb://a:2113,b:2113,c:2113?tls=true');
      expect(clientConnectionString('kurrentdb+discover://cluster:2113')).toBe('esdb+discover://cluster:2113');
      expect(() => clientConnectionString('postgres://x')).toThrow(/EVENTSTORE_URL/);
      expect(redactConnectionString('esdb://admin:changeit@node1:2113?tls=true')).toBe('esdb://admin:***@node1:2113?tls=true');
    });
  });
});
