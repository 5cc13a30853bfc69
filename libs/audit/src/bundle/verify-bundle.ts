import {
  LogKeyring,
  SignedNoteError,
  canonicalize,
  checkInclusion,
  checkQuorum,
  hashFromBase64,
  hashToBase64,
  hashToHex,
  leafHash,
  openNote,
  parseVerifierKey,
  type Checkpoint,
  type CosignatureVerifier,
  type LogKeyEpoch,
  type NoteVerifier,
} from '@ledger/integrity';
import { actingParty, contractStreamId, evolveAuthority, parseTimestamp, recordStreamId, UNREGISTERED, type LedgerEvent, type RecordedEvent } from '@ledger/domain';
import { pinnedKeyring, partyKeyShapeProblem, type PartyKey } from '../signatures/party-keys.js';
import { BUNDLE_FORMAT, BUNDLE_VERSION, BUNDLE_VERSION_WITH_ROTATIONS, bodyDigest, digestText, parseStatement, type AuditBundle, type BundleEvent } from './bundle-format.js';

// Offline: this file reads no database, no network, no clock. It needs the bundle's bytes and the
// log's public key, which the auditor got from the operator beforehand (GET /v1/log/public-key,
// the service's start-up line, or a letter from the city).

export interface BundleVerification {
  ok: boolean;
  /** Human-readable reasons, most fundamental first; empty when ok. */
  problems: string[];
  contractId: string | null;
  asOf: string | null;
  knownAt: string | null;
  checkpoint: { origin: string; treeSize: number; rootHash: string; keyId: string } | null;
  /** The witnesses whose valid cosignature the checkpoint carries (those you trust; empty without --witness). */
  cosigners: string[];
  events: number;
  streams: number;
  /** Events carrying a party's signature (each one checked). */
  signedEvents: number;
  /** Whether the signatures were checked against keys the auditor pinned (true) or the ones the bundle carries. */
  pinnedKeys: boolean;
  /** The verified events in position order (empty unless ok), for replay. */
  recorded: RecordedEvent[];
}

export interface VerifyBundleOptions {
  /** Stop listing after this many problems (default 20). */
  maxProblems?: number;
  /**
   * 'skip' only for a body the caller collected itself from the ledger (replay against the
   * database, which has the public key but not the private one): its statement is empty.
   */
  statement?: 'check' | 'skip';
  /**
   * The parties' signing keys the auditor obtained from the parties themselves: every signature is
   * checked with these, and a key the bundle carries that differs from its pinned copy is a problem.
   * Absent: the keys the bundle carries (which the ledger's operator vouches for).
   */
  pinnedKeys?: ReadonlyArray<Partial<PartyKey> & Pick<PartyKey, 'keyId' | 'party' | 'publicKey'>>;
  onProgress?: (done: number, total: number) => void;
  /** Witness keys you trust (`--witness`): the checkpoint must carry `quorum` of their cosignatures. */
  witnesses?: readonly CosignatureVerifier[];
  /** Valid cosignatures required, default: as many as witnesses given. */
  quorum?: number;
}

class Problems {
  readonly list: string[] = [];
  constructor(private readonly max: number) {}
  add(message: string): void {
    if (this.list.length < this.max) this.list.push(message);
  }
  get full(): boolean {
    return this.list.length >= this.max;
  }
}

/**
 * Checks an audit bundle with nothing but the log's public key: that the file is exactly the
 * canonical serialization of its content; the checkpoint's signature; every event's leaf hash and
 * inclusion proof against the checkpoint root; that every event belongs to the bundle's contract
 * and, when the bundle has a knownAt, was recorded by then; every stream chain complete from
 * version 0 and linked by prevHash; and the export statement's signature over the whole body.
 */
