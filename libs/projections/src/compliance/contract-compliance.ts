/**
 * The contract view (docs/compliance.md "A contract"): the contract-level articles, the records
 * counted by status, a summary by rule, and the violations and pending findings, filtered and
 * paged. Computed either from the streams (any asOf/knownAt, exact) or from the read model at the
 * present; both give the same shape and the same order.
 */
import {
  judgeContract,
  judgeRecord,
  type ContractHistory,
  type ContractLevelVerdict,
  type Cut,
  type Message,
  type RecordVerdict,
  type Status,
} from '@ledger/compliance';
import { instant, type RecordedEvent } from '@ledger/domain';
import type { ProjectionTransaction } from '../runner/projection.js';
import {
  affectedByAll,
  afterCursor,
  compareItems,
  encodeFindingsCursor,
  FAR,
  matches,
  storedItem,
  verdictItems,
  worse,
  type ComplianceItem,
  type FindingsCursor,
  type FindingsFilter,
  type StoredFinding,
} from './compliance-model.js';

/** A finding as answered (docs/events.md "Reading compliance"). */
export interface AnswerFinding {
  rule: string;
  status: 'violation' | 'pending' | 'compliant';
  eventIds: string[];
  message: Message;
  dueAt?: string;
}

export interface AnswerArticle {
  status: Status;
  findings: AnswerFinding[];
}

/** `articles` of an answer: the verdict's findings without the fields the article key already says. */
export function answerArticles(verdict: RecordVerdict | ContractLevelVerdict): { [article: string]: AnswerArticle } {
  const out: { [article: string]: AnswerArticle } = {};
  for (const [article, judged] of Object.entries(verdict.articles)) {
    out[article] = {
      status: judged.status,
      findings: judged.findings.map((f) => ({
        rule: f.rule,
        status: f.status,
        eventIds: [...f.eventIds],
        message: f.message,
        ...(f.dueAt !== undefined ? { dueAt: f.dueAt } : {}),
      })),
    };
  }
  return out;
}

/** A finding of the contract view's list: its record (null: a contract-level finding) and article. */
export interface ListedFinding {
  recordId: string | null;
  article: string;
  rule: string;
  status: 'violation' | 'pending';
  eventIds: string[];
  message: Message;
  dueAt?: string;
}

export interface RecordCounts {
  total: number;
  violation: number;
  pending: number;
  compliant: number;
  not_applicable: number;
}

export interface RuleSummary {
  article: string;
  rule: string;
  violation: number;
  pending: number;
}

export interface ContractViewQuery {
  readonly filter: FindingsFilter;
  readonly after?: FindingsCursor;
  readonly limit: number;
}

export interface ContractComplianceView {
  status: Status;
  articles: { [article: string]: AnswerArticle };
  records: RecordCounts;
  summary: RuleSummary[];
  findings: ListedFinding[];
  next: string | null;
}

function listed(item: ComplianceItem): ListedFinding {
  return {
    recordId: item.recordId,
    article: item.article,
    rule: item.rule,
    status: item.status,
    eventIds: [...item.eventIds],
    message: item.message,
    ...(item.dueAt !== undefined ? { dueAt: item.dueAt } : {}),
  };
}

function emptyCounts(): RecordCounts {
  return { total: 0, violation: 0, pending: 0, compliant: 0, not_applicable: 0 };
}

function countStatus(counts: RecordCounts, status: Status, by: number): void {
  counts.total += by;
  counts[status] += by;
}

function statusOf(contractLevel: Status, counts: RecordCounts): Status {
  let status = contractLevel;
  for (const s of ['compliant', 'pending', 'violation'] as const) if (counts[s] > 0) status = worse(status, s);
  return status;
}

function byArticleThenRule(a: RuleSummary, b: RuleSummary): number {
  return Number(a.article) - Number(b.article) || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0);
}

function addToSummary(summary: Map<string, RuleSummary>, article: string, rule: string, violation: number, pending: number): void {
  const key = `${article}|${rule}`;
  const row = summary.get(key) ?? { article, rule, violation: 0, pending: 0 };
  row.violation += violation;
  row.pending += pending;
  summary.set(key, row);
}

