import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { EVENT_STORE } from '@ledger/event-store';
import { AppendEventsController } from './append-events/append-events.http.controller.js';
import { AppendEventsHandler } from './append-events/append-events.handler.js';
import { ApiKeyGuard } from './auth/api-key.guard.js';
import { ApiKeyRegistry } from './auth/api-keys.js';
import { HealthController } from './health/health.http.controller.js';
import { LedgerExceptionFilter } from './http/ledger-exception.filter.js';
import { ReadContractEventsHandler, ReadRecordEventsHandler } from './read-history/read-history.handlers.js';
import { ReadHistoryController } from './read-history/read-history.http.controller.js';
import { LEDGER_RUNTIME, type LedgerRuntime } from './runtime/ledger-runtime.js';
import { BACKGROUND_WORKERS, type BackgroundWorker } from './workers/background-worker.js';

/** The composition root: the runtime's parts are provided under their port tokens. */
@Module({})
export class AppModule {
  static forRuntime(runtime: LedgerRuntime, keys: ApiKeyRegistry, workers: readonly BackgroundWorker[]): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [CqrsModule.forRoot()],
      controllers: [HealthController, AppendEventsController, ReadHistoryController],
      providers: [
        { provide: LEDGER_RUNTIME, useValue: runtime },
        { provide: EVENT_STORE, useValue: runtime.eventStore },
        { provide: ApiKeyRegistry, useValue: keys },
        { provide: BACKGROUND_WORKERS, useValue: workers },
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        { provide: APP_FILTER, useClass: LedgerExceptionFilter },
        AppendEventsHandler,
        ReadContractEventsHandler,
        ReadRecordEventsHandler,
      ],
      exports: [LEDGER_RUNTIME, EVENT_STORE, ApiKeyRegistry, BACKGROUND_WORKERS],
    };
  }
}
