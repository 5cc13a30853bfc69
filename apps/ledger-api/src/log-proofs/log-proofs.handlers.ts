import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { hashToBase64 } from '@ledger/integrity';
import type { ConsistencyProofAnswer, InclusionProofAnswer, StoredCheckpoint } from '@ledger/merkle-log';
import { MERKLE_LOG, type MerkleLog } from '@ledger/runtime';
import {
  ConsistencyProofQuery,
  InclusionProofQuery,
  ListCheckpointsQuery,
  ReadCheckpointQuery,
  ReadPublicKeyQuery,
  type CheckpointAnswer,
  type CheckpointPage,
  type PublicKeyAnswer,
} from './log-proofs.queries.js';

function answer(checkpoint: StoredCheckpoint): CheckpointAnswer {
  return {
    seq: checkpoint.seq,
    treeSize: checkpoint.treeSize,
    rootHash: hashToBase64(checkpoint.rootHash),
    keyId: checkpoint.keyId,
    signedAt: checkpoint.signedAt,
    note: checkpoint.note,
  };
}

@QueryHandler(ReadPublicKeyQuery)
export class ReadPublicKeyHandler implements IQueryHandler<ReadPublicKeyQuery> {
  constructor(@Inject(MERKLE_LOG) private readonly log: MerkleLog) {}

  async execute(): Promise<PublicKeyAnswer> {
    const { keys } = this.log;
    return { origin: keys.origin, publicKey: keys.publicKey, keyName: keys.verifier.name, keyId: keys.keyId, algorithm: 'Ed25519' };
  }
}

@QueryHandler(ReadCheckpointQuery)
export class ReadCheckpointHandler implements IQueryHandler<ReadCheckpointQuery> {
  constructor(@Inject(MERKLE_LOG) private readonly log: MerkleLog) {}

  async execute({ treeSize }: ReadCheckpointQuery): Promise<CheckpointAnswer> {
    return answer(await this.log.proofs.checkpoint(treeSize));
  }
}

@QueryHandler(ListCheckpointsQuery)
export class ListCheckpointsHandler implements IQueryHandler<ListCheckpointsQuery> {
  constructor(@Inject(MERKLE_LOG) private readonly log: MerkleLog) {}

  async execute({ after, limit }: ListCheckpointsQuery): Promise<CheckpointPage> {
    const checkpoints = await this.log.proofs.checkpoints.list(after, limit);
    return { checkpoints: checkpoints.map(answer), next: checkpoints.length === limit ? checkpoints[checkpoints.length - 1]!.seq : null };
  }
}

@QueryHandler(InclusionProofQuery)
export class InclusionProofHandler implements IQueryHandler<InclusionProofQuery> {
  constructor(@Inject(MERKLE_LOG) private readonly log: MerkleLog) {}

  execute({ eventId, treeSize }: InclusionProofQuery): Promise<InclusionProofAnswer> {
    return this.log.proofs.inclusionProof(eventId, treeSize);
  }
}

@QueryHandler(ConsistencyProofQuery)
export class ConsistencyProofHandler implements IQueryHandler<ConsistencyProofQuery> {
  constructor(@Inject(MERKLE_LOG) private readonly log: MerkleLog) {}

  execute({ from, to }: ConsistencyProofQuery): Promise<ConsistencyProofAnswer> {
    return this.log.proofs.consistencyProof(from, to);
  }
}

export const LOG_PROOF_HANDLERS = [ReadPublicKeyHandler, ReadCheckpointHandler, ListCheckpointsHandler, InclusionProofHandler, ConsistencyProofHandler];
