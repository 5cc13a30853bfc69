import { Controller, Get, Query as QueryParams } from '@nestjs/common';
import type { Principal } from '../auth/api-keys.js';
import { ForbiddenError } from '../auth/auth.errors.js';
import { CurrentPrincipal } from '../auth/principal.decorator.js';
import { mayReadWholeLog } from '../auth/whole-log-access.js';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { InvalidRequestError, UUID_PATTERN } from '@ledger/domain';
import type { ConsistencyProofAnswer, InclusionProofAnswer } from '@ledger/merkle-log';
import { AccessLogged } from '../access-log/access-logged.decorator.js';
import { RequireRole } from '../auth/roles.decorator.js';
import { CityWide, EventScoped, ScopeFree } from '../auth/scope.decorator.js';
import { QueryReader } from '../http/query.js';
import {
  ConsistencyProofQuery,
  InclusionProofQuery,
  ListCheckpointsQuery,
  ReadLogEntriesQuery,
  type CheckpointPage,
  type LogEntriesPage,
} from './log-proofs.queries.js';

const MAX_SIZE = Number.MAX_SAFE_INTEGER;

/**
 * The Merkle log for auditors (docs/auditing.md): every checkpoint, RFC 9162 proofs by event, and
 * the leaves by position, each verifiable with the log's public key alone. The public, read-only
 * part (checkpoint, tiles, keys) is log-public.http.controller.ts.
 */
@ApiTags('log')
@Controller('v1/log')
export class LogProofsController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get('checkpoints')
  @ApiBearerAuth()
  @RequireRole('auditor')
  @ScopeFree('signed tree heads reveal no event')
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

  @Get('entries')
  @ApiBearerAuth()
  @RequireRole('auditor')
  @AccessLogged()
  @CityWide('every leaf of every contract')
  @ApiOperation({ summary: "Every leaf from a position on, for city-wide auditors: each stored event's exact text (what its leaf hash hashes) and leaf hash" })
  @ApiQuery({ name: 'from', required: false, description: 'first position, default 1' })
  @ApiQuery({ name: 'limit', required: false, description: '1-1000, default 100' })
  entries(@QueryParams() query: Record<string, unknown>, @CurrentPrincipal() principal: Principal): Promise<LogEntriesPage> {
    if (!mayReadWholeLog(principal)) throw new ForbiddenError('reading the whole log by position needs a city-wide auditor key');
    const q = new QueryReader(query, ['from', 'limit']);
    const from = q.int('from', 1, 1, MAX_SIZE);
    const limit = q.int('limit', 100, 1, 1000);
    q.done();
    return this.queryBus.execute(new ReadLogEntriesQuery(from, limit));
  }

  @Get('inclusion-proof')
  @ApiBearerAuth()
  @RequireRole('auditor')
  // It names one event and reveals its position and leaf hash: a read of that event.
  @AccessLogged()
  @EventScoped()
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
  @ScopeFree('hashes of tree nodes reveal no event')
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
