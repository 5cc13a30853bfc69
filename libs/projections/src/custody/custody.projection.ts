import { isRecordEvent, recordStreamId, type RecordedEvent } from '@ledger/domain';
import type { Projection, ProjectionTransaction } from '../runner/projection.js';
import {
  concernsCustody,
  CUSTODY_EVENT_TYPES,
  disposalOrders,
  emptyContractCustody,
  emptyRecordCustody,
  evolve,
  evolveContract,
  foldsInOrder,
  recordCustodyOf,
  transportDueAt,
  type ContractCustody,
  type RecordCustody,
} from './custody-model.js';
import {
  CUSTODY_TABLES,
  holdingColumns,
  orderColumns,
  recordColumns,
  recordFromRows,
  transportColumns,
  transportFromRow,
  type HoldingRow,
  type RecordRow,
  type TransportRow,
} from './custody-rows.js';

const SEP = '\u0000';

/**
 * The custody read model (docs/custody.md). Per batch: the contracts' custody facts and the
 * touched records' state are loaded in a few set queries, the pure model folds the events on top,
 * and the changed records are written back (their holdings and transports replaced).
 *
 * Late events: an event that comes before the record's last custody event in occurredAt order
 * cannot be folded on top, so the record is refolded from its whole stream (up to the batch's
 * last position), exactly as the per-request answer folds it. Contract facts are kept in
 * judgement order by the model itself, so they need no refold; when a contract's policy changes,
 * the due times of its transports are recomputed.
 */
export class CustodyProjection implements Projection {
  readonly name = 'custody';
  readonly tables = CUSTODY_TABLES;

