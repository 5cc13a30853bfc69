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
        for (const [recordId, list] of batch.records) lane.records.get(keyOf(contractId, recordId))?.push(...list);
      }
      await tx.query(`INSERT INTO compliance_contracts (contract_id) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING`, [[...batches.keys()]]);

      // The records each contract's events can change; contract-wide events: every record of the contract.
      const targeted = new Map<string, Work>();
      const wide: Array<{ contractId: string; history: ContractHistory; batch: ContractBatch }> = [];
      const tagContracts: string[] = [];
      const tags: string[] = [];
      const histories = new Map<string, ContractHistory>();
      for (const [contractId, batch] of batches) {
        const history = await lane.history(contractId, tx.eventStore, tx.upTo);
        histories.set(contractId, history);
        const affected = affectedByAll(batch.contractEvents.map((e) => e.event), history);
        if (affected.all) {
          wide.push({ contractId, history, batch });
          continue;
        }
        for (const recordId of [...batch.records.keys(), ...affected.recordIds]) {
          targeted.set(keyOf(contractId, recordId), { contractId, recordId, history, batch });
        }
        for (const tag of affected.tags) {
          tagContracts.push(contractId);
          tags.push(tag);
        }
      }
      if (tags.length > 0) {
        const tagged = await tx.query<{ contract_id: string; record_id: string }>(
          `SELECT DISTINCT t.contract_id, t.record_id FROM compliance_record_tags t
             JOIN unnest($1::text[], $2::text[]) AS k(c, tag) ON t.contract_id = k.c AND t.tag = k.tag`,
          [tagContracts, tags],
        );
        for (const { contract_id, record_id } of tagged) {
          targeted.set(keyOf(contract_id, record_id), { contractId: contract_id, recordId: record_id, history: histories.get(contract_id)!, batch: batches.get(contract_id)! });
        }
      }
      const work = [...targeted.values()];
      for (let i = 0; i < work.length; i += this.chunkSize) {
        const chunk = work.slice(i, i + this.chunkSize);
        await this.rejudge(chunk, await existingOf(tx, chunk), lane, tx, true);
      }

      for (const { contractId, history, batch } of wide) {
        // Every record of the contract, in chunks: those already in the read model, then the new ones.
        let after = '';
        for (;;) {
          const rows = await tx.query<{ record_id: string; base_status: Status }>(
            `SELECT record_id, base_status FROM compliance_records WHERE contract_id = $1 AND record_id > $2 ORDER BY record_id LIMIT $3`,
            [contractId, after, this.chunkSize],
          );
          if (rows.length === 0) break;
          after = rows[rows.length - 1]!.record_id;
          const existing = new Map(rows.map((r) => [keyOf(contractId, r.record_id), r.base_status]));
          await this.rejudge(rows.map((r) => ({ contractId, recordId: r.record_id, history, batch })), existing, lane, tx, false);
        }
        const fresh = [...batch.records.keys()].map((recordId) => ({ contractId, recordId, history, batch }));
        const known = await existingOf(tx, fresh);
        await this.rejudge(fresh.filter((w) => !known.has(keyOf(contractId, w.recordId))), known, lane, tx, true);
      }
      lane.horizon = tx.upTo;
    } catch (error) {
      this.lanes = this.lanes.filter((l) => l !== lane);
      throw error;
    }
  }

  /** Judges the records again from their whole streams (up to the batch) and writes their rows. */
  private async rejudge(work: readonly Work[], existing: ReadonlyMap<string, Status>, lane: Lane, tx: ProjectionTransaction, keep: boolean): Promise<void> {
    if (work.length === 0) return;
    const streams = new Map<string, RecordedEvent[]>();
    const toRead: Work[] = [];
    for (const w of work) {
      const key = keyOf(w.contractId, w.recordId);
      const cached = lane.record(key);
      if (cached) streams.set(key, cached);
      else if (existing.has(key)) toRead.push(w);
      else {
        // Not in the read model: the record has no event before this batch.
        const events = [...(w.batch.records.get(w.recordId) ?? [])];
        streams.set(key, events);
        if (keep && events.length > 0) lane.keepRecord(key, events);
      }
    }
    let next = 0;
    const readers = Array.from({ length: Math.min(this.readConcurrency, toRead.length) }, async () => {
      while (next < toRead.length) {
        const w = toRead[next++]!;
        const key = keyOf(w.contractId, w.recordId);
        const events = (await tx.eventStore.readStream(recordStreamId(w.contractId, w.recordId))).filter((e) => e.position <= tx.upTo);
        streams.set(key, events);
        if (keep) lane.keepRecord(key, events);
      }
    });
    await Promise.all(readers);

    const rows: RecordRow[] = [];
    // Tags only grow, with the record's events: those of its earlier events were written with them.
    const newTags = new Map<string, string[]>();
    for (const w of work) {
      const key = keyOf(w.contractId, w.recordId);
      const row = recordRowOf(w.history, w.recordId, streams.get(key) ?? []);
      if (!row) continue;
      rows.push(row);
      const events = w.batch.records.get(w.recordId);
      if (events) newTags.set(key, recordTags(events));
    }
    await writeRows(tx, rows, existing, newTags);
  }
}

