import type { LedgerEvent } from '@ledger/domain';
import type { AppendedEvent, AppendOptions, ExpectedVersion } from './event-store.port.js';
import type { PreparedEvent } from './stored-event.js';

/** One caller's append waiting for the writer. */
export interface PendingAppend {
  events: readonly LedgerEvent[];
  expected: ReadonlyMap<string, ExpectedVersion>;
  /** The events prepared while the request waits (see PreparedEvent), when the store does. */
  prepared?: readonly PreparedEvent[];
  resolve: (results: AppendedEvent[]) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: appends queue up while one write is in flight, then go together into the next
 * (up to maxGroupEvents), so concurrent callers share transactions and one writer keeps the log's
 * order. `commit` settles every request of its group.
 */
export class GroupCommitQueue {
  private readonly queue: PendingAppend[] = [];
  private writing = false;

  constructor(
    private readonly commit: (group: PendingAppend[]) => Promise<void>,
    private readonly maxGroupEvents: number,
  ) {}

  enqueue(events: readonly LedgerEvent[], options: AppendOptions, prepared?: readonly PreparedEvent[]): Promise<AppendedEvent[]> {
    return new Promise((resolve, reject) => {
      this.queue.push({ events, expected: options.expectedVersions ?? new Map(), prepared, resolve, reject });
      void this.drain();
    });
  }

  /** Resolves once nothing is queued or being written. */
  async settled(): Promise<void> {
    while (this.writing || this.queue.length > 0) await new Promise((r) => setTimeout(r, 5));
  }

  private async drain(): Promise<void> {
    if (this.writing) return;
    this.writing = true;
    try {
      while (this.queue.length > 0) {
        const group: PendingAppend[] = [];
        let size = 0;
        while (this.queue.length > 0) {
          const next = this.queue[0]!;
          if (group.length > 0 && size + next.events.length > this.maxGroupEvents) break;
          group.push(this.queue.shift()!);
          size += next.events.length;
        }
        await this.commit(group);
      }
    } finally {
      this.writing = false;
    }
  }
}
