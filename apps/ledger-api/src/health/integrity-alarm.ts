import { Injectable } from '@nestjs/common';
import { encodeStoredEvent } from '@ledger/event-store';
import { hashFromHex } from '@ledger/integrity';
import type { RecordedEvent } from '@ledger/domain';
import { LogIntegrityError, type IntegrityFinding } from '@ledger/merkle-log';

/**
 * The cheap check of what this process serves: an event about to be answered is hashed again
 * (≈ 4 µs) and must give its stored leaf hash. A mismatch is never served; it is remembered here
 * for /health (degraded, naming the position) and /metrics, next to what the scrubber finds.
 */
const CHANGED = 'the stored event does not hash to its stored leaf hash (its content was changed)';

@Injectable()
export class IntegrityAlarm {
  private readonly found = new Map<number, string>();

  /** Throws LogIntegrityError (naming the first bad position) unless every event hashes to its stored hash. */
  checkServed(events: readonly RecordedEvent[]): void {
    let first: IntegrityFinding | null = null;
    for (const recorded of events) {
      if (encodeStoredEvent(recorded.event, recorded).hash.equals(hashFromHex(recorded.hash))) continue;
      this.record(recorded.position);
      first ??= { position: recorded.position, reason: CHANGED };
    }
    if (first) {
      throw new LogIntegrityError(
        `the stored event at position ${first.position} does not match its leaf hash, so it is not served; run \`npm run cli -- verify\``,
        { position: first.position },
      );
    }
  }

  /** Remembers a position an answer refused to serve (found here or by the Merkle log's own check). */
  record(position: number, reason = CHANGED): void {
    if (this.found.size < 10_000) this.found.set(position, reason);
  }

  /** Runs a read; a LogIntegrityError naming a position is remembered before it goes on to the client. */
  async watch<T>(read: () => Promise<T>): Promise<T> {
    try {
      return await read();
    } catch (error) {
      const position = error instanceof LogIntegrityError ? (error.details as { position?: number } | undefined)?.position : undefined;
      if (position !== undefined) this.record(position);
      throw error;
    }
  }

  snapshot(): { mismatches: number; first?: IntegrityFinding } {
    const lowest = [...this.found.keys()].sort((a, b) => a - b)[0];
    return lowest === undefined ? { mismatches: 0 } : { mismatches: this.found.size, first: { position: lowest, reason: this.found.get(lowest)! } };
  }
}