export function verifyBundle(
  bytes: Uint8Array,
  publicKey: string | NoteVerifier | ReadonlyArray<string | NoteVerifier>,
  options: VerifyBundleOptions = {},
): BundleVerification {
  const problems = new Problems(options.maxProblems ?? 20);
  const result: BundleVerification = {
    ok: false,
    problems: problems.list,
    contractId: null,
    asOf: null,
    knownAt: null,
    checkpoint: null,
    cosigners: [],
    events: 0,
    streams: 0,
    signedEvents: 0,
    pinnedKeys: options.pinnedKeys !== undefined,
    recorded: [],
  };
  let trusted: NoteVerifier[];
  try {
    trusted = (Array.isArray(publicKey) ? publicKey : [publicKey]).map((k: string | NoteVerifier) => (typeof k === 'string' ? parseVerifierKey(k.trim()) : k));
    if (trusted.length === 0) throw new Error('no key given');
  } catch (error) {
    problems.add(`the key is not a note verifier key (<name>+<hex id>+<base64>): ${(error as Error).message}`);
    return result;
  }

  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    problems.add(`the file is not JSON: ${(error as Error).message}`);
    return result;
  }
  const shape = checkShape(parsed);
  if (shape !== null) {
    problems.add(`the file is not an audit bundle v${BUNDLE_VERSION}: ${shape}`);
    return result;
  }
  const bundle = parsed as AuditBundle;
  result.contractId = bundle.contractId;
  result.asOf = bundle.asOf;
  result.knownAt = bundle.knownAt;
  result.events = bundle.events.length;

  // 1. Every byte: the file must be exactly the canonical form of what it says.
  let canonicalBytes: Buffer | null = null;
  try {
    canonicalBytes = Buffer.from(`${canonicalize(bundle)}\n`, 'utf8');
  } catch (error) {
    problems.add(`the bundle holds a value JSON cannot carry exactly: ${(error as Error).message}`);
  }
  if (canonicalBytes !== null && Buffer.compare(canonicalBytes, Buffer.from(bytes)) !== 0) {
    problems.add(`the file is not in canonical form (bytes were changed, added or removed near byte ${firstDifference(canonicalBytes, bytes)})`);
  }

  // 2. The keys the auditor trusts (followed through the log's rotation checkpoints), and the
  //    checkpoint one of them signed at its size.
  const keyring = new LogKeyring(trusted, bundle.log.origin);
  for (const [i, rotation] of (bundle.keyRotations ?? []).entries()) {
    try {
      keyring.open(rotation);
    } catch (error) {
      problems.add(`key rotation ${i + 1} of the bundle does not follow from the keys you trust: ${describeNoteError(error)}`);
    }
  }
  const exporter: LogKeyEpoch | undefined = keyring.epochs.find((e) => e.publicKey === bundle.log.publicKey.trim());
  if (exporter === undefined) {
    const yours = trusted.map((v) => `${v.name}+${v.keyId.toString(16).padStart(8, '0')}`).join(', ');
    problems.add(`the bundle was exported under key ${JSON.stringify(bundle.log.publicKey.slice(0, 120))}, not the key you trust (${yours}) nor one it rotated to`);
  }
  let checkpoint: Checkpoint | null = null;
  try {
    const opened = keyring.open(bundle.checkpoint, { learn: false });
    checkpoint = opened.checkpoint;
    result.checkpoint = { origin: checkpoint.origin, treeSize: checkpoint.size, rootHash: hashToBase64(checkpoint.rootHash), keyId: opened.signedBy[0]!.keyId };
  } catch (error) {
    problems.add(`the checkpoint is not valid for your key: ${describeNoteError(error)}`);
  }
  if (options.witnesses !== undefined && options.witnesses.length + (options.quorum ?? 0) > 0) {
    try {
      const quorum = checkQuorum(bundle.checkpoint, options.witnesses, options.quorum ?? options.witnesses.length);
      result.cosigners = quorum.cosigners.map((c) => c.name);
      if (!quorum.ok) problems.add(`the checkpoint lacks the witnesses' quorum: ${quorum.reason}`);
    } catch (error) {
      problems.add(`the checkpoint's cosignatures cannot be read: ${describeNoteError(error)}`);
    }
  }
  const knownAtMs = bundle.knownAt === null ? null : parseTimestamp(bundle.knownAt);
  if (bundle.knownAt !== null && knownAtMs === null) problems.add(`knownAt ${JSON.stringify(bundle.knownAt)} is not an RFC 3339 timestamp`);
  if (bundle.asOf !== null && parseTimestamp(bundle.asOf) === null) problems.add(`asOf ${JSON.stringify(bundle.asOf)} is not an RFC 3339 timestamp`);

  // 3. Every event: its leaf, its proof, its contract, its place in its stream.
  const streams = new Map<string, { version: number; hash: string }>();
  const recorded: RecordedEvent[] = [];
  let previousPosition = 0;
  bundle.events.forEach((entry, i) => {
    if (problems.full) return;
    const where = `event ${i + 1} (position ${entry.position})`;
    const leaf = leafHash(entry.canonical);
    const leafHex = hashToHex(leaf);
    if (entry.position <= previousPosition) problems.add(`${where} does not follow position ${previousPosition}: events must be in position order, each once`);
    previousPosition = Math.max(previousPosition, entry.position);
    if (checkpoint !== null) {
      if (entry.position > checkpoint.size) {
        problems.add(`${where} lies beyond the checkpoint's ${checkpoint.size} events`);
      } else {
        const proof = decodeProof(entry.proof);
        const check = proof === null
          ? { valid: false as const, reason: 'a proof hash is not 32 bytes of base64' }
          : checkInclusion(entry.position - 1, checkpoint.size, leaf, proof, checkpoint.rootHash);
        if (!check.valid) problems.add(`${where}: its text is not leaf ${entry.position - 1} of the signed tree (${check.reason}): the event or its proof was altered`);
      }
    }
    const stored = decode(entry.canonical);
    if (stored === null) {
      problems.add(`${where}: its text is not a stored ledger event`);
      return;
    }
    const { event, meta } = stored;
    if (meta.position !== entry.position) problems.add(`${where}: its text says position ${String(meta.position)}`);
    if (event.contractId !== bundle.contractId) problems.add(`${where} belongs to contract ${JSON.stringify(event.contractId)}, not ${bundle.contractId}`);
    const streamId = 'recordId' in event && typeof event.recordId === 'string' ? recordStreamId(event.contractId, event.recordId) : contractStreamId(event.contractId);
    if (meta.streamId !== streamId) problems.add(`${where}: stream ${JSON.stringify(meta.streamId)} is not the stream of its contract and record`);
    if (knownAtMs !== null && !((parseTimestamp(meta.recordedAt) ?? Infinity) <= knownAtMs)) {
      problems.add(`${where} was recorded at ${meta.recordedAt}, after the bundle's knownAt ${bundle.knownAt}`);
    }
    const previous = streams.get(meta.streamId);
    if (previous === undefined) {
      if (meta.streamVersion !== 0) problems.add(`${where}: stream ${meta.streamId} starts at version ${meta.streamVersion}; ${meta.streamVersion === 1 ? 'version 0 is' : `versions 0–${meta.streamVersion - 1} are`} missing from the bundle`);
      else if (meta.prevHash !== null) problems.add(`${where}: the first event of stream ${meta.streamId} has a prevHash`);
    } else if (meta.streamVersion !== previous.version + 1) {
      problems.add(`${where}: stream ${meta.streamId} jumps from version ${previous.version} to ${meta.streamVersion}; an event is missing from the bundle`);
    } else if (meta.prevHash !== previous.hash) {
      problems.add(`${where}: stream ${meta.streamId} version ${meta.streamVersion} does not link to version ${previous.version} (prevHash ${String(meta.prevHash)}, expected ${previous.hash})`);
    }
    streams.set(meta.streamId, { version: meta.streamVersion, hash: leafHex });
    recorded.push({ event, ...meta, hash: leafHex });
    if (i % 1000 === 999) options.onProgress?.(i + 1, bundle.events.length);
  });
  options.onProgress?.(bundle.events.length, bundle.events.length);
  result.streams = streams.size;
  result.signedEvents = checkSignatures(bundle, recorded, options, problems);

  // 4. The export statement: the log vouches for this exact body.
  if (options.statement === 'skip') {
    if (bundle.statement !== '') problems.add('a bundle collected for replay carries no statement');
  } else {
    checkStatement(bundle, exporter ?? keyring.current, checkpoint, problems);
  }

  result.ok = problems.list.length === 0;
  if (result.ok) result.recorded = recorded;
  return result;
}

