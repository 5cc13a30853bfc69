/**
 * The handling read model's rows (handling.migration.ts): reading and writing them, for the
 * projection and for the answers. Every statement takes a whole batch of rows.
 */
import { emptyFoldState, isCurrentFoldState, type FoldState, type Judged, type OpenItem } from '@ledger/compliance';
import type { CustodyStep, Key } from '@ledger/handling';
import type { ProjectionTransaction } from '../runner/projection.js';
import { OPEN_ROWS_OF } from './contract-counts.migration.js';

export type Sql = Pick<ProjectionTransaction, 'query'>;

/** A key-snapshot is written every so many events of a record (and the head always holds the last state). */
export const SNAPSHOT_EVERY = 1_000;

export interface HeadRow {
  /** Stored by another version of the fold: refold the record before anything else. */
  stale?: boolean;
  contractId: string;
  recordId: string;
  /**
   * The fold's state after the last event; null once the projector's judgement has spent it
   * (RecordFold.finishInPlace), when `stateJson` holds it (stateOf parses it again if needed).
   */
  state: FoldState | null;
  /** `state` as JSON, when it was serialized after its last change (written as it is). */
  stateJson?: string;
  lastAt: number;
  lastPos: number;
  events: number;
  maxPosition: number;
  finalStatus: 'violation' | 'compliant' | 'not_applicable';
  pendingFrom: number | null;
  violationFrom: number | null;
  /** Obligations open after the last event (at most MAX_OPEN_STORED; the contract view lists them). */
  open: OpenItem[];
  tags: string[];
  snapshotEvents: number;
  nextSeq: number;
}

/** Open obligations kept on a record's row for the contract view (the record's own answer lists them all). */
export const MAX_OPEN_STORED = 100;

interface HeadDb {
  contract_id: string;
  record_id: string;
  state: FoldState;
  last_at: string;
  last_pos: string;
  events: string;
  max_position: string;
  final_status: HeadRow['finalStatus'];
  pending_from: string | null;
  violation_from: string | null;
  open: OpenItem[];
  tags: string[];
  snapshot_events: string;
  next_seq: string;
}

const num = (v: string | null): number | null => (v === null ? null : Number(v));

function headOf(row: HeadDb): HeadRow {
  // A head of another fold version is not read: the record is refolded from its stream.
  const stale = !isCurrentFoldState(row.state);
  return {
    stale,
    contractId: row.contract_id,
    recordId: row.record_id,
    state: stale ? emptyFoldState() : row.state,
    lastAt: Number(row.last_at),
    lastPos: Number(row.last_pos),
    events: Number(row.events),
    maxPosition: Number(row.max_position),
    finalStatus: row.final_status,
    pendingFrom: num(row.pending_from),
    violationFrom: num(row.violation_from),
    open: row.open,
    tags: row.tags,
    snapshotEvents: Number(row.snapshot_events),
    nextSeq: Number(row.next_seq),
  };
}

/** The head's fold state: as held, or parsed from its JSON when the judgement spent it. */
export function stateOf(head: HeadRow): FoldState {
  if (head.state === null) {
    if (head.stateJson === undefined) throw new Error(`the head of record ${head.recordId} has neither its state nor its JSON`);
    head.state = JSON.parse(head.stateJson) as FoldState;
  }
  return head.state;
}

export async function loadHeads(q: Sql, contractId: string, recordIds: readonly string[]): Promise<Map<string, HeadRow>> {
  if (recordIds.length === 0) return new Map();
  const rows = await q.query<HeadDb>(
    `SELECT * FROM handling_records WHERE contract_id = $1 AND record_id = ANY($2::text[])`,
    [contractId, recordIds],
  );
  return new Map(rows.map((r) => [r.record_id, headOf(r)]));
}

export async function loadHead(q: Sql, contractId: string, recordId: string): Promise<HeadRow | null> {
  return (await loadHeads(q, contractId, [recordId])).get(recordId) ?? null;
}

/** A record of the read model, with the tags that contract events aimed by tag find it by. */
export interface StoredRecord {
  recordId: string;
  tags: string[];
}

