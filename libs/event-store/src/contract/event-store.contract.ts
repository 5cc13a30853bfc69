/**
 * THE definition of what an event store must do in this ledger. Every adapter runs this suite
 * (PostgreSQL always; EventStoreDB when EVENTSTORE_URL is set) before it is used.
 */
import { randomUUID } from 'node:crypto';
import { EventIdConflictError, StreamVersionConflictError, type LedgerEvent, type RecordedEvent } from '@ledger/domain';
import type { EventStore } from '../event-store.port.js';
import { encodeStoredEvent, streamIdOf } from '../stored-event.js';
import { recordUsed, workerBriefed } from './test-events.js';

export interface StoreUnderTest {
  readonly store: EventStore;
  /** A second, independent handle on the same log, as another process (a second API, the CLI) holds. */
  another(): Promise<EventStore>;
  /** Closes every handle and removes the log. */
  dispose(): Promise<void>;
}

async function readEverything(store: EventStore): Promise<RecordedEvent[]> {
  const all: RecordedEvent[] = [];
  for (;;) {
    const page = await store.readAll({ after: all.at(-1)?.position ?? 0, limit: 500 });
    if (page.length === 0) return all;
    all.push(...page);
  }
}

function waitFor(predicate: () => boolean, timeoutMs = 15_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = (): void => {
      if (predicate()) resolve();
      else if (Date.now() - started > timeoutMs) reject(new Error('timed out waiting'));
      else setTimeout(tick, 10);
    };
    tick();
  });
}

