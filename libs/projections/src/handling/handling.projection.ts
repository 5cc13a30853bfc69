/**
 * The handling read model (docs/handling-model.md "Stored folds"): for every record, the fold of
 * the handling model and the rulebook at its last event (the head), a key-snapshot every
 * SNAPSHOT_EVERY events, every final finding and every custody step, and the holdings as they
 * stand. Per batch, a record's new events are folded onto its head; an event that comes before
 * what the head has folded (late, by occurredAt) — or a contract event late for the record —
 * closes the record's rows after the last snapshot before it and refolds from that snapshot,
 * reading the stream in judgement order. Work and memory per batch are bounded by the batch and
 * the snapshot interval, never by a record's history (except a refold, which streams).
 */
import {
  RecordFold,
  emptyFoldState,
  timelineOf,
  type FoldState,
  type Judged,
} from '@ledger/compliance';
import { contractStreamId, type ContractEvent, type RecordEvent, type RecordedEvent } from '@ledger/domain';
import {
  ContractHistory,
  holdingKey,
  holdingOverdueAt,
  storedHolding,
  precedes,
  START,
  toEntry,
  type Entry,
  type Key,
} from '@ledger/handling';
import type { Projection, ProjectionTransaction } from '../runner/projection.js';
import {
  closeAfter,
  insertFindings,
  insertSnapshots,
  insertSteps,
  loadHeads,
  MAX_OPEN_STORED,
  recordsOf,
  storedRecords,
  type StoredRecord,
  replaceHoldings,
  snapshotBefore,
  SNAPSHOT_EVERY,
  stateOf,
  upsertHeads,
  type FindingRow,
  type HeadRow,
  type HoldingRowInput,
  type Sql,
  type SnapshotRow,
  type StepRow,
} from './handling-store.js';
import { HandlingContractCounts1765400000000 } from './contract-counts.migration.js';
import { HandlingJsonColumns1765500000000 } from './json-columns.migration.js';
import { HandlingReadModel1765200000001 } from './handling.migration.js';
import { HandlingRuleCounts1765500000001 } from './rule-counts.migration.js';
import { Pending } from './pending.js';
import { tagsOf, targetsOf } from './targets.js';

export const HANDLING_PROJECTION = 'handling';
export const HANDLING_TABLES = [
  'handling_records', 'handling_snapshots', 'handling_findings', 'handling_steps', 'handling_holdings', 'handling_contract_counts', 'handling_open',
  'handling_rule_counts',
];

/** The end of time: a fold finished there reports every open obligation overdue, with its due time. */
export const FAR = 8_640_000_000_000_000;
const FAR_CUT = { asOf: FAR, knownAt: FAR } as const;

/** Rows kept in memory before they are written (a refold of a long record flushes as it goes). */
const FLUSH_ROWS = 10_000;
const HEADS_CACHED = 2_000;
const CONTRACTS_CACHED = 64;
const RECORDS_PER_CHUNK = 500;
/** Records folded between two turns of the event loop (when the statements already sent move on). */
const YIELD_EVERY = 25;

/** What the projection keeps between consecutive batches (the runner drops it on any discontinuity). */
export class HandlingCache {
  readonly contracts = new Map<string, { events: RecordedEvent[]; history: ContractHistory | null }>();
  readonly heads = new Map<string, HeadRow>();

  /** `headCapacity`: heads kept between batches (least recently used dropped first). */
  constructor(private readonly headCapacity = HEADS_CACHED) {}

  async history(contractId: string, batchEvents: readonly RecordedEvent[], tx: ProjectionTransaction): Promise<ContractHistory> {
    let entry = this.contracts.get(contractId);
    if (entry) {
      this.contracts.delete(contractId);
      if (batchEvents.length > 0) {
        entry.events.push(...batchEvents);
        entry.history = null;
      }
    } else {
      const events = (await tx.eventStore.readStream(contractStreamId(contractId))).filter((e) => e.position <= tx.upTo);
      entry = { events, history: null };
    }
    this.contracts.set(contractId, entry);
    while (this.contracts.size > CONTRACTS_CACHED) this.contracts.delete(this.contracts.keys().next().value!);
    entry.history ??= ContractHistory.of(contractId, entry.events);
    return entry.history;
  }