/** These records of a contract as the read model holds them (those it does not are left out). */
export async function storedRecords(q: Sql, contractId: string, recordIds: readonly string[]): Promise<StoredRecord[]> {
  const rows = await q.query<{ record_id: string; tags: string[] }>(
    `SELECT record_id, tags FROM handling_records WHERE contract_id = $1 AND record_id = ANY($2::text[])`,
    [contractId, recordIds],
  );
  return rows.map((r) => ({ recordId: r.record_id, tags: r.tags }));
}

/** The records of a contract that are in the read model, by ID or by tag (or all of them), a page at a time. */
export async function* recordsOf(
  q: Sql,
  contractId: string,
  select: { all: true } | { all: false; recordIds: readonly string[]; tags: readonly string[] },
  chunk = 1_000,
): AsyncGenerator<StoredRecord[]> {
  let after = '';
  for (;;) {
    const rows = select.all
      ? await q.query<{ record_id: string; tags: string[] }>(
          `SELECT record_id, tags FROM handling_records WHERE contract_id = $1 AND record_id > $2 ORDER BY record_id LIMIT $3`,
          [contractId, after, chunk],
        )
      : await q.query<{ record_id: string; tags: string[] }>(
          `SELECT record_id, tags FROM handling_records WHERE contract_id = $1 AND record_id > $2
              AND (record_id = ANY($3::text[]) OR tags && $4::text[]) ORDER BY record_id LIMIT $5`,
          [contractId, after, select.recordIds, select.tags, chunk],
        );
    if (rows.length === 0) return;
    yield rows.map((r) => ({ recordId: r.record_id, tags: r.tags }));
    if (rows.length < chunk) return;
    after = rows[rows.length - 1]!.record_id;
  }
}

/**
 * Rows of one statement as two parameters: `json`, one JSON document of the rows' small members
 * (read with `json_to_recordset($1::json)`), and `docs`, each row's one large JSON document (a
 * fold state, a custody step, a holding's view) as UTF-8 bytes one after the other (`$2::bytea`),
 * each row naming where its document lies (`<name>_o`, 1-based, and `<name>_l`; `DOC` reads it).
 *
 * Measured on the projector's statements (#14): a text[] or jsonb[] parameter is escaped element by
 * element in JavaScript by the driver; a `jsonb` document is parsed into a tree by PostgreSQL (about
 * as much CPU as the statements' execution); even `json_to_recordset` lexes every nested document
 * to find where it ends. Bytes are sent as they are, cut by offset, and checked once as `json`, the
 * type of the columns they land in (json-columns.migration.ts).
 */
interface RowsParams {
  json: string;
  docs: Buffer;
}

function rowsParams<T>(rows: readonly T[], row: (r: T) => Record<string, unknown>, doc?: { name: string; text: (r: T) => string }): RowsParams {
  // The rows' members serialized by one JSON.stringify of them all (one call per statement instead
  // of one per row and a join: ≈ 20–35 % less time in a micro-benchmark of 5,000 step rows).
  const out: Array<Record<string, unknown>> = new Array<Record<string, unknown>>(rows.length);
  // The documents first, to size one buffer for them all (at most 3 bytes of UTF-8 per UTF-16
  // unit): each is then encoded once, where it lies, and its length is what the encoding wrote.
  const texts: string[] = doc ? rows.map(doc.text) : [];
  let room = 0;
  for (const text of texts) room += 3 * text.length;
  const bytes = Buffer.allocUnsafe(room);
  // The document's two members, named once (not built per row).
  const o = doc ? `${doc.name}_o` : '';
  const l = doc ? `${doc.name}_l` : '';
  let offset = 0;
  for (let i = 0; i < rows.length; i++) {
    const members = row(rows[i]!);
    if (doc) {
      const length = bytes.write(texts[i]!, offset, 'utf8');
      members[o] = offset + 1;
      members[l] = length;
      offset += length;
    }
    out[i] = members;
  }
  return { json: JSON.stringify(out), docs: bytes.subarray(0, offset) };
}

