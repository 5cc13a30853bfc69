import { contractNotFound, contractorParty, InvalidRequestError, isId, ID_RULE, parseTimestamp, TIMESTAMP_RULE, contractStreamId, instant, type FieldProblem, type Party } from '@ledger/domain';
import { encodeStoredEvent, type EventStore } from '@ledger/event-store';
import { checkpointName, LogKeyring, hashToBase64, signNote, type Checkpoint } from '@ledger/integrity';
import { LogIntegrityError, SigningKeyError, type LogKeys, type LogProofs } from '@ledger/merkle-log';
import type { PartyKey } from '../signatures/party-keys.js';
import { BUNDLE_FORMAT, BUNDLE_VERSION, BUNDLE_VERSION_WITH_ROTATIONS, bodyDigest, digestText, serializeBundle, statementText, type AuditBundle, type BundleBody, type BundleEvent } from './bundle-format.js';

export interface ExportRequest {
  contractId: string;
  /** Recorded in the bundle as the moment replay looks at; it does not remove events (docs/auditing.md). */
  asOf?: string | null;
  /** Only events recorded at or before it. */
  knownAt?: string | null;
  /** Prove against the checkpoint of this size (default: the latest). */
  treeSize?: number;
}

/** The registered signing keys of these parties and these key IDs (the ledger's key registry). */
export type SigningKeySource = (query: { parties: readonly Party[]; keyIds: readonly string[] }) => Promise<PartyKey[]>;

export interface ExportSources {
  store: EventStore;
  proofs: LogProofs;
  /** Needs the signer: the export statement is signed with the log's key. */
  keys: LogKeys;
  /** The parties' signing keys the bundle carries; absent: none (a ledger without signed events). */
  signingKeys?: SigningKeySource;
}

export interface ExportProgress {
  (phase: 'events' | 'proofs', done: number, total: number): void;
}

export interface ExportedBundle {
  bundle: AuditBundle;
  /** The file's bytes (canonical JSON and a newline). */
  bytes: Buffer;
  streams: number;
  /** Size of the checkpoint the events are proven against. */
  treeSize: number;
}

/** Checks the request's fields, naming each bad one (InvalidRequestError → 400). */
export function checkExportRequest(request: ExportRequest): void {
  const problems: FieldProblem[] = [];
  if (!isId(request.contractId)) problems.push({ index: null, field: 'contract', rule: 'isId', message: `contract must be ${ID_RULE}` });
  for (const field of ['asOf', 'knownAt'] as const) {
    const value = request[field];
    if (value !== undefined && value !== null && parseTimestamp(value) === null) {
      problems.push({ index: null, field, rule: 'isTimestamp', message: `${field} must be ${TIMESTAMP_RULE}` });
    }
  }
  if (request.treeSize !== undefined && (!Number.isSafeInteger(request.treeSize) || request.treeSize < 1)) {
    problems.push({ index: null, field: 'treeSize', rule: 'integerRange', message: 'treeSize must be a positive integer' });
  }
  if (problems.length > 0) throw new InvalidRequestError(problems);
}

/**
 * Builds the audit bundle of one contract: every event of its contract stream and record streams
 * up to the checkpoint (and knownAt), each with its inclusion proof in the whole log, the signed
 * checkpoint, and the export statement. No event of another contract is included: proofs carry
 * only hashes of the rest of the log. The same ledger, contract, cut and checkpoint always give
 * the same bytes (Ed25519 signatures are deterministic).
 */
export async function exportBundle(sources: ExportSources, request: ExportRequest, onProgress?: ExportProgress): Promise<ExportedBundle> {
  checkExportRequest(request);
  const { keys } = sources;
  if (keys.signer === null) throw new SigningKeyError("exporting signs an export statement with the log's key: the private key is not available here");
  const { body, checkpoint, streams } = await collectBundleBody(sources, request, onProgress);
  const statement = signNote(
    statementText({ origin: keys.origin, contractId: request.contractId, treeSize: checkpoint.size, events: body.events.length, digest: digestText(bodyDigest(body)) }),
    keys.signer,
  );
  const bundle: AuditBundle = { ...body, statement };
  return { bundle, bytes: serializeBundle(bundle), streams, treeSize: checkpoint.size };
}

/**
 * Everything of the bundle but the export statement (which needs the private key): what replay
 * against the ledger verifies, with the public key only.
 */
