/**
 * The contract suite against a real EventStoreDB / KurrentDB, when EVENTSTORE_URL names one
 * (e.g. `EVENTSTORE_URL=esdb://localhost:2113?tls=false npm run test:int`, with `docker compose up
 * eventstoredb`). Each test gets its own log (`t<random>.log`), so runs never see each other.
 * Without EVENTSTORE_URL the suite is skipped under a name that says why, and the reason is
 * printed, so CI shows it instead of silently running nothing.
 */
import { randomBytes } from 'node:crypto';
import { StoreUnavailableError } from '@ledger/domain';
import { describeEventStoreContract } from '../contract/event-store.contract.js';
import { EventStoreDbEventStore } from './eventstoredb-event-store.js';
import { redactConnectionString } from './eventstoredb-mapping.js';

const url = process.env.EVENTSTORE_URL;

if (url) {
  describeEventStoreContract(`EventStoreDB at ${redactConnectionString(url)}`, async () => {
    const prefix = `t${randomBytes(4).toString('hex')}`;
    const handles: EventStoreDbEventStore[] = [];
    const open = async (): Promise<EventStoreDbEventStore> => {
      const store = await EventStoreDbEventStore.connect(url, { prefix, reconnectDelayMs: 100 });
      handles.push(store);
      return store;
    };
    const store = await open();
    return {
      store,
      another: open,
      // The server is a disposable test server: the test's streams stay, under their own prefix.
      dispose: async () => {
        for (const h of handles) await h.close();
      },
    };
  });
} else {
  const reason = 'EventStoreDB contract suite — skipped: EVENTSTORE_URL is not set (no EventStoreDB server on this machine)';
  console.warn(`[tests] ${reason}. Set EVENTSTORE_URL=esdb://host:2113?tls=false to run it against a real server.`);
  describe.skip(reason, () => {
    it('runs every case of the contract suite against a real EventStoreDB / KurrentDB server', () => undefined);
  });
}

describe('the EventStoreDB adapter with the real client and no server', () => {
  it('fails to open with StoreUnavailableError naming the cause when nothing listens at EVENTSTORE_URL', async () => {
    const opening = EventStoreDbEventStore.connect('esdb://127.0.0.1:9?tls=false&defaultDeadline=3000');
    await expect(opening).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(opening).rejects.toThrow(/opening the ledger log failed \(unavailable\)/);
  });
});