  async apply(events: readonly RecordedEvent[], tx: ProjectionTransaction): Promise<void> {
    const contractEvents = new Map<string, RecordedEvent[]>();
    const recordEvents = new Map<string, RecordedEvent[]>();
    const contractIds = new Set<string>();
    for (const recorded of events) {
      const event = recorded.event;
      if (isRecordEvent(event)) {
        if (!CUSTODY_EVENT_TYPES.has(event.type)) continue;
        push(recordEvents, `${event.contractId}${SEP}${event.recordId}`, recorded);
        contractIds.add(event.contractId);
      } else if (concernsCustody(event.type)) {
        push(contractEvents, event.contractId, recorded);
        contractIds.add(event.contractId);
      }
    }
    if (contractIds.size === 0) return;

    const contracts = await loadContracts(tx, [...contractIds]);
    const policyChanged: string[] = [];
    const changedContracts: ContractCustody[] = [];
    for (const [contractId, list] of contractEvents) {
      const before = contracts.get(contractId) ?? emptyContractCustody(contractId);
      let after = before;
      for (const recorded of list) after = evolveContract(after, recorded);
      if (after === before) continue;
      contracts.set(contractId, after);
      changedContracts.push(after);
      if (after.registration !== before.registration || after.amendments !== before.amendments) policyChanged.push(contractId);
    }

    const keys = [...recordEvents.keys()].map((k) => k.split(SEP) as [string, string]);
    const loaded = await loadRecords(tx, keys);
    const changed: RecordCustody[] = [];
    for (const [key, list] of recordEvents) {
      const [contractId, recordId] = key.split(SEP) as [string, string];
      const before = loaded.get(key) ?? emptyRecordCustody(contractId, recordId);
      let after: RecordCustody = before;
      let late = false;
      for (const recorded of list) {
        if (!foldsInOrder(after, recorded)) {
          late = true;
          break;
        }
        after = evolve(after, recorded);
      }
      if (late) {
        const stream = await tx.eventStore.readStream(recordStreamId(contractId, recordId));
        after = recordCustodyOf(contractId, recordId, stream.filter((e) => e.position <= tx.upTo));
      }
      if (after !== before) changed.push(after);
    }

    if (changed.length > 0) await writeRecords(tx, changed, contracts);
    for (const contractId of policyChanged) await recomputeTransportDues(tx, contracts.get(contractId)!);
    if (changedContracts.length > 0) await writeContracts(tx, changedContracts);
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

const KEYS_JOIN = `JOIN unnest($1::text[], $2::text[]) AS k(c, r) ON x.contract_id = k.c AND x.record_id = k.r`;

export async function loadContracts(tx: Pick<ProjectionTransaction, 'query'>, contractIds: readonly string[]): Promise<Map<string, ContractCustody>> {
  const rows = await tx.query<{ contract_id: string; facts: ContractCustody }>(
    `SELECT contract_id, facts FROM custody_contracts WHERE contract_id = ANY($1::text[])`,
    [contractIds],
  );
  return new Map(rows.map((r) => [r.contract_id, r.facts]));
}

export async function loadRecords(
  tx: Pick<ProjectionTransaction, 'query'>,
  keys: ReadonlyArray<readonly [string, string]>,
): Promise<Map<string, RecordCustody>> {
  const out = new Map<string, RecordCustody>();
  if (keys.length === 0) return out;
  const params = [keys.map((k) => k[0]), keys.map((k) => k[1])];
  const [records, holdings, transports] = [
    await tx.query<RecordRow>(`SELECT x.* FROM custody_records x ${KEYS_JOIN}`, params),
    await tx.query<HoldingRow>(`SELECT x.* FROM custody_holdings x ${KEYS_JOIN}`, params),
    await tx.query<TransportRow>(`SELECT x.* FROM custody_transports x ${KEYS_JOIN}`, params),
  ];
  const byKey = <R extends { contract_id: string; record_id: string }>(rows: readonly R[]): Map<string, R[]> => {
    const map = new Map<string, R[]>();
    for (const row of rows) push(map, `${row.contract_id}${SEP}${row.record_id}`, row);
    return map;
  };
  const recordsByKey = new Map(records.map((r) => [`${r.contract_id}${SEP}${r.record_id}`, r]));
  const holdingsByKey = byKey(holdings);
  const transportsByKey = byKey(transports);
  for (const [contractId, recordId] of keys) {
    const key = `${contractId}${SEP}${recordId}`;
    const record = recordsByKey.get(key);
    if (!record) continue;
    out.set(key, recordFromRows(contractId, recordId, record, holdingsByKey.get(key) ?? [], transportsByKey.get(key) ?? []));
  }
  return out;
}

async function writeRecords(tx: ProjectionTransaction, records: readonly RecordCustody[], contracts: ReadonlyMap<string, ContractCustody>): Promise<void> {
  const keys = [records.map((r) => r.contractId), records.map((r) => r.recordId)];
  await tx.query(`DELETE FROM custody_holdings x USING unnest($1::text[], $2::text[]) AS k(c, r) WHERE x.contract_id = k.c AND x.record_id = k.r`, keys);
  await tx.query(`DELETE FROM custody_transports x USING unnest($1::text[], $2::text[]) AS k(c, r) WHERE x.contract_id = k.c AND x.record_id = k.r`, keys);
  await tx.query(
    `INSERT INTO custody_records (contract_id, record_id, open_since, last_occurred_at, last_position)
     SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::bigint[])
     ON CONFLICT (contract_id, record_id) DO UPDATE
       SET open_since = EXCLUDED.open_since, last_occurred_at = EXCLUDED.last_occurred_at, last_position = EXCLUDED.last_position`,
    recordColumns(records),
  );
  const holdings = holdingColumns(records);
  if ((holdings[0] as unknown[]).length > 0) {
    await tx.query(
      `INSERT INTO custody_holdings
         (contract_id, record_id, holding_key, copy_id, copied_from, medium, state, location, holder, since, transport_key, history)
       SELECT c, r, k, cp, cf::jsonb, m, s, l, h::jsonb, si, tk, hi::jsonb
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                     $9::text[], $10::timestamptz[], $11::text[], $12::text[])
           AS x(c, r, k, cp, cf, m, s, l, h, si, tk, hi)`,
      holdings,
    );
  }
  const transports = transportColumns(records, (r, t) => transportDueAt(contracts.get(r.contractId) ?? emptyContractCustody(r.contractId), t));
  if ((transports[0] as unknown[]).length > 0) {
    await tx.query(
      `INSERT INTO custody_transports
         (contract_id, record_id, transport_key, transport_id, copy_id, from_location, to_location, carrier_id, medium,
          safeguards, started_at, expected_arrival_at, due_at, completed_at, received_by, state, opened_at, opened_position)
       SELECT c, r, k, ti, cp, fl, tl, ca, m,
              CASE WHEN sg IS NULL THEN NULL ELSE ARRAY(SELECT jsonb_array_elements_text(sg::jsonb)) END,
              sa, ea, du, co, rb, st, oa, op
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
                     $10::text[], $11::timestamptz[], $12::timestamptz[], $13::timestamptz[], $14::timestamptz[], $15::text[],
                     $16::text[], $17::timestamptz[], $18::bigint[])
           AS x(c, r, k, ti, cp, fl, tl, ca, m, sg, sa, ea, du, co, rb, st, oa, op)`,
      transports,
    );
  }
}

/** A contract's policy changed: every transport without expectedArrivalAt gets its due time again. */
async function recomputeTransportDues(tx: ProjectionTransaction, contract: ContractCustody): Promise<void> {
  const rows = await tx.query<TransportRow>(
    `SELECT * FROM custody_transports WHERE contract_id = $1 AND expected_arrival_at IS NULL AND started_at IS NOT NULL`,
    [contract.contractId],
  );
  if (rows.length === 0) return;
  const due = rows.map((row) => {
    const at = transportDueAt(contract, transportFromRow(row));
    return at === null ? null : new Date(at).toISOString();
  });
  await tx.query(
    `UPDATE custody_transports x SET due_at = u.d
       FROM unnest($2::text[], $3::text[], $4::timestamptz[]) AS u(r, k, d)
      WHERE x.contract_id = $1 AND x.record_id = u.r AND x.transport_key = u.k`,
    [contract.contractId, rows.map((r) => r.record_id), rows.map((r) => r.transport_key), due],
  );
}

async function writeContracts(tx: ProjectionTransaction, contracts: readonly ContractCustody[]): Promise<void> {
  await tx.query(
    `INSERT INTO custody_contracts (contract_id, facts) SELECT c, f::jsonb FROM unnest($1::text[], $2::text[]) AS x(c, f)
     ON CONFLICT (contract_id) DO UPDATE SET facts = EXCLUDED.facts`,
    [contracts.map((c) => c.contractId), contracts.map((c) => JSON.stringify(c))],
  );
  await tx.query(`DELETE FROM custody_disposal_orders WHERE contract_id = ANY($1::text[])`, [contracts.map((c) => c.contractId)]);
  for (const contract of contracts) {
    const orders = disposalOrders(contract);
    if (orders.length === 0) continue;
    await tx.query(
      `INSERT INTO custody_disposal_orders (contract_id, event_id, type, occurred_at, at, position, record_ids, due_at)
       SELECT c, e, t, o, a, p, CASE WHEN ri IS NULL THEN NULL ELSE ARRAY(SELECT jsonb_array_elements_text(ri::jsonb)) END, d
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::bigint[], $7::text[], $8::timestamptz[])
           AS x(c, e, t, o, a, p, ri, d)`,
      orderColumns(contract.contractId, orders),
    );
  }
}
