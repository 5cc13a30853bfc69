import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { judgeRecord } from '@ledger/compliance';
import { instant, isRecordEvent, NotFoundError, recordStreamId, type RecordedEvent } from '@ledger/domain';
import { EVENT_STORE, type EventStore } from '@ledger/event-store';
import {
  answerArticles,
  checkpoints,
  COMPLIANCE_PROJECTION,
  contractViewFromReadModel,
  contractViewFromStreams,
  readActiveGeneration,
  ReadModelsNotReadyError,
  type ContractComplianceView,
} from '@ledger/projections';
import { LEDGER_RUNTIME, type LedgerRuntime } from '@ledger/runtime';
import {
  ReadContractComplianceQuery,
  ReadRecordComplianceQuery,
  type ContractComplianceAnswer,
  type RecordComplianceAnswer,
} from './compliance.queries.js';
import { ContractHistoryCache } from './contract-history.cache.js';

/** Events per read when a contract's record streams are read for an answer from the streams. */
const READ_PAGE = 10_000;

@QueryHandler(ReadRecordComplianceQuery)
export class ReadRecordComplianceHandler implements IQueryHandler<ReadRecordComplianceQuery> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly contracts: ContractHistoryCache,
  ) {}

  async execute({ contractId, recordId, asOf, knownAt }: ReadRecordComplianceQuery): Promise<RecordComplianceAnswer> {
    const [contract, events] = await Promise.all([
      this.contracts.current(contractId),
      this.store.readStream(recordStreamId(contractId, recordId)),
    ]);
    if (!contract) throw new NotFoundError(`contract ${contractId} is not registered`);
    if (events.length === 0) throw new NotFoundError(`record ${recordId} of contract ${contractId} has no events`);
    if (!events.some((e) => instant(e.event.occurredAt) <= asOf.ms && instant(e.recordedAt) <= knownAt.ms)) {
      throw new NotFoundError(`record ${recordId} of contract ${contractId} has no event with occurredAt ≤ asOf and recordedAt ≤ knownAt`);
    }
    const verdict = judgeRecord(contract.history, recordId, events, { asOf: asOf.ms, knownAt: knownAt.ms });
    return { contractId, recordId, asOf: asOf.text, knownAt: knownAt.text, status: verdict.status, articles: answerArticles(verdict) };
  }
}

@QueryHandler(ReadContractComplianceQuery)
export class ReadContractComplianceHandler implements IQueryHandler<ReadContractComplianceQuery> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGER_RUNTIME) private readonly runtime: LedgerRuntime,
    private readonly contracts: ContractHistoryCache,
  ) {}

  async execute(query: ReadContractComplianceQuery): Promise<ContractComplianceAnswer> {
    const { contractId, asOf, knownAt } = query;
    const head = { contractId, asOf: asOf.text, knownAt: knownAt.text };
    if (query.present) {
      const fromModel = await this.fromReadModel(query);
      if (fromModel) return { ...head, status: fromModel.view.status, source: { kind: 'read-model', position: fromModel.position }, ...rest(fromModel.view) };
    }
    const view = await this.fromStreams(query);
    return { ...head, status: view.status, source: { kind: 'streams' }, ...rest(view) };
  }

  /** The present from the read model; null when it cannot answer (not built, contract not projected yet). */
  private async fromReadModel(query: ReadContractComplianceQuery): Promise<{ view: ContractComplianceView; position: number } | null> {
    try {
      return await readActiveGeneration(this.runtime.dataSource, async (q) => {
        const position = (await checkpoints(q, q.generation)).get(COMPLIANCE_PROJECTION);
        if (position === undefined) return null;
        const history = await this.contracts.upTo(query.contractId, position);
        if (!history) return null;
        const view = await contractViewFromReadModel(q, {
          contractId: query.contractId,
          now: query.asOf.ms,
          history,
          readRecord: async (recordId) =>
            (await this.store.readStream(recordStreamId(query.contractId, recordId))).filter((e) => e.position <= position),
          query: { filter: query.filter, after: query.after, limit: query.limit },
        });
        return view ? { view, position } : null;
      });
    } catch (error) {
      if (error instanceof ReadModelsNotReadyError) return null;
      throw error;
    }
  }

  /** Exact at any cut: the contract stream and every record stream of the contract. */
  private async fromStreams(query: ReadContractComplianceQuery): Promise<ContractComplianceView> {
    const contract = await this.contracts.current(query.contractId);
    if (!contract) throw new NotFoundError(`contract ${query.contractId} is not registered`);
    const streams = new Map<string, RecordedEvent[]>();
    for (let after = 0; ; ) {
      const events = await this.store.readAll({ after, limit: READ_PAGE, contractId: query.contractId });
      for (const recorded of events) {
        const event = recorded.event;
        if (!isRecordEvent(event)) continue;
        const list = streams.get(event.recordId);
        if (list) list.push(recorded);
        else streams.set(event.recordId, [recorded]);
      }
      if (events.length < READ_PAGE) break;
      after = events[events.length - 1]!.position;
    }
    return contractViewFromStreams(contract.history, streams, { asOf: query.asOf.ms, knownAt: query.knownAt.ms }, {
      filter: query.filter,
      after: query.after,
      limit: query.limit,
    });
  }
}

function rest(view: ContractComplianceView): Omit<ContractComplianceView, 'status'> {
  const { status: _status, ...others } = view;
  void _status;
  return others;
}
