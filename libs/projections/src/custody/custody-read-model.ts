import { isoUtc } from '@ledger/domain';
import type { ProjectionTransaction } from '../runner/projection.js';
import {
  custodyView,
  HOLDING_STATES,
  holdingView,
  type ContractCustody,
  type CustodyView,
  type HoldingState,
  type HoldingView,
  type RecordCustody,
} from './custody-model.js';
import { loadContracts, loadRecords } from './custody.projection.js';
import {
  contractFromRow,
  holdingFromRow,
  holdingKey,
  orderFromRow,
  transportFromRow,
  type HoldingRow,
  type OrderRow,
  type TransportRow,
} from './custody-rows.js';

type Reader = Pick<ProjectionTransaction, 'query'>;

/** One record's custody state as the read model holds it (null when it has no custody event). */
export async function readRecordCustody(
  q: Reader,
  contractId: string,
  recordId: string,
): Promise<{ record: RecordCustody | null; contract: ContractCustody }> {
  const records = await loadRecords(q, [[contractId, recordId]]);
  const contracts = await loadContracts(q, [contractId]);
  return { record: records.values().next().value ?? null, contract: contractFromRow(contractId, contracts.get(contractId)) };
}

/** The read model's answer for a record at `now`, in the shape of the per-request answer. */
export async function readRecordCustodyView(q: Reader, contractId: string, recordId: string, now: number): Promise<CustodyView | null> {
  const { record, contract } = await readRecordCustody(q, contractId, recordId);
  return record ? custodyView(record, contract, now) : null;
}

export interface HoldingsQuery {
  contractId: string;
  state?: HoldingState;
  /** true: only overdue holdings; false: only those not overdue. */
  overdue?: boolean;
  /** The instant due times are judged against (the clock at query time). */
  now: number;
  /** Cursor from the previous page's `next`. */
  after?: string;
  limit: number;
}

export type HoldingListItem = { recordId: string } & Omit<HoldingView, 'history'>;

export interface HoldingsPage {
  holdings: HoldingListItem[];
  next: string | null;
}

export function encodeHoldingsCursor(recordId: string, copyId: string | null): string {
  return Buffer.from(JSON.stringify([recordId, holdingKey(copyId)]), 'utf8').toString('base64url');
}

/** [recordId, holdingKey] of a cursor, or null when it is not one. */
export function decodeHoldingsCursor(cursor: string): [string, string] | null {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'string')) return value as [string, string];
  } catch {
    // not a cursor
  }
  return null;
}

type HoldingsRow = HoldingRow & {
  open_since: Date | null;
  t_key: string | null;
} & { [K in keyof TransportRow as `t_${K & string}`]: TransportRow[K] } & {
  [K in keyof OrderRow as `o_${K & string}`]: OrderRow[K] | null;
};

/**
 * A contract's holdings from the read model, in (recordId, copy) order: optionally in one state,
 * overdue or not at `now` — in transit past the transport's due time, or open past the due time
 * of the disposal instruction or contract end that binds the record (the same rules as
 * `custodyView`, evaluated in SQL so that pages hold only matching rows).
 */
export async function listHoldings(q: Reader, query: HoldingsQuery): Promise<HoldingsPage> {
  const params: unknown[] = [query.contractId, isoUtc(query.now)];
  const where: string[] = ['h.contract_id = $1'];
  if (query.state) {
    // A literal from the closed list, so the planner can use the partial index of in-transit holdings.
    if (!HOLDING_STATES.includes(query.state)) throw new Error(`not a holding state: ${query.state}`);
    where.push(`h.state = '${query.state}'`);
  }
  // overdue_at is stored by the projector (holdingOverdueAt): overdue now ⇔ overdue_at < now.
  if (query.overdue === true) where.push(`h.overdue_at < $2`);
  if (query.overdue === false) where.push(`(h.overdue_at IS NULL OR h.overdue_at >= $2)`);
  if (query.after) {
    const cursor = decodeHoldingsCursor(query.after);
    if (cursor) {
      params.push(cursor[0], cursor[1]);
      where.push(`(h.record_id, h.holding_key) > ($${params.length - 1}, $${params.length})`);
    }
  }
  params.push(query.limit + 1);
  const transportCols = [
    'transport_key', 'transport_id', 'copy_id', 'from_location', 'to_location', 'carrier_id', 'medium', 'safeguards',
    'started_at', 'expected_arrival_at', 'due_at', 'completed_at', 'received_by', 'state', 'opened_at', 'opened_position',
  ];
  const orderCols = ['event_id', 'type', 'occurred_at', 'at', 'position', 'record_ids', 'due_at'];
  // The page first (an index range), then what the answer shows for its rows only.
  const rows = await q.query<HoldingsRow>(
    `WITH page AS (
       SELECT h.* FROM custody_holdings h
        WHERE ${where.join(' AND ')} AND $2::timestamptz IS NOT NULL
        ORDER BY h.record_id, h.holding_key
        LIMIT $${params.length}
     )
     SELECT h.*, r.open_since,
            ${transportCols.map((c) => `t.${c} AS t_${c}`).join(', ')},
            ${orderCols.map((c) => `o.${c} AS o_${c}`).join(', ')}
       FROM page h
       JOIN custody_records r ON r.contract_id = h.contract_id AND r.record_id = h.record_id
       LEFT JOIN custody_transports t
         ON t.contract_id = h.contract_id AND t.record_id = h.record_id AND t.transport_key = h.transport_key
       LEFT JOIN LATERAL (
         SELECT * FROM custody_disposal_orders d
          WHERE d.contract_id = h.contract_id
            AND h.state IN ('held', 'in_transit')
            AND r.open_since IS NOT NULL AND d.at >= r.open_since
            AND (d.record_ids IS NULL OR h.record_id = ANY(d.record_ids))
          ORDER BY d.due_at, d.at, d.position
          LIMIT 1
       ) o ON true
      ORDER BY h.record_id, h.holding_key`,
    params,
  );
  const page = rows.slice(0, query.limit);
  const holdings = page.map((row): HoldingListItem => {
    const holding = holdingFromRow({ ...row, history: [] });
    const transportRow = Object.fromEntries(transportCols.map((c) => [c, row[`t_${c}` as keyof HoldingsRow]])) as unknown as TransportRow;
    const transport = row.t_transport_key === null ? null : transportFromRow({ ...transportRow, contract_id: row.contract_id, record_id: row.record_id });
    const order = row.o_event_id === null
      ? null
      : orderFromRow(Object.fromEntries(orderCols.map((c) => [c, row[`o_${c}` as keyof HoldingsRow]])) as unknown as OrderRow);
    const due = transportRow.due_at === null ? null : (transportRow.due_at as Date).getTime();
    const { history: _history, ...view } = holdingView(holding, transport, due, order, query.now);
    void _history;
    return { recordId: row.record_id, ...view };
  });
  const last = page[page.length - 1];
  return { holdings, next: rows.length > query.limit && last ? encodeHoldingsCursor(last.record_id, last.copy_id) : null };
}