/** SQL reading the document `name` of row `alias` from the statement's `$2` (see `rowsParams`). */
const DOC = (alias: string, name: string): string =>
  `convert_from(substring($2::bytea FROM ${alias}.${name}_o FOR ${alias}.${name}_l), 'UTF8')::json`;
/** Column definitions of a document's place in the rows' JSON. */
const DOC_COLUMNS = (name: string): string => `${name}_o int, ${name}_l int`;
const params = (rows: RowsParams): unknown[] => [rows.json, rows.docs];

/**
 * Writes heads. `hadOrHasOpen`: whether a head had open obligations before this write or has some
 * now (only those heads' handling_open rows are replaced; by default every head's).
 */
export async function upsertHeads(q: Sql, heads: readonly HeadRow[], hadOrHasOpen: (head: HeadRow) => boolean = () => true): Promise<void> {
  if (heads.length === 0) return;
  // The heads, their open obligations as rows, and the contract's count of records per final status
  // moved by the same statement (every CTE reads the rows as they were before it: `old` is the heads
  // being replaced, and `gone` deletes only the open rows that were there before).
  await q.query(
    `WITH h AS (
       SELECT h.*, ${DOC('h', 's')} AS s FROM json_to_recordset($1::json)
              AS h(c text, r text, ${DOC_COLUMNS('s')}, la bigint, lp bigint, e bigint, mp bigint, fs text, pf bigint, vf bigint, t json, se bigint, ns bigint, o json, w boolean)
     ),
     old AS (
       SELECT x.contract_id, x.final_status FROM handling_records x JOIN h ON x.contract_id = h.c AND x.record_id = h.r
     ),
     written AS (
       INSERT INTO handling_records (contract_id, record_id, state, last_at, last_pos, events, max_position, final_status,
                                     pending_from, violation_from, open, tags, snapshot_events, next_seq)
       SELECT h.c, h.r, h.s, h.la, h.lp, h.e, h.mp, h.fs, h.pf, h.vf, h.o, ARRAY(SELECT json_array_elements_text(h.t)), h.se, h.ns FROM h
       ON CONFLICT (contract_id, record_id) DO UPDATE SET
         state = EXCLUDED.state, last_at = EXCLUDED.last_at, last_pos = EXCLUDED.last_pos, events = EXCLUDED.events,
         max_position = EXCLUDED.max_position, final_status = EXCLUDED.final_status, pending_from = EXCLUDED.pending_from,
         violation_from = EXCLUDED.violation_from, open = EXCLUDED.open, tags = EXCLUDED.tags, snapshot_events = EXCLUDED.snapshot_events,
         next_seq = EXCLUDED.next_seq
     ),
     gone AS (
       DELETE FROM handling_open x USING h WHERE h.w AND x.contract_id = h.c AND x.record_id = h.r
     ),
     opened AS (
       INSERT INTO handling_open ${OPEN_ROWS_OF('h.c', 'h.r', 'h.o', 'h')}
     ),
     moved AS (
       SELECT c AS contract_id, fs AS final_status, sum(d)::bigint AS d
         FROM (SELECT h.c, h.fs, 1 AS d FROM h UNION ALL SELECT old.contract_id, old.final_status, -1 FROM old) m(c, fs, d)
        GROUP BY c, fs
     )
     INSERT INTO handling_contract_counts (contract_id, final_status, n)
     SELECT contract_id, final_status, d FROM moved WHERE d <> 0
     ON CONFLICT (contract_id, final_status) DO UPDATE SET n = handling_contract_counts.n + EXCLUDED.n`,
    params(rowsParams(
      heads,
      (h) => ({
        c: h.contractId, r: h.recordId, la: h.lastAt, lp: h.lastPos, e: h.events, mp: h.maxPosition, fs: h.finalStatus,
        pf: h.pendingFrom, vf: h.violationFrom, t: h.tags, se: h.snapshotEvents, ns: h.nextSeq, o: h.open, w: hadOrHasOpen(h),
      }),
      { name: 's', text: (h) => h.stateJson ?? JSON.stringify(stateOf(h)) },
    )),
  );
}

/** A finding row as the fold made it. */
export interface FindingRow {
  contractId: string;
  recordId: string;
  seq: number;
  finding: Judged;
  fin: Key;
  validFrom: number;
}

