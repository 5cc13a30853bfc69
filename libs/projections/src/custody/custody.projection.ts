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
  holdingOverdueAt,
  type ContractCustody,
  type DisposalOrder,
  type Holding,
  type RecordCustody,
  type Transport,
} from './custody-model.js';
import {
  CUSTODY_TABLES,
  holdingRowsJson,
  orderRowsJson,
  recordFromRows,
  recordRowsJson,
  transportFromRow,
  transportRowsJson,
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
export interface CustodyProjectionOptions {
  /** Records whose custody is kept in memory between batches (default 20,000; 0: none). */
  cacheRecords?: number;
}

export class CustodyProjection implements Projection {
  readonly name = 'custody';
  readonly tables = CUSTODY_TABLES;
  private readonly cacheLimit: number;
  /** Least recently used first. Valid only while `cursor` says the last batch applied here was ours. */
  private readonly records = new Map<string, RecordCustody>();
  private readonly contracts = new Map<string, ContractCustody>();
  private cursor: { store: unknown; schema: string; position: number } | null = null;

  constructor(options: CustodyProjectionOptions = {}) {
    this.cacheLimit = options.cacheRecords ?? 20_000;
  }

  async apply(events: readonly RecordedEvent[], tx: ProjectionTransaction): Promise<void> {
    if (events.length === 0) return;
    // The cache holds what this instance committed. Every writer of a generation moves its
    // checkpoint under a row lock, so if this batch starts right after the last one applied here,
    // in the same generation, nobody else wrote in between; anything else (another projector,
    // a rolled-back batch retried, another generation) starts from the tables again.
    const continues =
      this.cursor !== null &&
      this.cursor.store === tx.eventStore &&
      this.cursor.schema === tx.schema &&
      events[0]!.position === this.cursor.position + 1;
    this.cursor = null;
    if (!continues) {
      this.records.clear();
      this.contracts.clear();
    }
    await this.applyBatch(events, tx);
    this.cursor = { store: tx.eventStore, schema: tx.schema, position: events[events.length - 1]!.position };
  }

  private async applyBatch(events: readonly RecordedEvent[], tx: ProjectionTransaction): Promise<void> {
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

    const contracts = new Map<string, ContractCustody>();
    const missingContracts = [...contractIds].filter((id) => {
      const cached = this.contracts.get(id);
      if (cached) contracts.set(id, cached);
      return !cached;
    });
    if (missingContracts.length > 0) for (const [id, facts] of await loadContracts(tx, missingContracts)) contracts.set(id, facts);
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

    const loaded = new Map<string, RecordCustody>();
    const missing: Array<[string, string]> = [];
    for (const key of recordEvents.keys()) {
      const cached = this.records.get(key);
      if (cached) loaded.set(key, cached);
      else missing.push(key.split(SEP) as [string, string]);
    }
    for (const [key, custody] of await loadRecords(tx, missing)) loaded.set(key, custody);
    const changed: RecordChange[] = [];
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
      if (after !== before) changed.push({ before: loaded.get(key) ?? null, after, refolded: late });
    }

    if (changed.length > 0) await writeRecords(tx, changed, contracts);
    for (const contractId of policyChanged) await recomputeTransportDues(tx, contracts.get(contractId)!);
    if (changedContracts.length > 0) {
      await writeContracts(tx, changedContracts);
      await recomputeOverdueAt(tx, changedContracts.map((c) => c.contractId));
    }

    for (const [id, facts] of contracts) this.contracts.set(id, facts);
    if (this.cacheLimit > 0) {
      for (const { after } of changed) {
        const key = `${after.contractId}${SEP}${after.recordId}`;
        this.records.delete(key);
        this.records.set(key, after);
      }
      for (const key of loaded.keys()) {
        const value = this.records.get(key) ?? loaded.get(key)!;
        this.records.delete(key);
        this.records.set(key, value);
      }
      for (const key of this.records.keys()) {
        if (this.records.size <= this.cacheLimit) break;
        this.records.delete(key);
      }
    }
  }
}

