/**
 * Custody state ⇄ rows of the custody tables. The rows hold exactly the pure model's state, so the
 * projector can load a record, fold more events on top and write it back, and the read side can
 * answer from the same functions as the per-request answer.
 */
import { isoUtc, type Medium, type Safeguard } from '@ledger/domain';
import type {
  ContractCustody,
  CustodyStep,
  DisposalOrder,
  Holder,
  Holding,
  HoldingState,
  RecordCustody,
  Transport,
  TransportState,
} from './custody-model.js';

export const CUSTODY_TABLES = [
  'custody_records',
  'custody_holdings',
  'custody_transports',
  'custody_contracts',
  'custody_disposal_orders',
] as const;

/** The key of a holding in its table: '' for the original. */
export function holdingKey(copyId: string | null): string {
  return copyId ?? '';
}

export interface RecordRow {
  contract_id: string;
  record_id: string;
  open_since: Date | null;
  last_occurred_at: Date | null;
  last_position: string | number | null;
}

/**
 * A history step as stored: [eventId, type, occurredAt, recordedAt, position, state, location,
 * holder ([org, workerId, carrierId] or null), extra ({transportId?, newCopyId?}, only when set)].
 * About 40% fewer bytes than the answer's objects: a holding's history is rewritten with it, and
 * PostgreSQL's JSON parsing of those bytes is most of the projector's write cost.
 */
export type StoredStep =
  | [string, string, string, string, number, string, string | null, [string | null, string | null, string | null] | null]
  | [string, string, string, string, number, string, string | null, [string | null, string | null, string | null] | null, Pick<CustodyStep, 'transportId' | 'newCopyId'>];

export function encodeHistory(history: readonly CustodyStep[]): StoredStep[] {
  return history.map((s) => {
    const holder = s.holder === null ? null : ([s.holder.org, s.holder.workerId, s.holder.carrierId] as [string | null, string | null, string | null]);
    const base: StoredStep = [s.eventId, s.type, s.occurredAt, s.recordedAt, s.position, s.state, s.location, holder];
    if (s.transportId === undefined && s.newCopyId === undefined) return base;
    const extra: Pick<CustodyStep, 'transportId' | 'newCopyId'> = {};
    if (s.transportId !== undefined) extra.transportId = s.transportId;
    if (s.newCopyId !== undefined) extra.newCopyId = s.newCopyId;
    return [...base, extra] as StoredStep;
  });
}

/** Steps as stored (or, from a generation written before the compact form, as objects). */
export function decodeHistory(stored: ReadonlyArray<StoredStep | CustodyStep>): CustodyStep[] {
  return stored.map((s) => {
    if (!Array.isArray(s)) return s as CustodyStep;
    const [eventId, type, occurredAt, recordedAt, position, state, location, holder, extra] = s;
    return {
      eventId,
      type: type as CustodyStep['type'],
      occurredAt,
      recordedAt,
      position,
      state: state as HoldingState,
      location,
      holder: holder === null ? null : { org: holder[0], workerId: holder[1], carrierId: holder[2] },
      ...(extra ?? {}),
    };
  });
}

export interface HoldingRow {
  contract_id: string;
  record_id: string;
  holding_key: string;
  copy_id: string | null;
  copied_from: { copyId: string | null } | null;
  medium: string | null;
  state: string;
  location: string | null;
  holder: Holder | null;
  since: Date;
  transport_key: string | null;
  history: ReadonlyArray<StoredStep | CustodyStep>;
  overdue_at?: Date | null;
}

export interface TransportRow {
  contract_id: string;
  record_id: string;
  transport_key: string;
  transport_id: string;
  copy_id: string | null;
  from_location: string | null;
  to_location: string | null;
  carrier_id: string | null;
  medium: string | null;
  safeguards: string[] | null;
  started_at: Date | null;
  expected_arrival_at: Date | null;
  due_at: Date | null;
  completed_at: Date | null;
  received_by: string | null;
  state: string;
  opened_at: Date;
  opened_position: string | number;
}

export interface OrderRow {
  contract_id: string;
  event_id: string;
  type: string;
  occurred_at: string;
  at: Date;
  position: string | number;
  record_ids: string[] | null;
  due_at: Date;
}

const ms = (d: Date | null): number | null => (d === null ? null : d.getTime());

export function holdingFromRow(row: HoldingRow): Holding {
  return {
    copyId: row.copy_id,
    copiedFrom: row.copied_from,
    medium: row.medium as Medium | null,
    state: row.state as HoldingState,
    location: row.location,
    holder: row.holder,
    since: row.since.getTime(),
    transportKey: row.transport_key,
    history: decodeHistory(row.history),
  };
}

