import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { EVENT_STORE, type EventStore } from '@ledger/event-store';
import { LEDGER_RUNTIME, type LedgerRuntime, BACKGROUND_WORKERS, type WorkerFleet } from '@ledger/runtime';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGER_RUNTIME) private readonly runtime: LedgerRuntime,
    @Inject(BACKGROUND_WORKERS) private readonly workers: WorkerFleet,
  ) {}

  @Get()
  @ApiOperation({ summary: '200 once the service can append and read; no credentials' })
  async health(@Res() reply: FastifyReply): Promise<void> {
    try {
      const head = await this.store.headPosition();
      await reply.status(200).send({
        status: 'ok',
        store: this.runtime.config.eventStoreUrl ? 'eventstoredb' : 'postgres',
        embeddedDatabase: this.runtime.database.embedded,
        headPosition: head,
        workers: await this.workers.statuses(),
      });
    } catch (error) {
      await reply.status(503).send({ status: 'unavailable', reason: String(error) });
    }
  }
}
