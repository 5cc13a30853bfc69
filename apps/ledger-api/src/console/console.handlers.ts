import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { contractorIdOf, type RecordedEvent } from '@ledger/domain';
import { EVENT_STORE, type EventStore } from '@ledger/event-store';
import { listContracts, readActiveGeneration } from '@ledger/projections';
import { LEDGER_RUNTIME, type LedgerRuntime } from '@ledger/runtime';
import { HandlingReader } from '../read-model/handling.reader.js';
import { ListContractsQuery, ListIncidentsQuery, ReadContractEventsByIdQuery, type ContractListPage, type IncidentFacts } from './console.queries.js';
import { isoJst } from './i18n.js';

@QueryHandler(ListContractsQuery)
export class ListContractsHandler implements IQueryHandler<ListContractsQuery> {
  constructor(@Inject(LEDGER_RUNTIME) private readonly runtime: LedgerRuntime) {}

  /** Before the projector has built the read models there is nothing to list (the overview says so). */
  async execute({ principal, after, limit }: ListContractsQuery): Promise<ContractListPage> {
    return readActiveGeneration(
      this.runtime.dataSource,
      (q) => listContracts(q, { contracts: principal.contracts, contractorId: contractorIdOf(principal.party), after, limit }),
      { emptyWhenNotBuilt: true },
    );
  }
}

/** At most this many incidents are listed (a contract with more is far outside what the console is for). */
const MAX_INCIDENTS = 500;

@QueryHandler(ListIncidentsQuery)
export class ListIncidentsHandler implements IQueryHandler<ListIncidentsQuery> {
  constructor(private readonly reader: HandlingReader) {}

  async execute({ contractId }: ListIncidentsQuery): Promise<IncidentFacts[]> {
    const now = this.reader.now();
    const view = (await this.reader.contract(contractId)).view({ asOf: now, knownAt: now });
    const first = (entries: readonly { at: number }[]): string | null => (entries[0] ? isoJst(entries[0].at) : null);
    return view.incidents().slice(0, MAX_INCIDENTS).map((incident) => {
      const { incidentId, kind, affectedRecordIds, affectedPersonCount } = incident.event.data;
      const ppc = view.ppcReports(incidentId);
      return {
        incidentId,
        eventId: incident.id,
        kind,
        detectedAt: isoJst(incident.at),
        detectedBy: incident.event.actor.org,
        affectedRecordIds: [...new Set(affectedRecordIds)],
        affectedPersonCount: affectedPersonCount ?? null,
        reportedAt: first(view.incidentReports(incidentId)),
        preliminaryAt: first(ppc.filter((p) => p.event.data.stage === 'preliminary')),
        finalAt: first(ppc.filter((p) => p.event.data.stage === 'final')),
        noticeAt: first(view.personNotices(incidentId)),
      };
    });
  }
}

/** At most this many events are read by ID at once (a page of findings names fewer). */
const MAX_EVENTS_BY_ID = 2_000;

@QueryHandler(ReadContractEventsByIdQuery)
export class ReadContractEventsByIdHandler implements IQueryHandler<ReadContractEventsByIdQuery> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ contractId, eventIds }: ReadContractEventsByIdQuery): Promise<RecordedEvent[]> {
    const ids = [...new Set(eventIds.map((id) => id.toLowerCase()))].slice(0, MAX_EVENTS_BY_ID);
    if (ids.length === 0) return [];
    return (await this.store.readByEventIds(ids)).filter((e) => e.event.contractId === contractId);
  }
}

export const CONSOLE_QUERY_HANDLERS = [ListContractsHandler, ListIncidentsHandler, ReadContractEventsByIdHandler];
