import { canonicalize, leafHash } from '@ledger/integrity';
import { contractStreamId, instant, isRecordEvent, recordStreamId, type LedgerEvent, type RecordedEvent } from '@ledger/domain';

/** What the ledger adds to a producer's event; hashed together with it. */
export interface LedgerMetadata {
  streamId: string;
  streamVersion: number;
  position: number;
  recordedAt: string;
  prevHash: string | null;
}

const METADATA_KEYS = ['streamId', 'streamVersion', 'position', 'recordedAt', 'prevHash'] as const;

export function streamIdOf(event: LedgerEvent): string {
  return isRecordEvent(event) ? recordStreamId(event.contractId, event.recordId) : contractStreamId(event.contractId);
}

/**
 * The stored event: the producer's envelope and the ledger's metadata side by side, in RFC 8785
 * canonical JSON. Its leaf hash SHA-256(0x00 ‖ canonical) is both the Merkle leaf and the link the
 * next event of the stream carries as prevHash.
 */
export function encodeStoredEvent(event: LedgerEvent, meta: LedgerMetadata): { canonical: string; hash: Buffer } {
  const { streamId, streamVersion, position, recordedAt, prevHash } = meta;
  const canonical = canonicalize({ ...event, streamId, streamVersion, position, recordedAt, prevHash });
  return { canonical, hash: leafHash(canonical) };
}

export function decodeStoredEvent(canonical: string, hashHex: string): RecordedEvent {
  const stored = JSON.parse(canonical) as Record<string, unknown>;
  const meta = {} as Record<string, unknown>;
  for (const key of METADATA_KEYS) {
    meta[key] = stored[key];
    delete stored[key];
  }
  return {
    event: stored as unknown as LedgerEvent,
    streamId: meta.streamId as string,
    streamVersion: meta.streamVersion as number,
    position: meta.position as number,
    recordedAt: meta.recordedAt as string,
    prevHash: (meta.prevHash as string | null) ?? null,
    hash: hashHex,
  };
}

/** Same content for idempotency: the canonical forms of the two producer events are equal. */
export function sameContent(a: LedgerEvent, b: LedgerEvent): boolean {
  return canonicalize(a) === canonicalize(b);
}

/** Bytes of an event's stored form (its canonical JSON with the ledger's metadata). */
export function storedBytes(recorded: RecordedEvent): number {
  const { streamId, streamVersion, position, recordedAt, prevHash } = recorded;
  return Buffer.byteLength(canonicalize({ ...recorded.event, streamId, streamVersion, position, recordedAt, prevHash }));
}

/**
 * The leading events up to the one whose stored form reaches `maxBytes` (ReadAllOptions.maxBytes),
 * for adapters that cannot cut a read by size where the events are stored.
 */
export function leadingWithinBytes(events: RecordedEvent[], maxBytes: number | undefined): RecordedEvent[] {
  if (maxBytes === undefined) return events;
  let total = 0;
  for (let i = 0; i < events.length; i++) {
    if (total >= maxBytes) return events.slice(0, i);
    total += storedBytes(events[i]!);
  }
  return events;
}

/**
 * The events in the judgement order (occurredAt to the millisecond, then position) that come
 * after `after`: how every adapter answers `readStreamInOrder` from what it read.
 */
export function inOrderAfter(events: readonly RecordedEvent[], after: { at: number; pos: number }): RecordedEvent[] {
  return events
    .map((recorded) => ({ recorded, at: instant(recorded.event.occurredAt) }))
    .filter((e) => e.at > after.at || (e.at === after.at && e.recorded.position > after.pos))
    .sort((a, b) => a.at - b.at || a.recorded.position - b.recorded.position)
    .map((e) => e.recorded);
}
