import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ID_PATTERN, ID_RULE } from '@ledger/domain';
import { AccessLogged } from '../access-log/access-logged.decorator.js';
import { RequireRole } from '../auth/roles.decorator.js';
import { ContractScoped } from '../auth/scope.decorator.js';
import { checkPathIds, QueryReader } from '../http/query.js';
import { ReadContractEventsQuery, ReadRecordEventsQuery, type HistoryPage } from './read-history.queries.js';
import { ReplicaReads } from '../read-model/replica-reads.js';

@ApiTags('history')
@ApiBearerAuth()
@Controller('v1/contracts/:contractId')
export class ReadHistoryController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get('events')
  @RequireRole('auditor')
  @ReplicaReads()
  @AccessLogged()
  @ContractScoped()
  @ApiOperation({ summary: "A contract's events (its contract stream and every record stream) in ledger order, paged" })
  @ApiQuery({ name: 'after', required: false, description: 'position to continue after (the previous page\'s `next`)' })
  @ApiQuery({ name: 'limit', required: false, description: '1-1000, default 100' })
  async contractEvents(@Param('contractId') contractId: string, @Query() query: Record<string, unknown>): Promise<HistoryPage> {
    checkPathIds({ contractId }, ID_PATTERN, ID_RULE);
    const q = new QueryReader(query, ['after', 'limit']);
    const after = q.int('after', 0, 0, Number.MAX_SAFE_INTEGER);
    const limit = q.int('limit', 100, 1, 1000);
    q.done();
    return this.queryBus.execute(new ReadContractEventsQuery(contractId, after, limit));
  }

  @Get('records/:recordId/events')
  @RequireRole('auditor')
  @ReplicaReads()
  @AccessLogged()
  @ContractScoped()
  @ApiOperation({ summary: "One record's stream in stream order, paged" })
  @ApiQuery({ name: 'fromVersion', required: false, description: 'first stream version to return (the previous page\'s `next`)' })
  @ApiQuery({ name: 'limit', required: false, description: '1-1000, default 100' })
  async recordEvents(
    @Param('contractId') contractId: string,
    @Param('recordId') recordId: string,
    @Query() query: Record<string, unknown>,
  ): Promise<HistoryPage> {
    checkPathIds({ contractId, recordId }, ID_PATTERN, ID_RULE);
    const q = new QueryReader(query, ['fromVersion', 'limit']);
    const fromVersion = q.int('fromVersion', 0, 0, 2_147_483_647);
    const limit = q.int('limit', 100, 1, 1000);
    q.done();
    return this.queryBus.execute(new ReadRecordEventsQuery(contractId, recordId, fromVersion, limit));
  }
}