/** The first `limit` items after the cursor, and the cursor of the next page. */
function page(items: ComplianceItem[], limit: number): { findings: ListedFinding[]; next: string | null } {
  items.sort(compareItems);
  const shown = items.slice(0, limit);
  return { findings: shown.map(listed), next: items.length > limit ? encodeFindingsCursor(shown[shown.length - 1]!) : null };
}

/**
 * The contract view at any cut, from the contract stream and every record stream of the contract
 * (records with no event inside the cut are unknown then and not counted).
 */
export function contractViewFromStreams(
  history: ContractHistory,
  recordStreams: ReadonlyMap<string, readonly RecordedEvent[]>,
  cut: Cut,
  query: ContractViewQuery,
): ContractComplianceView {
  const contract = judgeContract(history, cut);
  const counts = emptyCounts();
  const summary = new Map<string, RuleSummary>();
  const selected: ComplianceItem[] = [];
  const take = (items: readonly ComplianceItem[]): void => {
    for (const item of items) {
      addToSummary(summary, item.article, item.rule, item.status === 'violation' ? 1 : 0, item.status === 'pending' ? 1 : 0);
      if (matches(item, query.filter) && afterCursor(item, query.after)) selected.push(item);
    }
  };
  take(verdictItems(contract, null));
  for (const [recordId, events] of recordStreams) {
    if (!events.some((e) => instant(e.event.occurredAt) <= cut.asOf && instant(e.recordedAt) <= cut.knownAt)) continue;
    const verdict = judgeRecord(history, recordId, events, cut);
    countStatus(counts, verdict.status, 1);
    take(verdictItems(verdict, recordId));
  }
  return {
    status: statusOf(contract.status, counts),
    articles: answerArticles(contract),
    records: counts,
    summary: [...summary.values()].sort(byArticleThenRule),
    ...page(selected, query.limit),
  };
}

type Reader = Pick<ProjectionTransaction, 'query'>;

interface FindingRow {
  record_id: string;
  seq: number;
  article: string;
  rule: string;
  open: boolean;
  due_at: Date | null;
  event_ids: string[];
  message: Message;
  pending_message: Message | null;
}

function storedOf(row: FindingRow): StoredFinding {
  return {
    seq: row.seq,
    article: row.article,
    rule: row.rule,
    open: row.open,
    dueAt: row.due_at === null ? null : row.due_at.getTime(),
    eventIds: row.event_ids,
    // jsonb keeps keys in its own order: put them back as the rulebook writes them.
    message: { ja: row.message.ja, en: row.message.en },
    pendingMessage: row.pending_message === null ? null : { ja: row.pending_message.ja, en: row.pending_message.en },
  };
}

export interface ReadModelViewInput {
  readonly contractId: string;
  /** The clock at query time: asOf and knownAt of the answer. */
  readonly now: number;
  /** The contract stream up to the read model's position. */
  readonly history: ContractHistory;
  /** A record's stream up to the read model's position (for the few records judged live, see below). */
  readRecord(recordId: string): Promise<RecordedEvent[]>;
  readonly query: ContractViewQuery;
}

/**
 * The contract view at the present from the read model, or null when the read model cannot give
 * it exactly (the contract is not projected yet, or an event dated after `now` changes every
 * record). Open obligations are pending or violation by the clock; the contract-level articles
 * are judged now from the contract stream. Records that an event dated after `now` touches (the
 * API accepts business times up to 5 minutes ahead) are judged live at `now`, since the stored
 * rows include that event.
 */
