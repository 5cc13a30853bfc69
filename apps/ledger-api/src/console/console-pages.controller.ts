import { createHash } from 'node:crypto';
import { applyDecorators, Controller, Get, Headers, Inject, Param, Query, Req, Res, UseFilters } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ARTICLE_IDS, PARTIES, RULES, type Party } from '@ledger/compliance';
import { ID_PATTERN, ID_RULE, InvalidRequestError, LedgerError, UUID_PATTERN, type RecordedEvent, instant } from '@ledger/domain';
import { decodeCursor } from '@ledger/projections';
import { LEDGER_RUNTIME, type LedgerRuntime } from '@ledger/runtime';
import { AccessLogged } from '../access-log/access-logged.decorator.js';
import { ExportAuditBundleQuery } from '../audit-export/audit-export.queries.js';
import { ReplayContractQuery } from '../audit-replay/audit-replay.queries.js';
import { roleAllows, type Principal } from '../auth/api-keys.js';
import { ConsoleSession } from '../auth/console-session.decorator.js';
import { RequireRole } from '../auth/roles.decorator.js';
import { ContractScoped, ScopeFiltered } from '../auth/scope.decorator.js';
import { ReadContractComplianceQuery, ReadRecordComplianceQuery, type ContractComplianceAnswer } from '../compliance/compliance.queries.js';
import { ListHoldingsQuery, ReadRecordCustodyQuery, type HoldingsAnswer } from '../custody/custody.queries.js';
import { checkPathIds, QueryReader } from '../http/query.js';
import { ReadCheckpointQuery, ReadPublicKeyQuery, type CheckpointAnswer, type PublicKeyAnswer } from '../log-proofs/log-proofs.queries.js';
import { ReadRecordEventsQuery } from '../read-history/read-history.queries.js';
import { contextOf, rememberLang, type ConsoleContext, type ConsoleRequest } from './console-context.js';
import { ConsoleExceptionFilter } from './console-exception.filter.js';
import { readCut, timeParam, without } from './console-params.js';
import { ListContractsQuery, ListIncidentsQuery, ReadContractEventsByIdQuery } from './console.queries.js';
import { auditPage, eventPage } from './views/audit.view.js';
import { contractPage, type ContractPageData } from './views/contract.view.js';
import { holdingsPage } from './views/holdings.view.js';
import { incidentsPage } from './views/incidents.view.js';
import { overviewPage, type OverviewRow } from './views/overview.view.js';
import { recordPage } from './views/record.view.js';

/** Contracts per page of the overview (each is one contract view from the read model). */
const OVERVIEW_PAGE = 20;
/** Findings per page of the contract page. */
const FINDINGS_PAGE = 200;
/** Pending findings read to find what falls due soon (the rest is counted, not listed). */
const PENDING_READ = 1_000;
/** Holdings read per list of the holdings page. */
const HOLDINGS_READ = 1_000;
/** Events of a record's timeline read at once (an auditor's key). */
const TIMELINE_READ = 1_000;
const WEEK_MS = 7 * 86_400_000;
const CURSOR = /^[A-Za-z0-9_-]{1,200}$/;
const ARTICLES: readonly string[] = ARTICLE_IDS;
const RULE_IDS = [...new Set(RULES.map((r) => r.id))];
const STATUSES = ['violation', 'pending'] as const;

/**
 * A console page about one contract (the path's `contractId`): the role it needs, the key's scope
 * checked on that contract, and the page access-logged, like the API routes that show the same.
 */
function ContractPage(role: 'officer' | 'auditor'): MethodDecorator {
  return applyDecorators(RequireRole(role), ContractScoped(), AccessLogged());
}

/**
 * The officers' and auditors' console (docs/console.md): server-rendered pages over the API's own
 * queries (QueryBus), behind the API's own guards. Each route declares its role and scope rule
 * like any API route, and every page that shows custody or compliance is access-logged.
 */
@ApiExcludeController()
@Controller('console')
@UseFilters(ConsoleExceptionFilter)
@ConsoleSession()
export class ConsolePagesController {
  constructor(
    private readonly queryBus: QueryBus,
    @Inject(LEDGER_RUNTIME) private readonly runtime: LedgerRuntime,
  ) {}

  private begin(request: ConsoleRequest, reply: FastifyReply): ConsoleContext {
    rememberLang(request, reply);
    void reply.header('content-type', 'text/html; charset=utf-8');
    return contextOf(request, this.runtime.clock());
  }

