import { ContractHistory, type Status } from '@ledger/compliance';
import { contractStreamId, isRecordEvent, recordStreamId, type RecordedEvent } from '@ledger/domain';
import type { EventStore } from '@ledger/event-store';
import type { Projection, ProjectionTransaction } from '../runner/projection.js';
import { affectedByAll, recordRowOf, recordTags, type RecordRow } from './compliance-model.js';

export const COMPLIANCE_PROJECTION = 'compliance';
export const COMPLIANCE_TABLES = ['compliance_contracts', 'compliance_records', 'compliance_findings', 'compliance_record_tags'];

export interface ComplianceProjectionOptions {
  /** Record streams kept in memory between batches (default 5,000): a record's next event then needs no read. */
  recordCacheSize?: number;
  /** Contract streams kept in memory (default 64). */
  contractCacheSize?: number;
  /** Record streams read from the log at once when a record must be re-judged without its events in memory (default 8). */
  readConcurrency?: number;
  /** Records re-judged and written per statement set (default 2,000). */
  chunkSize?: number;
}

const SEP = '\u0000';

/**
 * An in-memory copy of the log as this projection has seen it, complete up to `horizon`: the
 * streams it holds contain every event of theirs at or below it. A batch that continues the lane
 * (its first position is horizon + 1) only appends to it; any other batch (a restart, a retry,
 * a rebuild running beside the live projector) starts a new lane. It is a cache of immutable log
 * events, never of read-model state, so it is right whether or not a batch's transaction commits.
 */
class Lane {
  readonly contracts = new Map<string, { events: RecordedEvent[]; history: ContractHistory | null }>();
  readonly records = new Map<string, RecordedEvent[]>();

  constructor(
    public horizon: number,
    private readonly recordCacheSize: number,
    private readonly contractCacheSize: number,
  ) {}

  record(key: string): RecordedEvent[] | undefined {
    const events = this.records.get(key);
    if (events) {
      this.records.delete(key);
      this.records.set(key, events);
    }
    return events;
  }

  keepRecord(key: string, events: RecordedEvent[]): void {
    this.records.delete(key);
    this.records.set(key, events);
    while (this.records.size > this.recordCacheSize) this.records.delete(this.records.keys().next().value!);
  }

  async history(contractId: string, store: EventStore, upTo: number): Promise<ContractHistory> {
    let entry = this.contracts.get(contractId);
    if (entry) {
      this.contracts.delete(contractId);
    } else {
      const events = (await store.readStream(contractStreamId(contractId))).filter((e) => e.position <= upTo);
      entry = { events, history: null };
    }
    this.contracts.set(contractId, entry);
    while (this.contracts.size > this.contractCacheSize) this.contracts.delete(this.contracts.keys().next().value!);
    entry.history ??= ContractHistory.of(contractId, entry.events);
    return entry.history;
  }
}

interface ContractBatch {
  readonly contractEvents: RecordedEvent[];
  readonly records: Map<string, RecordedEvent[]>;
}

/**
 * The compliance read model (docs/compliance.md "The read model"): per record its base status,
 * the due time of its earliest open obligation, and its violations and open obligations; per
 * contract the count of records in each base status. The contract-level articles are not stored:
 * they are judged at query time from the (small, cached) contract stream.
 *
 * Per batch, a record is re-judged from its whole stream (so a late event is placed by occurredAt)
 * when an event of its stream arrives, and when a contract event arrives that its verdict reads
 * (`affectedBy`): targeted by recordIds, by the workers and subcontractors who acted on it, or
 * My Number; or every record of the contract for a registration, an amendment, the end, or a
 * contract-wide authorization or disposal instruction.
 */
export class ComplianceProjection implements Projection {
  readonly name = COMPLIANCE_PROJECTION;
  readonly tables = COMPLIANCE_TABLES;
  private lanes: Lane[] = [];
  private readonly recordCacheSize: number;
  private readonly contractCacheSize: number;
  private readonly readConcurrency: number;
  private readonly chunkSize: number;

  constructor(options: ComplianceProjectionOptions = {}) {
    this.recordCacheSize = options.recordCacheSize ?? 5_000;
    this.contractCacheSize = options.contractCacheSize ?? 64;
    this.readConcurrency = options.readConcurrency ?? 8;
    this.chunkSize = options.chunkSize ?? 2_000;
  }

