import { Query } from '@nestjs/cqrs';
import type { ConsistencyProofAnswer, InclusionProofAnswer, LogEntry } from '@ledger/merkle-log';

export interface PublicKeyAnswer {
  /** The log's origin: first line of every checkpoint. */
  origin: string;
  /** `<name>+<hex key id>+<base64(0x01 ‖ Ed25519 public key)>`, as verify-bundle --key takes it. */
  publicKey: string;
  keyName: string;
  /** The note key ID, 8 hex digits (first 4 bytes of SHA-256(name ‖ 0x0A ‖ 0x01 ‖ key)). */
  keyId: string;
  algorithm: 'Ed25519';
  /** Every key of the log with the tree sizes it signs; the last one is the key above (docs/log-format.md "Key rotation"). */
  keys: Array<{ publicKey: string; keyId: string; fromTreeSize: number; untilTreeSize: number | null; introducedBy: string | null }>;
}

export interface CheckpointAnswer {
  seq: number;
  treeSize: number;
  /** Base64, as in the note. */
  rootHash: string;
  keyId: string;
  signedAt: string;
  /** The C2SP signed note (checkpoint body, blank line, the log's signature lines, then witness cosignatures). */
  note: string;
  /** The witness cosignatures the note carries. */
  cosignatures: Array<{ witness: string; keyId: string; timestamp: number }>;
}

export interface LogEntriesPage {
  entries: LogEntry[];
  /** `from` for the next page, null at the end of the log. */
  next: number | null;
}

export interface CheckpointPage {
  checkpoints: CheckpointAnswer[];
  /** `after` for the next page, null at the end. */
  next: number | null;
}

export class ReadPublicKeyQuery extends Query<PublicKeyAnswer> {}

export class ReadCheckpointQuery extends Query<CheckpointAnswer> {
  constructor(readonly treeSize: number | undefined) {
    super();
  }
}

export class ListCheckpointsQuery extends Query<CheckpointPage> {
  constructor(
    readonly after: number,
    readonly limit: number,
  ) {
    super();
  }
}

export class InclusionProofQuery extends Query<InclusionProofAnswer> {
  constructor(
    readonly eventId: string,
    readonly treeSize: number | undefined,
  ) {
    super();
  }
}

export class ConsistencyProofQuery extends Query<ConsistencyProofAnswer> {
  constructor(
    readonly from: number,
    readonly to: number,
  ) {
    super();
  }
}

export class ReadLogEntriesQuery extends Query<LogEntriesPage> {
  constructor(
    readonly from: number,
    readonly limit: number,
  ) {
    super();
  }
}

/** A tile's bytes, or null when the log does not hold that many hashes of it yet. */
export class ReadTileQuery extends Query<Buffer | null> {
  constructor(
    readonly level: number,
    readonly index: number,
    readonly width: number,
  ) {
    super();
  }
}