/**
 * Every signed event's signature, with the keys the bundle carries or the ones the auditor pinned:
 * the key must be the acting party's (the city, or the contract's contractor for its contractor and
 * subcontractors), valid at the event's recordedAt, and verify the event's bytes. An unsigned event
 * recorded after the contract's policy required signatures is a problem too (the ledger refuses
 * those; one in the log was put there behind its back). Returns the number of signed events.
 */
function checkSignatures(bundle: AuditBundle, recorded: readonly RecordedEvent[], options: VerifyBundleOptions, problems: Problems): number {
  const { keyring, problems: pinProblems } = pinnedKeyring(bundle.signingKeys ?? [], options.pinnedKeys ?? null);
  for (const problem of pinProblems) problems.add(problem);
  let terms = UNREGISTERED;
  let requiredSince: number | null = null;
  let signed = 0;
  for (const [i, entry] of recorded.entries()) {
    const event = entry.event;
    const where = `event ${i + 1} (position ${entry.position}, eventId ${event.eventId}, ${event.type})`;
    if (event.signature !== undefined) {
      signed++;
      const verdict = keyring.check(event, actingParty(event.actor?.org ?? '', terms.contractorId), parseTimestamp(entry.recordedAt) ?? Number.NaN);
      if (!verdict.ok) problems.add(`${where}: ${verdict.message}${options.pinnedKeys && verdict.fault === 'unknown-key' ? ' among the keys you pinned' : ''}`);
    } else if (terms.requireSignedEvents && event.contractId === bundle.contractId) {
      problems.add(`${where} is unsigned, but the contract requires signed events since position ${requiredSince}: the ledger refuses such events, so it was written behind its back`);
    }
    const next = evolveAuthority(terms, event);
    if (next.requireSignedEvents && !terms.requireSignedEvents) requiredSince = entry.position;
    terms = next;
  }
  return signed;
}

