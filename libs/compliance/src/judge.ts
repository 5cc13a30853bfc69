import { isRecordEvent, isoInZone, DEFAULT_TIME_ZONE, type RecordEvent, type RecordedEvent } from '@ledger/domain';
import { byOccurrence, inCut, toEntry, type ContractHistory, type Cut, type Entry, type Key } from '@ledger/handling';
import { judgeAppi68 } from './appi68.js';
import { judgeArt6Contract } from './art06.js';
import { inspectionDue, judgeArt10 } from './art10.js';
import { judgeArt11Contract } from './art11.js';
import { judgeArt12 } from './art12.js';
import { judgeArt15Contract } from './art15.js';
import { CONTRACT_ARTICLES, RECORD_ARTICLES, type ArticleId, type ContractArticle } from './articles.js';
import { NO_RECORD_FACTS, type ArticleResult, type ContractContext, type RecordFacts } from './context.js';
import { compareJudged, type Judged } from './obligation.js';
import { RecordFold, type Counts, type FoldResult } from './record-fold.js';
import {
  emptyCounts,
  worst,
  type ArticleVerdict,
  type ContractLevelVerdict,
  type Finding,
  type FindingCounts,
  type RecordVerdict,
  type Status,
} from './verdict.js';

export interface AnswerOptions {
  /** Times in answers: RFC 3339 in this zone (LEDGER_TIME_ZONE, default Asia/Tokyo). */
  zone?: string;
}

/** The answer's form of a finding: due time in the ledger's zone. */
export function toFinding(judged: Judged, zone: string = DEFAULT_TIME_ZONE): Finding {
  const finding: Finding = {
    rule: judged.rule,
    article: judged.article,
    status: judged.status,
    party: judged.party,
    eventIds: judged.events.map((e) => e.id),
    message: judged.message,
  };
  if (judged.due !== undefined) finding.dueAt = isoInZone(judged.due, zone);
  if (judged.recordId !== undefined) finding.recordId = judged.recordId;
  return finding;
}

/** An article's contractor status from its counts: violation > pending > compliant; not_applicable when nothing judged. */
export function articleStatus(counts: { contractor: FindingCounts; city: FindingCounts } | undefined, applicable: boolean): Status {
  const c = counts?.contractor ?? emptyCounts();
  if (c.violation > 0) return 'violation';
  if (c.pending > 0) return 'pending';
  const any = counts !== undefined && (c.compliant + counts.city.violation + counts.city.pending + counts.city.compliant > 0);
  return applicable || any ? 'compliant' : 'not_applicable';
}

function total(counts: { contractor: FindingCounts; city: FindingCounts } | undefined): FindingCounts {
  const out = emptyCounts();
  if (!counts) return out;
  for (const party of [counts.contractor, counts.city]) {
    out.violation += party.violation;
    out.pending += party.pending;
    out.compliant += party.compliant;
  }
  return out;
}

/**
 * A record verdict from counts and the findings to list (each article's list sorted; `more` says
 * how many there are when not all are listed, and where the rest is).
 */
export function recordVerdict(
  contractId: string,
  recordId: string,
  result: Pick<FoldResult, 'counts' | 'applicable'>,
  listed: readonly Judged[],
  options: AnswerOptions & { next?: (article: ArticleId) => string | null } = {},
): RecordVerdict {
  const byArticle = new Map<string, Judged[]>();
  for (const f of listed) {
    const list = byArticle.get(f.article);
    if (list) list.push(f);
    else byArticle.set(f.article, [f]);
  }
  const articles: { [article: string]: ArticleVerdict } = {};
  let status: Status = 'not_applicable';
  for (const article of RECORD_ARTICLES) {
    const counts = result.counts[article];
    const findings = (byArticle.get(article) ?? []).sort(compareJudged).map((f) => toFinding(f, options.zone));
    const verdict: ArticleVerdict = { status: articleStatus(counts, result.applicable.has(article)), findings, counts: total(counts) };
    const all = verdict.counts.violation + verdict.counts.pending + verdict.counts.compliant;
    if (findings.length < all) verdict.more = { listed: findings.length, total: all, next: options.next?.(article) ?? null };
    articles[article] = verdict;
    status = worst(status, verdict.status);
  }
  return { contractId, recordId, status, articles };
}

