import { createHash } from 'node:crypto';
import { canonicalize, hashToBase64 } from '@ledger/integrity';
import type { PartyKey } from '../signatures/party-keys.js';

/**
 * The audit bundle (docs/auditing.md "Bundle format"): one file an auditor takes away and verifies
 * offline with nothing but the log's public key (and, to trust the parties' signatures beyond the
 * ledger's word, the parties' public keys obtained from them).
 *
 * The file is the RFC 8785 canonical JSON of an AuditBundle followed by one newline, byte for
 * byte: a verifier re-serializes what it parsed and refuses any other bytes, so no byte of the
 * file can change unnoticed. Each event is the exact text the ledger hashed; its inclusion proof
 * leads to the root of the signed checkpoint; the statement, signed with the same key, binds the
 * whole body (contract, cut, checkpoint and the list of events) to the log that exported it.
 */
export const BUNDLE_FORMAT = 'okayama-handling-ledger/audit-bundle';
export const BUNDLE_VERSION = 1;
/**
 * Version 2 is version 1 plus `keyRotations`: the log's rotation checkpoints, oldest first, so a
 * verifier who trusts an earlier key of the log follows it to the key that signed this bundle.
 * An exporter writes version 2 only for a log that has rotated its key.
 */
export const BUNDLE_VERSION_WITH_ROTATIONS = 2;

export interface BundleEvent {
  /** Global position; leaf index = position − 1. */
  position: number;
  /** The stored event exactly as hashed: leaf = SHA-256(0x00 ‖ UTF-8 of this text). */
  canonical: string;
  /** Inclusion proof against the checkpoint's tree: base64 hashes, deepest first (RFC 9162 §2.1.3.1). */
  proof: string[];
}

export interface AuditBundle {
  format: typeof BUNDLE_FORMAT;
  version: typeof BUNDLE_VERSION | typeof BUNDLE_VERSION_WITH_ROTATIONS;
  contractId: string;
  /** The business time the auditor looks at (replay's default), as given; null when not given. */
  asOf: string | null;
  /** Only events recorded at or before this time are included; null: everything up to the checkpoint. */
  knownAt: string | null;
  log: {
    origin: string;
    /** The verifier key the exporter used; a verifier trusts its own copy, not this one. */
    publicKey: string;
  };
  /** The signed checkpoint (C2SP tlog-checkpoint) every proof leads to. */
  checkpoint: string;
  /** The contract's events (its contract stream and every record stream) in position order. */
  events: BundleEvent[];
  /** Version 2 only: the log's rotation checkpoints (docs/log-format.md "Key rotation"), oldest first. */
  keyRotations?: string[];
  /**
   * In either version, present when there are any (EVENTS.md v2 "Signed events"): the signing keys
   * of the contract's parties (the city and its contractor) and of any key an event names, with
   * their validity intervals, by keyId; what verify-bundle checks every signature with, unless the
   * auditor pins the keys.
   */
  signingKeys?: PartyKey[];
  /** Signed note binding the body: see statementText. */
  statement: string;
}

export type BundleBody = Omit<AuditBundle, 'statement'>;

/** The bytes of a bundle file. */
export function serializeBundle(bundle: AuditBundle): Buffer {
  return Buffer.from(`${canonicalize(bundle)}\n`, 'utf8');
}

/** SHA-256 of the canonical JSON of everything but the statement. */
export function bodyDigest(body: BundleBody): Buffer {
  const { format, version, contractId, asOf, knownAt, log, checkpoint, events, keyRotations, signingKeys } = body;
  const covered = { format, version, contractId, asOf, knownAt, log, checkpoint, events, ...(keyRotations === undefined ? {} : { keyRotations }), ...(signingKeys === undefined ? {} : { signingKeys }) };
  return createHash('sha256').update(canonicalize(covered), 'utf8').digest();
}

export interface Statement {
  origin: string;
  contractId: string;
  treeSize: number;
  events: number;
  /** Base64 SHA-256 of the body. */
  digest: string;
}

const STATEMENT_HEADER = 'okayama-handling-ledger audit bundle v1';

/**
 * The export statement's note text. Its first line can never be read as a checkpoint's (the
 * second line of a checkpoint is a number), so one key can sign both without confusion.
 */
export function statementText(statement: Statement): string {
  return [
    STATEMENT_HEADER,
    `log ${statement.origin}`,
    `contract ${statement.contractId}`,
    `checkpoint ${statement.treeSize}`,
    `events ${statement.events}`,
    `sha256 ${statement.digest}`,
  ]
    .map((line) => `${line}\n`)
    .join('');
}

export function parseStatement(text: string): Statement | null {
  const lines = text.split('\n');
  if (lines.length !== 7 || lines[6] !== '' || lines[0] !== STATEMENT_HEADER) return null;
  const field = (i: number, name: string): string | null => (lines[i]!.startsWith(`${name} `) ? lines[i]!.slice(name.length + 1) : null);
  const origin = field(1, 'log');
  const contractId = field(2, 'contract');
  const treeSize = field(3, 'checkpoint');
  const events = field(4, 'events');
  const digest = field(5, 'sha256');
  if (origin === null || contractId === null || treeSize === null || events === null || digest === null) return null;
  if (!/^(0|[1-9][0-9]*)$/.test(treeSize) || !/^(0|[1-9][0-9]*)$/.test(events)) return null;
  return { origin, contractId, treeSize: Number(treeSize), events: Number(events), digest };
}

export function digestText(digest: Buffer): string {
  return hashToBase64(digest);
}
