/**
 * Answers from the handling read model at any cut (docs/handling-model.md "Answering a cut"): a
 * record's verdict and custody start from the nearest stored fold at or before the cut — the
 * head, or a key-snapshot valid for the knownAt cut — and fold only the events between it and the
 * cut, read in judgement order. Findings and custody histories are listed from the stored rows,
 * capped, with counts: an answer's work is bounded by the snapshot interval and the projector's
 * lag, whatever the length of the record's history.
 */
import {
  emptyFoldState,
  RecordFold,
  recordVerdict,
  compareJudged,
  type ArticleId,
  type FoldResult,
  type FoldState,
  type Judged,
  type RecordVerdict,
} from '@ledger/compliance';
import { recordStreamId, type RecordEvent, type RecordedEvent } from '@ledger/domain';
import type { EventStore } from '@ledger/event-store';
import {
  custodyView,
  holdingKey,
  precedes,
  START,
  toEntry,
  type ContractHistory,
  type CustodyStep,
  type CustodyView,
  type Cut,
  type Entry,
  type Key,
} from '@ledger/handling';
import { loadHead, snapshotBefore, stateOf, type HeadRow, type Sql } from './handling-store.js';

/** More events than this between the nearest stored fold and the cut: the answer is refused (503) rather than slow. */
export const MAX_LIVE_EVENTS = 100_000;

export class JudgementTooLongError extends Error {}

export interface RecordAtInput {
  readonly q: Sql;
  readonly store: EventStore;
  /** The contract stream as the ledger knows it now (its view is cut by `cut`). */
  readonly history: ContractHistory;
  readonly contractId: string;
  readonly recordId: string;
  readonly cut: Cut;
  /** Position of the knownAt cut (the last event recorded at or before knownAt); null: the present. */
  readonly knownPosition: number | null;
  /** Position up to which the read model has applied the log. */
  readonly projected: number;
  /** Findings listed per article (the rest is counted). */
  readonly listLimit: number;
  /** Custody steps listed per holding (the latest). */
  readonly historyLimit: number;
}

export interface RecordAt {
  /** The record has events inside the cut. */
  readonly known: boolean;
  /** The record has at least one event in the log, inside the cut or not (else: no such record). */
  readonly exists: boolean;
  readonly result: FoldResult;
  /** Final findings to list (stored and folded now) and the open ones at the cut, at most listLimit per article. */
  readonly listed: readonly Judged[];
  readonly histories: ReadonlyMap<string, readonly CustodyStep[]>;
  /** The place of the stored fold the answer started from. */
  readonly start: Key | null;
  /** Events folded live for this answer. */
  readonly folded: number;
  /**
   * Where a findings page continues after the stored findings listed of each article (the cursor
   * of the last one listed; `findingsPage`): read with them, no query of its own.
   */
  readonly storedNext: ReadonlyMap<string, string>;
}

interface Start {
  state: FoldState;
  key: Key | null;
  /** Stored rows to list are those at or before `key`, valid at this knownAt position (null: the present). */
  rowsKnown: number | null;
  /** The start already holds every event the cut sees (the head, nothing unprojected): nothing to read after it. */
  complete?: boolean;
}


function minKey(a: Key | null, b: Key | null): Key | null {
  if (a === null) return b;
  if (b === null) return a;
  return precedes(a, b) ? a : b;
}

