import { Inject, Injectable } from '@nestjs/common';
import { ContractHistory } from '@ledger/handling';
import { contractStreamId, type RecordedEvent } from '@ledger/domain';
import { EVENT_STORE, type EventStore } from '@ledger/event-store';

interface Entry {
  readonly events: RecordedEvent[];
  readonly history: ContractHistory;
  /** Position of the last event (positions grow with stream versions). */
  readonly position: number;
}

/** Contracts whose indexed stream is kept (a contract stream is small: thousands of events). */
const CAPACITY = 64;

/**
 * Each contract's stream indexed once (`ContractHistory.of`, ~20 ms for 10,000 events) and kept,
 * keyed by the stream's version: a request reads only the events appended since (one query that
 * usually returns nothing). One index serves every asOf/knownAt, since the cut is applied per view.
 */
@Injectable()
export class ContractHistoryCache {
  private readonly entries = new Map<string, Entry>();

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /**
   * The contract as this process last read it, without asking the store (null: not kept): for a
   * read that checks, in its own snapshot, that the stream still has `events` events.
   */
  kept(contractId: string): { history: ContractHistory; events: number } | null {
    const entry = this.entries.get(contractId);
    return entry ? { history: entry.history, events: entry.events.length } : null;
  }

  /** The contract's whole stream as of now, or null when the contract has no event (unknown). */
  async current(contractId: string): Promise<{ history: ContractHistory; events: readonly RecordedEvent[]; position: number } | null> {
    const streamId = contractStreamId(contractId);
    const cached = this.entries.get(contractId);
    const more = await this.store.readStream(streamId, { fromVersion: cached?.events.length ?? 0 });
    if (cached && more.length === 0) {
      this.entries.delete(contractId);
      this.entries.set(contractId, cached);
      return cached;
    }
    let events: RecordedEvent[];
    if (!cached) events = more;
    else if (more[0]!.streamVersion === cached.events.length) events = [...cached.events, ...more];
    else events = await this.store.readStream(streamId);
    if (events.length === 0) return null;
    const entry: Entry = { events, history: ContractHistory.of(contractId, events), position: events[events.length - 1]!.position };
    this.entries.delete(contractId);
    this.entries.set(contractId, entry);
    while (this.entries.size > CAPACITY) this.entries.delete(this.entries.keys().next().value!);
    return entry;
  }

  /** The contract as the log stood at `position` (the read model's checkpoint); null when it had no event then. */
  async upTo(contractId: string, position: number): Promise<ContractHistory | null> {
    const entry = await this.current(contractId);
    if (!entry) return null;
    if (entry.position <= position) return entry.history;
    const events = entry.events.filter((e) => e.position <= position);
    return events.length === 0 ? null : ContractHistory.of(contractId, events);
  }
}
