import { Query } from '@nestjs/cqrs';
import type { ConsistencyProofAnswer, InclusionProofAnswer } from '@ledger/merkle-log';

export interface PublicKeyAnswer {
  /** The log's origin: first line of every checkpoint. */
  origin: string;
  /** `<name>+<hex key id>+<base64(0x01 ‖ Ed25519 public key)>`, as verify-bundle --key takes it. */
  publicKey: string;
  keyName: string;
  /** The note key ID, 8 hex digits (first 4 bytes of SHA-256(name ‖ 0x0A ‖ 0x01 ‖ key)). */
  keyId: string;
  algorithm: 'Ed25519';
}

export interface CheckpointAnswer {
  seq: number;
  treeSize: number;
  /** Base64, as in the note. */
  rootHash: string;
  keyId: string;
  signedAt: string;
  /** The C2SP signed note (checkpoint body, blank line, signature lines). */
  note: string;
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
