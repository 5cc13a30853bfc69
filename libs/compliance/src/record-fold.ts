/**
 * A record's judgement as a fold (docs/handling-model.md): the record's events, and the contract
 * events that act on it, in judgement order, through the holdings fold and every article's rule,
 * one event at a time. A finding is emitted once, when it is final (a violation at its event, an
 * obligation when closed); what is still open stays in the state and is answered at `finish`, as
 * of the cut's asOf. The state is plain JSON bounded by what is open, so the projector can store
 * it and a later answer can resume from it: the work of an answer never grows with the history.
 */
import type { RecordEvent } from '@ledger/domain';
import {
  byOccurrence,
  emptyHandling,
  Holdings,
  precedes,
  refOf,
  START,
  type ContractView,
  type Entry,
  type HandlingState,
  type HandlingStep,
  type Key,
  type RecordTrigger,
  type Ref,
} from '@ledger/handling';
import type { ArticleId, RecordArticle } from './articles.js';
import { RECORD_ARTICLES } from './articles.js';
import { breachFindings, registerBreach, passReport, emptyBreach, type BreachState } from './art15-breach.js';
import { incidentFindings } from './art15.js';
import { dueAfter } from './due.js';
import type { Judged } from './obligation.js';
import { RECORD_RULES, type RecordRule } from './record-rules.js';
import { emptyCounts, type FindingCounts } from './verdict.js';
import type { FinishContext, RecordContext } from './context.js';

export type { FinishContext, RecordContext } from './context.js';

/** Counts of final findings per article and party. */
export type Counts = { [article: string]: { contractor: FindingCounts; city: FindingCounts } };

export interface FoldState {
  /** 3: breach groups keep their due time. A stored state of another version is refolded, never read. */
  version: 3;
  handling: HandlingState;
  rules: { [A in RecordArticle]?: unknown };
  applicable: ArticleId[];
  counts: Counts;
  breach: BreachState;
}

/** Where final findings go (the projector stores them; an answer lists the first of them). */
export type FindingSink = (finding: Judged, finalizedAt: Key) => void;

/** The shape of the fold's state that this code reads and writes. */
export const FOLD_VERSION: FoldState['version'] = 3;

/** Whether a stored state is of this code's shape (else it must be refolded: `npm run cli -- rebuild` after an upgrade). */
export function isCurrentFoldState(state: { version?: unknown } | null | undefined): state is FoldState {
  return state?.version === FOLD_VERSION;
}

export function emptyFoldState(): FoldState {
  const rules: FoldState['rules'] = {};
  for (const article of RECORD_ARTICLES as RecordArticle[]) rules[article] = (RECORD_RULES[article] as RecordRule<unknown>).init();
  return { version: 3, handling: emptyHandling(), rules, applicable: [], counts: {}, breach: emptyBreach() };
}

function count(counts: Counts, finding: Judged): void {
  const article = (counts[finding.article] ??= { contractor: emptyCounts(), city: emptyCounts() });
  article[finding.party][finding.status] += 1;
}

/** The result of `finish`: every count, and the findings made only at the end (open obligations and the like). */
export interface FoldResult {
  readonly counts: Counts;
  readonly applicable: ReadonlySet<ArticleId>;
  /** Findings of the end of the cut: open obligations (pending or overdue), incident reports, unreported breaches. */
  readonly atFinish: readonly Judged[];
  readonly handling: HandlingState;
}

const EXCLUDED_FROM_BREACH = new Set(['art7.collection-missing']);

/** One record's fold over a contract cut. */
export class RecordFold {
  private readonly holdings: Holdings;
  private ctx: RecordContext;
  private applicable: Set<ArticleId>;
  private sink: FindingSink;
  private at: Key = START;

  constructor(
    private contract: ContractView,
    readonly recordId: string,
    readonly state: FoldState = emptyFoldState(),
    sink: FindingSink = () => undefined,
  ) {
    this.sink = sink;
    this.holdings = new Holdings(state.handling, contract);
    this.applicable = new Set(state.applicable);
    this.ctx = this.context();
  }

  private context(): RecordContext {
    const state = this.state;
    return {
      contract: this.contract,
      recordId: this.recordId,
      handling: state.handling,
      emit: (finding) => this.emit(finding),
      applies: (article) => {
        if (!this.applicable.has(article)) {
          this.applicable.add(article);
          state.applicable.push(article);
        }
      },
    };
  }

  /**
   * The contract as known when the next event is folded (a stored fold judges each event with
   * what the ledger knew then; the contract's later facts reach it through a refold).
   */
  setView(contract: ContractView): void {
    if (contract === this.contract) return;
    this.contract = contract;
    this.holdings.setView(contract);
    this.ctx = this.context();
  }

  /** Redirect final findings (e.g. a projector that stores them per batch). */
  setSink(sink: FindingSink): void {
    this.sink = sink;
  }

  private emit(finding: Judged): void {
    count(this.state.counts, finding);
    if (finding.party === 'contractor' && finding.status === 'violation' && finding.article !== '15' && !EXCLUDED_FROM_BREACH.has(finding.rule)) {
      const evidence = finding.breachAt ?? finding.events[0]!;
      const openedAt = finding.breachAt?.at ?? (finding.obligation ? finding.due! : evidence.at);
      registerBreach(this.state.breach, openedAt, dueAfter(this.contract, 'incidentReportWithin', openedAt), evidence);
    }
    this.sink(finding, this.at);
  }

