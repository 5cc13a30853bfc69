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