  keepHead(head: HeadRow): void {
    const key = `${head.contractId}\u0000${head.recordId}`;
    this.heads.delete(key);
    this.heads.set(key, head);
    while (this.heads.size > this.headCapacity) this.heads.delete(this.heads.keys().next().value!);
  }

  head(contractId: string, recordId: string): HeadRow | undefined {
    return this.heads.get(`${contractId}\u0000${recordId}`);
  }
}

function emptyHead(contractId: string, recordId: string): HeadRow {
  return {
    contractId, recordId, state: emptyFoldState(), lastAt: START.at, lastPos: 0, events: 0, maxPosition: 0,
    finalStatus: 'not_applicable', pendingFrom: null, violationFrom: null, open: [], tags: [], snapshotEvents: 0, nextSeq: 1,
  };
}

/** Rows a batch writes, sent when large. */
class Writes {
  findings: FindingRow[] = [];
  steps: StepRow[] = [];
  snapshots: SnapshotRow[] = [];

  constructor(
    private readonly tx: Sql,
    private readonly pending: Pending,
  ) {}

  get size(): number {
    return this.findings.length + this.steps.length + this.snapshots.length;
  }

  /**
   * Sends the rows (the statements run before anything sent after them). The promise settles when
   * they have run: a long refold waits for it, so that its rows do not pile up in memory.
   */
  flush(): Promise<void> {
    const { findings, steps, snapshots } = this;
    this.findings = [];
    this.steps = [];
    this.snapshots = [];
    return Promise.all([
      findings.length > 0 ? this.pending.send(insertFindings(this.tx, findings)) : undefined,
      steps.length > 0 ? this.pending.send(insertSteps(this.tx, steps)) : undefined,
      snapshots.length > 0 ? this.pending.send(insertSnapshots(this.tx, snapshots)) : undefined,
    ]).then(() => undefined);
  }
}

/** One record's fold in this batch: folds events onto a state and collects the rows it makes. */
class FoldRun {
  readonly fold: RecordFold;
  private maxPos: number;

  constructor(
    private readonly history: ContractHistory,
    private readonly head: HeadRow,
    state: FoldState,
    private readonly writes: Writes,
    validFrom: number,
    /** The least knowledge to judge with (a refold judges with what the ledger knows at the late event). */
    private readonly knownFloor: number,
  ) {
    this.maxPos = Math.max(head.maxPosition, validFrom);
    // The state changes from here on: its JSON is taken again at the finish.
    head.state = state;
    head.stateJson = undefined;
    this.fold = new RecordFold(history.view({ asOf: FAR, knownAt: knownFloor }), head.recordId, state, (finding: Judged, at: Key) => {
      this.maxPos = Math.max(this.maxPos, at.pos);
      writes.findings.push({ contractId: head.contractId, recordId: head.recordId, seq: head.nextSeq++, finding, fin: at, validFrom: this.maxPos });
    });
  }

  /** Folds a record event (`entry`: its entry, when the caller has built it already). */
  add(recorded: RecordedEvent, entry = toEntry(recorded) as Entry<RecordEvent>): void {
    this.maxPos = Math.max(this.maxPos, recorded.position);
    // Each event is judged with the contract as the ledger knew it when the event was recorded.
    this.fold.setView(this.history.view({ asOf: FAR, knownAt: Math.max(this.knownFloor, entry.known) }));
    const step = this.fold.fold(entry);
    for (const s of step.custody) {
      this.writes.steps.push({ contractId: this.head.contractId, recordId: this.head.recordId, seq: this.head.nextSeq++, step: s, validFrom: this.maxPos });
    }
    for (const tag of tagsOf(entry.event)) if (!this.head.tags.includes(tag)) this.head.tags.push(tag);
    const state = this.fold.state;
    if (state.handling.events % SNAPSHOT_EVERY === 0) {
      this.writes.snapshots.push({
        contractId: this.head.contractId, recordId: this.head.recordId, seq: this.head.nextSeq++, key: entry, events: state.handling.events,
        validFrom: this.maxPos, state: JSON.stringify(state),
      });
      this.head.snapshotEvents = state.handling.events;
    }
  }