  /**
   * The opening of a page that takes no parameter but `lang` (and, with a cut, `asOf` and `known`):
   * its context, its path IDs checked, any other query parameter refused by name.
   */
  private openPage(request: ConsoleRequest, reply: FastifyReply, ids: Record<string, string>, query: Record<string, unknown>): ConsoleContext {
    const ctx = this.begin(request, reply);
    checkPathIds(ids, ID_PATTERN, ID_RULE);
    new QueryReader(without(query), ['lang']).done();
    return ctx;
  }

  private openCutPage(
    request: ConsoleRequest,
    reply: FastifyReply,
    ids: Record<string, string>,
    query: Record<string, unknown>,
  ): { ctx: ConsoleContext; cut: ReturnType<typeof readCut> } {
    const ctx = this.begin(request, reply);
    checkPathIds(ids, ID_PATTERN, ID_RULE);
    const cut = readCut(query, ctx.now);
    new QueryReader(without(query, 'asOf', 'known'), ['lang']).done();
    return { ctx, cut };
  }

  private async present(contractId: string, now: number, filter: ContractPageData['filter'] = {}, after: string | null = null, limit = PENDING_READ): Promise<ContractComplianceAnswer> {
    const at = { ms: now, text: new Date(now).toISOString() };
    return this.queryBus.execute(new ReadContractComplianceQuery(contractId, at, at, true, filter, after, limit));
  }

  @Get()
  @RequireRole('officer')
  @ScopeFiltered('lists only the contracts the key may read')
  @AccessLogged()
  async overview(@Req() request: ConsoleRequest, @Res({ passthrough: true }) reply: FastifyReply, @Query() query: Record<string, unknown>): Promise<string> {
    const ctx = this.begin(request, reply);
    const q = new QueryReader(without(query), ['after', 'lang']);
    const after = q.string('after', ID_PATTERN, ID_RULE) ?? null;
    q.done();
    const page = await this.queryBus.execute(new ListContractsQuery(request.principal!, after, OVERVIEW_PAGE));
    const rows: OverviewRow[] = [];
    for (const listing of page.contracts) {
      const view = await this.present(listing.contractId, ctx.now, { status: 'pending' });
      rows.push({ listing, view, dueSoon: view.findings.filter((f) => f.dueAt !== undefined && instant(f.dueAt) >= ctx.now && instant(f.dueAt) <= ctx.now + WEEK_MS) });
    }
    return overviewPage(ctx, { rows, next: page.next, liveTag: overviewTag(rows.map((r) => r.view)) }).text;
  }

  @Get('live')
  @RequireRole('officer')
  @ScopeFiltered('a version tag of the contracts the key may read')
  async overviewLive(@Req() request: ConsoleRequest, @Res() reply: FastifyReply, @Headers('if-none-match') seen: string | undefined): Promise<void> {
    const now = this.runtime.clock();
    const page = await this.queryBus.execute(new ListContractsQuery(request.principal!, null, OVERVIEW_PAGE));
    const views: ContractComplianceAnswer[] = [];
    for (const listing of page.contracts) views.push(await this.present(listing.contractId, now, {}, null, 1));
    await liveAnswer(reply, overviewTag(views), seen);
  }

  @Get('contracts/:contractId')
  @ContractPage('officer')
  async contract(
    @Req() request: ConsoleRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Param('contractId') contractId: string,
    @Query() query: Record<string, unknown>,
  ): Promise<string> {
    const ctx = this.begin(request, reply);
    checkPathIds({ contractId }, ID_PATTERN, ID_RULE);
    const cut = readCut(query, ctx.now);
    const q = new QueryReader(without(query, 'asOf', 'known', 'from', 'to'), ['article', 'status', 'party', 'rule', 'after', 'lang']);
    const filter = {
      article: q.oneOf('article', ARTICLES),
      status: q.oneOf('status', STATUSES),
      party: q.oneOf('party', PARTIES) as Party | undefined,
      rule: q.oneOf('rule', RULE_IDS),
    };
    const after = q.string('after', CURSOR, 'the `next` cursor of a previous page') ?? null;
    q.done();
    if (after !== null && decodeCursor(after) === null) {
      throw new InvalidRequestError([{ index: null, field: 'after', rule: 'cursor', message: 'after must be the `next` cursor of a previous page' }]);
    }
    const from = timeParam('from', typeof query.from === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(query.from) ? `${query.from}T00:00:00+09:00` : query.from);
    const to = timeParam('to', query.to);
    const view: ContractComplianceAnswer = await this.queryBus.execute(
      new ReadContractComplianceQuery(contractId, cut.asOf, cut.knownAt, cut.present, filter, after, FINDINGS_PAGE),
    );
    const pending: ContractComplianceAnswer = cut.present ? await this.present(contractId, ctx.now, { status: 'pending' }) : await this.queryBus.execute(
      new ReadContractComplianceQuery(contractId, cut.asOf, cut.knownAt, false, { status: 'pending' }, null, PENDING_READ),
    );
    const events = await this.evidence(contractId, view.findings.map((f) => f.eventIds[0]!).filter(Boolean));
    const when = (f: ContractComplianceAnswer['findings'][number]): number | null =>
      f.dueAt !== undefined ? instant(f.dueAt) : (events.get(f.eventIds[0]!)?.occurredAt ?? null);
    const findings = view.findings.filter((f) => {
      const t = when(f);
      return (from === undefined || (t !== null && t >= from.ms)) && (to === undefined || (t !== null && t <= to.ms));
    });
    const listing = await this.listing(request.principal!, contractId);
    return contractPage(ctx, {
      contractId,
      listing,
      cut,
      filter,
      period: { from: typeof query.from === 'string' ? query.from : '', to: typeof query.to === 'string' ? query.to : '' },
      view,
      findings,
      when,
      dueSoon: pending.findings.filter((f) => f.dueAt !== undefined && instant(f.dueAt) >= cut.asOf.ms && instant(f.dueAt) <= cut.asOf.ms + WEEK_MS),
      liveTag: cut.present ? contractTag(view) : null,
      auditor: roleAllows(request.principal!.role, 'auditor'),
    }).text;
  }

