import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { EVENT_STORE } from '@ledger/event-store';
import { ApiKeysController } from './api-keys/api-keys.http.controller.js';
import { ApiKeyStore } from './api-keys/api-key.store.js';
import { AppendEventsController } from './append-events/append-events.http.controller.js';
import { AppendEventsHandler } from './append-events/append-events.handler.js';
import { NdjsonIngest } from './append-events/append-ndjson.js';
import { AccessLogController } from './access-log/access-log.http.controller.js';
import { AccessLogInterceptor } from './access-log/access-log.interceptor.js';
import { AccessLogWriter } from './access-log/access-log.writer.js';
import { AuditExportController } from './audit-export/audit-export.http.controller.js';
import { ExportAuditBundleHandler } from './audit-export/audit-export.handlers.js';
import { AuditReplayController } from './audit-replay/audit-replay.http.controller.js';
import { ReplayContractHandler } from './audit-replay/audit-replay.handlers.js';
import { ApiKeyGuard } from './auth/api-key.guard.js';
import { ApiKeyRegistry } from './auth/api-keys.js';
import { RateLimiter } from './auth/rate-limits.js';
import { REQUIRED_ROLE } from './auth/roles.decorator.js';
import { SCOPE } from './auth/scope.decorator.js';
import { ScopeGuard } from './auth/scope.guard.js';
import { AppendAuthority } from './authority/append-authority.js';
import { ContractDirectory } from './authority/contract-directory.js';
import { SigningKeyring } from './authority/signing-keyring.js';
import { ReadContractComplianceHandler, ReadRecordComplianceHandler, ReadRecordFindingsHandler } from './compliance/compliance.handlers.js';
import { ComplianceController } from './compliance/compliance.http.controller.js';
import { ContractHistoryCache } from './compliance/contract-history.cache.js';
import { ListHoldingsHandler, ReadHoldingHistoryHandler, ReadRecordCustodyHandler } from './custody/custody.handlers.js';
import { HandlingReader } from './read-model/handling.reader.js';
import { ReplicaReadInterceptor } from './read-model/replica-reads.js';
import { CustodyController } from './custody/custody.http.controller.js';
import { HealthController } from './health/health.http.controller.js';
import { IntegrityAlarm } from './health/integrity-alarm.js';
import { LedgerExceptionFilter } from './http/ledger-exception.filter.js';
import { LOG_PROOF_HANDLERS } from './log-proofs/log-proofs.handlers.js';
import { LogProofsController } from './log-proofs/log-proofs.http.controller.js';
import { LogPublicController } from './log-proofs/log-public.http.controller.js';
import { PublicRateLimitGuard } from './http/public-rate-limit.guard.js';
import { MERKLE_LOG, merkleLogOf, LEDGER_RUNTIME, type LedgerRuntime, BACKGROUND_WORKERS, type WorkerFleet, RoutedEventStore } from '@ledger/runtime';
import { HttpMetricsHook } from './metrics/http-metrics.hook.js';
import { IngestMetricsHandler } from './metrics/ingest-metrics.handler.js';
import { MetricsController } from './metrics/metrics.http.controller.js';
import { MetricsRegistry } from './metrics/metrics.registry.js';
import { ReadContractEventsHandler, ReadRecordEventsHandler } from './read-history/read-history.handlers.js';
import { ReadHistoryController } from './read-history/read-history.http.controller.js';
import { SigningKeysController } from './signing-keys/signing-keys.http.controller.js';
import { ConsoleSessions } from './auth/console-sessions.js';
import { ConsoleAssetsController } from './console/console-assets.controller.js';
import { ConsoleExceptionFilter } from './console/console-exception.filter.js';
import { ConsolePagesController } from './console/console-pages.controller.js';
import { ConsoleSignInController } from './console/console-sign-in.controller.js';
import { CONSOLE_QUERY_HANDLERS } from './console/console.handlers.js';

/** The officers' and auditors' console (docs/console.md): HTML pages, not in the OpenAPI description. */
export const CONSOLE_CONTROLLERS = [ConsoleSignInController, ConsolePagesController, ConsoleAssetsController];

