import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { addSignatures, hashToBase64 } from '@ledger/integrity';
import type { ConsistencyProofAnswer, InclusionProofAnswer, StoredCheckpoint, StoredCosignature } from '@ledger/merkle-log';
import { MERKLE_LOG, type MerkleLog } from '@ledger/runtime';
import { IntegrityAlarm } from '../health/integrity-alarm.js';
import {
  ConsistencyProofQuery,
  InclusionProofQuery,
  ListCheckpointsQuery,
  ReadCheckpointQuery,
  ReadLogEntriesQuery,
  ReadPublicKeyQuery,
  ReadTileQuery,
  type CheckpointAnswer,
  type CheckpointPage,
  type LogEntriesPage,
  type PublicKeyAnswer,
} from './log-proofs.queries.js';

async function answer(checkpoint: StoredCheckpoint, cosignatures: StoredCosignature[]): Promise<CheckpointAnswer> {
  return {
    seq: checkpoint.seq,
    treeSize: checkpoint.treeSize,
    rootHash: hashToBase64(checkpoint.rootHash),
    keyId: checkpoint.keyId,
    signedAt: checkpoint.signedAt,
    note: cosignatures.length === 0 ? checkpoint.note : addSignatures(checkpoint.note, cosignatures.map((c) => c.line)),
    cosignatures: cosignatures.map(({ name, keyId, timestamp }) => ({ witness: name, keyId, timestamp })),
  };
}

@QueryHandler(ReadPublicKeyQuery)
export class ReadPublicKeyHandler implements IQueryHandler<ReadPublicKeyQuery> {
  constructor(@Inject(MERKLE_LOG) private readonly log: MerkleLog) {}

  async execute(): Promise<PublicKeyAnswer> {
    const keys = await this.log.refreshKeys();
    const history = await this.log.proofs.keyHistory(keys.publicKey);
    return {
      origin: keys.origin,
      publicKey: keys.publicKey,
      keyName: keys.verifier.name,
      keyId: keys.keyId,
      algorithm: 'Ed25519',
      keys: history.keys.map((k) => ({ publicKey: k.publicKey, keyId: k.keyId, fromTreeSize: k.fromSize, untilTreeSize: k.untilSize, introducedBy: k.introducedBy })),
    };
  }
}

@QueryHandler(ReadCheckpointQuery)
export class ReadCheckpointHandler implements IQueryHandler<ReadCheckpointQuery> {
  constructor(@Inject(MERKLE_LOG) private readonly log: MerkleLog) {}

  async execute({ treeSize }: ReadCheckpointQuery): Promise<CheckpointAnswer> {
    const checkpoint = await this.log.proofs.checkpoint(treeSize);
    const cosignatures = await this.log.proofs.cosignatures.forSizes([checkpoint.treeSize]);
    return answer(checkpoint, cosignatures.get(checkpoint.treeSize) ?? []);
  }
}

@QueryHandler(ListCheckpointsQuery)
export class ListCheckpointsHandler implements IQueryHandler<ListCheckpointsQuery> {
  constructor(@Inject(MERKLE_LOG) private readonly log: MerkleLog) {}

  async execute({ after, limit }: ListCheckpointsQuery): Promise<CheckpointPage> {
    const checkpoints = await this.log.proofs.checkpoints.list(after, limit);
    const cosignatures = await this.log.proofs.cosignatures.forSizes(checkpoints.map((c) => c.treeSize));
    return {
      checkpoints: await Promise.all(checkpoints.map((c) => answer(c, cosignatures.get(c.treeSize) ?? []))),
      next: checkpoints.length === limit ? checkpoints[checkpoints.length - 1]!.seq : null,
    };
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

@QueryHandler(ReadLogEntriesQuery)
export class ReadLogEntriesHandler implements IQueryHandler<ReadLogEntriesQuery> {
  constructor(
    @Inject(MERKLE_LOG) private readonly log: MerkleLog,
    private readonly alarm: IntegrityAlarm,
  ) {}

  async execute({ from, limit }: ReadLogEntriesQuery): Promise<LogEntriesPage> {
    // Each entry is hashed again before it is served; a mismatch is refused and reported on /health.
    const entries = await this.alarm.watch(() => this.log.proofs.entries(from, limit));
    return { entries, next: entries.length === limit ? entries[entries.length - 1]!.position + 1 : null };
  }
}

@QueryHandler(ReadTileQuery)
export class ReadTileHandler implements IQueryHandler<ReadTileQuery> {
  constructor(@Inject(MERKLE_LOG) private readonly log: MerkleLog) {}

  execute({ level, index, width }: ReadTileQuery): Promise<Buffer | null> {
    return this.log.proofs.tile(level, index, width);
  }
}

export const LOG_PROOF_HANDLERS = [
  ReadLogEntriesHandler,
  ReadTileHandler,ReadPublicKeyHandler, ReadCheckpointHandler, ListCheckpointsHandler, InclusionProofHandler, ConsistencyProofHandler];
