import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { REPLAY_CONTENT_TYPES, renderReplay, replayFromLedger } from '@ledger/audit';
import { MERKLE_LOG, type MerkleLog } from '@ledger/runtime';
import { ReplayContractQuery, type ReplayDocument } from './audit-replay.queries.js';

@QueryHandler(ReplayContractQuery)
export class ReplayContractHandler implements IQueryHandler<ReplayContractQuery> {
  constructor(@Inject(MERKLE_LOG) private readonly log: MerkleLog) {}

  async execute({ request, format }: ReplayContractQuery): Promise<ReplayDocument> {
    const report = await replayFromLedger(this.log, request);
    return { contentType: REPLAY_CONTENT_TYPES[format], body: renderReplay(report, format) };
  }
}
