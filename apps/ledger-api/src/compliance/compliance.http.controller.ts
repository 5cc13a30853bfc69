import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ARTICLE_IDS, PARTIES, RULES } from '@ledger/compliance';
import { ID_PATTERN, ID_RULE, InvalidRequestError } from '@ledger/domain';
import { decodeCursor, decodeFindingCursor } from '@ledger/projections';
import { AccessLogged } from '../access-log/access-logged.decorator.js';
import { RequireRole } from '../auth/roles.decorator.js';
import { ContractScoped } from '../auth/scope.decorator.js';
import { checkPathIds, QueryReader, readRecordCut } from '../http/query.js';
import { LEDGER_RUNTIME, type LedgerRuntime } from '@ledger/runtime';
import {
  ReadContractComplianceQuery,
  ReadRecordComplianceQuery,
  ReadRecordFindingsQuery,
  type ContractComplianceAnswer,
  type FindingsPageAnswer,
  type RecordComplianceAnswer,
} from './compliance.queries.js';
import { ReplicaReads } from '../read-model/replica-reads.js';

const ARTICLE_NUMBERS: readonly string[] = ARTICLE_IDS;
const FINDING_STATUSES = ['violation', 'pending'] as const;
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
  @ReplicaReads()
  @AccessLogged()
  @ApiOperation({
    summary: "A record's verdict against the memorandum: every record-level article (3, 4, 5, 6, 7, 8, 9, 11, 13, 14, 15, 17, 18) with its findings",
    description:
      'Exact for any moment: from the record\'s nearest stored fold and the events after it (docs/handling-model.md), whatever the length of its history. ' +
      '`status` is the contractor\'s; each finding says its `party`. Each article lists up to 100 findings with `counts` of all; `more.next` pages the rest. ' +
      'Every violation and pending finding carries the event IDs that prove it, a message in Japanese and English, and for obligations `dueAt`. ' +
      'Times are in the ledger\'s zone (LEDGER_TIME_ZONE). Every call is recorded in the access log.',
  })
  @ApiQuery({ name: 'asOf', required: false, description: TIME_DOC.asOf })
  @ApiQuery({ name: 'knownAt', required: false, description: TIME_DOC.knownAt })
  @ApiResponse({ status: 404, description: 'unknown contract, or a record with no event at all' })
  async record(
    @Param('contractId') contractId: string,
    @Param('recordId') recordId: string,
    @Query() query: Record<string, unknown>,
  ): Promise<RecordComplianceAnswer> {
    const { asOf, knownAt } = readRecordCut(contractId, recordId, query, this.runtime.clock());
    return this.queryBus.execute(new ReadRecordComplianceQuery(contractId, recordId, asOf, knownAt));
  }

  @Get('records/:recordId/findings')
  @RequireRole('officer')
  @ContractScoped()
  @ReplicaReads()
  @AccessLogged()
  @ApiOperation({
    summary: "One page of a record's final findings of one article (violations and closed obligations), in the order they were made",
    description: "What a verdict's `more.next` points to, for a record with more findings than a verdict lists. The present only. Every call is recorded in the access log.",
  })
  @ApiQuery({ name: 'article', required: true, enum: ARTICLE_NUMBERS })
  @ApiQuery({ name: 'after', required: false, description: "cursor: the previous page's `next`" })
  @ApiQuery({ name: 'limit', required: false, description: '1-1000, default 100' })
  @ApiResponse({ status: 404, description: 'unknown contract or record' })
  async findings(
    @Param('contractId') contractId: string,
    @Param('recordId') recordId: string,
    @Query() query: Record<string, unknown>,
  ): Promise<FindingsPageAnswer> {
    checkPathIds({ contractId, recordId }, ID_PATTERN, ID_RULE);
    const q = new QueryReader(query, ['article', 'after', 'limit']);
    const article = q.oneOf('article', ARTICLE_NUMBERS);
    const afterText = q.string('after', CURSOR, 'the `next` cursor of a previous page');
    const limit = q.int('limit', 100, 1, 1000);
    q.done();
    if (article === undefined) {
      throw new InvalidRequestError([{ index: null, field: 'article', rule: 'required', message: `article is required (one of ${ARTICLE_NUMBERS.join(', ')})` }]);
    }
    const after = afterText === undefined ? null : decodeFindingCursor(afterText);
    if (afterText !== undefined && after === null) {
      throw new InvalidRequestError([{ index: null, field: 'after', rule: 'cursor', message: 'after must be the `next` cursor of a previous page' }]);
    }
    return this.queryBus.execute(new ReadRecordFindingsQuery(contractId, recordId, article, after, limit));
  }

  @Get('compliance')
  @RequireRole('officer')
  @ContractScoped()
  @ReplicaReads()
  @AccessLogged()
  @ApiOperation({
    summary: "A contract's verdict: the contract-level articles (6, 10, 11, 12, 15, appi68), the city's duties apart (`city`), records by status, a summary by rule, and the violations and pending findings (filtered, paged)",
    description:
      'Without asOf and knownAt: the present, from the records\' rows the projector keeps (`source.position` says how far it has applied the log); ' +
      'pending obligations whose due time has passed are violations at query time. With asOf or knownAt: each record judged from its nearest stored fold, exact for that cut. ' +
      'Findings are ordered contract-level first, then by recordId; page with `after` (the previous `next`). Every call is recorded in the access log.',
  })
  @ApiQuery({ name: 'asOf', required: false, description: TIME_DOC.asOf })
  @ApiQuery({ name: 'knownAt', required: false, description: TIME_DOC.knownAt })
  @ApiQuery({ name: 'article', required: false, enum: ARTICLE_NUMBERS })
  @ApiQuery({ name: 'rule', required: false, enum: RULE_IDS })
  @ApiQuery({ name: 'status', required: false, enum: FINDING_STATUSES })
  @ApiQuery({ name: 'party', required: false, enum: PARTIES })
  @ApiQuery({ name: 'after', required: false, description: "cursor: the previous page's `next`" })
  @ApiQuery({ name: 'limit', required: false, description: '1-1000, default 100' })
  @ApiResponse({ status: 404, description: 'unknown contract' })
  async contract(@Param('contractId') contractId: string, @Query() query: Record<string, unknown>): Promise<ContractComplianceAnswer> {
    checkPathIds({ contractId }, ID_PATTERN, ID_RULE);
    const now = this.runtime.clock();
    const q = new QueryReader(query, ['asOf', 'knownAt', 'article', 'rule', 'status', 'party', 'after', 'limit']);
    const asOf = q.time('asOf', now);
    const knownAt = q.time('knownAt', now);
    const article = q.oneOf('article', ARTICLE_NUMBERS);
    const rule = q.oneOf('rule', RULE_IDS);
    const status = q.oneOf('status', FINDING_STATUSES);
    const party = q.oneOf('party', PARTIES);
    const afterText = q.string('after', CURSOR, 'the `next` cursor of a previous page');
    const limit = q.int('limit', 100, 1, 1000);
    q.done();
    const after = afterText === undefined ? null : decodeCursor(afterText) === null ? undefined : afterText;
    if (after === undefined) {
      throw new InvalidRequestError([{ index: null, field: 'after', rule: 'cursor', message: 'after must be the `next` cursor of a previous page' }]);
    }
    const present = query.asOf === undefined && query.knownAt === undefined;
    return this.queryBus.execute(
      new ReadContractComplianceQuery(contractId, asOf, knownAt, present, { article, rule, status, party }, after, limit),
    );
  }
}