function checkShape(value: unknown): string | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'it is not a JSON object';
  const b = value as Record<string, unknown>;
  if (b.format !== BUNDLE_FORMAT) return `format is ${JSON.stringify(b.format)}, expected ${JSON.stringify(BUNDLE_FORMAT)}`;
  if (b.version !== BUNDLE_VERSION && b.version !== BUNDLE_VERSION_WITH_ROTATIONS) {
    return `version is ${JSON.stringify(b.version)}; this verifier reads versions ${BUNDLE_VERSION} and ${BUNDLE_VERSION_WITH_ROTATIONS}`;
  }
  // signingKeys, in either version, when the contract's parties have signing keys (signed events).
  const keys = Object.keys(b).filter((k) => k !== 'signingKeys').sort().join(',');
  const expected = b.version === BUNDLE_VERSION
    ? 'asOf,checkpoint,contractId,events,format,knownAt,log,statement,version'
    : 'asOf,checkpoint,contractId,events,format,keyRotations,knownAt,log,statement,version';
  if (keys !== expected) return `it has the members ${Object.keys(b).sort().join(',')}`;
  if ('signingKeys' in b) {
    if (!Array.isArray(b.signingKeys) || b.signingKeys.length === 0) return 'signingKeys, when present, is a non-empty array';
    for (const [i, key] of (b.signingKeys as unknown[]).entries()) {
      const problem = partyKeyShapeProblem(key);
      if (problem !== null) return `signing key ${i + 1}: ${problem}`;
    }
  }
  if (b.version === BUNDLE_VERSION_WITH_ROTATIONS && (!Array.isArray(b.keyRotations) || !b.keyRotations.every((r) => typeof r === 'string'))) {
    return 'keyRotations must be an array of signed notes (strings)';
  }
  if (typeof b.contractId !== 'string') return 'contractId is not a string';
  if (b.asOf !== null && typeof b.asOf !== 'string') return 'asOf is neither null nor a string';
  if (b.knownAt !== null && typeof b.knownAt !== 'string') return 'knownAt is neither null nor a string';
  const log = b.log as Record<string, unknown> | null;
  if (log === null || typeof log !== 'object' || typeof log.origin !== 'string' || typeof log.publicKey !== 'string' || Object.keys(log).length !== 2) {
    return 'log must be {origin, publicKey}';
  }
  if (typeof b.checkpoint !== 'string' || typeof b.statement !== 'string') return 'checkpoint and statement must be signed notes (strings)';
  if (!Array.isArray(b.events)) return 'events is not an array';
  for (const [i, e] of (b.events as unknown[]).entries()) {
    const event = e as Partial<BundleEvent> | null;
    if (
      event === null || typeof event !== 'object' || Object.keys(event).length !== 3 || !Number.isSafeInteger(event.position) || event.position! < 1 ||
      typeof event.canonical !== 'string' || !Array.isArray(event.proof) || !event.proof.every((h) => typeof h === 'string')
    ) {
      return `event ${i + 1} is not {position, canonical, proof}`;
    }
  }
  return null;
}

