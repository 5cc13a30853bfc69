/**
 * The rulebook (docs/rulebook.md) as pure functions: the same contract history, record events
 * and cut always give the same verdict. No clock, no I/O.
 */
export { ContractHistory, ContractView, type Terms, type WorkerStanding, type SubcontractorStanding, type Coverage } from './contract-history.js';
export { judgeRecord, judgeContract, nextDeadline, inspectionDueAt } from './judge.js';
export { RULES, RECORD_ARTICLES, CONTRACT_ARTICLES } from './rules.js';
export { ARTICLES } from './messages.js';
export type {
  Status,
  FindingStatus,
  Message,
  Finding,
  ArticleVerdict,
  RecordVerdict,
  ContractLevelVerdict,
  Cut,
  RuleInfo,
} from './verdict.js';
