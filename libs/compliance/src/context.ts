import type { RecordEvent } from '@ledger/domain';
import type { ContractView } from './contract-history.js';
import type { Entry } from './entry.js';
import type { Ranked } from './obligation.js';
import type { RecordHistory } from './record-history.js';

/** What a record rule reads: the contract through the cut, the record's events, and "now" (asOf). */
export interface RecordContext {
  readonly contract: ContractView;
  readonly record: RecordHistory;
  readonly recordId: string;
  readonly asOf: number;
}

/** What a contract rule reads. */
export interface ContractContext {
  readonly contract: ContractView;
  readonly asOf: number;
}

/** One article's judgement: whether any event it judges exists, and its findings. */
export interface ArticleResult {
  readonly applicable: boolean;
  readonly findings: readonly Ranked[];
}

/** Record events done by a worker of the contractor or of a subcontractor (not exempt as the city's). */
export function workerEvents(record: RecordHistory): Entry<RecordEvent>[] {
  return record.entries.filter((e) => e.event.actor.org !== 'city');
}