  /** The head after the run (judged with everything known up to the batch): the fold's state, its last event, and its status over time. */
  finish(holdings: HoldingRowInput[]): void {
    this.fold.setView(this.history.view(FAR_CUT));
    const head = this.head;
    const state = this.fold.state;
    // Serialized once, before the judgement spends it: the head's row carries this text, and a
    // later batch that finds the head in the cache parses it again (stateOf).
    head.stateJson = JSON.stringify(state);
    head.state = null;
    head.events = state.handling.events;
    head.lastAt = state.handling.last?.at ?? START.at;
    head.lastPos = state.handling.last?.pos ?? 0;
    head.maxPosition = this.maxPos;
    const result = this.fold.finishInPlace(FAR);
    const { timeline, open } = timelineOf(result);
    head.open = open.slice(0, MAX_OPEN_STORED);
    head.finalStatus = timeline.final;
    head.pendingFrom = timeline.pendingFrom;
    head.violationFrom = timeline.violationFrom;
    for (const h of Object.values(result.handling.holdings)) {
      const key = holdingKey(h.copyId);
      holdings.push({
        contractId: head.contractId,
        recordId: head.recordId,
        holding: key,
        state: h.state,
        overdueAt: holdingOverdueAt(result.handling, key),
        view: storedHolding(result.handling, key),
      });
    }
  }
}

interface ContractBatch {
  contractEvents: RecordedEvent[];
  records: Map<string, RecordedEvent[]>;
}

/** An input that comes before what the head has folded: its place, its position and when it was recorded. */
interface Late {
  key: Key;
  position: number;
  known: number;
}

/** Whether an input is late for the head: it comes before the last event the head has folded. */
function isLate(head: HeadRow, item: Entry): boolean {
  return head.events > 0 && precedes(item, { at: head.lastAt, pos: head.lastPos });
}

/**
 * Refolds a record from its last key-snapshot before a late event (its rows after that place stop
 * holding from the late event's position), through the whole stream up to the batch's end.
 */
async function refold(tx: ProjectionTransaction, history: ContractHistory, head: HeadRow, late: Late, writes: Writes): Promise<FoldRun> {
  // Rows this batch made before the late input must be in the table for the late input to close them
  // (sent first, they run first).
  void writes.flush();
  const start = await snapshotBefore(tx, head.contractId, head.recordId, late.key, null);
  await closeAfter(tx, head.contractId, head.recordId, start?.key ?? START, late.position);
  const run = new FoldRun(history, head, start?.state ?? emptyFoldState(), writes, late.position, late.known);
  head.snapshotEvents = start?.events ?? 0;
  const stream = `record-${head.contractId}-${head.recordId}`;
  let after: Key | undefined = start?.key;
  for (;;) {
    const chunk = await tx.eventStore.readStreamInOrder(stream, { ...(after ? { after } : {}), maxPosition: tx.upTo, limit: 2_000 });
    if (chunk.length === 0) break;
    for (const recorded of chunk) run.add(recorded);
    const last = chunk[chunk.length - 1]!;
    after = toEntry(last);
    if (writes.size > FLUSH_ROWS) await writes.flush();
  }
  return run;
}

/** A contract's part of a batch, ready to fold: its history and the inputs aimed at each record. */
interface ContractWork {
  contractId: string;
  history: ContractHistory;
  batch: ContractBatch;
  eventsByPosition: Map<number, RecordedEvent>;
  /** Contract events aimed at every record. */
  wide: Entry<ContractEvent>[];
  /** Contract events aimed at some records (by ID or tag), with those targets. */
  aimed: Array<{ entry: Entry<ContractEvent>; recordIds: ReadonlySet<string>; tags: ReadonlySet<string> }>;
  /** Every record of the contract in the read model is targeted (some contract event is wide). */
  all: boolean;
}

/** Up to RECORDS_PER_CHUNK records of one contract, folded together and written by one statement per table. */
interface Chunk {
  work: ContractWork;
  recordIds: string[];
  /** The aimed contract events of each of the chunk's records that they target. */
  specific: Map<string, Entry<ContractEvent>[]>;
}

