/**
 * The contract suite and the adapter's crash and reconnect behaviour, run against an in-memory
 * emulation of EventStoreDB behind the client's interface (testing/eventstoredb-emulator.ts).
 * This proves the adapter's own logic on every run; it does not prove EventStoreDB's behaviour:
 * eventstoredb-event-store.int-spec.ts runs the same suite against a real server.
 */
import { randomUUID } from 'node:crypto';
import { StoreUnavailableError, type LedgerEvent } from '@ledger/domain';
import { describeEventStoreContract, type StoreUnderTest } from '../contract/event-store.contract.js';
import { recordUsed } from '../contract/test-events.js';
import { EventStoreDbEventStore, type EventStoreDbEventStoreOptions } from './eventstoredb-event-store.js';
import { EventStoreDbEmulator } from './testing/eventstoredb-emulator.js';

async function emulated(server: EventStoreDbEmulator, options: EventStoreDbEventStoreOptions = {}): Promise<StoreUnderTest> {
  const open = async (): Promise<EventStoreDbEventStore> => {
    const store = new EventStoreDbEventStore(server.client(), { reconnectDelayMs: 10, ...options });
    await store.open();
    return store;
  };
  const handles = [await open()];
  return {
    store: handles[0]!,
    another: async () => {
      const store = await open();
      handles.push(store);
      return store;
    },
    dispose: async () => {
      for (const h of handles) await h.close();
    },
  };
}

describeEventStoreContract('EventStoreDB adapter over an in-memory emulator (no server)', () => emulated(new EventStoreDbEmulator()));

describeEventStoreContract('EventStoreDB adapter over an in-memory emulator, every batch staged (maxAppendBytes 2 KiB)', () =>
  emulated(new EventStoreDbEmulator(4_096), { maxAppendBytes: 2_048 }),
);

