import type { LedgerEvent } from './event-catalogue.js';

/**
 * An event as the ledger stored it: the producer's event plus what the ledger assigned. `hash` is
 * the event's Merkle leaf hash (RFC 6962, over the RFC 8785 canonical JSON of all these fields
 * but `hash`); `prevHash` chains the events of one stream.
 */
export interface RecordedEvent {
  readonly event: LedgerEvent;
  readonly streamId: string;
  /** 0 for the first event of a stream. */
  readonly streamVersion: number;
  /** 1 for the first event of the ledger, contiguous. */
  readonly position: number;
  /** Ledger time, ISO 8601 UTC with milliseconds. */
  readonly recordedAt: string;
  /** Hex leaf hash of the previous event of the same stream, null for its first event. */
  readonly prevHash: string | null;
  /** Hex leaf hash of this event. */
  readonly hash: string;
}