export function describeEventStoreContract(name: string, open: () => Promise<StoreUnderTest>): void {
  describe(`the ${name} event store (contract suite)`, () => {
    let subject: StoreUnderTest;
    let store: EventStore;
    let contract: string;

    beforeEach(async () => {
      subject = await open();
      store = subject.store;
      contract = `c-${randomUUID().slice(0, 8)}`;
    });

    afterEach(async () => {
      await subject.dispose();
    });

    describe('append and read', () => {
      it('numbers a stream 0, 1, 2 … and chains each event to the previous hash of its stream', async () => {
        const events = [recordUsed(contract, 'R-1'), recordUsed(contract, 'R-2'), recordUsed(contract, 'R-1')];
        const appended = await store.append(events);
        expect(appended.map((a) => [a.status, a.streamVersion])).toEqual([['appended', 0], ['appended', 0], ['appended', 1]]);
        const stream = await store.readStream(`record-${contract}-R-1`);
        expect(stream.map((e) => e.event)).toEqual([events[0], events[2]]);
        expect(stream.map((e) => e.streamVersion)).toEqual([0, 1]);
        expect(stream[0]!.prevHash).toBeNull();
        expect(stream[1]!.prevHash).toBe(stream[0]!.hash);
      });

      it('stores a leaf hash that anyone can recompute from the stored event', async () => {
        await store.append([recordUsed(contract, 'R-1'), recordUsed(contract, 'R-1')]);
        for (const recorded of await store.readStream(`record-${contract}-R-1`)) {
          const { hash } = encodeStoredEvent(recorded.event, recorded);
          expect(recorded.hash).toBe(hash.toString('hex'));
          expect(recorded.hash).toMatch(/^[0-9a-f]{64}$/);
        }
        const [first] = await store.readStream(`record-${contract}-R-1`, { limit: 1 });
        expect(first!.recordedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      });

      it('gives positions 1, 2, 3 … without gaps, in append order, across streams', async () => {
        const before = await store.headPosition();
        const events = Array.from({ length: 25 }, (_, i) => recordUsed(contract, `R-${i % 4}`));
        const appended = await store.append(events);
        expect(appended.map((a) => a.position)).toEqual(events.map((_, i) => before + i + 1));
        const all = await store.readAll({ after: before, limit: 100 });
        expect(all.map((e) => e.event.eventId)).toEqual(events.map((e) => e.eventId));
        expect(await store.headPosition()).toBe(before + 25);
      });

      it('cuts a read at a byte budget, never below one event, and delivers subscriptions within it', async () => {
        const before = await store.headPosition();
        const events = Array.from({ length: 12 }, (_, i) => recordUsed(contract, `R-${i}`));
        await store.append(events);
        const one = (await store.readAll({ after: before, limit: 1 }))[0]!;
        const size = Buffer.byteLength(encodeStoredEvent(one.event, one).canonical);
        const page = await store.readAll({ after: before, limit: 100, maxBytes: size * 3 + 1 });
        expect(page.length).toBeGreaterThanOrEqual(2);
        expect(page.length).toBeLessThanOrEqual(4);
        expect(page.map((e) => e.position)).toEqual(page.map((_, i) => before + i + 1));
        expect((await store.readAll({ after: before, limit: 100, maxBytes: 1 })).map((e) => e.position)).toEqual([before + 1]);
        const batches: number[] = [];
        const subscription = store.subscribe({ after: before, batchSize: 100, maxBytes: size * 3 + 1 }, async (delivered) => {
          batches.push(delivered.length);
        });
        await waitFor(() => batches.reduce((a, b) => a + b, 0) >= 12);
        await subscription.stop();
        expect(Math.max(...batches)).toBeLessThanOrEqual(4);
      });

      it('reads one contract, pages by position, and a stream from a version', async () => {
        const other = `o-${randomUUID().slice(0, 8)}`;
        await store.append([recordUsed(contract, 'R-1'), recordUsed(other, 'R-1'), workerBriefed(contract, 'W-1'), recordUsed(contract, 'R-1')]);
        const mine = await store.readAll({ after: 0, limit: 10, contractId: contract });
        expect(mine.map((e) => e.streamId)).toEqual([`record-${contract}-R-1`, `contract-${contract}`, `record-${contract}-R-1`]);
        const page2 = await store.readAll({ after: mine[0]!.position, limit: 1, contractId: contract });
        expect(page2.map((e) => e.position)).toEqual([mine[1]!.position]);
        const tail = await store.readStream(`record-${contract}-R-1`, { fromVersion: 1 });
        expect(tail.map((e) => e.streamVersion)).toEqual([1]);
        expect(await store.streamVersion(`record-${contract}-R-1`)).toBe(1);
        expect(await store.streamVersion(`record-${contract}-R-9`)).toBeNull();
        expect(await store.readStream(`record-${contract}-R-9`)).toEqual([]);
      });

      it('reads a stream in the judgement order (occurredAt to the millisecond, then position), from a place in it, within a cut', async () => {
        const at = (text: string) => ({ ...recordUsed(contract, 'R-1'), occurredAt: text });
        const events = [
          at('2026-04-01T09:00:00.500+09:00'),
          at('2026-04-01T08:00:00+09:00'),
          at('2026-04-01T09:00:00.5009+09:00'), // same millisecond as the first, later position
          at('2026-04-01T09:00:00.5001+09:00'), // same millisecond again: position decides, not the microseconds
          at('2026-04-01T10:00:00+09:00'),
        ];
        await store.append(events);
        const ids = (list: RecordedEvent[]) => list.map((e) => events.findIndex((x) => x.eventId === e.event.eventId));
        const stream = `record-${contract}-R-1`;
        const all = await store.readStreamInOrder(stream, { limit: 100 });
        expect(ids(all)).toEqual([1, 0, 2, 3, 4]);
        const first = all[1]!;
        const after = { at: Date.parse('2026-04-01T00:00:00.500Z'), pos: first.position };
        expect(ids(await store.readStreamInOrder(stream, { after, limit: 100 }))).toEqual([2, 3, 4]);
        expect(ids(await store.readStreamInOrder(stream, { untilAt: Date.parse('2026-04-01T00:00:00.500Z'), limit: 100 }))).toEqual([1, 0, 2, 3]);
        expect(ids(await store.readStreamInOrder(stream, { maxPosition: all[2]!.position, limit: 100 }))).toEqual([1, 0, 2]);
        // A limit inside a millisecond still returns the whole millisecond, in order.
        expect(ids(await store.readStreamInOrder(stream, { limit: 2 }))).toEqual([1, 0, 2, 3]);
      });

      it('finds events by eventId', async () => {
        const events = [recordUsed(contract, 'R-1'), recordUsed(contract, 'R-2')];
        await store.append(events);
        const found = await store.readByEventIds([events[1]!.eventId, randomUUID()]);
        expect(found.map((e) => e.event)).toEqual([events[1]]);
      });
    });

    describe('idempotency', () => {
      it('appends a batch posted twice once; the second answer says duplicate with the same positions', async () => {
        const batch = [recordUsed(contract, 'R-1'), recordUsed(contract, 'R-2')];
        const first = await store.append(batch);
        const head = await store.headPosition();
        const second = await store.append(batch);
        expect(second.map((a) => a.status)).toEqual(['duplicate', 'duplicate']);
        expect(second.map((a) => [a.position, a.hash])).toEqual(first.map((a) => [a.position, a.hash]));
        expect(await store.headPosition()).toBe(head);
      });

      it('refuses the same eventId with other content and writes nothing of the batch', async () => {
        const event = recordUsed(contract, 'R-1', 'operation');
        await store.append([event]);
        const head = await store.headPosition();
        const changed = { ...event, data: { purpose: 'marketing' } } as LedgerEvent;
        await expect(store.append([recordUsed(contract, 'R-2'), changed])).rejects.toBeInstanceOf(EventIdConflictError);
        expect(await store.headPosition()).toBe(head);
      });

      it('holds an eventId unique across streams: the same eventId for another record is a conflict', async () => {
        const event = recordUsed(contract, 'R-1');
        const [first] = await store.append([event]);
        const elsewhere = { ...event, recordId: 'R-2' } as LedgerEvent;
        await expect(store.append([elsewhere])).rejects.toBeInstanceOf(EventIdConflictError);
        const again = await (await subject.another()).append([event]);
        expect(again.map((a) => [a.status, a.position])).toEqual([['duplicate', first!.position]]);
        expect(await store.readStream(`record-${contract}-R-2`)).toEqual([]);
      });

      it('treats a repeated eventId inside one batch as a duplicate of its first occurrence', async () => {
        const event = recordUsed(contract, 'R-1');
        const answer = await store.append([event, event]);
        expect(answer.map((a) => a.status)).toEqual(['appended', 'duplicate']);
        expect(answer[1]!.position).toBe(answer[0]!.position);
      });
    });

    describe('optimistic concurrency', () => {
      it('appends with the right expected version and refuses a stale one, writing nothing', async () => {
        const stream = `record-${contract}-R-1`;
        await store.append([recordUsed(contract, 'R-1')], { expectedVersions: new Map([[stream, 'no_stream']]) });
        await store.append([recordUsed(contract, 'R-1')], { expectedVersions: new Map([[stream, 0]]) });
        await store.append([recordUsed(contract, 'R-1')], { expectedVersions: new Map([[stream, 'stream_exists']]) });
        const head = await store.headPosition();
        const stale = store.append([recordUsed(contract, 'R-2'), recordUsed(contract, 'R-1')], { expectedVersions: new Map([[stream, 0]]) });
        await expect(stale).rejects.toBeInstanceOf(StreamVersionConflictError);
        await expect(store.append([recordUsed(contract, 'R-1')], { expectedVersions: new Map([[stream, 'no_stream']]) })).rejects.toBeInstanceOf(StreamVersionConflictError);
        await expect(store.append([recordUsed(contract, 'R-7')], { expectedVersions: new Map([[`record-${contract}-R-7`, 'stream_exists']]) })).rejects.toBeInstanceOf(StreamVersionConflictError);
        expect(await store.headPosition()).toBe(head);
      });

      it('never forks a stream: of many writers expecting the same version, exactly one wins each version', async () => {
        const stream = `record-${contract}-R-1`;
        const second = await subject.another();
        await store.append([recordUsed(contract, 'R-1')]);
        for (let version = 0; version < 5; version++) {
          const attempts = Array.from({ length: 12 }, (_, i) =>
            (i % 2 ? second : store).append([recordUsed(contract, 'R-1')], { expectedVersions: new Map([[stream, version]]) }),
          );
          const outcomes = await Promise.allSettled(attempts);
          expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
          for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(StreamVersionConflictError);
        }
        const versions = (await store.readStream(stream)).map((e) => e.streamVersion);
        expect(versions).toEqual([0, 1, 2, 3, 4, 5]);
      });

      it('fails only the conflicting request when concurrent requests share a transaction', async () => {
        const stream = `record-${contract}-R-1`;
        await store.append([recordUsed(contract, 'R-1')]);
        const results = await Promise.allSettled([
          store.append([recordUsed(contract, 'R-2')]),
          store.append([recordUsed(contract, 'R-1')], { expectedVersions: new Map([[stream, 7]]) }),
          store.append([recordUsed(contract, 'R-3')]),
        ]);
        expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      });
    });

    describe('batch atomicity', () => {
      it('writes nothing of a 1,000-event batch when one event conflicts', async () => {
        const taken = recordUsed(contract, 'R-0', 'operation');
        await store.append([taken]);
        const head = await store.headPosition();
        const batch = Array.from({ length: 1000 }, (_, i) => recordUsed(contract, `R-${i}`));
        batch[637] = { ...taken, data: { purpose: 'changed' } } as LedgerEvent;
        await expect(store.append(batch)).rejects.toBeInstanceOf(EventIdConflictError);
        expect(await store.headPosition()).toBe(head);
        expect(await store.readStream(`record-${contract}-R-1`)).toEqual([]);
      });

      it('writes nothing to any stream of a batch whose last stream has a stale expected version', async () => {
        await store.append([recordUsed(contract, 'R-9')]);
        const head = await store.headPosition();
        const batch = [recordUsed(contract, 'R-1'), workerBriefed(contract, 'W-1'), recordUsed(contract, 'R-2'), recordUsed(contract, 'R-9')];
        const stale = new Map([[`record-${contract}-R-9`, 'no_stream' as const]]);
        await expect(store.append(batch, { expectedVersions: stale })).rejects.toBeInstanceOf(StreamVersionConflictError);
        expect(await store.headPosition()).toBe(head);
        expect(await store.readStream(`record-${contract}-R-1`)).toEqual([]);
        expect(await store.streamVersion(`contract-${contract}`)).toBeNull();
        expect(await store.readByEventIds(batch.map((e) => e.eventId))).toEqual([]);
        expect((await store.readAll({ after: 0, limit: 100, contractId: contract })).map((e) => e.streamId)).toEqual([`record-${contract}-R-9`]);
      });

      it('makes a batch across many streams visible whole: every stream, every eventId, the contract and the log', async () => {
        const head = await store.headPosition();
        const batch = Array.from({ length: 300 }, (_, i) => (i % 50 === 7 ? workerBriefed(contract, `W-${i}`) : recordUsed(contract, `R-${i % 100}`)));
        const appended = await store.append(batch);
        expect(appended.map((a) => a.position)).toEqual(batch.map((_, i) => head + i + 1));
        expect((await store.readByEventIds(batch.map((e) => e.eventId))).map((e) => e.position)).toEqual(appended.map((a) => a.position));
        const byContract = await store.readAll({ after: head, limit: 1000, contractId: contract });
        expect(byContract.map((e) => e.event.eventId)).toEqual(batch.map((e) => e.eventId));
        for (const r of [0, 42, 99]) {
          const stream = await store.readStream(`record-${contract}-R-${r}`);
          expect(stream.map((e) => e.streamVersion)).toEqual([0, 1, 2]);
          expect(stream[2]!.prevHash).toBe(stream[1]!.hash);
        }
        expect(await store.streamVersion(`contract-${contract}`)).toBe(5);
      });
    });

    describe('subscriptions and readers', () => {
      it('resumes from a checkpoint: a new subscription after the last delivered position delivers the rest once', async () => {
        const start = await store.headPosition();
        await store.append(Array.from({ length: 10 }, (_, i) => recordUsed(contract, `R-${i}`)));
        const seen: number[] = [];
        let checkpoint = start;
        const first = store.subscribe({ after: start, batchSize: 3 }, async (events) => {
          seen.push(...events.map((e) => e.position));
          checkpoint = events.at(-1)!.position;
        });
        await waitFor(() => seen.length >= 4);
        await first.stop();
        await store.append(Array.from({ length: 5 }, (_, i) => recordUsed(contract, `R-${i}`)));
        const reader = await subject.another();
        const second = reader.subscribe({ after: checkpoint, batchSize: 4 }, async (events) => {
          seen.push(...events.map((e) => e.position));
        });
        await waitFor(() => seen.length >= 15);
        await second.stop();
        expect(seen).toEqual(Array.from({ length: 15 }, (_, i) => start + i + 1));
      });

      it('delivers from a position: first what is stored, then each event as it commits, once, in order', async () => {
        const first = await store.append([recordUsed(contract, 'R-1'), recordUsed(contract, 'R-2'), recordUsed(contract, 'R-3')]);
        const seen: number[] = [];
        const subscription = store.subscribe({ after: first[0]!.position }, async (events) => {
          seen.push(...events.map((e) => e.position));
        });
        await waitFor(() => seen.length === 2);
        const later = await store.append([recordUsed(contract, 'R-4')]);
        const fromElsewhere = await (await subject.another()).append([recordUsed(contract, 'R-5')]);
        await waitFor(() => seen.length === 4);
        await subscription.stop();
        expect(seen).toEqual([first[1]!.position, first[2]!.position, later[0]!.position, fromElsewhere[0]!.position]);
      });

      it('stops redelivering when the handler fails, and reports the failure', async () => {
        await store.append([recordUsed(contract, 'R-1')]);
        const subscription = store.subscribe({ after: 0 }, async () => {
          throw new Error('projector down');
        });
        await expect(subscription.done).rejects.toThrow('projector down');
      });

      it('never lets a reader miss an event while concurrent writers in two processes append to different streams', async () => {
        const second = await subject.another();
        const start = await store.headPosition();
        const seen: number[] = [];
        const subscription = store.subscribe({ after: start, batchSize: 37 }, async (events) => {
          seen.push(...events.map((e) => e.position));
        });
        const writers = Array.from({ length: 16 }, (_, w) =>
          (async () => {
            for (let i = 0; i < 15; i++) {
              const size = 1 + ((w * 7 + i) % 5);
              const batch = Array.from({ length: size }, (_, k) => recordUsed(contract, `R-${w}-${k}`));
              await (w % 2 ? second : store).append(batch);
            }
          })(),
        );
        await Promise.all(writers);
        const head = await store.headPosition();
        await waitFor(() => seen.length >= head - start);
        await subscription.stop();
        expect(seen).toEqual(Array.from({ length: head - start }, (_, i) => start + i + 1));
        const all = await readEverything(store);
        expect(all.map((e) => e.position)).toEqual(Array.from({ length: head }, (_, i) => i + 1));
        expect(new Set(all.map((e) => streamIdOf(e.event))).size).toBeGreaterThan(16);
      });
    });
  });
}