/** Where to start: the head when it holds for the cut, else the last key-snapshot before everything the cut changes. */
async function startOf(input: RecordAtInput, head: HeadRow | null, unprojected: readonly RecordedEvent[]): Promise<Start> {
  const { cut, knownPosition, projected } = input;
  const known = knownPosition === null ? Number.POSITIVE_INFINITY : knownPosition;
  // The first place in the judgement order that the read model has not folded but the cut sees.
  let firstUnseen: Key | null = null;
  for (const e of unprojected) if (e.position <= known) firstUnseen = minKey(firstUnseen, toEntry(e));
  const contractUnseen = input.history.firstUnknownAfter(projected);
  if (contractUnseen && contractUnseen.pos <= known) firstUnseen = minKey(firstUnseen, contractUnseen);
  const present = known >= projected;
  const rowsKnown = present ? null : known;
  if (head && !head.stale && head.events > 0 && present) {
    const last = { at: head.lastAt, pos: head.lastPos };
    if (last.at <= cut.asOf && (firstUnseen === null || precedes(last, firstUnseen))) return { state: stateOf(head), key: last, rowsKnown, complete: firstUnseen === null };
  }
  const bound = minKey({ at: cut.asOf, pos: Number.MAX_SAFE_INTEGER }, firstUnseen)!;
  const snapshot = await snapshotBefore(input.q, input.contractId, input.recordId, bound, rowsKnown);
  return snapshot ? { state: snapshot.state, key: snapshot.key, rowsKnown } : { state: emptyFoldState(), key: null, rowsKnown };
}

interface StoredFindingRow {
  article: string;
  rule: string;
  status: 'violation' | 'compliant';
  party: 'contractor' | 'city';
  first_at: string;
  first_pos: string;
  due_at: string | null;
  event_ids: string[];
  message_ja: string;
  message_en: string;
}

function judgedOf(row: StoredFindingRow, recordId: string): Judged {
  const first = { id: row.event_ids[0]!, at: Number(row.first_at), pos: Number(row.first_pos) };
  // Only the first event's place orders a finding; the others are cited by ID.
  const events = [first, ...row.event_ids.slice(1).map((id) => ({ id, at: first.at, pos: first.pos }))];
  const judged: Judged = {
    rule: row.rule,
    article: row.article as ArticleId,
    status: row.status,
    party: row.party,
    events,
    message: { ja: row.message_ja, en: row.message_en },
    recordId,
  };
  return row.due_at === null ? judged : { ...judged, due: Number(row.due_at) };
}

function validClause(rowsKnown: number | null, params: unknown[]): string {
  if (rowsKnown === null) return 'valid_to IS NULL';
  params.push(rowsKnown);
  return `valid_from <= $${params.length} AND (valid_to IS NULL OR valid_to > $${params.length})`;
}

/**
 * The first `limit` stored findings of each article, up to the start (finalization order), and the
 * place of the last one of each article (rows up to the start are a prefix of that order, so it is
 * where the article's findings page continues).
 */
async function storedFindings(q: Sql, contractId: string, recordId: string, start: Start, limit: number): Promise<{ findings: Judged[]; next: Map<string, string> }> {
  const next = new Map<string, string>();
  if (start.key === null || limit <= 0) return { findings: [], next };
  const params: unknown[] = [contractId, recordId, start.key.at, start.key.pos, limit];
  const rows = await q.query<StoredFindingRow & { fin_at: string; fin_pos: string; seq: string }>(
    `SELECT article, rule, status, party, first_at, first_pos, due_at, event_ids, message_ja, message_en, fin_at, fin_pos, seq FROM (
       SELECT f.*, row_number() OVER (PARTITION BY article ORDER BY fin_at, fin_pos, seq) AS n
         FROM handling_findings f
        WHERE contract_id = $1 AND record_id = $2 AND (fin_at, fin_pos) <= ($3, $4) AND ${validClause(start.rowsKnown, params)}
     ) x WHERE n <= $5 ORDER BY fin_at, fin_pos, seq`,
    params,
  );
  for (const r of rows) next.set(r.article, encodeFindingCursor({ at: Number(r.fin_at), pos: Number(r.fin_pos), seq: Number(r.seq) }));
  return { findings: rows.map((r) => judgedOf(r, recordId)), next };
}