export function transportFromRow(row: TransportRow): Transport {
  return {
    key: row.transport_key,
    transportId: row.transport_id,
    copyId: row.copy_id,
    from: row.from_location,
    to: row.to_location,
    carrierId: row.carrier_id,
    medium: row.medium as Medium | null,
    safeguards: row.safeguards as Safeguard[] | null,
    startedAt: ms(row.started_at),
    expectedArrivalAt: ms(row.expected_arrival_at),
    completedAt: ms(row.completed_at),
    receivedBy: row.received_by,
    state: row.state as TransportState,
    openedAt: row.opened_at.getTime(),
    openedPosition: Number(row.opened_position),
  };
}

export function orderFromRow(row: OrderRow): DisposalOrder {
  return {
    eventId: row.event_id,
    type: row.type as DisposalOrder['type'],
    at: row.at.getTime(),
    position: Number(row.position),
    occurredAt: row.occurred_at,
    recordIds: row.record_ids,
    dueAt: row.due_at.getTime(),
  };
}

function byCopyId(a: Holding, b: Holding): number {
  if (a.copyId === b.copyId) return 0;
  if (a.copyId === null) return -1;
  if (b.copyId === null) return 1;
  return a.copyId < b.copyId ? -1 : 1;
}

function byOpening(a: Transport, b: Transport): number {
  return a.openedAt - b.openedAt || a.openedPosition - b.openedPosition;
}

export function recordFromRows(
  contractId: string,
  recordId: string,
  record: RecordRow | undefined,
  holdings: readonly HoldingRow[],
  transports: readonly TransportRow[],
): RecordCustody {
  const last =
    record && record.last_occurred_at !== null && record.last_position !== null
      ? { at: record.last_occurred_at.getTime(), position: Number(record.last_position) }
      : null;
  return {
    contractId,
    recordId,
    holdings: holdings.map(holdingFromRow).sort(byCopyId),
    transports: transports.map(transportFromRow).sort(byOpening),
    openSince: record ? ms(record.open_since) : null,
    last,
  };
}

const iso = (t: number | null): string | null => (t === null ? null : isoUtc(t));

/**
 * Rows as one JSON document each, for `INSERT … SELECT … FROM json_to_recordset($1::json)`: one
 * parameter, parsed once by PostgreSQL (array parameters would escape every quote of the
 * histories twice).
 */
export function recordRowsJson(records: readonly RecordCustody[]): string {
  return JSON.stringify(
    records.map((r) => ({
      contract_id: r.contractId,
      record_id: r.recordId,
      open_since: iso(r.openSince),
      last_occurred_at: iso(r.last?.at ?? null),
      last_position: r.last?.position ?? null,
    })),
  );
}

export function holdingRowsJson(rows: ReadonlyArray<{ record: RecordCustody; holding: Holding; overdueAt: number | null }>): string {
  return JSON.stringify(
    rows.map(({ record: r, holding: h, overdueAt }) => ({
      contract_id: r.contractId,
      record_id: r.recordId,
      holding_key: holdingKey(h.copyId),
      copy_id: h.copyId,
      copied_from: h.copiedFrom,
      medium: h.medium,
      state: h.state,
      location: h.location,
      holder: h.holder,
      since: isoUtc(h.since),
      transport_key: h.transportKey,
      history: encodeHistory(h.history),
      overdue_at: iso(overdueAt),
    })),
  );
}

export function transportRowsJson(rows: ReadonlyArray<{ record: RecordCustody; transport: Transport; dueAt: number | null }>): string {
  return JSON.stringify(
    rows.map(({ record: r, transport: t, dueAt }) => ({
      contract_id: r.contractId,
      record_id: r.recordId,
      transport_key: t.key,
      transport_id: t.transportId,
      copy_id: t.copyId,
      from_location: t.from,
      to_location: t.to,
      carrier_id: t.carrierId,
      medium: t.medium,
      safeguards: t.safeguards,
      started_at: iso(t.startedAt),
      expected_arrival_at: iso(t.expectedArrivalAt),
      due_at: iso(dueAt),
      completed_at: iso(t.completedAt),
      received_by: t.receivedBy,
      state: t.state,
      opened_at: isoUtc(t.openedAt),
      opened_position: t.openedPosition,
    })),
  );
}

export function orderRowsJson(rows: ReadonlyArray<{ contractId: string; order: DisposalOrder }>): string {
  return JSON.stringify(
    rows.map(({ contractId, order: o }) => ({
      contract_id: contractId,
      event_id: o.eventId,
      type: o.type,
      occurred_at: o.occurredAt,
      at: isoUtc(o.at),
      position: o.position,
      record_ids: o.recordIds,
      due_at: isoUtc(o.dueAt),
    })),
  );
}

export function contractFromRow(contractId: string, facts: ContractCustody | undefined): ContractCustody {
  return facts ?? { contractId, registration: null, amendments: [], instructions: [], ends: [] };
}