  @Get('contracts/:contractId/live')
  @RequireRole('officer')
  @ContractScoped()
  async contractLive(@Res() reply: FastifyReply, @Param('contractId') contractId: string, @Headers('if-none-match') seen: string | undefined): Promise<void> {
    checkPathIds({ contractId }, ID_PATTERN, ID_RULE);
    await liveAnswer(reply, contractTag(await this.present(contractId, this.runtime.clock(), {}, null, 1)), seen);
  }

  @Get('contracts/:contractId/records/:recordId')
  @ContractPage('officer')
  async record(
    @Req() request: ConsoleRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Param('contractId') contractId: string,
    @Param('recordId') recordId: string,
    @Query() query: Record<string, unknown>,
  ): Promise<string> {
    const { ctx, cut } = this.openCutPage(request, reply, { contractId, recordId }, query);
    const verdict = await this.queryBus.execute(new ReadRecordComplianceQuery(contractId, recordId, cut.asOf, cut.knownAt));
    const custody = await this.queryBus.execute(new ReadRecordCustodyQuery(contractId, recordId, cut.asOf, cut.knownAt));
    const auditor = roleAllows(request.principal!.role, 'auditor');
    let events: RecordedEvent[] | null = null;
    let more = false;
    if (auditor) {
      const history = await this.queryBus.execute(new ReadRecordEventsQuery(contractId, recordId, 0, TIMELINE_READ));
      events = history.events.filter((e) => instant(e.event.occurredAt) <= cut.asOf.ms && instant(e.recordedAt) <= cut.knownAt.ms);
      more = history.next !== null;
    }
    return recordPage(ctx, { contractId, recordId, cut, verdict, custody, events, more, auditor }).text;
  }

  @Get('contracts/:contractId/holdings')
  @ContractPage('officer')
  async holdings(
    @Req() request: ConsoleRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Param('contractId') contractId: string,
    @Query() query: Record<string, unknown>,
  ): Promise<string> {
    const ctx = this.openPage(request, reply, { contractId }, query);
    const list = (state: 'held' | 'in_transit' | undefined, overdue: boolean | undefined): Promise<HoldingsAnswer> =>
      this.queryBus.execute(new ListHoldingsQuery(contractId, state, overdue, undefined, HOLDINGS_READ));
    const inTransit = await list('in_transit', undefined);
    const overdue = await list(undefined, true);
    const held = await list('held', undefined);
    const listing = await this.listing(request.principal!, contractId);
    return holdingsPage(ctx, { contractId, listing, inTransit, overdue, held }).text;
  }

  @Get('contracts/:contractId/incidents')
  @ContractPage('officer')
  async incidents(
    @Req() request: ConsoleRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Param('contractId') contractId: string,
    @Query() query: Record<string, unknown>,
  ): Promise<string> {
    const ctx = this.openPage(request, reply, { contractId }, query);
    const incidents = await this.queryBus.execute(new ListIncidentsQuery(contractId));
    const view = await this.present(contractId, ctx.now, {}, null, 1);
    const listing = await this.listing(request.principal!, contractId);
    return incidentsPage(ctx, { contractId, listing, incidents, view }).text;
  }

