import { Controller, Get, Param, Query as QueryParams, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ID_PATTERN, ID_RULE } from '@ledger/domain';
import { AccessLogged } from '../access-log/access-logged.decorator.js';
import { RequireRole } from '../auth/roles.decorator.js';
import { ContractScoped } from '../auth/scope.decorator.js';
import { checkPathIds, QueryReader } from '../http/query.js';
import { ExportAuditBundleQuery } from './audit-export.queries.js';

/** Optional RFC 3339 query parameter, as given (null when absent). */
export function optionalTime(q: QueryReader, query: Record<string, unknown>, name: string): string | null {
  if (query[name] === undefined) return null;
  return q.time(name, 0).text;
}

@ApiTags('audit')
@ApiBearerAuth()
@Controller('v1/contracts/:contractId')
export class AuditExportController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get('audit-bundle')
  @RequireRole('auditor')
  @AccessLogged()
  @ContractScoped()
  @ApiOperation({
    summary:
      "The contract's audit bundle: its events with inclusion proofs in the whole log, the signed checkpoint and the public key; " +
      'verify it offline with `npm run cli -- verify-bundle FILE --key PUBKEY` (docs/auditing.md)',
  })
  @ApiProduces('application/json')
  @ApiQuery({ name: 'asOf', required: false, description: 'RFC 3339: the moment replay of the bundle looks at' })
  @ApiQuery({ name: 'knownAt', required: false, description: 'RFC 3339: only events recorded by then' })
  @ApiQuery({ name: 'treeSize', required: false, description: 'prove against the checkpoint of this size (default: the latest)' })
  async bundle(
    @Param('contractId') contractId: string,
    @QueryParams() query: Record<string, unknown>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Buffer> {
    checkPathIds({ contractId }, ID_PATTERN, ID_RULE);
    const q = new QueryReader(query, ['asOf', 'knownAt', 'treeSize']);
    const asOf = optionalTime(q, query, 'asOf');
    const knownAt = optionalTime(q, query, 'knownAt');
    const treeSize = q.int('treeSize', 0, 1, Number.MAX_SAFE_INTEGER);
    q.done();
    const file = await this.queryBus.execute(new ExportAuditBundleQuery({ contractId, asOf, knownAt, treeSize: treeSize === 0 ? undefined : treeSize }));
    // Returned, not sent: the access log records the read before the answer leaves.
    void reply.header('content-type', 'application/json').header('content-disposition', `attachment; filename="${file.fileName}"`);
    return file.bytes;
  }
}
