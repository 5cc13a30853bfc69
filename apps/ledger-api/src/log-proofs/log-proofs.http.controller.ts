import { Controller, Get, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { InvalidRequestError, UUID_PATTERN } from '@ledger/domain';
import type { ConsistencyProofAnswer, InclusionProofAnswer } from '@ledger/merkle-log';
import { AccessLogged } from '../access-log/access-logged.decorator.js';
import { RequireRole } from '../auth/roles.decorator.js';
import { QueryReader } from '../http/query.js';
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

const MAX_SIZE = Number.MAX_SAFE_INTEGER;

/**
 * The Merkle log for auditors (docs/auditing.md): signed checkpoints and RFC 9162 proofs, each
 * verifiable with the log's public key alone.
 */
@ApiTags('log')
@Controller('v1/log')
export class LogProofsController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get('public-key')
  @ApiOperation({ summary: "The log's public key (note verifier key) and key ID: what verify-bundle --key takes; no credentials" })
  publicKey(@QueryParams() query: Record<string, unknown>): Promise<PublicKeyAnswer> {
    new QueryReader(query, []).done();
    return this.queryBus.execute(new ReadPublicKeyQuery());
  }

  @Get('checkpoint')
  @ApiBearerAuth()
  @RequireRole('auditor')
  @ApiOperation({ summary: 'The latest signed checkpoint (C2SP tlog-checkpoint), or the one of a given tree size' })
  @ApiQuery({ name: 'treeSize', required: false, description: 'the checkpoint signed at exactly this size' })
  checkpoint(@QueryParams() query: Record<string, unknown>): Promise<CheckpointAnswer> {
    const q = new QueryReader(query, ['treeSize']);
    const treeSize = q.int('treeSize', 0, 1, MAX_SIZE);
    q.done();
    return this.queryBus.execute(new ReadCheckpointQuery(treeSize === 0 ? undefined : treeSize));
  }

  @Get('checkpoints')
  @ApiBearerAuth()
  @RequireRole('auditor')
  @ApiOperation({ summary: 'Every signed checkpoint in signing order, paged (each one is kept)' })
  @ApiQuery({ name: 'after', required: false, description: "seq to continue after (the previous page's `next`)" })
  @ApiQuery({ name: 'limit', required: false, description: '1-1000, default 100' })
  checkpoints(@QueryParams() query: Record<string, unknown>): Promise<CheckpointPage> {
    const q = new QueryReader(query, ['after', 'limit']);
    const after = q.int('after', 0, 0, MAX_SIZE);
    const limit = q.int('limit', 100, 1, 1000);
    q.done();
    return this.queryBus.execute(new ListCheckpointsQuery(after, limit));
  }

  @Get('inclusion-proof')
  @ApiBearerAuth()
  @RequireRole('auditor')
  // It names one event and reveals its position and leaf hash: a read of that event.
  @AccessLogged()
  @ApiOperation({ summary: "An event's inclusion proof (RFC 9162 §2.1.3) in the tree of a given size, default the latest checkpoint's" })
  @ApiQuery({ name: 'eventId', required: true, description: 'the event (UUID)' })
  @ApiQuery({ name: 'treeSize', required: false, description: "tree size to prove against, at least the event's position" })
  inclusionProof(@QueryParams() query: Record<string, unknown>): Promise<InclusionProofAnswer> {
    const q = new QueryReader(query, ['eventId', 'treeSize']);
    const eventId = q.string('eventId', UUID_PATTERN, 'a UUID');
    const treeSize = q.int('treeSize', 0, 1, MAX_SIZE);
    q.done();
    if (eventId === undefined) throw required('eventId', 'eventId is required: the UUID of the event to prove');
    return this.queryBus.execute(new InclusionProofQuery(eventId, treeSize === 0 ? undefined : treeSize));
  }

  @Get('consistency-proof')
  @ApiBearerAuth()
  @RequireRole('auditor')
  @ApiOperation({ summary: 'A consistency proof (RFC 9162 §2.1.4) that the tree of size `to` extends the tree of size `from`' })
  @ApiQuery({ name: 'from', required: true, description: 'the older tree size, at least 1' })
  @ApiQuery({ name: 'to', required: true, description: 'the newer tree size' })
  consistencyProof(@QueryParams() query: Record<string, unknown>): Promise<ConsistencyProofAnswer> {
    const q = new QueryReader(query, ['from', 'to']);
    const from = q.int('from', 0, 1, MAX_SIZE);
    const to = q.int('to', 0, 1, MAX_SIZE);
    q.done();
    if (!('from' in query)) throw required('from', 'from is required: the older tree size');
    if (!('to' in query)) throw required('to', 'to is required: the newer tree size');
    return this.queryBus.execute(new ConsistencyProofQuery(from, to));
  }
}

function required(field: string, message: string): InvalidRequestError {
  return new InvalidRequestError([{ index: null, field, rule: 'required', message }]);
}
