import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { EVENT_STORE, type EventStore } from '@ledger/event-store';
import { LEDGER_RUNTIME, type LedgerRuntime, BACKGROUND_WORKERS, type WorkerFleet, type WorkerStatus } from '@ledger/runtime';
import { assessHealth } from './health-assessment.js';
import { IntegrityAlarm } from './integrity-alarm.js';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGER_RUNTIME) private readonly runtime: LedgerRuntime,
    @Inject(BACKGROUND_WORKERS) private readonly workers: WorkerFleet,
    private readonly alarm: IntegrityAlarm,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      '`ok`, or `degraded` with the reasons (database down, read replica down, a worker failed or crash-looping, a worker lagging, an integrity failure ' +
      'naming the position); 503 while the database is down, else 200; no credentials, no internal addresses',
  })
  async health(@Res() reply: FastifyReply): Promise<void> {
    let head: number | null = null;
    try {
      head = await this.store.headPosition();
    } catch {
      // reported as database_unavailable
    }
    // A live look at the standby (its replayed position), so /health shows it down or back at once.
    const replica = this.runtime.readReplica;
    await replica?.replayedPosition().catch(() => undefined);
    const replicaStatus = replica?.status();
    let workers: WorkerStatus[] = [];
    try {
      workers = await this.workers.statuses();
    } catch {
      // a fleet that cannot answer reports nothing; the worker process supervisor always answers
    }
    const assessment = assessHealth({
      databaseUp: head !== null,
      workers,
      processRestarts: this.workers.processRestarts?.() ?? 0,
      served: this.alarm.snapshot(),
      thresholds: this.runtime.config.health,
      replica: replicaStatus,
    });
    await reply.status(assessment.httpStatus).send({
      status: assessment.status,
      reasons: assessment.reasons,
      store: this.runtime.config.eventStoreUrl ? 'eventstoredb' : 'postgres',
      embeddedDatabase: this.runtime.database.embedded,
      headPosition: head,
      // null: no DATABASE_READ_URL; else whether the standby answers and how far behind it is.
      readReplica: replicaStatus
        ? { ...replicaStatus, lagEvents: head !== null && replicaStatus.replayedPosition !== null ? Math.max(0, head - replicaStatus.replayedPosition) : null }
        : null,
      workers: assessment.workers,
    });
  }
}