/** A record whose custody changed in the batch; `refolded`: rebuilt from its stream (rewrite all its rows). */
interface RecordChange {
  before: RecordCustody | null;
  after: RecordCustody;
  refolded: boolean;
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
  const records = await tx.query<RecordRow>(`SELECT x.* FROM custody_records x ${KEYS_JOIN}`, [keys.map((k) => k[0]), keys.map((k) => k[1])]);
  if (records.length === 0) return out;
  // Holdings and transports only of records that have a row (a first event has none to load).
  const params = [records.map((r) => r.contract_id), records.map((r) => r.record_id)];
  const holdings = await tx.query<HoldingRow>(`SELECT x.* FROM custody_holdings x ${KEYS_JOIN}`, params);
  const transports = await tx.query<TransportRow>(`SELECT x.* FROM custody_transports x ${KEYS_JOIN}`, params);
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

const HOLDING_COLUMNS = `contract_id text, record_id text, holding_key text, copy_id text, copied_from jsonb, medium text,
  state text, location text, holder jsonb, since timestamptz, transport_key text, history jsonb, overdue_at timestamptz`;
const TRANSPORT_COLUMNS = `contract_id text, record_id text, transport_key text, transport_id text, copy_id text,
  from_location text, to_location text, carrier_id text, medium text, safeguards text[], started_at timestamptz,
  expected_arrival_at timestamptz, due_at timestamptz, completed_at timestamptz, received_by text, state text,
  opened_at timestamptz, opened_position bigint`;

function columnNames(columns: string): string {
  return columns.split(',').map((c) => c.trim().split(/\s+/)[0]!).join(', ');
}

/** "col = EXCLUDED.col" for every column but the key. */
function updateAll(columns: string, key: readonly string[]): string {
  return columns
    .split(',')
    .map((c) => c.trim().split(/\s+/)[0]!)
    .filter((c) => !key.includes(c))
    .map((c) => `${c} = EXCLUDED.${c}`)
    .join(', ');
}

/**
 * Writes what changed: the records' rows, and only the holdings and transports the batch touched
 * (the model keeps an untouched holding's object as it was). A refolded record's rows are all
 * replaced, since a late event may have changed any of them.
 */
async function writeRecords(tx: ProjectionTransaction, changes: readonly RecordChange[], contracts: ReadonlyMap<string, ContractCustody>): Promise<void> {
  const refolded = changes.filter((c) => c.refolded && c.before !== null);
  if (refolded.length > 0) {
    const keys = [refolded.map((c) => c.after.contractId), refolded.map((c) => c.after.recordId)];
    await tx.query(`DELETE FROM custody_holdings x USING unnest($1::text[], $2::text[]) AS k(c, r) WHERE x.contract_id = k.c AND x.record_id = k.r`, keys);
    await tx.query(`DELETE FROM custody_transports x USING unnest($1::text[], $2::text[]) AS k(c, r) WHERE x.contract_id = k.c AND x.record_id = k.r`, keys);
  }
  await tx.query(
    `INSERT INTO custody_records (contract_id, record_id, open_since, last_occurred_at, last_position)
     SELECT * FROM json_to_recordset($1::json)
       AS x(contract_id text, record_id text, open_since timestamptz, last_occurred_at timestamptz, last_position bigint)
     ON CONFLICT (contract_id, record_id) DO UPDATE
       SET open_since = EXCLUDED.open_since, last_occurred_at = EXCLUDED.last_occurred_at, last_position = EXCLUDED.last_position`,
    [recordRowsJson(changes.map((c) => c.after))],
  );
  const holdings: Array<{ record: RecordCustody; holding: Holding; overdueAt: number | null }> = [];
  const orders = new Map<string, DisposalOrder[]>();
  const transports: Array<{ record: RecordCustody; transport: Transport; dueAt: number | null }> = [];
  for (const { before, after, refolded: all } of changes) {
    const keep = all || before === null ? null : { holdings: new Set(before.holdings), transports: new Set(before.transports) };
    const contract = contracts.get(after.contractId) ?? emptyContractCustody(after.contractId);
    let contractOrders = orders.get(after.contractId);
    if (!contractOrders) orders.set(after.contractId, (contractOrders = disposalOrders(contract)));
    for (const holding of after.holdings) {
      if (!keep?.holdings.has(holding)) holdings.push({ record: after, holding, overdueAt: holdingOverdueAt(after, holding, contract, contractOrders) });
    }
    for (const transport of after.transports) {
      if (!keep?.transports.has(transport)) transports.push({ record: after, transport, dueAt: transportDueAt(contract, transport) });
    }
  }
  if (holdings.length > 0) {
    await tx.query(
      `INSERT INTO custody_holdings (${columnNames(HOLDING_COLUMNS)}) SELECT * FROM json_to_recordset($1::json) AS x(${HOLDING_COLUMNS})
       ON CONFLICT (contract_id, record_id, holding_key) DO UPDATE SET ${updateAll(HOLDING_COLUMNS, ['contract_id', 'record_id', 'holding_key'])}`,
      [holdingRowsJson(holdings)],
    );
  }
  if (transports.length > 0) {
    await tx.query(
      `INSERT INTO custody_transports (${columnNames(TRANSPORT_COLUMNS)}) SELECT * FROM json_to_recordset($1::json) AS x(${TRANSPORT_COLUMNS})
       ON CONFLICT (contract_id, record_id, transport_key) DO UPDATE SET ${updateAll(TRANSPORT_COLUMNS, ['contract_id', 'record_id', 'transport_key'])}`,
      [transportRowsJson(transports)],
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

/**
 * A contract's orders or policy changed: every open holding of it gets its overdue_at again, in
 * SQL, by the rule of `holdingOverdueAt` (the transport's due time while in transit, the earliest
 * order binding the record since it has been open).
 */
async function recomputeOverdueAt(tx: ProjectionTransaction, contractIds: readonly string[]): Promise<void> {
  await tx.query(
    `UPDATE custody_holdings h
        SET overdue_at = v.due
       FROM (
         SELECT x.contract_id, x.record_id, x.holding_key, LEAST(
           (SELECT t.due_at FROM custody_transports t
             WHERE x.state = 'in_transit' AND t.contract_id = x.contract_id AND t.record_id = x.record_id
               AND t.transport_key = x.transport_key AND t.state = 'in_transit'),
           (SELECT min(d.due_at) FROM custody_disposal_orders d
              JOIN custody_records r ON r.contract_id = x.contract_id AND r.record_id = x.record_id
             WHERE d.contract_id = x.contract_id AND r.open_since IS NOT NULL AND d.at >= r.open_since
               AND (d.record_ids IS NULL OR x.record_id = ANY(d.record_ids)))) AS due
           FROM custody_holdings x
          WHERE x.contract_id = ANY($1::text[]) AND x.state IN ('held', 'in_transit')
       ) v
      WHERE h.contract_id = v.contract_id AND h.record_id = v.record_id AND h.holding_key = v.holding_key
        AND h.overdue_at IS DISTINCT FROM v.due`,
    [contractIds],
  );
}

async function writeContracts(tx: ProjectionTransaction, contracts: readonly ContractCustody[]): Promise<void> {
  await tx.query(
    `INSERT INTO custody_contracts (contract_id, facts) SELECT c, f::jsonb FROM unnest($1::text[], $2::text[]) AS x(c, f)
     ON CONFLICT (contract_id) DO UPDATE SET facts = EXCLUDED.facts`,
    [contracts.map((c) => c.contractId), contracts.map((c) => JSON.stringify(c))],
  );
  await tx.query(`DELETE FROM custody_disposal_orders WHERE contract_id = ANY($1::text[])`, [contracts.map((c) => c.contractId)]);
  const orders = contracts.flatMap((c) => disposalOrders(c).map((order) => ({ contractId: c.contractId, order })));
  if (orders.length === 0) return;
  await tx.query(
    `INSERT INTO custody_disposal_orders (contract_id, event_id, type, occurred_at, at, position, record_ids, due_at)
     SELECT * FROM json_to_recordset($1::json)
       AS x(contract_id text, event_id text, type text, occurred_at text, at timestamptz, position bigint, record_ids text[], due_at timestamptz)`,
    [orderRowsJson(orders)],
  );
}