export async function contractViewFromReadModel(q: Reader, input: ReadModelViewInput): Promise<ContractComplianceView | null> {
  const { contractId, now, history, query } = input;
  const nowText = new Date(now).toISOString();
  const [contractRow] = await q.query<{ records: number; n_violation: number; n_pending: number; n_compliant: number; n_not_applicable: number }>(
    `SELECT records, n_violation, n_pending, n_compliant, n_not_applicable FROM compliance_contracts WHERE contract_id = $1`,
    [contractId],
  );
  if (!contractRow) return null;

  // Records whose stored rows include an event dated after now.
  const stale = new Set<string>();
  for (const { record_id } of await q.query<{ record_id: string }>(
    `SELECT record_id FROM compliance_records WHERE contract_id = $1 AND max_occurred_at > $2`,
    [contractId, nowText],
  )) stale.add(record_id);
  const future = history.entries.filter((e) => e.at > now).map((e) => e.event);
  if (future.length > 0) {
    const affected = affectedByAll(future, history);
    if (affected.all) return null;
    const rows = await q.query<{ record_id: string }>(
      `SELECT record_id FROM compliance_records WHERE contract_id = $1 AND record_id = ANY($2::text[])
       UNION SELECT record_id FROM compliance_record_tags WHERE contract_id = $1 AND tag = ANY($3::text[])`,
      [contractId, affected.recordIds, affected.tags],
    );
    for (const { record_id } of rows) stale.add(record_id);
  }
  const staleIds = [...stale];

  const counts: RecordCounts = {
    total: contractRow.records,
    violation: contractRow.n_violation,
    pending: contractRow.n_pending,
    compliant: contractRow.n_compliant,
    not_applicable: contractRow.n_not_applicable,
  };
  if (staleIds.length > 0) {
    for (const row of await q.query<{ base_status: Status }>(
      `SELECT base_status FROM compliance_records WHERE contract_id = $1 AND record_id = ANY($2::text[])`,
      [contractId, staleIds],
    )) countStatus(counts, row.base_status, -1);
  }
  const [{ shifted }] = (await q.query<{ shifted: number }>(
    `SELECT count(*)::int AS shifted FROM compliance_records
      WHERE contract_id = $1 AND base_status = 'pending' AND next_due_at < $2 AND NOT (record_id = ANY($3::text[]))`,
    [contractId, nowText, staleIds],
  )) as [{ shifted: number }];
  counts.pending -= shifted;
  counts.violation += shifted;

  const cut: Cut = { asOf: now, knownAt: FAR };
  const contract = judgeContract(history, cut);
  const summary = new Map<string, RuleSummary>();
  const selected: ComplianceItem[] = [];
  const take = (items: readonly ComplianceItem[]): void => {
    for (const item of items) {
      addToSummary(summary, item.article, item.rule, item.status === 'violation' ? 1 : 0, item.status === 'pending' ? 1 : 0);
      if (matches(item, query.filter) && afterCursor(item, query.after)) selected.push(item);
    }
  };
  take(verdictItems(contract, null));
  for (const recordId of staleIds) {
    const events = await input.readRecord(recordId);
    if (!events.some((e) => instant(e.event.occurredAt) <= now)) continue;
    const verdict = judgeRecord(history, recordId, events, cut);
    countStatus(counts, verdict.status, 1);
    take(verdictItems(verdict, recordId));
  }

  for (const row of await q.query<{ article: string; rule: string; violation: number; pending: number }>(
    `SELECT article, rule,
            count(*) FILTER (WHERE NOT open OR due_at < $2)::int AS violation,
            count(*) FILTER (WHERE open AND due_at >= $2)::int AS pending
       FROM compliance_findings
      WHERE contract_id = $1 AND NOT (record_id = ANY($3::text[]))
      GROUP BY article, rule`,
    [contractId, nowText, staleIds],
  )) addToSummary(summary, row.article, row.rule, row.violation, row.pending);

  const params: unknown[] = [contractId, staleIds];
  const where = ['contract_id = $1', 'NOT (record_id = ANY($2::text[]))'];
  const param = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  if (query.filter.article !== undefined) where.push(`article = ${param(query.filter.article)}`);
  if (query.filter.rule !== undefined) where.push(`rule = ${param(query.filter.rule)}`);
  if (query.filter.status === 'violation') where.push(`(NOT open OR due_at < ${param(nowText)}::timestamptz)`);
  if (query.filter.status === 'pending') where.push(`(open AND due_at >= ${param(nowText)}::timestamptz)`);
  if (query.after !== undefined) where.push(`(record_id, seq) > (${param(query.after.recordId)}, ${param(query.after.seq)}::int)`);
  params.push(query.limit + 1);
  const rows = await q.query<FindingRow>(
    `SELECT record_id, seq, article, rule, open, due_at, event_ids, message, pending_message
       FROM compliance_findings WHERE ${where.join(' AND ')}
      ORDER BY record_id, seq LIMIT $${params.length}`,
    params,
  );
  for (const row of rows) selected.push(storedItem(row.record_id, storedOf(row), now));

  return {
    status: statusOf(contract.status, counts),
    articles: answerArticles(contract),
    records: counts,
    summary: [...summary.values()].sort(byArticleThenRule),
    ...page(selected, query.limit),
  };
}
