import { isRecordEvent, type EventOfType, type RecordEvent, type RecordedEvent } from '@ledger/domain';
import { byOccurrence, inCut, toEntry, type Entry } from './entry.js';
import type { Cut } from './verdict.js';

export type CollectedEntry = Entry<EventOfType<'RecordCollected'>>;

/** The state of the holding an event acts on, just before the event. */
export interface Acted {
  /** undefined: the original. */
  readonly copyId: string | undefined;
  /** `uncollected`: the original before any RecordCollected; `unknown`: a copy no RecordCopied created. */
  readonly state: 'open' | 'closed' | 'unknown' | 'uncollected';
  /** The RecordReturned or RecordDisposed that closed it, when closed. */
  readonly closedBy: Entry | null;
}

/** One record event with what the holdings walk learnt at it (docs/rulebook.md "Holdings"). */
export interface Step {
  readonly entry: Entry<RecordEvent>;
  /**
   * The holding the event acts on: the source of a RecordCopied, the holding named by
   * TransportStarted, RecordReturned or RecordDisposed.
   */
  readonly acted: Acted | null;
  /** RecordUsed only: every holding that ever existed was closed before it; the last closing event. */
  readonly allClosedBy: Entry | null;
  /** Open holdings after the event. */
  readonly openAfter: number;
}

interface Holding {
  closedBy: Entry | null;
}

const ORIGINAL = '';

/** One record's events inside a cut, in judgement order, with its holdings walked once. */
export class RecordHistory {
  private constructor(
    readonly recordId: string,
    readonly entries: readonly Entry<RecordEvent>[],
    readonly steps: readonly Step[],
    readonly collections: readonly CollectedEntry[],
    /** Holdings still open at the end of the cut: undefined for the original, else the copyId. */
    readonly openHoldings: readonly (string | undefined)[],
  ) {}

  static of(contractId: string, recordId: string, recordEvents: readonly RecordedEvent[], cut: Cut): RecordHistory {
    const entries: Entry<RecordEvent>[] = [];
    for (const recorded of recordEvents) {
      const event = recorded.event;
      if (!isRecordEvent(event)) {
        throw new Error(`event ${event.eventId} (${event.type}) is a contract event, not a record event`);
      }
      if (event.contractId !== contractId || event.recordId !== recordId) {
        throw new Error(`event ${event.eventId} belongs to ${event.contractId}/${event.recordId}, not ${contractId}/${recordId}`);
      }
      const entry = toEntry(recorded) as Entry<RecordEvent>;
      if (inCut(entry, cut)) entries.push(entry);
    }
    entries.sort(byOccurrence);
    const collections = entries.filter((e): e is CollectedEntry => e.event.type === 'RecordCollected');
    const walked = walkHoldings(entries);
    return new RecordHistory(recordId, entries, walked.steps, collections, walked.openHoldings);
  }

  /** The record's collected dataCategories at t: the union over every RecordCollected at or before t; null when none. */
  categoriesAt(t: number): string[] | null {
    let categories: string[] | null = null;
    for (const c of this.collections) {
      if (c.at > t) break;
      categories ??= [];
      for (const category of c.event.data.dataCategories) if (!categories.includes(category)) categories.push(category);
    }
    return categories;
  }
}

function walkHoldings(entries: readonly Entry<RecordEvent>[]): { steps: Step[]; openHoldings: (string | undefined)[] } {
  const holdings = new Map<string, Holding>();
  let open = 0;
  let lastClosing: Entry | null = null;
  const stateOf = (copyId: string | undefined): Acted => {
    const holding = holdings.get(copyId ?? ORIGINAL);
    if (!holding) return { copyId, state: copyId === undefined ? 'uncollected' : 'unknown', closedBy: null };
    return { copyId, state: holding.closedBy ? 'closed' : 'open', closedBy: holding.closedBy };
  };
  const openHolding = (key: string): void => {
    const holding = holdings.get(key);
    if (holding && !holding.closedBy) return;
    holdings.set(key, { closedBy: null });
    open += 1;
  };
  const close = (copyId: string | undefined, by: Entry): void => {
    const holding = holdings.get(copyId ?? ORIGINAL);
    if (!holding || holding.closedBy) return;
    holding.closedBy = by;
    open -= 1;
    lastClosing = by;
  };

  const steps: Step[] = [];
  for (const entry of entries) {
    const event = entry.event;
    let acted: Acted | null = null;
    let allClosedBy: Entry | null = null;
    switch (event.type) {
      case 'RecordCollected':
        openHolding(ORIGINAL);
        break;
      case 'RecordCopied':
        acted = stateOf(event.data.fromCopyId);
        openHolding(event.data.copyId);
        break;
      case 'TransportStarted':
        acted = stateOf(event.data.copyId);
        break;
      case 'RecordReturned':
      case 'RecordDisposed':
        acted = stateOf(event.data.copyId);
        close(event.data.copyId, entry);
        break;
      case 'RecordUsed':
        if (holdings.size > 0 && open === 0) allClosedBy = lastClosing;
        break;
      case 'RecordProvided':
      case 'RecordAnonymized':
      case 'TransportCompleted':
        break;
      default: {
        const _exhaustive: never = event;
        throw new Error(`unknown record event ${JSON.stringify(_exhaustive)}`);
      }
    }
    steps.push({ entry, acted, allClosedBy, openAfter: open });
  }
  const openCopies: string[] = [];
  for (const [key, holding] of holdings) if (!holding.closedBy && key !== ORIGINAL) openCopies.push(key);
  openCopies.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const original = holdings.get(ORIGINAL);
  const openHoldings: (string | undefined)[] = original && !original.closedBy ? [undefined, ...openCopies] : openCopies;
  return { steps, openHoldings };
}