/** The latest `limit` stored steps of each holding, up to the start. */
async function storedSteps(q: Sql, contractId: string, recordId: string, start: Start, holdings: readonly string[], limit: number): Promise<Map<string, CustodyStep[]>> {
  const out = new Map<string, CustodyStep[]>();
  if (start.key === null || holdings.length === 0 || limit <= 0) return out;
  const params: unknown[] = [contractId, recordId, start.key.at, start.key.pos, holdings, limit];
  const rows = await q.query<{ holding: string; step: CustodyStep }>(
    `SELECT h.holding, s.step FROM unnest($5::text[]) AS h(holding)
       CROSS JOIN LATERAL (
         SELECT step, key_at, key_pos, seq FROM handling_steps
          WHERE contract_id = $1 AND record_id = $2 AND holding = h.holding AND (key_at, key_pos) <= ($3, $4)
            AND ${validClause(start.rowsKnown, params)}
          ORDER BY key_at DESC, key_pos DESC, seq DESC LIMIT $6
       ) s`,
    params,
  );
  for (const row of rows) {
    const list = out.get(row.holding);
    if (list) list.unshift(row.step);
    else out.set(row.holding, [row.step]);
  }
  return out;
}

/** A record judged at a cut, from the read model and the events after it. */
export async function recordAt(input: RecordAtInput): Promise<RecordAt> {
  const { q, store, contractId, recordId, cut } = input;
  const stream = recordStreamId(contractId, recordId);
  const head = await loadHead(q, contractId, recordId);
  const unprojected = await store.readStream(stream, { fromVersion: head?.events ?? 0, limit: MAX_LIVE_EVENTS + 1 });
  if (unprojected.length > MAX_LIVE_EVENTS) throw new JudgementTooLongError(`the read model is more than ${MAX_LIVE_EVENTS} events behind for record ${recordId}`);
  const start = await startOf(input, head, unprojected);
  const listedByArticle = new Map<string, number>();
  const listed: Judged[] = [];
  const list = (f: Judged): void => {
    const n = listedByArticle.get(f.article) ?? 0;
    if (n >= input.listLimit) return;
    listedByArticle.set(f.article, n + 1);
    listed.push(f);
  };
  // Every stored finding read is listed (at most listLimit of each article, and they come first).
  const stored = await storedFindings(q, contractId, recordId, start, input.listLimit);
  for (const f of stored.findings) list(f);
  const delta: CustodyStep[] = [];
  // The state was read for this answer alone (a head or a snapshot row, or a new empty state): folded and judged as it is.
  const fold = new RecordFold(input.history.view(cut), recordId, start.state, list);
  let after: Key = start.key ?? START;
  let folded = 0;
  const known = input.knownPosition ?? Number.MAX_SAFE_INTEGER;
  while (!start.complete) {
    const chunk = await store.readStreamInOrder(stream, { after, untilAt: cut.asOf, maxPosition: known, limit: 2_000 });
    if (chunk.length === 0) break;
    for (const recorded of chunk) {
      const step = fold.fold(toEntry(recorded) as Entry<RecordEvent>);
      delta.push(...step.custody);
      folded += 1;
      if (delta.length > input.historyLimit * 64) delta.splice(0, delta.length - input.historyLimit * 64);
    }
    if (folded > MAX_LIVE_EVENTS) throw new JudgementTooLongError(`more than ${MAX_LIVE_EVENTS} events to judge live for record ${recordId}`);
    after = toEntry(chunk[chunk.length - 1]!);
  }
  const anyEvent = fold.state.handling.events > 0;
  const result = fold.finishInPlace(cut.asOf);
  for (const f of result.atFinish) list(f);
  const holdings = Object.values(result.handling.holdings).map((h) => holdingKey(h.copyId));
  const histories = await storedSteps(q, contractId, recordId, start, holdings, input.historyLimit);
  for (const step of delta) {
    const stepsOf = histories.get(step.holding) ?? [];
    stepsOf.push(step);
    if (stepsOf.length > input.historyLimit) stepsOf.shift();
    histories.set(step.holding, stepsOf);
  }
  return { known: anyEvent, exists: head !== null || unprojected.length > 0, result, listed: listed.sort(compareJudged), histories, start: start.key, folded, storedNext: stored.next };
}

