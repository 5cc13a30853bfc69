/**
 * A contract's holdings by state and overdue (docs/custody.md "Holdings"): "what is in transit
 * now", "what is overdue", "what is still held after the contract ended". Read from the rows the
 * projection keeps per holding; overdue is decided at query time against the clock.
 */
import { HOLDING_STATES, holdingSliceOf, holdingView, type StoredHolding, type HoldingStateName, type HoldingView } from '@ledger/handling';
import type { Sql } from './handling-store.js';

export interface HoldingsQuery {
  contractId: string;
  state?: HoldingStateName;
  /** true: only overdue holdings; false: only those not overdue. */
  overdue?: boolean;
  /** The instant due times are judged against. */
  now: number;
  after?: string;
  limit: number;
  zone: string;
}

export type HoldingListItem = { recordId: string } & Omit<HoldingView, 'history' | 'historyCount'>;

export interface HoldingsPage {
  holdings: HoldingListItem[];
  next: string | null;
}

export function encodeHoldingsCursor(recordId: string, holding: string): string {
  return Buffer.from(JSON.stringify([recordId, holding]), 'utf8').toString('base64url');
}

export function decodeHoldingsCursor(text: string): { recordId: string; holding: string } | null {
  try {
    const value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown;
    if (!Array.isArray(value) || value.length !== 2 || typeof value[0] !== 'string' || typeof value[1] !== 'string') return null;
    return { recordId: value[0], holding: value[1] };
  } catch {
    return null;
  }
}

export { HOLDING_STATES };

export async function listHoldings(q: Sql, query: HoldingsQuery): Promise<HoldingsPage> {
  const params: unknown[] = [query.contractId];
  const param = (v: unknown): string => {
    params.push(v);
    return `$${params.length}`;
  };
  const where = ['contract_id = $1'];
  if (query.state !== undefined) where.push(`state = ${param(query.state)}`);
  if (query.overdue === true) where.push(`overdue_at < ${param(query.now)}`);
  if (query.overdue === false) where.push(`(overdue_at IS NULL OR overdue_at >= ${param(query.now)})`);
  const cursor = query.after === undefined ? null : decodeHoldingsCursor(query.after);
  if (cursor) where.push(`(record_id, holding) > (${param(cursor.recordId)}, ${param(cursor.holding)})`);
  const rows = await q.query<{ record_id: string; holding: string; view: StoredHolding }>(
    `SELECT record_id, holding, view FROM handling_holdings WHERE ${where.join(' AND ')} ORDER BY record_id, holding LIMIT ${param(query.limit + 1)}`,
    params,
  );
  const page = rows.slice(0, query.limit);
  return {
    holdings: page.map((row) => {
      const slice = holdingSliceOf(row.view);
      const { history: _h, historyCount: _c, ...view } = holdingView(slice, slice.holdings[row.holding]!, query.now, [], query.zone);
      return { recordId: row.record_id, ...view };
    }),
    next: rows.length > query.limit ? encodeHoldingsCursor(page[page.length - 1]!.record_id, page[page.length - 1]!.holding) : null,
  };
}
