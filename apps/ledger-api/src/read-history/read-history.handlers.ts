import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { contractNotFound, contractStreamId, NotFoundError, recordStreamId } from '@ledger/domain';
import { EVENT_STORE, type EventStore } from '@ledger/event-store';
import { IntegrityAlarm } from '../health/integrity-alarm.js';
import { ReadContractEventsQuery, ReadRecordEventsQuery, type HistoryPage } from './read-history.queries.js';

@QueryHandler(ReadContractEventsQuery)
export class ReadContractEventsHandler implements IQueryHandler<ReadContractEventsQuery> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly alarm: IntegrityAlarm,
  ) {}

  async execute({ contractId, after, limit }: ReadContractEventsQuery): Promise<HistoryPage> {
    if ((await this.store.streamVersion(contractStreamId(contractId))) === null) throw contractNotFound(contractId);
    const events = await this.store.readAll({ contractId, after, limit });
    this.alarm.checkServed(events);
    return { events, next: events.length === limit ? events[events.length - 1]!.position : null };
  }
}

@QueryHandler(ReadRecordEventsQuery)
export class ReadRecordEventsHandler implements IQueryHandler<ReadRecordEventsQuery> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly alarm: IntegrityAlarm,
  ) {}

  async execute({ contractId, recordId, fromVersion, limit }: ReadRecordEventsQuery): Promise<HistoryPage> {
    const events = await this.store.readStream(recordStreamId(contractId, recordId), { fromVersion, limit });
    if (events.length === 0 && fromVersion === 0) {
      // The contract first, as every contract read answers (and as a contract outside the key's scope is answered).
      if ((await this.store.streamVersion(contractStreamId(contractId))) === null) throw contractNotFound(contractId);
      throw new NotFoundError(`record ${recordId} of contract ${contractId} has no events`);
    }
    this.alarm.checkServed(events);
    return { events, next: events.length === limit ? events[events.length - 1]!.streamVersion + 1 : null };
  }
}