/** The verdict answer of `recordAt` (articles' findings capped, with counts and where the rest is). */
export function verdictOf(contractId: string, recordId: string, at: RecordAt, zone: string, next: (article: ArticleId) => string | null): RecordVerdict {
  return recordVerdict(contractId, recordId, at.result, at.listed, { zone, next });
}

/** The custody answer of `recordAt`. */
export function custodyOf(at: RecordAt, asOf: number, zone: string): CustodyView {
  return custodyView(at.result.handling, asOf, at.histories, zone);
}

/** The cursor of a record's findings page: the last finding's place in the finalization order. */
export function encodeFindingCursor(c: { at: number; pos: number; seq: number }): string {
  return Buffer.from(JSON.stringify([c.at, c.pos, c.seq]), 'utf8').toString('base64url');
}

export function decodeFindingCursor(text: string): { at: number; pos: number; seq: number } | null {
  try {
    const v = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown;
    if (!Array.isArray(v) || v.length !== 3 || !v.every((n) => typeof n === 'number' && Number.isFinite(n))) return null;
    return { at: v[0], pos: v[1], seq: v[2] };
  } catch {
    return null;
  }
}

/**
 * One page of a record's final findings of an article at the present, in the order the fold made
 * them (open obligations are not here: the record's verdict lists them). `next` pages on.
 */
export async function findingsPage(
  q: Sql,
  contractId: string,
  recordId: string,
  article: string,
  after: { at: number; pos: number; seq: number } | null,
  limit: number,
): Promise<{ findings: Judged[]; next: string | null }> {
  const a = after ?? { at: Number.MIN_SAFE_INTEGER, pos: 0, seq: 0 };
  const rows = await q.query<StoredFindingRow & { fin_at: string; fin_pos: string; seq: string }>(
    `SELECT article, rule, status, party, first_at, first_pos, due_at, event_ids, message_ja, message_en, fin_at, fin_pos, seq
       FROM handling_findings
      WHERE contract_id = $1 AND record_id = $2 AND article = $3 AND valid_to IS NULL AND (fin_at, fin_pos, seq) > ($4, $5, $6)
      ORDER BY fin_at, fin_pos, seq LIMIT $7`,
    [contractId, recordId, article, a.at, a.pos, a.seq, limit + 1],
  );
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    findings: page.map((r) => judgedOf(r, recordId)),
    next: rows.length > limit && last ? encodeFindingCursor({ at: Number(last.fin_at), pos: Number(last.fin_pos), seq: Number(last.seq) }) : null,
  };
}

/** One page of a holding's custody history at the present, newest first (`before`: the previous page's `next`). */
export async function historyPage(
  q: Sql,
  contractId: string,
  recordId: string,
  holding: string,
  before: { at: number; pos: number; seq: number } | null,
  limit: number,
): Promise<{ steps: CustodyStep[]; next: string | null }> {
  const b = before ?? { at: Number.MAX_SAFE_INTEGER, pos: Number.MAX_SAFE_INTEGER, seq: Number.MAX_SAFE_INTEGER };
  const rows = await q.query<{ step: CustodyStep; key_at: string; key_pos: string; seq: string }>(
    `SELECT step, key_at, key_pos, seq FROM handling_steps
      WHERE contract_id = $1 AND record_id = $2 AND holding = $3 AND valid_to IS NULL AND (key_at, key_pos, seq) < ($4, $5, $6)
      ORDER BY key_at DESC, key_pos DESC, seq DESC LIMIT $7`,
    [contractId, recordId, holding, b.at, b.pos, b.seq, limit + 1],
  );
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    steps: page.map((r) => r.step),
    next: rows.length > limit && last ? encodeFindingCursor({ at: Number(last.key_at), pos: Number(last.key_pos), seq: Number(last.seq) }) : null,
  };
}
