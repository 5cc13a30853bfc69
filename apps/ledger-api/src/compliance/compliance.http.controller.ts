import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ARTICLES, RULES } from '@ledger/compliance';
import { ID_PATTERN, ID_RULE, InvalidRequestError } from '@ledger/domain';
import { decodeFindingsCursor, FINDING_STATUSES } from '@ledger/projections';
import { AccessLogged } from '../access-log/access-logged.decorator.js';
import { RequireRole } from '../auth/roles.decorator.js';
import { ContractScoped } from '../auth/scope.decorator.js';
import { checkPathIds, QueryReader, readRecordCut } from '../http/query.js';
import { LEDGER_RUNTIME, type LedgerRuntime } from '@ledger/runtime';
import {
  ReadContractComplianceQuery,
  ReadRecordComplianceQuery,
  type ContractComplianceAnswer,
  type RecordComplianceAnswer,
} from './compliance.queries.js';

const ARTICLE_NUMBERS = Object.keys(ARTICLES).sort((a, b) => Number(a) - Number(b));
const RULE_IDS = [...new Set(RULES.map((r) => r.id))];
const CURSOR = /^[A-Za-z0-9_-]{1,200}$/;
const TIME_DOC = {
  asOf: 'RFC 3339; business-time cut (occurredAt ≤ asOf) and the "now" deadlines are judged against (default: now)',
  knownAt: 'RFC 3339; ledger-time cut (recordedAt ≤ knownAt) (default: now)',
};

@ApiTags('compliance')
@ApiBearerAuth()
@Controller('v1/contracts/:contractId')
export class ComplianceController {
  constructor(
    private readonly queryBus: QueryBus,
    @Inject(LEDGER_RUNTIME) private readonly runtime: LedgerRuntime,
  ) {}

  @Get('records/:recordId/compliance')
  @RequireRole('officer')
  @ContractScoped()
  @AccessLogged()
  @ApiOperation({
    summary: "A record's verdict against the memorandum: every record-level article (4, 6, 7, 8, 9, 11, 13, 14, 15, 17, 18) with its findings",
    description:
      'Exact for any moment, computed from the record stream and the contract stream (docs/rulebook.md). ' +
      'Every violation and pending finding carries the event IDs that prove it, a message in Japanese and English, and for obligations `dueAt`. ' +
      'Every call is recorded in the access log.',
  })
  @ApiQuery({ name: 'asOf', required: false, description: TIME_DOC.asOf })
  @ApiQuery({ name: 'knownAt', required: false, description: TIME_DOC.knownAt })
  @ApiResponse({ status: 404, description: 'unknown contract, or a record with no event inside the cut' })
  async record(
    @Param('contractId') contractId: string,
    @Param('recordId') recordId: string,
    @Query() query: Record<string, unknown>,
  ): Promise<RecordComplianceAnswer> {
    const { asOf, knownAt } = readRecordCut(contractId, recordId, query, this.runtime.clock());
    return this.queryBus.execute(new ReadRecordComplianceQuery(contractId, recordId, asOf, knownAt));
  }

  @Get('compliance')
  @RequireRole('officer')
  @ContractScoped()
  @AccessLogged()
  @ApiOperation({
    summary: "A contract's verdict: the contract-level articles (6, 10, 11, 12, 15), records by status, a summary by rule, and the violations and pending findings (filtered, paged)",
    description:
      'Without asOf and knownAt: the present, from the read model kept by the projector (`source.position` says how far it has applied the log); ' +
      'pending obligations whose due time has passed are violations at query time. With asOf or knownAt: computed from the streams, exact for that cut. ' +
      'Findings are ordered contract-level first, then by recordId; page with `after` (the previous `next`). Every call is recorded in the access log.',
  })
  @ApiQuery({ name: 'asOf', required: false, description: TIME_DOC.asOf })
  @ApiQuery({ name: 'knownAt', required: false, description: TIME_DOC.knownAt })
  @ApiQuery({ name: 'article', required: false, enum: ARTICLE_NUMBERS })
  @ApiQuery({ name: 'rule', required: false, enum: RULE_IDS })
  @ApiQuery({ name: 'status', required: false, enum: FINDING_STATUSES })
  @ApiQuery({ name: 'after', required: false, description: "cursor: the previous page's `next`" })
  @ApiQuery({ name: 'limit', required: false, description: '1-1000, default 100' })
  @ApiResponse({ status: 404, description: 'unknown contract' })
  async contract(@Param('contractId') contractId: string, @Query() query: Record<string, unknown>): Promise<ContractComplianceAnswer> {
    checkPathIds({ contractId }, ID_PATTERN, ID_RULE);
    const now = this.runtime.clock();
    const q = new QueryReader(query, ['asOf', 'knownAt', 'article', 'rule', 'status', 'after', 'limit']);
    const asOf = q.time('asOf', now);
    const knownAt = q.time('knownAt', now);
    const article = q.oneOf('article', ARTICLE_NUMBERS);
    const rule = q.oneOf('rule', RULE_IDS);
    const status = q.oneOf('status', FINDING_STATUSES);
    const afterText = q.string('after', CURSOR, 'the `next` cursor of a previous page');
    const limit = q.int('limit', 100, 1, 1000);
    q.done();
    const after = afterText === undefined ? undefined : decodeFindingsCursor(afterText);
    if (after === null) {
      throw new InvalidRequestError([{ index: null, field: 'after', rule: 'cursor', message: 'after must be the `next` cursor of a previous page' }]);
    }
    const present = query.asOf === undefined && query.knownAt === undefined;
    return this.queryBus.execute(
      new ReadContractComplianceQuery(contractId, asOf, knownAt, present, { article, rule, status }, after, limit),
    );
  }
}