interface Meta {
  streamId: string;
  streamVersion: number;
  position: number;
  recordedAt: string;
  prevHash: string | null;
}

/** The stored event split into the producer's event and the ledger's metadata. */
function decode(canonical: string): { event: LedgerEvent; meta: Meta } | null {
  let stored: Record<string, unknown>;
  try {
    stored = JSON.parse(canonical) as Record<string, unknown>;
  } catch {
    return null;
  }
  if (stored === null || typeof stored !== 'object' || Array.isArray(stored)) return null;
  const { streamId, streamVersion, position, recordedAt, prevHash, ...event } = stored;
  if (
    typeof streamId !== 'string' || !Number.isSafeInteger(streamVersion) || !Number.isSafeInteger(position) || typeof recordedAt !== 'string' ||
    (prevHash !== null && typeof prevHash !== 'string') || typeof event.contractId !== 'string' || typeof event.eventId !== 'string'
  ) {
    return null;
  }
  return {
    event: event as unknown as LedgerEvent,
    meta: { streamId, streamVersion: streamVersion as number, position: position as number, recordedAt, prevHash: prevHash as string | null },
  };
}

function decodeProof(proof: readonly string[]): Buffer[] | null {
  try {
    return proof.map(hashFromBase64);
  } catch {
    return null;
  }
}

function describeNoteError(error: unknown): string {
  if (error instanceof SignedNoteError) {
    if (error.code === 'unknown-key') return `it is not signed by your key (${error.message})`;
    if (error.code === 'retired-key') return `it is signed by a key not valid at its tree size (${error.message})`;
    if (error.code === 'invalid-signature') return `its signature does not verify: the signed text was altered (${error.message})`;
    return error.message;
  }
  return String(error);
}

function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return n;
}

function checkStatement(bundle: AuditBundle, exporter: LogKeyEpoch, checkpoint: Checkpoint | null, problems: Problems): void {
  let statement;
  try {
    statement = parseStatement(openNote(bundle.statement, exporter.verifier));
  } catch (error) {
    problems.add(`the export statement is not valid for your key: ${describeNoteError(error)}`);
    return;
  }
  if (statement === null) {
    problems.add('the export statement is not an audit bundle statement v1');
    return;
  }
  const digest = digestText(bodyDigest(bundle));
  if (statement.digest !== digest || statement.events !== bundle.events.length) {
    problems.add(
      `the bundle's content differs from what the log signed when it exported it (${statement.events} events, body sha256 ${statement.digest}; ` +
        `this file: ${bundle.events.length} events, sha256 ${digest}): an event or a field was changed, added or removed`,
    );
  }
  if (exporter.untilSize !== null && statement.treeSize > exporter.untilSize) {
    problems.add(`the export statement is signed by key ${exporter.keyId}, retired at tree size ${exporter.untilSize}, for checkpoint ${statement.treeSize}`);
  }
  if (statement.contractId !== bundle.contractId) problems.add(`the export statement is for contract ${statement.contractId}, not ${bundle.contractId}`);
  if (checkpoint !== null && (statement.treeSize !== checkpoint.size || statement.origin !== checkpoint.origin)) {
    problems.add(`the export statement names checkpoint ${statement.origin} ${statement.treeSize}, not the bundle's ${checkpoint.origin} ${checkpoint.size}`);
  }
}
