import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { contractStreamId, isoUtc, NotFoundError, recordStreamId, StoreUnavailableError } from '@ledger/domain';
import { EVENT_STORE, type EventStore } from '@ledger/event-store';
import {
  checkpoints,
  contractCustodyOf,
  custodyView,
  listHoldings,
  readActiveGeneration,
  ReadModelsNotReadyError,
  recordCustodyOf,
} from '@ledger/projections';
import { LEDGER_RUNTIME, type LedgerRuntime } from '@ledger/runtime';
import {
  ListHoldingsQuery,
  ReadRecordCustodyQuery,
  type HoldingsAnswer,
  type RecordCustodyAnswer,
} from './custody.queries.js';

@QueryHandler(ReadRecordCustodyQuery)
export class ReadRecordCustodyHandler implements IQueryHandler<ReadRecordCustodyQuery> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** The same cut as the rulebook: recordedAt ≤ knownAt and occurredAt ≤ asOf, folded in occurredAt order. */
  async execute({ contractId, recordId, asOf, knownAt }: ReadRecordCustodyQuery): Promise<RecordCustodyAnswer> {
    const [contractEvents, recordEvents] = await Promise.all([
      this.store.readStream(contractStreamId(contractId)),
      this.store.readStream(recordStreamId(contractId, recordId)),
    ]);
    if (contractEvents.length === 0) throw new NotFoundError(`contract ${contractId} is not registered`);
    if (recordEvents.length === 0) throw new NotFoundError(`record ${recordId} of contract ${contractId} has no events`);
    const cut = { asOf: asOf.ms, knownAt: knownAt.ms };
    const record = recordCustodyOf(contractId, recordId, recordEvents, cut);
    const contract = contractCustodyOf(contractId, contractEvents, cut);
    return { contractId, recordId, asOf: asOf.text, knownAt: knownAt.text, ...custodyView(record, contract, asOf.ms) };
  }
}

@QueryHandler(ListHoldingsQuery)
export class ListHoldingsHandler implements IQueryHandler<ListHoldingsQuery> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGER_RUNTIME) private readonly runtime: LedgerRuntime,
  ) {}

  async execute({ contractId, state, overdue, after, limit }: ListHoldingsQuery): Promise<HoldingsAnswer> {
    if ((await this.store.streamVersion(contractStreamId(contractId))) === null) {
      throw new NotFoundError(`contract ${contractId} is not registered`);
    }
    const now = this.runtime.clock();
    try {
      return await readActiveGeneration(this.runtime.dataSource, async (q) => {
        const page = await listHoldings(q, { contractId, state, overdue, now, after, limit });
        const position = (await checkpoints(q, q.generation)).get('custody') ?? 0;
        return { contractId, at: isoUtc(now), position, ...page };
      });
    } catch (error) {
      if (error instanceof ReadModelsNotReadyError) throw new StoreUnavailableError(error.message);
      throw error;
    }
  }
}
