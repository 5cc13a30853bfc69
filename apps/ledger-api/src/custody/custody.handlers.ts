import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { isoInZone } from '@ledger/domain';
import { holdingKey, stepView } from '@ledger/handling';
import { custodyOf, historyPage, listHoldings, recordAt } from '@ledger/projections';
import { HandlingReader } from '../read-model/handling.reader.js';
import {
  ListHoldingsQuery,
  ReadHoldingHistoryQuery,
  ReadRecordCustodyQuery,
  type HoldingHistoryAnswer,
  type HoldingsAnswer,
  type RecordCustodyAnswer,
} from './custody.queries.js';

/** Steps of each holding's history in a custody answer; the rest is paged (…/custody/history). */
const HISTORY_PER_HOLDING = 20;

@QueryHandler(ReadRecordCustodyQuery)
export class ReadRecordCustodyHandler implements IQueryHandler<ReadRecordCustodyQuery> {
  constructor(private readonly reader: HandlingReader) {}

  /** The same cut and the same fold as the rulebook: recordedAt ≤ knownAt and occurredAt ≤ asOf, in judgement order. */
  async execute({ contractId, recordId, asOf, knownAt }: ReadRecordCustodyQuery): Promise<RecordCustodyAnswer> {
    const zone = this.reader.zone;
    const view = await this.reader.atCut(contractId, { asOf: asOf.ms, knownAt: knownAt.ms }, async (c) => {
      const at = this.reader.requireJudged(contractId, recordId, await recordAt({ ...c, contractId, recordId, listLimit: 0, historyLimit: HISTORY_PER_HOLDING }));
      return custodyOf(at, asOf.ms, zone);
    }, knownAt.present === true);
    return { contractId, recordId, asOf: isoInZone(asOf.ms, zone), knownAt: isoInZone(knownAt.ms, zone), ...view };
  }
}

@QueryHandler(ReadHoldingHistoryQuery)
export class ReadHoldingHistoryHandler implements IQueryHandler<ReadHoldingHistoryQuery> {
  constructor(private readonly reader: HandlingReader) {}

  async execute({ contractId, recordId, copyId, before, limit }: ReadHoldingHistoryQuery): Promise<HoldingHistoryAnswer> {
    const now = this.reader.now();
    return this.reader.atCut(contractId, { asOf: now, knownAt: now }, async (c) => {
      await this.reader.requireRecord(contractId, recordId);
      const page = await historyPage(c.q, contractId, recordId, holdingKey(copyId), before, limit);
      return { contractId, recordId, copyId, steps: page.steps.map((s) => stepView(s, c.zone)), next: page.next };
    }, true);
  }
}

@QueryHandler(ListHoldingsQuery)
export class ListHoldingsHandler implements IQueryHandler<ListHoldingsQuery> {
  constructor(private readonly reader: HandlingReader) {}

  async execute({ contractId, state, overdue, after, limit }: ListHoldingsQuery): Promise<HoldingsAnswer> {
    const now = this.reader.now();
    return this.reader.atCut(contractId, { asOf: now, knownAt: now }, async (c) => {
      const page = await listHoldings(c.q, { contractId, state, overdue, now, after, limit, zone: c.zone });
      return { contractId, at: isoInZone(now, c.zone), position: c.projected, ...page };
    }, true);
  }
}