/** A record's entries inside the cut, in judgement order. */
export function recordEntries(contractId: string, recordId: string, recordEvents: readonly RecordedEvent[], cut: Cut): Entry<RecordEvent>[] {
  const entries: Entry<RecordEvent>[] = [];
  for (const recorded of recordEvents) {
    const event = recorded.event;
    if (!isRecordEvent(event)) throw new Error(`event ${event.eventId} (${event.type}) is a contract event, not a record event`);
    if (event.contractId !== contractId || event.recordId !== recordId) {
      throw new Error(`event ${event.eventId} belongs to ${event.contractId}/${event.recordId}, not ${contractId}/${recordId}`);
    }
    const entry = toEntry(recorded) as Entry<RecordEvent>;
    if (inCut(entry, cut)) entries.push(entry);
  }
  return entries.sort(byOccurrence);
}

/**
 * One record's verdict from its whole stream: every record-level article, every finding listed.
 * `recordEvents` are the record stream's events (any order); those outside the cut are ignored.
 * A record with no event inside the cut answers every article `not_applicable`. For a long stream
 * the service answers from stored folds instead (the same fold, resumed: libs/projections).
 */
export function judgeRecord(history: ContractHistory, recordId: string, recordEvents: readonly RecordedEvent[], cut: Cut, options: AnswerOptions = {}): RecordVerdict {
  const entries = recordEntries(history.contractId, recordId, recordEvents, cut);
  if (entries.length === 0) return recordVerdict(history.contractId, recordId, { counts: {}, applicable: new Set() }, [], options);
  const listed: Judged[] = [];
  const fold = new RecordFold(history.view(cut), recordId, undefined, (f) => listed.push(f));
  for (const entry of entries) fold.fold(entry);
  // The fold is this answer's alone: judged on its own state, not a copy.
  const result = fold.finishInPlace(cut.asOf);
  return recordVerdict(history.contractId, recordId, result, [...listed, ...result.atFinish], options);
}

/** Contract articles that judge a duty of the city (甲): Art. 6 approvals, Art. 10 inspections, APPI Art. 68. */
const CITY_DUTY_ARTICLES: ReadonlySet<ContractArticle> = new Set(['6', '10', 'appi68']);

const CONTRACT_JUDGES: { readonly [A in ContractArticle]: (ctx: ContractContext) => ArticleResult } = {
  '6': judgeArt6Contract,
  '10': judgeArt10,
  '11': judgeArt11Contract,
  '12': judgeArt12,
  '15': judgeArt15Contract,
  appi68: judgeAppi68,
};

/**
 * The contract-level rules (Art. 6, 10, 11, 12, 15, APPI 68): the contractor's findings by
 * article with the contract's status, and the city's own duties apart (`city`).
 */
export function judgeContract(history: ContractHistory, cut: Cut, records: RecordFacts = NO_RECORD_FACTS, options: AnswerOptions = {}): ContractLevelVerdict {
  const ctx: ContractContext = { contract: history.view(cut), asOf: cut.asOf, records };
  const articles: { [article: string]: ArticleVerdict } = {};
  let status: Status = 'not_applicable';
  let cityStatus: Status = 'not_applicable';
  const cityFindings: Finding[] = [];
  for (const article of CONTRACT_ARTICLES as ContractArticle[]) {
    const result = CONTRACT_JUDGES[article](ctx);
    const counts: Counts[string] = { contractor: emptyCounts(), city: emptyCounts() };
    const judged = [...result.findings].sort(compareJudged);
    for (const f of judged) counts[f.party][f.status] += 1;
    const verdict: ArticleVerdict = {
      status: articleStatus(counts, result.applicable),
      findings: judged.filter((f) => f.party === 'contractor').map((f) => toFinding(f, options.zone)),
      counts: total(counts),
    };
    articles[article] = verdict;
    status = worst(status, verdict.status);
    for (const f of judged) {
      if (f.party !== 'city') continue;
      cityFindings.push(toFinding(f, options.zone));
      cityStatus = worst(cityStatus, f.status);
    }
    // The city's own duties were judged (an approval, a running term, a reportable incident): at least compliant.
    if (result.applicable && CITY_DUTY_ARTICLES.has(article)) cityStatus = worst(cityStatus, 'compliant');
  }
  return { contractId: history.contractId, status, articles, city: { status: cityStatus, findings: cityFindings } };
}

/**
 * The earliest `dueAt` (epoch ms) of the verdict's pending findings, or null. Past that instant
 * the finding turns into a violation without any new event, so a read model must re-judge then.
 */
export function nextDeadline(findings: readonly Judged[]): number | null {
  let next: number | null = null;
  for (const f of findings) if (f.status === 'pending' && f.due !== undefined && (next === null || f.due < next)) next = f.due;
  return next;
}

/**
 * art10.inspection-overdue is a violation-only rule, so it has no pending finding: this is the
 * instant after which it holds without any new event, or null.
 */
export function inspectionDueAt(history: ContractHistory, cut: Cut): number | null {
  return inspectionDue(history.view(cut), cut.asOf);
}

export type { Key };
