import { canonicalize, canonicalMember, isFullStoredForm, leafHash } from '@ledger/integrity';
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
  return encodePrepared(prepareEvent(event), meta);
}

/**
 * An event's canonical members, made before its metadata is known: the producer's members in
 * canonical order, cut where the ledger's five metadata members go (canonical JSON sorts keys:
 * …occurredAt, position, prevHash, recordId, recordedAt, signature, source, streamId,
 * streamVersion, type). A writer prepares events before it takes the log's lock, and under the
 * lock only splices in position, version, recordedAt and prevHash and hashes.
 */
export interface PreparedEvent {
  readonly event: LedgerEvent;
  readonly streamId: string;
  /** Comma-joined member texts between the metadata members (six pieces), or null: encode the whole object. */
  readonly pieces: readonly string[] | null;
}

/** The metadata keys in canonical (UTF-16 code unit) order. */
const SORTED_METADATA = ['position', 'prevHash', 'recordedAt', 'streamId', 'streamVersion'] as const;

export function prepareEvent(event: LedgerEvent): PreparedEvent {
  const streamId = streamIdOf(event);
  const record = event as unknown as Record<string, unknown>;
  // A top-level toJSON would make canonicalize serialize something else: keep the general path.
  if (typeof record.toJSON === 'function') return { event, streamId, pieces: null };
  const slots: string[][] = [[], [], [], [], [], []];
  try {
    for (const key of Object.keys(record).sort()) {
      const value = record[key];
      if (value === undefined || (SORTED_METADATA as readonly string[]).includes(key)) continue;
      let slot = 0;
      while (slot < SORTED_METADATA.length && key > SORTED_METADATA[slot]!) slot++;
      // As a member of the event, so that a toJSON(key) sees its key as in the whole-object path.
      slots[slot]!.push(canonicalMember(record, key));
    }
  } catch {
    // Let the whole-object path throw the error with its full location.
    return { event, streamId, pieces: null };
  }
  // Joined into flat strings: a member's text is a rope of its values' texts (tens of small string
  // nodes an event), and a prepared event waits in the group commit's queue. Kept as ropes, 10,000
  // large events held 37 MB of heap where flat pieces hold 21.5 MB, and the API's memory-budget
  // test rose to 289–296 MB of its 300.
  return { event, streamId, pieces: slots.map((members) => members.join(',')) };
}

/** The stored event's canonical JSON and leaf hash: canonicalize({ ...event, ...meta }), from the prepared pieces. */
export function encodePrepared(prepared: PreparedEvent, meta: LedgerMetadata): { canonical: string; hash: Buffer } {
  const { streamId, streamVersion, position, recordedAt, prevHash } = meta;
  const p = prepared.pieces;
  if (p === null || !Number.isSafeInteger(position) || !Number.isSafeInteger(streamVersion) || prevHash === undefined || typeof recordedAt !== 'string') {
    const canonical = canonicalize({ ...prepared.event, streamId, streamVersion, position, recordedAt, prevHash });
    return { canonical, hash: leafHash(canonical) };
  }
  let canonical = '{';
  const add = (piece: string): void => {
    if (piece !== '') canonical += canonical.length === 1 ? piece : `,${piece}`;
  };
  add(p[0]!);
  add(`"position":${position}`);
  add(p[1]!);
  add(`"prevHash":${prevHash === null ? 'null' : canonicalize(prevHash)}`);
  add(p[2]!);
  add(`"recordedAt":${canonicalize(recordedAt)}`);
  add(p[3]!);
  add(`"streamId":${canonicalize(streamId)}`);
  add(p[4]!);
  add(`"streamVersion":${streamVersion}`);
  add(p[5]!);
  canonical += '}';
  return { canonical, hash: leafHash(canonical) };
}

/**
 * What the PostgreSQL store keeps in its `canonical` column (the ledger's metadata has columns of
 * its own): the producer's event alone, when the full stored form can be rebuilt from it and those
 * columns byte for byte (`spliceMetadata`), else the full stored form. A compact text saves about
 * 150 bytes an event (the metadata members, the 64 hex digits of prevHash among them); the hash is
 * always that of the full form. Compact only when each member has the one text its column gives
 * back: recordedAt as toISOString writes it, a stream name JSON writes without escapes, prevHash
 * as 64 lowercase hex digits.
 */
export function storedText(prepared: PreparedEvent, meta: LedgerMetadata, canonical: string): string {
  const { streamId, streamVersion, position, recordedAt, prevHash } = meta;
  if (prepared.pieces === null || !Number.isSafeInteger(position) || position < 1 || !Number.isSafeInteger(streamVersion) || streamVersion < 0 ||
      streamVersion > 2_147_483_647 || (prevHash !== null && !HASH_HEX.test(prevHash)) || !plainJsonString(streamId) || !wholeMillisecondIso(recordedAt)) {
    return canonical;
  }
  // Joined here, when the row is made, not when the event is prepared: a prepared event waits in
  // the group commit's queue, and a second copy of every queued event's text is what the API's
  // memory budget cannot spare (16 MiB batches).
  return `{${prepared.pieces.filter((piece) => piece !== '').join(',')}}`;
}

const HASH_HEX = /^[0-9a-f]{64}$/;

/** A string JSON writes as itself between quotes (no character to escape). */
function plainJsonString(value: string): boolean {
  return JSON.stringify(value).length === value.length + 2;
}

/** The last recordedAt that passed wholeMillisecondIso: a group commit gives all its events one. */
let lastIso = '';

/** Exactly Date#toISOString's text of a time in years 0000–9999 (so the timestamptz column gives it back). */
function wholeMillisecondIso(value: string): boolean {
  if (value === lastIso) return true;
  const ms = Date.parse(value);
  const ok = value.length === 24 && Number.isFinite(ms) && new Date(ms).toISOString() === value;
  if (ok) lastIso = value;
  return ok;
}

/**
 * The event read back from a stored row: its text (either form, see storedText), its hex hash and
 * the metadata columns, which are the truth for a compact text and ignored for a full one (whose
 * members were hashed; the verifier compares them with the columns).
 */
export function decodeStoredEvent(text: string, hashHex: string, columns: LedgerMetadata): RecordedEvent {
  const stored = JSON.parse(text) as Record<string, unknown>;
  if (!isFullStoredForm(stored)) {
    return { event: stored as unknown as LedgerEvent, ...columns, hash: hashHex };
  }
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