function prepareContract(contractId: string, batch: ContractBatch, history: ContractHistory): ContractWork {
  const eventsByPosition = new Map<number, RecordedEvent>();
  for (const list of batch.records.values()) for (const e of list) eventsByPosition.set(e.position, e);
  const wide: Entry<ContractEvent>[] = [];
  const aimed: ContractWork['aimed'] = [];
  for (const recorded of batch.contractEvents) {
    const entry = toEntry(recorded) as Entry<ContractEvent>;
    const targets = targetsOf(entry.event, history);
    if (targets.all) wide.push(entry);
    else if (targets.recordIds.length > 0 || targets.tags.length > 0) aimed.push({ entry, recordIds: new Set(targets.recordIds), tags: new Set(targets.tags) });
  }
  return { contractId, history, batch, eventsByPosition, wide, aimed, all: wide.length > 0 };
}

/** The aimed contract events that target each of these records (as stored before this batch: ID and tags). */
function specificOf(work: ContractWork, records: readonly StoredRecord[]): Map<string, Entry<ContractEvent>[]> {
  const specific = new Map<string, Entry<ContractEvent>[]>();
  for (const { recordId, tags } of records) {
    const entries = work.aimed.filter((a) => a.recordIds.has(recordId) || tags.some((t) => a.tags.has(t))).map((a) => a.entry);
    if (entries.length > 0) specific.set(recordId, entries);
  }
  return specific;
}

/**
 * The batch's chunks, contract after contract: first the records its record events touch, then,
 * a page at a time, the other records of the read model its contract events target. Memory is
 * bounded by the batch and a page, never by a contract's size (a contract-wide event pages through
 * every record of the contract).
 */
async function* chunksOf(batches: Map<string, ContractBatch>, tx: ProjectionTransaction, cache: HandlingCache): AsyncGenerator<Chunk> {
  for (const [contractId, batch] of batches) {
    const work = prepareContract(contractId, batch, await cache.history(contractId, batch.contractEvents, tx));
    const own = [...batch.records.keys()].sort();
    for (let i = 0; i < own.length; i += RECORDS_PER_CHUNK) {
      const recordIds = own.slice(i, i + RECORDS_PER_CHUNK);
      const specific = work.aimed.length === 0 ? new Map<string, Entry<ContractEvent>[]>() : specificOf(work, await storedRecords(tx, contractId, recordIds));
      yield { work, recordIds, specific };
    }
    if (!work.all && work.aimed.length === 0) continue;
    const select = work.all
      ? ({ all: true } as const)
      : { all: false as const, recordIds: [...new Set(work.aimed.flatMap((a) => [...a.recordIds]))], tags: [...new Set(work.aimed.flatMap((a) => [...a.tags]))] };
    // A page read after this batch's own records were written may list them: they were folded above.
    for await (const page of recordsOf(tx, contractId, select, RECORDS_PER_CHUNK)) {
      const others = page.filter((r) => !batch.records.has(r.recordId));
      if (others.length > 0) yield { work, recordIds: others.map((r) => r.recordId), specific: specificOf(work, others) };
    }
  }
}

/**
 * The heads a chunk folds onto: those cached, taken now (keeping the heads an earlier chunk folds
 * may drop these from the cache before their turn, and a head neither cached nor loaded would be
 * taken for a new record's), and a read of the others, sent now.
 */
function headsOf(chunk: Chunk, tx: ProjectionTransaction, cache: HandlingCache): { cached: Map<string, HeadRow | undefined>; loaded: Promise<Map<string, HeadRow>> } {
  const { contractId } = chunk.work;
  const cached = new Map(chunk.recordIds.map((r) => [r, cache.head(contractId, r)] as const));
  const loaded = loadHeads(tx, contractId, chunk.recordIds.filter((r) => cached.get(r) === undefined));
  // Awaited later; a failure is reported there (this only keeps it from being unhandled meanwhile).
  loaded.catch(() => undefined);
  return { cached, loaded };
}

