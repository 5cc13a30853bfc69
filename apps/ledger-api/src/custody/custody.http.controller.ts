import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ID_PATTERN, ID_RULE, InvalidRequestError } from '@ledger/domain';
import { HOLDING_STATES } from '@ledger/handling';
import { decodeFindingCursor, decodeHoldingsCursor } from '@ledger/projections';
import { AccessLogged } from '../access-log/access-logged.decorator.js';
import { RequireRole } from '../auth/roles.decorator.js';
import { ContractScoped } from '../auth/scope.decorator.js';
import { checkPathIds, QueryReader, readRecordCut } from '../http/query.js';
import { LEDGER_RUNTIME, type LedgerRuntime } from '@ledger/runtime';
import {
  ListHoldingsQuery,
  ReadHoldingHistoryQuery,
  ReadRecordCustodyQuery,
  type HoldingHistoryAnswer,
  type HoldingsAnswer,
  type RecordCustodyAnswer,
} from './custody.queries.js';
import { ReplicaReads } from '../read-model/replica-reads.js';

const CURSOR = /^[A-Za-z0-9_-]{1,400}$/;

@ApiTags('custody')
@ApiBearerAuth()
@Controller('v1/contracts/:contractId')
export class CustodyController {
  constructor(
    private readonly queryBus: QueryBus,
    @Inject(LEDGER_RUNTIME) private readonly runtime: LedgerRuntime,
  ) {}

  @Get('records/:recordId/custody')
  @RequireRole('officer')
  @ContractScoped()
  @ReplicaReads()
  @AccessLogged()
  @ApiOperation({
    summary: "A record's chain of custody: each holding (original and copies) with state, location, holder, since and its latest history; its transports",
    description:
      'Exact for any moment: events with recordedAt ≤ knownAt and occurredAt ≤ asOf, in occurredAt order, from the nearest stored fold (docs/handling-model.md). ' +
      '`overdue` is judged at asOf with the due times the rulebook judges Art. 13 and 14 by. Each holding lists its latest 20 steps (`historyCount` counts all; page them with …/custody/history). ' +
      'Every call is recorded in the access log.',
  })
  @ApiQuery({ name: 'asOf', required: false, description: 'RFC 3339; business time cut and the "now" of due times (default: now)' })
  @ApiQuery({ name: 'knownAt', required: false, description: 'RFC 3339; ledger time cut (default: now)' })
  @ApiResponse({ status: 404, description: 'unknown contract or record' })
  async recordCustody(
    @Param('contractId') contractId: string,
    @Param('recordId') recordId: string,
    @Query() query: Record<string, unknown>,
  ): Promise<RecordCustodyAnswer> {
    const { asOf, knownAt } = readRecordCut(contractId, recordId, query, this.runtime.clock());
    return this.queryBus.execute(new ReadRecordCustodyQuery(contractId, recordId, asOf, knownAt));
  }

  @Get('records/:recordId/custody/history')
  @RequireRole('officer')
  @ContractScoped()
  @ReplicaReads()
  @AccessLogged()
  @ApiOperation({
    summary: "One page of a holding's custody history, newest first (the present)",
    description: 'copyId absent: the original. Page with `before` (the previous `next`). Every call is recorded in the access log.',
  })
  @ApiQuery({ name: 'copyId', required: false, description: 'the copy (absent: the original)' })
  @ApiQuery({ name: 'before', required: false, description: "cursor: the previous page's `next`" })
  @ApiQuery({ name: 'limit', required: false, description: '1-1000, default 100' })
  @ApiResponse({ status: 404, description: 'unknown contract or record' })
  async history(
    @Param('contractId') contractId: string,
    @Param('recordId') recordId: string,
    @Query() query: Record<string, unknown>,
  ): Promise<HoldingHistoryAnswer> {
    checkPathIds({ contractId, recordId }, ID_PATTERN, ID_RULE);
    const q = new QueryReader(query, ['copyId', 'before', 'limit']);
    const copyId = q.string('copyId', ID_PATTERN, ID_RULE);
    const beforeText = q.string('before', CURSOR, 'the `next` cursor of a previous page');
    const limit = q.int('limit', 100, 1, 1000);
    q.done();
    const before = beforeText === undefined ? null : decodeFindingCursor(beforeText);
    if (beforeText !== undefined && before === null) {
      throw new InvalidRequestError([{ index: null, field: 'before', rule: 'cursor', message: 'before must be the `next` cursor of a previous page' }]);
    }
    return this.queryBus.execute(new ReadHoldingHistoryQuery(contractId, recordId, copyId ?? null, before, limit));
  }

  @Get('holdings')
  @RequireRole('officer')
  @ContractScoped()
  @ReplicaReads()
  @AccessLogged()
  @ApiOperation({
    summary: "A contract's holdings now, from the read model: e.g. ?state=in_transit, or ?overdue=true (transports past due, holdings open past a disposal instruction's due time or after the contract ended)",
    description: 'Overdue is judged against the clock at query time from stored due times. Paged by `after` (the previous `next`). Every call is recorded in the access log.',
  })
  @ApiQuery({ name: 'state', required: false, enum: HOLDING_STATES })
  @ApiQuery({ name: 'overdue', required: false, description: 'true or false' })
  @ApiQuery({ name: 'after', required: false, description: "cursor: the previous page's `next`" })
  @ApiQuery({ name: 'limit', required: false, description: '1-1000, default 100' })
  @ApiResponse({ status: 404, description: 'unknown contract' })
  @ApiResponse({ status: 503, description: 'the read models are not built yet, or the access log cannot be written' })
  async holdings(@Param('contractId') contractId: string, @Query() query: Record<string, unknown>): Promise<HoldingsAnswer> {
    checkPathIds({ contractId }, ID_PATTERN, ID_RULE);
    const q = new QueryReader(query, ['state', 'overdue', 'after', 'limit']);
    const state = q.oneOf('state', HOLDING_STATES);
    const overdue = q.boolean('overdue');
    const after = q.string('after', CURSOR, "the `next` cursor of a previous page");
    const limit = q.int('limit', 100, 1, 1000);
    q.done();
    if (after !== undefined && decodeHoldingsCursor(after) === null) {
      throw new InvalidRequestError([{ index: null, field: 'after', rule: 'cursor', message: 'after must be the `next` cursor of a previous page' }]);
    }
    return this.queryBus.execute(new ListHoldingsQuery(contractId, state, overdue, after, limit));
  }
}
