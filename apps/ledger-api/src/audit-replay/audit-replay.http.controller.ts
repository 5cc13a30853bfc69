import { Controller, Get, Param, Query as QueryParams, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { REPLAY_FORMATS } from '@ledger/audit';
import { ID_PATTERN, ID_RULE, InvalidRequestError, TIMESTAMP_RULE } from '@ledger/domain';
import { optionalTime } from '../audit-export/audit-export.http.controller.js';
import { AccessLogged } from '../access-log/access-logged.decorator.js';
import { RequireRole } from '../auth/roles.decorator.js';
import { ContractScoped } from '../auth/scope.decorator.js';
import { checkPathIds, QueryReader } from '../http/query.js';
import { ReplayContractQuery } from './audit-replay.queries.js';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('v1/contracts/:contractId')
export class AuditReplayController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get('replay')
  @RequireRole('auditor')
  @AccessLogged()
  @ContractScoped()
  @ApiOperation({
    summary:
      "The contract's compliance as of a moment, article by article with each violation's evidence, judged only from events " +
      'proven against a signed checkpoint (which it names); the same ledger and options always give the same bytes',
  })
  @ApiProduces('application/json', 'text/markdown', 'text/html')
  @ApiQuery({ name: 'asOf', required: true, description: 'RFC 3339: business time of the judgement' })
  @ApiQuery({ name: 'knownAt', required: false, description: 'RFC 3339: only events recorded by then' })
  @ApiQuery({ name: 'treeSize', required: false, description: 'use the checkpoint of this size (default: the latest)' })
  @ApiQuery({ name: 'format', required: false, description: 'json (default), md or html' })
  async replay(
    @Param('contractId') contractId: string,
    @QueryParams() query: Record<string, unknown>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string | Buffer> {
    checkPathIds({ contractId }, ID_PATTERN, ID_RULE);
    const q = new QueryReader(query, ['asOf', 'knownAt', 'treeSize', 'format']);
    const asOf = optionalTime(q, query, 'asOf');
    const knownAt = optionalTime(q, query, 'knownAt');
    const treeSize = q.int('treeSize', 0, 1, Number.MAX_SAFE_INTEGER);
    const format = q.oneOf('format', REPLAY_FORMATS) ?? 'json';
    q.done();
    if (asOf === null) throw new InvalidRequestError([{ index: null, field: 'asOf', rule: 'required', message: `asOf is required: ${TIMESTAMP_RULE}` }]);
    const document = await this.queryBus.execute(
      new ReplayContractQuery({ contractId, asOf, knownAt, treeSize: treeSize === 0 ? undefined : treeSize }, format),
    );
    // Returned, not sent: the access log records the read before the answer leaves.
    void reply.header('content-type', document.contentType);
    return document.body;
  }
}