  async apply(events: readonly RecordedEvent[], tx: ProjectionTransaction): Promise<void> {
    if (events.length === 0) return;
    const first = events[0]!.position;
    let lane = this.lanes.find((l) => l.horizon === first - 1);
    if (!lane) {
      lane = new Lane(first - 1, this.recordCacheSize, this.contractCacheSize);
      this.lanes = [lane, ...this.lanes].slice(0, 2);
    }
    try {
      const batches = new Map<string, ContractBatch>();
      for (const recorded of events) {
        const event = recorded.event;
        let batch = batches.get(event.contractId);
        if (!batch) {
          batch = { contractEvents: [], records: new Map() };
          batches.set(event.contractId, batch);
        }
        if (isRecordEvent(event)) {
          const list = batch.records.get(event.recordId);
          if (list) list.push(recorded);
          else batch.records.set(event.recordId, [recorded]);
        } else {
          batch.contractEvents.push(recorded);
        }
      }
      // What the lane already holds is complete up to first - 1: append the batch's events to it.
      for (const [contractId, batch] of batches) {
        const entry = lane.contracts.get(contractId);
        if (entry && batch.contractEvents.length > 0) {
          entry.events.push(...batch.contractEvents);
          entry.history = null;
        }
        for (const [recordId, list] of batch.records) lane.records.get(`${contractId}${SEP}${recordId}`)?.push(...list);
      }
      for (const [contractId, batch] of batches) await this.applyContract(contractId, batch, lane, tx);
      lane.horizon = tx.upTo;
    } catch (error) {
      this.lanes = this.lanes.filter((l) => l !== lane);
      throw error;
    }
  }

  private async applyContract(contractId: string, batch: ContractBatch, lane: Lane, tx: ProjectionTransaction): Promise<void> {
    await tx.query(`INSERT INTO compliance_contracts (contract_id) VALUES ($1) ON CONFLICT DO NOTHING`, [contractId]);
    const history = await lane.history(contractId, tx.eventStore, tx.upTo);
    const affected = affectedByAll(batch.contractEvents.map((e) => e.event), history);

    if (affected.all) {
      // Every record of the contract, in chunks: those already in the read model, then the new ones.
      let after = '';
      for (;;) {
        const rows = await tx.query<{ record_id: string; base_status: Status }>(
          `SELECT record_id, base_status FROM compliance_records WHERE contract_id = $1 AND record_id > $2 ORDER BY record_id LIMIT $3`,
          [contractId, after, this.chunkSize],
        );
        if (rows.length === 0) break;
        after = rows[rows.length - 1]!.record_id;
        const existing = new Map(rows.map((r) => [r.record_id, r.base_status]));
        await this.rejudge(contractId, [...existing.keys()], existing, batch, history, lane, tx, false);
      }
      const inBatch = [...batch.records.keys()];
      const known = await this.existing(tx, contractId, inBatch);
      await this.rejudge(contractId, inBatch.filter((r) => !known.has(r)), known, batch, history, lane, tx, true);
      return;
    }

    const candidates = new Set<string>([...batch.records.keys(), ...affected.recordIds]);
    if (affected.tags.length > 0) {
      const tagged = await tx.query<{ record_id: string }>(
        `SELECT DISTINCT record_id FROM compliance_record_tags WHERE contract_id = $1 AND tag = ANY($2::text[])`,
        [contractId, affected.tags],
      );
      for (const { record_id } of tagged) candidates.add(record_id);
    }
    if (candidates.size === 0) return;
    const ids = [...candidates];
    const existing = await this.existing(tx, contractId, ids);
    for (let i = 0; i < ids.length; i += this.chunkSize) {
      await this.rejudge(contractId, ids.slice(i, i + this.chunkSize), existing, batch, history, lane, tx, true);
    }
  }

  private async existing(tx: ProjectionTransaction, contractId: string, recordIds: readonly string[]): Promise<Map<string, Status>> {
    if (recordIds.length === 0) return new Map();
    const rows = await tx.query<{ record_id: string; base_status: Status }>(
      `SELECT record_id, base_status FROM compliance_records WHERE contract_id = $1 AND record_id = ANY($2::text[])`,
      [contractId, recordIds],
    );
    return new Map(rows.map((r) => [r.record_id, r.base_status]));
  }

  /** Judges the records again from their whole streams (up to the batch) and writes their rows. */
  private async rejudge(
    contractId: string,
    recordIds: readonly string[],
    existing: ReadonlyMap<string, Status>,
    batch: ContractBatch,
    history: ContractHistory,
    lane: Lane,
    tx: ProjectionTransaction,
    keep: boolean,
  ): Promise<void> {
    if (recordIds.length === 0) return;
    const streams = new Map<string, RecordedEvent[]>();
    const toRead: string[] = [];
    for (const recordId of recordIds) {
      const key = `${contractId}${SEP}${recordId}`;
      const cached = lane.record(key);
      if (cached) streams.set(recordId, cached);
      else if (existing.has(recordId)) toRead.push(recordId);
      else {
        // Not in the read model: the record has no event before this batch.
        const events = [...(batch.records.get(recordId) ?? [])];
        streams.set(recordId, events);
        if (keep && events.length > 0) lane.keepRecord(key, events);
      }
    }
    let next = 0;
    const readers = Array.from({ length: Math.min(this.readConcurrency, toRead.length) }, async () => {
      while (next < toRead.length) {
        const recordId = toRead[next++]!;
        const events = (await tx.eventStore.readStream(recordStreamId(contractId, recordId))).filter((e) => e.position <= tx.upTo);
        streams.set(recordId, events);
        if (keep) lane.keepRecord(`${contractId}${SEP}${recordId}`, events);
      }
    });
    await Promise.all(readers);

    const rows: RecordRow[] = [];
    for (const recordId of recordIds) {
      const row = recordRowOf(history, recordId, streams.get(recordId) ?? []);
      if (row) rows.push(row);
    }
    // Tags only grow, with the record's events: those of its earlier events were written with them.
    const newTags = new Map<string, string[]>();
    for (const row of rows) {
      const events = batch.records.get(row.recordId);
      if (events) newTags.set(row.recordId, recordTags(events));
    }
    await writeRows(tx, contractId, rows, existing, newTags);
  }
}

