import type { RecordEvent } from '@ledger/domain';
import type { ContractView, HandlingState, HandlingStep, RecordTrigger } from '@ledger/handling';
import type { ArticleId, RecordArticle } from './articles.js';
import type { Judged } from './obligation.js';
import type { RuleInfo } from './verdict.js';

/** What a record rule reads while the fold goes on, and how it says what it found. */
export interface RecordContext {
  readonly contract: ContractView;
  readonly recordId: string;
  /** The holdings fold's state after the current event. */
  readonly handling: HandlingState;
  /** A final finding (a violation, or an obligation that closed). */
  emit(finding: Judged): void;
  /** The article judged something of this record (so it is at least `compliant`). */
  applies(article: ArticleId): void;
}

/** At the end of the cut: asOf is "now" for what is still open. */
export interface FinishContext extends RecordContext {
  readonly asOf: number;
}

/**
 * One article's record rules as a fold (docs/handling-model.md "Adding a rule"): its own state
 * (plain JSON, bounded by what is open), what it does at each record event and contract trigger,
 * and what it answers for what is still open at the end of the cut.
 */
export interface RecordRule<S> {
  readonly article: RecordArticle;
  readonly rules: readonly RuleInfo[];
  init(): S;
  step?(ctx: RecordContext, state: S, step: HandlingStep): void;
  trigger?(ctx: RecordContext, state: S, trigger: RecordTrigger): void;
  finish?(ctx: FinishContext, state: S): void;
}

/** Whether a record event was done by a worker of the contractor or a subcontractor (not the city's own). */
export function byWorker(event: RecordEvent): boolean {
  return event.actor.org !== 'city';
}

/** What the contract's incident rules need of the records an incident lists (APPI Art. 68). */
export interface RecordFacts {
  /** The record's collections at or before t (categories, person count), or null when unknown. */
  collectionsAt(recordId: string, t: number): readonly { categories: readonly string[]; personCount: number | null }[] | null;
}

export const NO_RECORD_FACTS: RecordFacts = { collectionsAt: () => null };

/** What a contract rule reads. */
export interface ContractContext {
  readonly contract: ContractView;
  readonly asOf: number;
  readonly records: RecordFacts;
}

/** One contract article's judgement: whether any event it judges exists, and its findings. */
export interface ArticleResult {
  readonly applicable: boolean;
  readonly findings: readonly Judged[];
}
