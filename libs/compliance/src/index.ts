/**
 * The rulebook (docs/rulebook.md) as pure functions over the handling model (@ledger/handling):
 * the same contract history, record events and cut always give the same verdict. No clock, no I/O.
 */
export { ARTICLES, ARTICLE_IDS, RECORD_ARTICLES, CONTRACT_ARTICLES, isArticleId, type ArticleId, type RecordArticle, type ContractArticle } from './articles.js';
export { judgeRecord, judgeContract, recordVerdict, recordEntries, toFinding, articleStatus, nextDeadline, inspectionDueAt, type AnswerOptions } from './judge.js';
export { RecordFold, emptyFoldState, FOLD_VERSION, isCurrentFoldState, type FoldState, type FoldResult, type FindingSink, type Counts } from './record-fold.js';
export { reportability, REPORT_TRIGGERS, type Reportability, type ReportTrigger } from './appi68.js';
export { RULES } from './rules.js';
export { TERMS, wa, jst, durationJa } from './messages.js';
export { compareJudged, type Judged } from './obligation.js';
export { NO_RECORD_FACTS, type RecordFacts } from './context.js';
export type {
  Status,
  FindingStatus,
  FindingCounts,
  Party,
  Message,
  Finding,
  ArticleVerdict,
  RecordVerdict,
  ContractLevelVerdict,
  RuleInfo,
} from './verdict.js';
export { PARTIES, worst } from './verdict.js';
export type { Cut } from '@ledger/handling';
export { statusAt, timelineOf, type StatusTimeline, type OpenItem } from './timeline.js';