export async function insertFindings(q: Sql, rows: readonly FindingRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 5_000) {
    const chunk = rows.slice(i, i + 5_000);
    // The findings, and the count of violations now holding per (contract, article, rule) moved by the same statement.
    await q.query(
      `WITH ins AS (
         INSERT INTO handling_findings (contract_id, record_id, seq, article, rule, status, party, fin_at, fin_pos, first_at, first_pos,
                                        due_at, event_ids, message_ja, message_en, valid_from)
         SELECT f.c, f.r, f.seq, f.a, f.rule, f.st, f.p, f.fa, f.fp, f.ffa, f.ffp, f.d, ARRAY(SELECT json_array_elements_text(f.ids)), f.ja, f.en, f.vf
           FROM json_to_recordset($1::json) AS f(c text, r text, seq bigint, a text, rule text, st text, p text, fa bigint, fp bigint,
                                                   ffa bigint, ffp bigint, d bigint, ids json, ja text, en text, vf bigint)
         RETURNING contract_id, article, rule, status
       )
       INSERT INTO handling_rule_counts (contract_id, article, rule, violations)
       SELECT contract_id, article, rule, count(*) FROM ins WHERE status = 'violation' GROUP BY contract_id, article, rule
       ON CONFLICT (contract_id, article, rule) DO UPDATE SET violations = handling_rule_counts.violations + EXCLUDED.violations`,
      [
        rowsParams(chunk, (r) => ({
          c: r.contractId, r: r.recordId, seq: r.seq, a: r.finding.article, rule: r.finding.rule, st: r.finding.status, p: r.finding.party,
          fa: r.fin.at, fp: r.fin.pos, ffa: r.finding.events[0]!.at, ffp: r.finding.events[0]!.pos, d: r.finding.due ?? null,
          ids: r.finding.events.map((e) => e.id), ja: r.finding.message.ja, en: r.finding.message.en, vf: r.validFrom,
        })).json,
      ],
    );
  }
}

export interface StepRow {
  contractId: string;
  recordId: string;
  seq: number;
  step: CustodyStep;
  validFrom: number;
}

export async function insertSteps(q: Sql, rows: readonly StepRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 5_000) {
    const chunk = rows.slice(i, i + 5_000);
    await q.query(
      `INSERT INTO handling_steps (contract_id, record_id, seq, holding, key_at, key_pos, step, valid_from)
       SELECT s.c, s.r, s.seq, s.h, s.ka, s.kp, ${DOC('s', 'step')}, s.vf
         FROM json_to_recordset($1::json) AS s(c text, r text, seq bigint, h text, ka bigint, kp bigint, ${DOC_COLUMNS('step')}, vf bigint)`,
      params(rowsParams(
        chunk,
        (r) => ({ c: r.contractId, r: r.recordId, seq: r.seq, h: r.step.holding, ka: r.step.at, kp: r.step.pos, vf: r.validFrom }),
        { name: 'step', text: (r) => JSON.stringify(r.step) },
      )),
    );
  }
}

export interface SnapshotRow {
  contractId: string;
  recordId: string;
  seq: number;
  key: Key;
  events: number;
  validFrom: number;
  state: string;
}

export async function insertSnapshots(q: Sql, rows: readonly SnapshotRow[]): Promise<void> {
  if (rows.length === 0) return;
  await q.query(
    `INSERT INTO handling_snapshots (contract_id, record_id, seq, key_at, key_pos, events, valid_from, state)
     SELECT s.c, s.r, s.seq, s.ka, s.kp, s.e, s.vf, ${DOC('s', 'state')}
       FROM json_to_recordset($1::json) AS s(c text, r text, seq bigint, ka bigint, kp bigint, e bigint, vf bigint, ${DOC_COLUMNS('state')})`,
    params(rowsParams(rows, (r) => ({ c: r.contractId, r: r.recordId, seq: r.seq, ka: r.key.at, kp: r.key.pos, e: r.events, vf: r.validFrom }), { name: 'state', text: (r) => r.state })),
  );
}