export const CONTROLLERS = [
  HealthController,
  AppendEventsController,
  ReadHistoryController,
  CustodyController,
  ComplianceController,
  AccessLogController,
  MetricsController,
  LogPublicController,
  LogProofsController,
  AuditExportController,
  AuditReplayController,
  ApiKeysController,
  SigningKeysController,
  ...CONSOLE_CONTROLLERS,
];

/**
 * Every route that needs a key declares how it meets the key's contract scope (auth/scope.decorator.ts):
 * checked when the app is built, so a new endpoint cannot be served without one.
 */
export function assertScopesDeclared(): void {
  for (const controller of CONTROLLERS) {
    const prototype = controller.prototype as unknown as Record<string, unknown>;
    for (const name of Object.getOwnPropertyNames(prototype)) {
      const handler = prototype[name];
      if (typeof handler !== 'function' || name === 'constructor') continue;
      const role = Reflect.getMetadata(REQUIRED_ROLE, handler) ?? Reflect.getMetadata(REQUIRED_ROLE, controller);
      const scope = Reflect.getMetadata(SCOPE, handler) ?? Reflect.getMetadata(SCOPE, controller);
      if (role !== undefined && scope === undefined) throw new Error(`${controller.name}.${name} needs a key but declares no scope rule (@ContractScoped, @EventScoped, @ScopeFiltered, @CityWide or @ScopeFree)`);
    }
  }
}

/** The composition root: the runtime's parts are provided under their port tokens. */
@Module({})
export class AppModule {
  static forRuntime(runtime: LedgerRuntime, keys: ApiKeyRegistry, keyStore: ApiKeyStore, workers: WorkerFleet, limiter: RateLimiter): DynamicModule {
    assertScopesDeclared();
    return {
      module: AppModule,
      global: true,
      imports: [CqrsModule.forRoot()],
      controllers: CONTROLLERS,
      providers: [
        { provide: LEDGER_RUNTIME, useValue: runtime },
        // Reads go to the standby only inside a route marked @ReplicaReads(); everything else reads the primary.
        { provide: EVENT_STORE, useValue: runtime.readReplica ? new RoutedEventStore(runtime.eventStore, runtime.readReplica) : runtime.eventStore },
        { provide: ApiKeyRegistry, useValue: keys },
        { provide: ApiKeyStore, useValue: keyStore },
        { provide: BACKGROUND_WORKERS, useValue: workers },
        { provide: MERKLE_LOG, useFactory: () => merkleLogOf(runtime) },
        { provide: RateLimiter, useValue: limiter },
        // Guards run in this order: who (key, budgets, role), then what (contract scope).
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        { provide: APP_GUARD, useClass: ScopeGuard },
        { provide: APP_FILTER, useClass: LedgerExceptionFilter },
        AppendEventsHandler,
        ContractDirectory,
        SigningKeyring,
        AppendAuthority,
        NdjsonIngest,
        PublicRateLimitGuard,
        ...LOG_PROOF_HANDLERS,
        ExportAuditBundleHandler,
        ReplayContractHandler,
        ReadContractEventsHandler,
        ReadRecordEventsHandler,
        ReadRecordCustodyHandler,
        ReadHoldingHistoryHandler,
        ListHoldingsHandler,
        ContractHistoryCache,
        HandlingReader,
        ReplicaReadInterceptor,
        ReadRecordComplianceHandler,
        ReadRecordFindingsHandler,
        ReadContractComplianceHandler,
        MetricsRegistry,
        IngestMetricsHandler,
        HttpMetricsHook,
        AccessLogWriter,
        AccessLogInterceptor,
        IntegrityAlarm,
        ConsoleSessions,
        ConsoleExceptionFilter,
        ...CONSOLE_QUERY_HANDLERS,
      ],
      exports: [LEDGER_RUNTIME, EVENT_STORE, ApiKeyRegistry, BACKGROUND_WORKERS, MetricsRegistry, AccessLogWriter, AccessLogInterceptor],
    };
  }
}
