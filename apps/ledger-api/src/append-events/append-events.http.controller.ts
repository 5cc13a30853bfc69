import type { Readable } from 'node:stream';
import { Body, Controller, Headers, HttpCode, Inject, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiExtraModels, ApiOperation, ApiResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import {
  AppendAnswerDto,
  DATA_DTOS,
  ErrorAnswerDto,
  EventBatchDto,
  EventEnvelopeDto,
  parseEventSubmission,
} from '@ledger/wire';
import type { Principal } from '../auth/api-keys.js';
import { CurrentPrincipal } from '../auth/principal.decorator.js';
import { RequireRole } from '../auth/roles.decorator.js';
import { ScopeFree } from '../auth/scope.decorator.js';
import { AppendAuthority } from '../authority/append-authority.js';
import { LEDGER_RUNTIME, type LedgerRuntime } from '@ledger/runtime';
import { AppendEventsCommand } from './append-events.command.js';
import { UnsupportedMediaTypeError } from '../http/ledger-exception.filter.js';
import { NdjsonIngest } from './append-ndjson.js';

const JSON_TYPE = /^application\/json\s*(;|$)/i;
const NDJSON_TYPE = /^application\/x-ndjson\s*(;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

@ApiTags('events')
@ApiBearerAuth()
@ApiExtraModels(EventEnvelopeDto, EventBatchDto, ...Object.values(DATA_DTOS))
@Controller('v1/events')
export class AppendEventsController {
  constructor(
    private readonly commandBus: CommandBus,
    @Inject(LEDGER_RUNTIME) private readonly runtime: LedgerRuntime,
    private readonly authority: AppendAuthority,
    private readonly ndjson: NdjsonIngest,
  ) {}

  @Post()
  @HttpCode(201)
  @RequireRole('feed')
  @ScopeFree('the append authority checks each event\'s contract against the key (AppendAuthority)')
  @ApiOperation({
    summary: 'Append one event, or a batch of up to 10,000 (all or nothing), or a stream of events as NDJSON',
    description:
      'Each event type has its own `data` schema: see the *Data schemas (e.g. RecordCopiedData). ' +
      'A repeated eventId with the same content answers `duplicate`; with other content, 409. ' +
      'Only feed keys append; a contractor\'s key only to its own contracts, only the contractor\'s event types, as contractor or subcontractor ' +
      '(403 naming contractId, type or actor.org). Under a contract policy requireSignedEvents an unsigned event is a 400 and one not signed by ' +
      'the acting party\'s valid key a 403 (docs/security.md). Each key has an event budget (429 with Retry-After; nothing of the batch written). ' +
      'With `Content-Type: application/x-ndjson` the body is one event per line, of any length: the events are appended in ' +
      'chunks of up to 1,000 (each all or nothing, in order) and the answer (200, NDJSON) has one line per event as its chunk ' +
      'commits, then `{"done":…}` or `{"error":…,"stoppedAt":{"index","line"}}` (docs/events.md "Streaming").',
  })
  @ApiBody({ schema: { oneOf: [{ $ref: getSchemaPath(EventEnvelopeDto) }, { $ref: getSchemaPath(EventBatchDto) }] } })
  @ApiResponse({ status: 201, type: AppendAnswerDto })
  @ApiResponse({ status: 400, type: ErrorAnswerDto, description: 'bad JSON, unknown type, missing/extra field, bad ID or time: every problem with index and field' })
  @ApiResponse({ status: 401, type: ErrorAnswerDto })
  @ApiResponse({ status: 403, type: ErrorAnswerDto, description: 'not a feed key; an event outside the key\'s party or scope; a signature that is not the acting party\'s' })
  @ApiResponse({ status: 409, type: ErrorAnswerDto, description: 'eventId recorded before with other content; contract already registered' })
  @ApiResponse({ status: 413, type: ErrorAnswerDto })
  @ApiResponse({ status: 422, type: ErrorAnswerDto, description: 'contract not registered' })
  @ApiResponse({ status: 415, type: ErrorAnswerDto, description: 'not application/json' })
  @ApiResponse({ status: 429, type: ErrorAnswerDto, description: 'the key\'s request or event budget is spent (Retry-After); nothing of the batch was written' })
  async append(
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
    @CurrentPrincipal() principal: Principal,
    @Headers('content-type') contentType?: string,
  ): Promise<AppendAnswerDto | undefined> {
    if (NDJSON_TYPE.test(contentType ?? '')) {
      // The guard has authenticated the key; only now is the stream read (see create-app.ts).
      reply.hijack();
      await this.ndjson.answer(principal, body as Readable, reply.raw);
      return undefined;
    }
    if (!JSON_TYPE.test(contentType ?? '')) {
      throw new UnsupportedMediaTypeError('send the events as Content-Type: application/json, or a stream of them as application/x-ndjson (UTF-8)');
    }
    const events = parseEventSubmission(body, this.runtime.clock());
    await this.authority.admit(principal, events);
    const appended = await this.commandBus.execute(new AppendEventsCommand(events));
    this.authority.appended(events);
    return { events: appended };
  }
}