/** A key-snapshot and where it stands. */
export interface Snapshot {
  state: FoldState;
  key: Key;
  events: number;
}

/** Whether a row valid from/to these positions holds for a knownAt cut at position `known` (null: the present). */
function validAt(known: number | null, params: unknown[]): string {
  if (known === null) return 'valid_to IS NULL';
  params.push(known);
  return `valid_from <= $${params.length} AND (valid_to IS NULL OR valid_to > $${params.length})`;
}

/** The last key-snapshot strictly before `before` (and valid at `known`), or null. */
export async function snapshotBefore(q: Sql, contractId: string, recordId: string, before: Key, known: number | null): Promise<Snapshot | null> {
  const params: unknown[] = [contractId, recordId, before.at, before.pos];
  const [row] = await q.query<{ state: FoldState; key_at: string; key_pos: string; events: string }>(
    `SELECT state, key_at, key_pos, events FROM handling_snapshots
      WHERE contract_id = $1 AND record_id = $2 AND (key_at, key_pos) < ($3, $4) AND ${validAt(known, params)}
      ORDER BY key_at DESC, key_pos DESC LIMIT 1`,
    params,
  );
  if (!row || !isCurrentFoldState(row.state)) return null;
  return { state: row.state, key: { at: Number(row.key_at), pos: Number(row.key_pos) }, events: Number(row.events) };
}

/**
 * A late event (known from position `position`) changes everything of the record after `after`
 * in the judgement order: those rows stop holding from that position on (they stay for earlier
 * knownAt cuts).
 */
export async function closeAfter(q: Sql, contractId: string, recordId: string, after: Key, position: number): Promise<void> {
  // One statement: the findings that stop holding (leaving the per-rule counts if violations),
  // the steps and the snapshots (every data-modifying CTE runs to completion, read or not).
  await q.query(
    `WITH closed AS (
       UPDATE handling_findings SET valid_to = $5
        WHERE contract_id = $1 AND record_id = $2 AND valid_to IS NULL AND (fin_at, fin_pos) > ($3, $4)
       RETURNING contract_id, article, rule, status
     ), counted AS (
       UPDATE handling_rule_counts c SET violations = c.violations - d.n
         FROM (SELECT contract_id, article, rule, count(*) AS n FROM closed WHERE status = 'violation' GROUP BY contract_id, article, rule) d
        WHERE c.contract_id = d.contract_id AND c.article = d.article AND c.rule = d.rule
     ), steps AS (
       UPDATE handling_steps SET valid_to = $5
        WHERE contract_id = $1 AND record_id = $2 AND valid_to IS NULL AND (key_at, key_pos) > ($3, $4)
     )
     UPDATE handling_snapshots SET valid_to = $5
      WHERE contract_id = $1 AND record_id = $2 AND valid_to IS NULL AND (key_at, key_pos) > ($3, $4)`,
    [contractId, recordId, after.at, after.pos, position],
  );
}

export interface HoldingRowInput {
  contractId: string;
  recordId: string;
  holding: string;
  state: string;
  overdueAt: number | null;
  view: unknown;
}

export async function replaceHoldings(q: Sql, records: readonly { contractId: string; recordId: string }[], rows: readonly HoldingRowInput[]): Promise<void> {
  if (records.length === 0) return;
  await q.query(
    `DELETE FROM handling_holdings h USING unnest($1::text[], $2::text[]) AS r(c, id) WHERE h.contract_id = r.c AND h.record_id = r.id`,
    [records.map((r) => r.contractId), records.map((r) => r.recordId)],
  );
  if (rows.length === 0) return;
  await q.query(
    `INSERT INTO handling_holdings (contract_id, record_id, holding, state, overdue_at, view)
     SELECT h.c, h.r, h.h, h.st, h.o, ${DOC('h', 'v')}
       FROM json_to_recordset($1::json) AS h(c text, r text, h text, st text, o bigint, ${DOC_COLUMNS('v')})`,
    params(rowsParams(rows, (r) => ({ c: r.contractId, r: r.recordId, h: r.holding, st: r.state, o: r.overdueAt }), { name: 'v', text: (r) => JSON.stringify(r.view) })),
  );
}