export async function collectBundleBody(
  sources: Omit<ExportSources, 'keys'> & { keys: Pick<LogKeys, 'verifier' | 'origin' | 'publicKey'> },
  request: ExportRequest,
  onProgress?: ExportProgress,
): Promise<{ body: BundleBody; checkpoint: Checkpoint; streams: number }> {
  checkExportRequest(request);
  const { store, proofs, keys } = sources;
  if ((await store.streamVersion(contractStreamId(request.contractId))) === null) throw contractNotFound(request.contractId);
  const stored = await proofs.checkpoint(request.treeSize);
  // The checkpoint opens with the key of its time: the log's rotations lead from its first key to the current one.
  const history = await proofs.keyHistory(keys.publicKey);
  let checkpoint: Checkpoint;
  try {
    const keyring = new LogKeyring(history.rotations.length === 0 ? [keys.verifier] : [history.keys[0]!.publicKey], keys.origin);
    for (const rotation of history.rotations) keyring.open(rotation);
    checkpoint = keyring.open(stored.note, { learn: false }).checkpoint;
  } catch (error) {
    throw new LogIntegrityError(`${checkpointName(stored.treeSize, stored.seq)} does not open with the log's key: ${(error as Error).message}`);
  }
  const knownAtMs = request.knownAt ? parseTimestamp(request.knownAt)! : Number.POSITIVE_INFINITY;

  const events: BundleEvent[] = [];
  const streams = new Set<string>();
  const parties = new Set<Party>(['city']);
  const keyIds = new Set<string>();
  let after = 0;
  reading: for (;;) {
    const page = await store.readAll({ contractId: request.contractId, after, limit: 2_000 });
    if (page.length === 0) break;
    for (const recorded of page) {
      if (recorded.position > checkpoint.size) break reading;
      if (instant(recorded.recordedAt) > knownAtMs) continue;
      const { canonical, hash } = encodeStoredEvent(recorded.event, recorded);
      if (hash.toString('hex') !== recorded.hash) {
        throw new LogIntegrityError(`position ${recorded.position}: the stored event does not hash to its stored hash; run verify`);
      }
      events.push({ position: recorded.position, canonical, proof: [] });
      streams.add(recorded.streamId);
      if (recorded.event.type === 'ContractRegistered' && typeof recorded.event.data.contractorId === 'string') parties.add(contractorParty(recorded.event.data.contractorId));
      if (recorded.event.signature !== undefined) keyIds.add(recorded.event.signature.keyId);
    }
    after = page[page.length - 1]!.position;
    onProgress?.('events', Math.min(after, checkpoint.size), checkpoint.size);
  }
  onProgress?.('events', checkpoint.size, checkpoint.size);

  const CHUNK = 2_000;
  for (let i = 0; i < events.length; i += CHUNK) {
    const part = events.slice(i, i + CHUNK);
    const batch = await proofs.inclusionProofs(part.map((e) => e.position - 1), checkpoint.size);
    part.forEach((event, j) => {
      event.proof = batch[j]!.map(hashToBase64);
    });
    onProgress?.('proofs', Math.min(i + CHUNK, events.length), events.length);
  }

  // Carried when the contract's parties have registered keys, or an event names one (signed events).
  const signingKeys = sources.signingKeys ? sortedKeys(await sources.signingKeys({ parties: [...parties], keyIds: [...keyIds] })) : [];
  const body: BundleBody = {
    format: BUNDLE_FORMAT,
    version: history.rotations.length === 0 ? BUNDLE_VERSION : BUNDLE_VERSION_WITH_ROTATIONS,
    contractId: request.contractId,
    asOf: request.asOf ?? null,
    knownAt: request.knownAt ?? null,
    log: { origin: keys.origin, publicKey: keys.publicKey },
    // With the witnesses' cosignatures stored so far (a later export may carry more of them).
    checkpoint: await proofs.cosignedNote(stored),
    events,
    ...(history.rotations.length === 0 ? {} : { keyRotations: history.rotations }),
    ...(signingKeys.length === 0 ? {} : { signingKeys }),
  };
  return { body, checkpoint, streams: streams.size };
}

function sortedKeys(keys: readonly PartyKey[]): PartyKey[] {
  const unique = new Map(keys.map((k) => [k.keyId, k]));
  return [...unique.values()].sort((a, b) => (a.keyId < b.keyId ? -1 : a.keyId > b.keyId ? 1 : 0));
}

/** The file name the CLI and the HTTP answer suggest: contract and checkpoint size. */
export function bundleFileName(contractId: string, treeSize: number): string {
  return `audit-bundle-${contractId}-${treeSize}.json`;
}
