import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { EVENT_STORE, type EventStore } from '@ledger/event-store';
import { checkpoints, findGeneration } from '@ledger/projections';
import { LEDGER_RUNTIME, type LedgerRuntime, BACKGROUND_WORKERS, type WorkerFleet, type WorkerStatus } from '@ledger/runtime';
import type { IntegrityStatus } from '@ledger/merkle-log';
import { IntegrityAlarm } from '../health/integrity-alarm.js';
import { Exposition, MetricsRegistry } from './metrics.registry.js';

/**
 * Prometheus metrics, without credentials like /health (docs/custody.md "Metrics"): counts and
 * positions only, no ID of a contract, record or person, so a scraper needs no key.
 */
@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsRegistry,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGER_RUNTIME) private readonly runtime: LedgerRuntime,
    @Inject(BACKGROUND_WORKERS) private readonly workers: WorkerFleet,
    private readonly alarm: IntegrityAlarm,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Prometheus text exposition: ingest, requests, projector lag, read models, memory; no credentials' })
  @ApiProduces('text/plain')
  async scrape(@Res() reply: FastifyReply): Promise<void> {
    const m = this.metrics;
    const out = new Exposition()
      .family('ledger_events_appended_total', 'counter', 'Events appended through this process.', [{ value: m.eventsAppended }])
      .family('ledger_events_duplicate_total', 'counter', 'Events posted again with the same eventId and content (nothing written).', [{ value: m.eventsDuplicate }])
      .family('ledger_append_batches_total', 'counter', 'Accepted POST /v1/events requests.', [{ value: m.appendBatches }])
      .family(
        'ledger_http_requests_total',
        'counter',
        'Answered HTTP requests by method, route pattern and status.',
        m.requestCounts().map((r) => ({ labels: { method: r.method, route: r.route, status: r.status }, value: r.count })),
      )
      .family('ledger_access_log_writes_total', 'counter', 'Reads of custody or compliance recorded in the access log.', [{ value: m.accessLogWritten }])
      .family('ledger_access_log_failures_total', 'counter', 'Reads refused (503) or errors left unrecorded because the access log could not be written.', [{ value: m.accessLogFailures }]);

    let head = Number.NaN;
    try {
      head = await this.store.headPosition();
    } catch {
      // the store is down: reported as NaN, /health says why
    }
    out.family('ledger_log_head_position', 'gauge', 'Position of the last committed event.', [{ value: head }]);

    const statuses: WorkerStatus[] = await this.workers.statuses();
    const per = (pick: (s: WorkerStatus) => number) => statuses.map((s) => ({ labels: { worker: s.name }, value: pick(s) }));
    out
      .family('ledger_worker_running', 'gauge', 'Whether a background worker is running (1) or not (0).', per((s) => (s.state === 'running' ? 1 : 0)))
      .family('ledger_worker_position', 'gauge', 'Position up to which a background worker has applied the log.', per((s) => s.position))
      .family('ledger_worker_lag_events', 'gauge', 'Events committed but not yet applied by a background worker.', per((s) => s.lagEvents))
      .family('ledger_worker_lag_seconds', 'gauge', 'Age of the oldest event a background worker has not applied (0 when caught up).', per((s) => s.lagSeconds))
      .family('ledger_worker_process_restarts', 'gauge', 'Quick restarts in a row of the background worker process (0 once it runs a minute).', [
        { value: this.workers.processRestarts?.() ?? 0 },
      ]);
    const checkers = statuses.filter((s): s is IntegrityStatus & WorkerStatus => (s as IntegrityStatus).integrity !== undefined);
    out
      .family('ledger_integrity_mismatches', 'gauge', 'Log positions whose stored event does not match its leaf hash or the Merkle log (0 when sound).', [
        ...checkers.map((s) => ({ labels: { checker: s.name }, value: s.integrity!.mismatches })),
        { labels: { checker: 'api' }, value: this.alarm.snapshot().mismatches },
      ])
      .family('ledger_integrity_checked_events_total', 'counter', 'Stored events re-verified by the integrity scrubber.', checkers
        .filter((s) => s.integrity!.checked !== undefined)
        .map((s) => ({ labels: { checker: s.name }, value: s.integrity!.checked! })))
      .family('ledger_integrity_passes_total', 'counter', 'Complete passes of the integrity scrubber over the log.', checkers
        .filter((s) => s.integrity!.passes !== undefined)
        .map((s) => ({ labels: { checker: s.name }, value: s.integrity!.passes! })));

    // The read models' own checkpoints: true even when the projector runs in another process.
    try {
      const generation = await findGeneration(this.runtime.dataSource, 'active');
      if (generation) {
        const positions = await checkpoints(this.runtime.dataSource, generation);
        out
          .family('ledger_read_model_generation', 'gauge', 'The serving generation of the read models.', [{ value: generation.generation }])
          .family('ledger_read_model_position', 'gauge', 'Checkpoint of each projection in the serving generation.', [...positions].map(([projection, position]) => ({ labels: { projection }, value: position })))
          .family('ledger_read_model_lag_events', 'gauge', 'Events committed but not yet in a projection of the serving generation.', [...positions].map(([projection, position]) => ({ labels: { projection }, value: Math.max(0, head - position) })));
      }
    } catch {
      // no read models yet, or the database is down
    }

    const memory = process.memoryUsage();
    out
      .family('process_resident_memory_bytes', 'gauge', 'Resident memory of this process.', [{ value: memory.rss }])
      .family('nodejs_heap_used_bytes', 'gauge', 'V8 heap in use.', [{ value: memory.heapUsed }])
      .family('nodejs_heap_total_bytes', 'gauge', 'V8 heap reserved.', [{ value: memory.heapTotal }])
      .family('nodejs_external_memory_bytes', 'gauge', 'Memory of C++ objects bound to JavaScript (buffers).', [{ value: memory.external }])
      .family('process_uptime_seconds', 'gauge', 'Seconds since this process started.', [{ value: Math.round(process.uptime()) }]);
    await reply.status(200).header('content-type', 'text/plain; version=0.0.4; charset=utf-8').send(out.toString());
  }
}
