import { canonicalize, leafHash } from '@ledger/integrity';
import { contractStreamId, isRecordEvent, recordStreamId, type LedgerEvent, type RecordedEvent } from '@ledger/domain';

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

/**
 * A producer's event with each member already in canonical form, so that under the append lock
 * only the ledger's metadata is serialized and merged in (the same bytes as encodeStoredEvent).
 */
export interface PreparedEvent {
  readonly event: LedgerEvent;
  /** [JSON key, canonical value], sorted by key as RFC 8785 sorts (UTF-16 code units). */
  readonly members: ReadonlyArray<readonly [string, string, string]>;
}

export function prepareEvent(event: LedgerEvent): PreparedEvent {
  const record = event as unknown as Record<string, unknown>;
  const keys = Object.keys(record).filter((k) => record[k] !== undefined).sort();
  return { event, members: keys.map((k) => [k, JSON.stringify(k), canonicalize(record[k])] as const) };
}

/** encodeStoredEvent for a prepared event: merges the metadata members into the sorted envelope members. */
export function encodePreparedEvent(prepared: PreparedEvent, meta: LedgerMetadata): { canonical: string; hash: Buffer } {
  const extra: Array<readonly [string, string]> = [
    ['position', String(meta.position)],
    ['prevHash', meta.prevHash === null ? 'null' : JSON.stringify(meta.prevHash)],
    ['recordedAt', JSON.stringify(meta.recordedAt)],
    ['streamId', JSON.stringify(meta.streamId)],
    ['streamVersion', String(meta.streamVersion)],
  ];
  let canonical = '{';
  let i = 0;
  let j = 0;
  const members = prepared.members;
  while (i < members.length || j < extra.length) {
    const takeMember = j >= extra.length || (i < members.length && members[i]![0] < extra[j]![0]);
    if (canonical.length > 1) canonical += ',';
    if (takeMember) {
      const [key, jsonKey, value] = members[i++]!;
      if (extra[j] && extra[j]![0] === key) throw new Error(`the event carries a ledger metadata field: ${key}`);
      canonical += `${jsonKey}:${value}`;
    } else {
      const [key, value] = extra[j++]!;
      canonical += `"${key}":${value}`;
    }
  }
  canonical += '}';
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