  /** The last event or trigger folded. */
  get last(): Key | null {
    return this.state.handling.last;
  }

  /** The record's triggers: the contract-wide ones and its own, each list in judgement order. */
  private specific: readonly RecordTrigger[] | null = null;

  /** Folds the contract triggers placed before `key` (inclusive: at or before `key.at`) that are not yet folded. */
  private triggersBefore(key: Key, inclusive: boolean): void {
    const history = this.contract.history;
    this.specific ??= history.specificTriggers(this.recordId);
    const lists = [history.globalTriggers, this.specific];
    const last = this.state.handling.last;
    const cursors = lists.map((list) => {
      let lo = 0;
      let hi = list.length;
      if (last) {
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (precedes(last, list[mid]!)) hi = mid;
          else lo = mid + 1;
        }
      }
      return lo;
    });
    for (;;) {
      let pick = -1;
      for (let l = 0; l < lists.length; l++) {
        const t = lists[l]![cursors[l]!];
        if (t && (pick < 0 || precedes(t, lists[pick]![cursors[pick]!]!))) pick = l;
      }
      if (pick < 0) return;
      const t = lists[pick]![cursors[pick]!]!;
      if (inclusive ? t.at > key.at : !precedes(t, key)) return;
      cursors[pick]! += 1;
      if (this.contract.triggers(t)) this.trigger(t);
    }
  }

  private trigger(trigger: RecordTrigger): void {
    this.at = trigger;
    this.holdings.trigger(trigger);
    if (trigger.event.type === 'IncidentReported') passReport(this.state.breach, refOf(trigger));
    for (const article of RECORD_ARTICLES as RecordArticle[]) {
      const rule = RECORD_RULES[article] as RecordRule<unknown>;
      rule.trigger?.(this.ctx, this.state.rules[article], trigger);
    }
  }

  /** One record event, after every event already folded (judgement order). */
  fold(entry: Entry<RecordEvent>): HandlingStep {
    this.assertFoldable();
    const last = this.state.handling.last;
    if (last && !precedes(last, entry)) {
      throw new Error(`event ${entry.id} comes before what the fold has seen: refold from an earlier state`);
    }
    this.triggersBefore(entry, false);
    this.at = entry;
    const step = this.holdings.evolve(entry);
    for (const article of RECORD_ARTICLES as RecordArticle[]) {
      const rule = RECORD_RULES[article] as RecordRule<unknown>;
      rule.step?.(this.ctx, this.state.rules[article], step);
    }
    return step;
  }

  /** Folds the contract triggers up to asOf (the fold then stands at the end of the cut). */
  advanceTo(asOf: number): void {
    this.assertFoldable();
    this.triggersBefore({ at: asOf, pos: Number.MAX_SAFE_INTEGER }, true);
  }

  /**
   * The judgement at the end of the cut, on a copy of the state (this fold can go on): the
   * triggers up to asOf, then every open obligation as pending or overdue at asOf.
   */
  finish(asOf: number): FoldResult {
    return this.assertFoldable().judgeEnd(JSON.parse(JSON.stringify(this.state)) as FoldState, asOf);
  }

  /**
   * The same judgement on this fold's own state, without copying it: the state is spent (the
   * triggers up to asOf and the end of the cut are folded into it) and this fold can neither fold
   * nor finish again. For a caller that no longer needs the state as it stood, or that kept it
   * as JSON before (the projector writes that text and judges here): no copy of the whole state
   * per judgement.
   */
  finishInPlace(asOf: number): FoldResult {
    const result = this.assertFoldable().judgeEnd(this.state, asOf);
    this.spent = true;
    return result;
  }

  /** Set by finishInPlace: the state holds the end of a cut, not the last event folded. */
  private spent = false;

  private assertFoldable(): this {
    if (this.spent) throw new Error(`the fold of record ${this.recordId} was finished in place: its state is spent`);
    return this;
  }

  private judgeEnd(state: FoldState, asOf: number): FoldResult {
    const atFinish: Judged[] = [];
    const end = new RecordFold(this.contract, this.recordId, state, (finding) => atFinish.push(finding));
    end.advanceTo(asOf);
    const ctx: FinishContext = { ...end.ctx, asOf };
    for (const article of RECORD_ARTICLES as RecordArticle[]) {
      const rule = RECORD_RULES[article] as RecordRule<unknown>;
      rule.finish?.(ctx, state.rules[article]);
    }
    for (const finding of incidentFindings(ctx)) end.emit(finding);
    for (const finding of breachFindings(ctx, state.breach)) {
      count(state.counts, finding);
      atFinish.push(finding);
    }
    if (state.breach.groups.length > 0) ctx.applies('15');
    return { counts: state.counts, applicable: new Set(state.applicable), atFinish, handling: state.handling };
  }
}

/** Record events in judgement order (helper for callers holding a whole stream). */
export function sortEntries<E extends Entry>(entries: E[]): E[] {
  return entries.sort(byOccurrence);
}

export type { Ref };