  @Get('contracts/:contractId/audit')
  @ContractPage('auditor')
  async audit(
    @Req() request: ConsoleRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Param('contractId') contractId: string,
    @Query() query: Record<string, unknown>,
  ): Promise<string> {
    const { ctx, cut } = this.openCutPage(request, reply, { contractId }, query);
    const checkpoint = await this.latestCheckpoint();
    const publicKey: PublicKeyAnswer = await this.queryBus.execute(new ReadPublicKeyQuery());
    const replayRequest = { contractId, asOf: cut.asOf.text, knownAt: cut.known ? cut.knownAt.text : null, treeSize: checkpoint?.treeSize };
    const replay = checkpoint === null ? null : await this.queryBus.execute(new ReplayContractQuery(replayRequest, 'json'));
    const listing = await this.listing(request.principal!, contractId);
    return auditPage(ctx, { contractId, listing, cut, checkpoint, publicKey, report: replay === null ? null : JSON.parse(replay.body) }).text;
  }

  @Get('contracts/:contractId/audit/bundle')
  @ContractPage('auditor')
  async bundle(
    @Res({ passthrough: true }) reply: FastifyReply,
    @Param('contractId') contractId: string,
    @Query() query: Record<string, unknown>,
  ): Promise<Buffer> {
    checkPathIds({ contractId }, ID_PATTERN, ID_RULE);
    const asOf = timeParam('asOf', query.asOf);
    new QueryReader(without(query, 'asOf'), ['lang']).done();
    const file = await this.queryBus.execute(new ExportAuditBundleQuery({ contractId, asOf: asOf?.text ?? null, knownAt: null }));
    void reply.header('content-type', 'application/json').header('content-disposition', `attachment; filename="${file.fileName}"`);
    return file.bytes;
  }

  @Get('contracts/:contractId/events/:eventId')
  @ContractPage('auditor')
  async event(
    @Req() request: ConsoleRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Param('contractId') contractId: string,
    @Param('eventId') eventId: string,
    @Query() query: Record<string, unknown>,
  ): Promise<string> {
    const ctx = this.openPage(request, reply, { contractId }, query);
    checkPathIds({ eventId }, UUID_PATTERN, 'a UUID');
    const [event] = await this.queryBus.execute(new ReadContractEventsByIdQuery(contractId, [eventId]));
    if (!event) throw new InvalidRequestError([{ index: null, field: 'eventId', rule: 'exists', message: `event ${eventId} is not an event of contract ${contractId}` }]);
    return eventPage(ctx, { contractId, event }).text;
  }

  /** When each evidence event happened (by eventId), to place findings in a period. */
  private async evidence(contractId: string, eventIds: string[]): Promise<Map<string, { occurredAt: number }>> {
    const events: RecordedEvent[] = await this.queryBus.execute(new ReadContractEventsByIdQuery(contractId, eventIds));
    return new Map(events.map((e) => [e.event.eventId, { occurredAt: instant(e.event.occurredAt) }]));
  }

  /** The contract's title, contractor and term from the directory (null while the projector has not listed it). */
  private async listing(principal: Principal, contractId: string): Promise<ContractPageData['listing']> {
    const page = await this.queryBus.execute(new ListContractsQuery({ party: principal.party, contracts: [contractId] }, null, 1));
    return page.contracts[0] ?? null;
  }

  /** The latest checkpoint, or null before the first is signed (the page says so instead of failing). */
  private async latestCheckpoint(): Promise<CheckpointAnswer | null> {
    try {
      return await this.queryBus.execute(new ReadCheckpointQuery(undefined));
    } catch (error) {
      if (error instanceof LedgerError && error.code === 'LEDGER.NO_CHECKPOINT') return null;
      throw error;
    }
  }
}

/** What changes when findings appear: statuses, records by status, the summary by rule, the city's block. */
function contractTag(view: ContractComplianceAnswer): string {
  const counts = Object.fromEntries(Object.entries(view.articles).map(([a, v]) => [a, v.counts]));
  return digestOf([view.contractId, view.status, view.city.status, view.city.findings.map((f) => [f.rule, f.status]), view.records, view.summary, counts]);
}

function overviewTag(views: readonly ContractComplianceAnswer[]): string {
  return digestOf(views.map(contractTag));
}

function digestOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('base64url').slice(0, 22);
}

/**
 * The live poll (docs/console.md "Live"): 304 while the tag is the one the page was rendered with,
 * else the new tag; the page then fetches itself again (a read that is access-logged). The tag
 * itself says nothing but "changed", so the poll is not.
 */
async function liveAnswer(reply: FastifyReply, tag: string, seen: string | undefined): Promise<void> {
  const etag = `"${tag}"`;
  void reply.header('etag', etag).header('cache-control', 'no-cache');
  if (seen === etag) {
    await reply.status(304).send();
    return;
  }
  await reply.status(200).header('content-type', 'application/json; charset=utf-8').send({ tag });
}