async function foldChunk(
  chunk: Chunk,
  heads: { cached: Map<string, HeadRow | undefined>; loaded: Promise<Map<string, HeadRow>> },
  tx: ProjectionTransaction,
  cache: HandlingCache,
  pending: Pending,
): Promise<void> {
  const { contractId, history, batch, eventsByPosition, wide } = chunk.work;
  const { specific } = chunk;
  const loaded = await heads.loaded;
  const writes = new Writes(tx, pending);
  const written: HeadRow[] = [];
  const hadOpen = new Set<HeadRow>();
  const holdings: HoldingRowInput[] = [];
  let folded = 0;
  for (const recordId of chunk.recordIds) {
    const head = heads.cached.get(recordId) ?? loaded.get(recordId) ?? emptyHead(contractId, recordId);
    if (head.open.length > 0) hadOpen.add(head);
    // The record's inputs of this batch in log order: its events and the contract events aimed at it.
    const inputs: Entry[] = [...(batch.records.get(recordId) ?? []).map((e) => toEntry(e)), ...wide, ...(specific.get(recordId) ?? [])]
      .sort((a, b) => a.pos - b.pos);
    let run = new FoldRun(history, head, stateOf(head), writes, 0, START.at);
    if (head.stale && inputs.length > 0) {
      // A head of another fold version: refold the whole record (once; it is current afterwards).
      const first = inputs[0]!;
      head.stale = false;
      head.events = 0;
      run = await refold(tx, history, head, { key: START, position: first.pos, known: first.known }, writes);
      inputs.length = 0;
    }
    for (const input of inputs) {
      if (isLate(head, input)) {
        // A late input: refold through the whole batch (every later input of this record included).
        run = await refold(tx, history, head, { key: { at: input.at, pos: input.pos }, position: input.pos, known: input.known }, writes);
        break;
      }
      if (input.event.recordId !== undefined) {
        run.add(eventsByPosition.get(input.pos)!, input as Entry<RecordEvent>);
        head.events = run.fold.state.handling.events;
        head.lastAt = run.fold.state.handling.last!.at;
        head.lastPos = run.fold.state.handling.last!.pos;
      }
    }
    if (head.events === 0 && run.fold.state.handling.events === 0) continue;
    run.finish(holdings);
    written.push(head);
    cache.keepHead(head);
    if (writes.size > FLUSH_ROWS) await writes.flush();
    // Let the statements sent meanwhile go to PostgreSQL (they run while this chunk folds on).
    if (++folded % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  void writes.flush();
  if (written.length === 0) return;
  pending.send(upsertHeads(tx, written, (h) => hadOpen.has(h) || h.open.length > 0));
  pending.send(replaceHoldings(tx, written, holdings));
}

async function applyHandling(events: readonly RecordedEvent[], transaction: ProjectionTransaction, cache: HandlingCache): Promise<void> {
  const batches = new Map<string, ContractBatch>();
  for (const recorded of events) {
    const event = recorded.event;
    let batch = batches.get(event.contractId);
    if (!batch) {
      batch = { contractEvents: [], records: new Map() };
      batches.set(event.contractId, batch);
    }
    if (event.recordId === undefined) batch.contractEvents.push(recorded);
    else {
      const list = batch.records.get(event.recordId);
      if (list) list.push(recorded);
      else batch.records.set(event.recordId, [recorded]);
    }
  }
  // A pipeline over the batch's chunks: the next chunk's heads are read before this chunk's writes are
  // sent, and those writes run while the next chunk folds (two cores: PostgreSQL's and this one).
  const pending = new Pending(transaction);
  const tx = pending.tx;
  // At most two chunks' writes wait at a time (a chunk whose heads are all cached reads nothing, so
  // nothing else would hold the folds back).
  const inFlight: Promise<void>[] = [];
  try {
    const chunks = chunksOf(batches, tx, cache);
    let next = await chunks.next();
    let nextHeads = next.done ? undefined : headsOf(next.value, tx, cache);
    while (!next.done) {
      const chunk = next.value;
      const heads = nextHeads!;
      next = await chunks.next();
      nextHeads = next.done ? undefined : headsOf(next.value, tx, cache);
      await foldChunk(chunk, heads, tx, cache, pending);
      inFlight.push(pending.group());
      if (inFlight.length > 2) await inFlight.shift();
      pending.check();
    }
    await pending.settle();
  } catch (error) {
    await pending.fail(error);
  }
}

/** The projection definition (docs/architecture.md "Adding a projection"). */
export const handlingProjection: Projection<HandlingCache> = {
  name: HANDLING_PROJECTION,
  tables: HANDLING_TABLES,
  migrations: [HandlingReadModel1765200000001, HandlingContractCounts1765400000000, HandlingJsonColumns1765500000000, HandlingRuleCounts1765500000001],
  createCache: () => new HandlingCache(),
  apply: applyHandling,
};
