import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ID_PATTERN, ID_RULE } from '@ledger/domain';
import { isCityWide, ROLES, type Principal } from '../auth/api-keys.js';
import { CurrentPrincipal } from '../auth/principal.decorator.js';
import { ContractDirectory } from '../authority/contract-directory.js';
import { RequireRole } from '../auth/roles.decorator.js';
import { ScopeFiltered } from '../auth/scope.decorator.js';
import { QueryReader } from '../http/query.js';
import { AccessLogged } from './access-logged.decorator.js';
import { AccessLogWriter, type AccessLogRecord } from './access-log.writer.js';

const KEY_ID = /^[0-9a-f]{16}$/;
/** A scoped key's page is filled from at most this many pages of the whole log (bounded work per request). */
const MAX_SCANNED_PAGES = 10;

@ApiTags('access log')
@ApiBearerAuth()
@Controller('v1/access-log')
export class AccessLogController {
  constructor(
    private readonly log: AccessLogWriter,
    private readonly directory: ContractDirectory,
  ) {}

  @Get()
  @RequireRole('auditor')
  @ScopeFiltered('entries of contracts outside the key\'s scope are left out')
  @AccessLogged()
  @ApiOperation({
    summary: 'Who read custody or compliance: key ID, role, route, contract, record, asOf/knownAt, time and status (auditors only; this read is recorded too)',
    description:
      "A key limited to some contracts, or a contractor's key, sees only the entries of the contracts it may read; a page may then hold fewer than " +
      '`limit` entries while `next` is not null (continue after it).',
  })
  @ApiQuery({ name: 'contractId', required: false })
  @ApiQuery({ name: 'recordId', required: false })
  @ApiQuery({ name: 'keyId', required: false, description: "a key's public ID (16 hex digits)" })
  @ApiQuery({ name: 'role', required: false, enum: ROLES })
  @ApiQuery({ name: 'from', required: false, description: 'RFC 3339; entries at or after' })
  @ApiQuery({ name: 'to', required: false, description: 'RFC 3339; entries at or before' })
  @ApiQuery({ name: 'after', required: false, description: "entry id to continue after (the previous page's `next`)" })
  @ApiQuery({ name: 'limit', required: false, description: '1-1000, default 100' })
  async list(@Query() query: Record<string, unknown>, @CurrentPrincipal() principal: Principal): Promise<{ entries: AccessLogRecord[]; next: number | null }> {
    const q = new QueryReader(query, ['contractId', 'recordId', 'keyId', 'role', 'from', 'to', 'after', 'limit']);
    const contractId = q.string('contractId', ID_PATTERN, ID_RULE);
    const recordId = q.string('recordId', ID_PATTERN, ID_RULE);
    const keyId = q.string('keyId', KEY_ID, "a key's public ID: 16 lowercase hex digits");
    const role = q.oneOf('role', ROLES);
    const from = query.from === undefined ? undefined : q.time('from', 0).ms;
    const to = query.to === undefined ? undefined : q.time('to', 0).ms;
    const after = q.int('after', 0, 0, Number.MAX_SAFE_INTEGER);
    const limit = q.int('limit', 100, 1, 1000);
    q.done();
    const filter = { contractId, recordId, keyId, role, from, to, after, limit };
    if (isCityWide(principal)) return this.log.list(filter);
    // Only the entries of contracts the key may read; entries of no contract (e.g. a key's reading of this log) are the city's.
    const entries: AccessLogRecord[] = [];
    let cursor = after;
    for (let page = 0; page < MAX_SCANNED_PAGES; page++) {
      const scanned = await this.log.list({ ...filter, after: cursor, limit });
      for (const entry of scanned.entries) {
        cursor = entry.id;
        if (entry.contractId !== null && (await this.directory.readable(principal, entry.contractId))) entries.push(entry);
        if (entries.length === limit) return { entries, next: entry.id };
      }
      if (scanned.next === null) return { entries, next: null };
    }
    return { entries, next: cursor };
  }
}