interface Work {
  readonly contractId: string;
  readonly recordId: string;
  readonly history: ContractHistory;
  readonly batch: ContractBatch;
}

function keyOf(contractId: string, recordId: string): string {
  return `${contractId}${SEP}${recordId}`;
}

/** Base status of the records already in the read model, by key. */
async function existingOf(tx: ProjectionTransaction, work: readonly Work[]): Promise<Map<string, Status>> {
  if (work.length === 0) return new Map();
  const rows = await tx.query<{ contract_id: string; record_id: string; base_status: Status }>(
    `SELECT x.contract_id, x.record_id, x.base_status FROM compliance_records x
       JOIN unnest($1::text[], $2::text[]) AS k(c, r) ON x.contract_id = k.c AND x.record_id = k.r`,
    [work.map((w) => w.contractId), work.map((w) => w.recordId)],
  );
  return new Map(rows.map((r) => [keyOf(r.contract_id, r.record_id), r.base_status]));
}

async function writeRows(
  tx: ProjectionTransaction,
  rows: readonly RecordRow[],
  before: ReadonlyMap<string, Status>,
  newTags: ReadonlyMap<string, readonly string[]>,
): Promise<void> {
  if (rows.length === 0) return;
  const keys = rows.map((r) => keyOf(r.contractId, r.recordId));
  // Only a record stored as violation or pending has findings rows.
  const stale = rows.filter((_, i) => before.get(keys[i]!) === 'violation' || before.get(keys[i]!) === 'pending');
  if (stale.length > 0) {
    await tx.query(
      `DELETE FROM compliance_findings x USING unnest($1::text[], $2::text[]) AS k(c, r) WHERE x.contract_id = k.c AND x.record_id = k.r`,
      [stale.map((r) => r.contractId), stale.map((r) => r.recordId)],
    );
  }
  const f = { c: [] as string[], r: [] as string[], s: [] as number[], a: [] as string[], u: [] as string[], o: [] as boolean[], d: [] as (string | null)[], e: [] as string[], m: [] as string[], p: [] as (string | null)[] };
  for (const row of rows) {
    for (const finding of row.findings) {
      f.c.push(row.contractId);
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
       SELECT c, r, s, a, u, o, d, string_to_array(e, ','), m::jsonb, p::jsonb
         FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::boolean[], $7::timestamptz[], $8::text[], $9::text[], $10::text[])
           AS x(c, r, s, a, u, o, d, e, m, p)`,
      [f.c, f.r, f.s, f.a, f.u, f.o, f.d, f.e, f.m, f.p],
    );
  }
  await tx.query(
    `INSERT INTO compliance_records (contract_id, record_id, base_status, next_due_at, max_occurred_at, last_position)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::bigint[])
     ON CONFLICT (contract_id, record_id) DO UPDATE
       SET base_status = EXCLUDED.base_status, next_due_at = EXCLUDED.next_due_at,
           max_occurred_at = EXCLUDED.max_occurred_at, last_position = EXCLUDED.last_position`,
    [
      rows.map((r) => r.contractId),
      rows.map((r) => r.recordId),
      rows.map((r) => r.baseStatus),
      rows.map((r) => (r.nextDueAt === null ? null : new Date(r.nextDueAt).toISOString())),
      rows.map((r) => new Date(r.maxOccurredAt).toISOString()),
      rows.map((r) => r.lastPosition),
    ],
  );
  const t = { c: [] as string[], tag: [] as string[], r: [] as string[] };
  for (const row of rows) {
    for (const tag of newTags.get(keyOf(row.contractId, row.recordId)) ?? []) {
      t.c.push(row.contractId);
      t.tag.push(tag);
      t.r.push(row.recordId);
    }
  }
  if (t.tag.length > 0) {
    await tx.query(
      `INSERT INTO compliance_record_tags (contract_id, tag, record_id) SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
       ON CONFLICT DO NOTHING`,
      [t.c, t.tag, t.r],
    );
  }
  const deltas = new Map<string, { added: number } & Record<Status, number>>();
  rows.forEach((row, i) => {
    let delta = deltas.get(row.contractId);
    if (!delta) {
      delta = { added: 0, violation: 0, pending: 0, compliant: 0, not_applicable: 0 };
      deltas.set(row.contractId, delta);
    }
    const old = before.get(keys[i]!);
    if (old === undefined) delta.added += 1;
    else delta[old] -= 1;
    delta[row.baseStatus] += 1;
  });
  const contracts = [...deltas.keys()];
  const column = (pick: (d: { added: number } & Record<Status, number>) => number): number[] => contracts.map((c) => pick(deltas.get(c)!));
  await tx.query(
    `UPDATE compliance_contracts x
        SET records = records + d.a, n_violation = n_violation + d.v, n_pending = n_pending + d.p,
            n_compliant = n_compliant + d.k, n_not_applicable = n_not_applicable + d.n
       FROM unnest($1::text[], $2::int[], $3::int[], $4::int[], $5::int[], $6::int[]) AS d(c, a, v, p, k, n)
      WHERE x.contract_id = d.c`,
    [contracts, column((d) => d.added), column((d) => d.violation), column((d) => d.pending), column((d) => d.compliant), column((d) => d.not_applicable)],
  );
}
