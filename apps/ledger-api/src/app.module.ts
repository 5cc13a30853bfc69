import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { EVENT_STORE } from '@ledger/event-store';
import { ApiKeysController } from './api-keys/api-keys.http.controller.js';
import { ApiKeyStore } from './api-keys/api-key.store.js';
import { AppendEventsController } from './append-events/append-events.http.controller.js';
import { AppendEventsHandler } from './append-events/append-events.handler.js';
import { AccessLogController } from './access-log/access-log.http.controller.js';
import { AccessLogInterceptor } from './access-log/access-log.interceptor.js';
import { AccessLogWriter } from './access-log/access-log.writer.js';
import { AuditExportController } from './audit-export/audit-export.http.controller.js';
import { ExportAuditBundleHandler } from './audit-export/audit-export.handlers.js';
import { AuditReplayController } from './audit-replay/audit-replay.http.controller.js';
import { ReplayContractHandler } from './audit-replay/audit-replay.handlers.js';
import { ApiKeyGuard } from './auth/api-key.guard.js';
import { ApiKeyRegistry } from './auth/api-keys.js';
import { ReadContractComplianceHandler, ReadRecordComplianceHandler } from './compliance/compliance.handlers.js';
import { ComplianceController } from './compliance/compliance.http.controller.js';
import { ContractHistoryCache } from './compliance/contract-history.cache.js';
import { ListHoldingsHandler, ReadRecordCustodyHandler } from './custody/custody.handlers.js';
import { CustodyController } from './custody/custody.http.controller.js';
import { HealthController } from './health/health.http.controller.js';
import { IntegrityAlarm } from './health/integrity-alarm.js';
import { LedgerExceptionFilter } from './http/ledger-exception.filter.js';
import { LOG_PROOF_HANDLERS } from './log-proofs/log-proofs.handlers.js';
import { LogProofsController } from './log-proofs/log-proofs.http.controller.js';
import { MERKLE_LOG, merkleLogOf, LEDGER_RUNTIME, type LedgerRuntime, BACKGROUND_WORKERS, type WorkerFleet } from '@ledger/runtime';
import { HttpMetricsHook } from './metrics/http-metrics.hook.js';
import { IngestMetricsHandler } from './metrics/ingest-metrics.handler.js';
import { MetricsController } from './metrics/metrics.http.controller.js';
import { MetricsRegistry } from './metrics/metrics.registry.js';
import { ReadContractEventsHandler, ReadRecordEventsHandler } from './read-history/read-history.handlers.js';
import { ReadHistoryController } from './read-history/read-history.http.controller.js';

/** The composition root: the runtime's parts are provided under their port tokens. */
@Module({})
export class AppModule {
  static forRuntime(runtime: LedgerRuntime, keys: ApiKeyRegistry, keyStore: ApiKeyStore, workers: WorkerFleet): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [CqrsModule.forRoot()],
      controllers: [
        HealthController,
        AppendEventsController,
        ReadHistoryController,
        CustodyController,
        ComplianceController,
        AccessLogController,
        MetricsController,
        LogProofsController,
        AuditExportController,
        AuditReplayController,
        ApiKeysController,
      ],
      providers: [
        { provide: LEDGER_RUNTIME, useValue: runtime },
        { provide: EVENT_STORE, useValue: runtime.eventStore },
        { provide: ApiKeyRegistry, useValue: keys },
        { provide: ApiKeyStore, useValue: keyStore },
        { provide: BACKGROUND_WORKERS, useValue: workers },
        { provide: MERKLE_LOG, useFactory: () => merkleLogOf(runtime) },
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        { provide: APP_FILTER, useClass: LedgerExceptionFilter },
        AppendEventsHandler,
        ...LOG_PROOF_HANDLERS,
        ExportAuditBundleHandler,
        ReplayContractHandler,
        ReadContractEventsHandler,
        ReadRecordEventsHandler,
        ReadRecordCustodyHandler,
        ListHoldingsHandler,
        ContractHistoryCache,
        ReadRecordComplianceHandler,
        ReadContractComplianceHandler,
        MetricsRegistry,
        IngestMetricsHandler,
        HttpMetricsHook,
        AccessLogWriter,
        AccessLogInterceptor,
        IntegrityAlarm,
      ],
      exports: [LEDGER_RUNTIME, EVENT_STORE, ApiKeyRegistry, BACKGROUND_WORKERS, MetricsRegistry, AccessLogWriter, AccessLogInterceptor],
    };
  }
}