describe('the EventStoreDB adapter (emulated server): crashes, reconnects, guards', () => {
  const contract = (): string => `c-${randomUUID().slice(0, 8)}`;
  const lost = (): Error => Object.assign(new Error('14 UNAVAILABLE: connection lost'), { name: 'UnavailableError' });

  it('finishes a batch whose fan-out a crash interrupted: the log has it, the next writer links it, a retry is a duplicate', async () => {
    const server = new EventStoreDbEmulator();
    const crashed = new EventStoreDbEventStore(server.client());
    await crashed.open();
    const c = contract();
    const batch = [recordUsed(c, 'R-1'), recordUsed(c, 'R-2'), recordUsed(c, 'R-1')];
    server.faults.beforeAppend = (stream) => {
      if (stream !== 'ledger.log') throw lost();
    };
    await expect(crashed.append(batch)).rejects.toBeInstanceOf(StoreUnavailableError);
    server.faults = {};
    // Committed: the log (what readAll, subscribers and the Merkle log read) has the whole batch.
    expect((await crashed.readAll({ after: 0, limit: 10 })).map((e) => e.event.eventId)).toEqual(batch.map((e) => e.eventId));
    expect(await crashed.readStream(`record-${c}-R-1`)).toEqual([]);

    const next = new EventStoreDbEventStore(server.client());
    await next.open(); // a restarted process completes the tail before anything else
    expect((await next.readStream(`record-${c}-R-1`)).map((e) => e.position)).toEqual([1, 3]);
    const retry = await next.append(batch);
    expect(retry.map((a) => [a.status, a.position])).toEqual([['duplicate', 1], ['duplicate', 2], ['duplicate', 3]]);
    expect((await next.readAll({ after: 0, limit: 10, contractId: c })).map((e) => e.position)).toEqual([1, 2, 3]);
    await crashed.close();
    await next.close();
  });

  it('has another writer finish an interrupted fan-out before it plans, so versions and hash chains never fork', async () => {
    const server = new EventStoreDbEmulator();
    const [a, b] = [new EventStoreDbEventStore(server.client()), new EventStoreDbEventStore(server.client())];
    const c = contract();
    await a.append([recordUsed(c, 'R-1')]);
    server.faults.beforeAppend = (stream) => {
      if (stream.startsWith('ledger.id-')) throw lost();
    };
    await expect(a.append([recordUsed(c, 'R-1')])).rejects.toBeInstanceOf(StoreUnavailableError);
    server.faults = {};
    const [third] = await b.append([recordUsed(c, 'R-1')]);
    expect(third!.streamVersion).toBe(2);
    const stream = await b.readStream(`record-${c}-R-1`);
    expect(stream.map((e) => e.streamVersion)).toEqual([0, 1, 2]);
    expect(stream[2]!.prevHash).toBe(stream[1]!.hash);
    await a.close();
    await b.close();
  });

  it('rolls a staged batch forward from its staging stream when the log write stopped between chunks', async () => {
    const server = new EventStoreDbEmulator(8_192);
    const options = { maxAppendBytes: 2_048 };
    const crashed = new EventStoreDbEventStore(server.client(), options);
    const c = contract();
    const batch = Array.from({ length: 40 }, (_, i) => recordUsed(c, `R-${i % 7}`));
    let logAppends = 0;
    server.faults.beforeAppend = (stream) => {
      if (stream === 'ledger.log' && ++logAppends === 3) throw lost();
    };
    await expect(crashed.append(batch)).rejects.toBeInstanceOf(StoreUnavailableError);
    server.faults = {};
    const partial = await crashed.headPosition();
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(40);
    expect(server.streamNames().some((s) => s.startsWith('ledger.staging-'))).toBe(true);

    const next = new EventStoreDbEventStore(server.client(), options);
    const [later] = await next.append([recordUsed(c, 'R-99')]);
    expect(later!.position).toBe(41);
    const retry = await next.append(batch);
    expect(retry.every((a) => a.status === 'duplicate')).toBe(true);
    expect(retry.map((a) => a.position)).toEqual(batch.map((_, i) => i + 1));
    const staging = server.streamNames().find((s) => s.startsWith('ledger.staging-'))!;
    await expect(next.readStream(staging)).resolves.toEqual([]); // soft-deleted once the batch is complete
    await crashed.close();
    await next.close();
  });

  it('resubscribes after the connection drops, from the last delivered position, without loss or repeat', async () => {
    const server = new EventStoreDbEmulator();
    const store = new EventStoreDbEventStore(server.client(), { reconnectDelayMs: 5 });
    const c = contract();
    await store.append([recordUsed(c, 'R-1'), recordUsed(c, 'R-2')]);
    const seen: number[] = [];
    const subscription = store.subscribe({ after: 1 }, async (events) => {
      seen.push(...events.map((e) => e.position));
    });
    const until = async (n: number): Promise<void> => {
      for (let i = 0; i < 500 && seen.length < n; i++) await new Promise((r) => setTimeout(r, 5));
    };
    await until(1);
    server.dropSubscriptions();
    await store.append([recordUsed(c, 'R-3')]);
    server.dropSubscriptions();
    await store.append([recordUsed(c, 'R-4'), recordUsed(c, 'R-5')]);
    await until(4);
    await subscription.stop();
    expect(seen).toEqual([2, 3, 4, 5]);
    await store.close();
  });

  it('refuses to open a log whose stream metadata would let scavenging delete ledger events', async () => {
    const server = new EventStoreDbEmulator();
    server.setStreamMetadata('ledger.log', { maxAge: 86_400 });
    const store = new EventStoreDbEventStore(server.client());
    await expect(store.open()).rejects.toThrow(/\$maxAge, \$maxCount or \$tb/);
    server.setStreamMetadata('ledger.log', { truncateBefore: 10 });
    await expect(store.open()).rejects.toBeInstanceOf(StoreUnavailableError);
  });

  it('refuses to plan on a record stream that someone wrote to behind the ledger', async () => {
    const server = new EventStoreDbEmulator();
    const store = new EventStoreDbEventStore(server.client());
    const c = contract();
    await store.append([recordUsed(c, 'R-1')]);
    server.rawAppend(`record-${c}-R-1`, [{ id: randomUUID(), type: 'RecordUsed', contentType: 'application/json', data: { forged: true }, metadata: undefined }]);
    await expect(store.append([recordUsed(c, 'R-1')])).rejects.toThrow(/link|ledger/);
    await expect(store.readStream(`record-${c}-R-1`)).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(await store.headPosition()).toBe(1);
    await store.close();
  });

  it('coalesces concurrent appends of one process into one log append (group commit)', async () => {
    const server = new EventStoreDbEmulator();
    const store = new EventStoreDbEventStore(server.client());
    const c = contract();
    await store.append([recordUsed(c, 'R-0')]);
    let logAppends = 0;
    server.faults.beforeAppend = (stream) => {
      if (stream === 'ledger.log') logAppends++;
    };
    const events: LedgerEvent[] = Array.from({ length: 40 }, (_, i) => recordUsed(c, `R-${i}`));
    await Promise.all(events.map((e) => store.append([e])));
    expect(logAppends).toBeLessThan(10);
    expect(await store.headPosition()).toBe(41);
    await store.close();
  });
});
