import { isoUtc, type RecordedEvent } from '@ledger/domain';
import { judgeArt4 } from './art04.js';
import { judgeArt6Contract, judgeArt6Record } from './art06.js';
import { judgeArt7 } from './art07.js';
import { judgeArt8 } from './art08.js';
import { judgeArt9 } from './art09.js';
import { inspectionDue, judgeArt10 } from './art10.js';
import { judgeArt11Contract, judgeArt11Record } from './art11.js';
import { judgeArt12 } from './art12.js';
import { judgeArt13 } from './art13.js';
import { judgeArt14 } from './art14.js';
import { judgeArt15Contract, judgeArt15Record } from './art15.js';
import { judgeArt17 } from './art17.js';
import { judgeArt18 } from './art18.js';
import type { ContractHistory } from './contract-history.js';
import type { ArticleResult, ContractContext, RecordContext } from './context.js';
import type { Ranked } from './obligation.js';
import { RecordHistory } from './record-history.js';
import { worst, type ArticleVerdict, type ContractLevelVerdict, type Cut, type RecordVerdict, type Status } from './verdict.js';

const RECORD_JUDGES: readonly (readonly [string, (ctx: RecordContext) => ArticleResult])[] = [
  ['4', judgeArt4],
  ['6', judgeArt6Record],
  ['7', judgeArt7],
  ['8', judgeArt8],
  ['9', judgeArt9],
  ['11', judgeArt11Record],
  ['13', judgeArt13],
  ['14', judgeArt14],
  ['15', judgeArt15Record],
  ['17', judgeArt17],
  ['18', judgeArt18],
];

const CONTRACT_JUDGES: readonly (readonly [string, (ctx: ContractContext) => ArticleResult])[] = [
  ['6', judgeArt6Contract],
  ['10', judgeArt10],
  ['11', judgeArt11Contract],
  ['12', judgeArt12],
  ['15', judgeArt15Contract],
];

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** By the occurredAt and position of the first event, then rule, then the other events and the record. */
function compareRanked(a: Ranked, b: Ranked): number {
  return (
    a.at - b.at ||
    a.pos - b.pos ||
    compareText(a.finding.rule, b.finding.rule) ||
    compareText(a.finding.eventIds.join(','), b.finding.eventIds.join(',')) ||
    compareText(a.finding.recordId ?? '', b.finding.recordId ?? '')
  );
}

function articleVerdict(result: ArticleResult): ArticleVerdict {
  const ranked = [...result.findings].sort(compareRanked);
  let status: Status = result.applicable || ranked.length > 0 ? 'compliant' : 'not_applicable';
  for (const r of ranked) status = worst(status, r.finding.status);
  return { status, findings: ranked.map((r) => r.finding) };
}

const NOT_APPLICABLE = (): ArticleVerdict => ({ status: 'not_applicable', findings: [] });

/**
 * One record's verdict: every record-level article (4, 6, 7, 8, 9, 11, 13, 14, 15, 17, 18).
 * `recordEvents` are the record stream's events (any order); those outside the cut are ignored.
 * A record with no event inside the cut is unknown: every article is `not_applicable`.
 */
export function judgeRecord(
  history: ContractHistory,
  recordId: string,
  recordEvents: readonly RecordedEvent[],
  cut: Cut,
): RecordVerdict {
  const record = RecordHistory.of(history.contractId, recordId, recordEvents, cut);
  const articles: { [article: string]: ArticleVerdict } = {};
  let status: Status = 'not_applicable';
  if (record.entries.length === 0) {
    for (const [article] of RECORD_JUDGES) articles[article] = NOT_APPLICABLE();
    return { contractId: history.contractId, recordId, status, articles };
  }
  const ctx: RecordContext = { contract: history.view(cut), record, recordId, asOf: cut.asOf };
  for (const [article, judge] of RECORD_JUDGES) {
    const verdict = articleVerdict(judge(ctx));
    articles[article] = verdict;
    status = worst(status, verdict.status);
  }
  return { contractId: history.contractId, recordId, status, articles };
}

/** The contract-level rules only (Art. 6, 10, 11, 12, 15). */
export function judgeContract(history: ContractHistory, cut: Cut): ContractLevelVerdict {
  const ctx: ContractContext = { contract: history.view(cut), asOf: cut.asOf };
  const articles: { [article: string]: ArticleVerdict } = {};
  let status: Status = 'not_applicable';
  for (const [article, judge] of CONTRACT_JUDGES) {
    const verdict = articleVerdict(judge(ctx));
    articles[article] = verdict;
    status = worst(status, verdict.status);
  }
  return { contractId: history.contractId, status, articles };
}

/**
 * The earliest `dueAt` of the verdict's pending findings (ISO UTC), or null. Past that instant
 * the finding turns into a violation without any new event, so a read model must re-judge then.
 */
export function nextDeadline(verdict: RecordVerdict | ContractLevelVerdict): string | null {
  let next: string | null = null;
  for (const article of Object.values(verdict.articles)) {
    for (const finding of article.findings) {
      if (finding.status === 'pending' && finding.dueAt !== undefined && (next === null || finding.dueAt < next)) {
        next = finding.dueAt;
      }
    }
  }
  return next;
}

/**
 * art10.inspection-overdue is a violation-only rule, so it has no pending finding: this is the
 * instant (ISO UTC) after which it holds without any new event, or null when the term ends first
 * or it already holds. A contract read model re-judges at the earlier of this and nextDeadline.
 */
export function inspectionDueAt(history: ContractHistory, cut: Cut): string | null {
  const due = inspectionDue(history.view(cut), cut.asOf);
  return due === null ? null : isoUtc(due);
}