const STATUS_COLUMNS: { readonly [S in Status]: string } = {
  violation: 'n_violation',
  pending: 'n_pending',
  compliant: 'n_compliant',
  not_applicable: 'n_not_applicable',
};

async function writeRows(
  tx: ProjectionTransaction,
  contractId: string,
  rows: readonly RecordRow[],
  before: ReadonlyMap<string, Status>,
  newTags: ReadonlyMap<string, readonly string[]>,
): Promise<void> {
  if (rows.length === 0) return;
  const recordIds = rows.map((r) => r.recordId);
  // Only a record stored as violation or pending has findings rows.
  const withFindings = recordIds.filter((r) => before.get(r) === 'violation' || before.get(r) === 'pending');
  if (withFindings.length > 0) {
    await tx.query(`DELETE FROM compliance_findings WHERE contract_id = $1 AND record_id = ANY($2::text[])`, [contractId, withFindings]);
  }
  const f = { r: [] as string[], s: [] as number[], a: [] as string[], u: [] as string[], o: [] as boolean[], d: [] as (string | null)[], e: [] as string[], m: [] as string[], p: [] as (string | null)[] };
  for (const row of rows) {
    for (const finding of row.findings) {
      f.r.push(row.recordId);
      f.s.push(finding.seq);
      f.a.push(finding.article);
      f.u.push(finding.rule);
      f.o.push(finding.open);
      f.d.push(finding.dueAt === null ? null : new Date(finding.dueAt).toISOString());
      f.e.push(finding.eventIds.join(','));
      f.m.push(JSON.stringify(finding.message));
      f.p.push(finding.pendingMessage === null ? null : JSON.stringify(finding.pendingMessage));
    }
  }
  if (f.r.length > 0) {
    await tx.query(
      `INSERT INTO compliance_findings (contract_id, record_id, seq, article, rule, open, due_at, event_ids, message, pending_message)
       SELECT $1, r, s, a, u, o, d, string_to_array(e, ','), m::jsonb, p::jsonb
         FROM unnest($2::text[], $3::int[], $4::text[], $5::text[], $6::boolean[], $7::timestamptz[], $8::text[], $9::text[], $10::text[])
           AS x(r, s, a, u, o, d, e, m, p)`,
      [contractId, f.r, f.s, f.a, f.u, f.o, f.d, f.e, f.m, f.p],
    );
  }
  await tx.query(
    `INSERT INTO compliance_records (contract_id, record_id, base_status, next_due_at, max_occurred_at, last_position)
     SELECT $1, r, b, n, m, l FROM unnest($2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::bigint[]) AS x(r, b, n, m, l)
     ON CONFLICT (contract_id, record_id) DO UPDATE
       SET base_status = EXCLUDED.base_status, next_due_at = EXCLUDED.next_due_at,
           max_occurred_at = EXCLUDED.max_occurred_at, last_position = EXCLUDED.last_position`,
    [
      contractId,
      recordIds,
      rows.map((r) => r.baseStatus),
      rows.map((r) => (r.nextDueAt === null ? null : new Date(r.nextDueAt).toISOString())),
      rows.map((r) => new Date(r.maxOccurredAt).toISOString()),
      rows.map((r) => r.lastPosition),
    ],
  );
  const tagRecords: string[] = [];
  const tags: string[] = [];
  for (const [recordId, list] of newTags) {
    for (const tag of list) {
      tagRecords.push(recordId);
      tags.push(tag);
    }
  }
  if (tags.length > 0) {
    await tx.query(
      `INSERT INTO compliance_record_tags (contract_id, tag, record_id) SELECT $1, t, r FROM unnest($2::text[], $3::text[]) AS x(t, r)
       ON CONFLICT DO NOTHING`,
      [contractId, tags, tagRecords],
    );
  }
  const delta: Record<Status, number> = { violation: 0, pending: 0, compliant: 0, not_applicable: 0 };
  let added = 0;
  for (const row of rows) {
    const old = before.get(row.recordId);
    if (old === undefined) added += 1;
    else delta[old] -= 1;
    delta[row.baseStatus] += 1;
  }
  await tx.query(
    `UPDATE compliance_contracts SET records = records + $2,
       ${(Object.keys(STATUS_COLUMNS) as Status[]).map((s, i) => `${STATUS_COLUMNS[s]} = ${STATUS_COLUMNS[s]} + $${i + 3}`).join(', ')}
     WHERE contract_id = $1`,
    [contractId, added, delta.violation, delta.pending, delta.compliant, delta.not_applicable],
  );
}
