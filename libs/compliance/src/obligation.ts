import { precedes, type Key, type Ref } from '@ledger/handling';
import type { ArticleId } from './articles.js';
import { jst, say, wa } from './messages.js';
import type { FindingStatus, Message, Party } from './verdict.js';

/**
 * A finding as the rulebook makes it, before it is answered: its evidence as references (the
 * offending or opening event first), its due time in epoch ms. `judgeRecord` turns it into the
 * answer's `Finding` (times in the ledger's zone).
 */
export interface Judged {
  readonly rule: string;
  readonly article: ArticleId;
  readonly status: FindingStatus;
  readonly party: Party;
  readonly events: readonly Ref[];
  readonly message: Message;
  readonly due?: number;
  readonly recordId?: string;
  /** Obligations: whether it was one (its violation opens at `due`, not at its first event). */
  readonly obligation?: boolean;
  /**
   * The event at which the breach became a fact when that is not the rule's default (an
   * obligation violated before its due time, e.g. an order closed the wrong way): Art. 15's
   * duty to report opens there.
   */
  readonly breachAt?: Ref;
  /**
   * An obligation still open at the end of the cut: from when it binds, and how it reads while
   * pending and once overdue (a read model decides which by the clock).
   */
  readonly open?: { readonly from: number; readonly pending: Message; readonly overdue: Message };
}

/** The sort key of a finding: the occurredAt and position of its first event. */
export function firstKey(finding: Judged): Key {
  return finding.events[0]!;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** By the occurredAt and position of the first event, then rule, then the other events and the record. */
export function compareJudged(a: Judged, b: Judged): number {
  const ka = firstKey(a);
  const kb = firstKey(b);
  return (
    ka.at - kb.at ||
    ka.pos - kb.pos ||
    compareText(a.rule, b.rule) ||
    compareText(a.events.map((e) => e.id).join(','), b.events.map((e) => e.id).join(',')) ||
    compareText(a.recordId ?? '', b.recordId ?? '')
  );
}

/** A plain violation: the offending event first, then the events that explain it. */
export function violation(
  rule: string,
  article: ArticleId,
  party: Party,
  events: readonly (Ref | null | undefined)[],
  text: Message,
  recordId?: string,
): Judged {
  const present = events.filter((e): e is Ref => e !== null && e !== undefined);
  if (present.length === 0) throw new Error(`finding ${rule} without events`);
  const finding: Judged = { rule, article, status: 'violation', party, events: present, message: say(article, 'violation', text) };
  return recordId === undefined ? finding : { ...finding, recordId };
}

export type ObligationState = 'met' | 'late' | 'overdue' | 'pending';

/**
 * "Within D": met if closed at or before due (bounds included), late if closed after it, overdue
 * if still open when asOf is past due, pending if still open and asOf ≤ due.
 */
export function obligationState(closing: Key | null, due: number, asOf: number): ObligationState {
  if (closing) return closing.at <= due ? 'met' : 'late';
  return asOf > due ? 'overdue' : 'pending';
}

const STATUS_OF: { readonly [S in ObligationState]: FindingStatus } = {
  met: 'compliant',
  late: 'violation',
  overdue: 'violation',
  pending: 'pending',
};

export interface ObligationInput {
  readonly rule: string;
  readonly article: ArticleId;
  readonly party: Party;
  readonly opening: Ref;
  readonly closing: Ref | null;
  readonly due: number;
  readonly asOf: number;
  /**
   * What is due, as the subject of a sentence: `乙による搬送T-1の完了` /
   * `the completion (TransportCompleted) of transport T-1`.
   */
  readonly subject: Message;
  /** Appended to the message: e.g. the note that the deadline is the ledger's default. */
  readonly note?: Message;
  /** More evidence after the opening and closing events. */
  readonly also?: readonly Ref[];
  /** When the obligation starts to bind, if later than its opening event (e.g. when an authorization ends). */
  readonly from?: number;
  readonly recordId?: string;
}

/** The finding of an obligation: opening event, then closing event; due always set. */
export function obligation(input: ObligationInput): Judged {
  const state = obligationState(input.closing, input.due, input.asOf);
  const status = STATUS_OF[state];
  const text = obligationText(state, input.subject, input.due, input.closing);
  const note = input.note ?? { ja: '', en: '' };
  const events = [input.opening, ...(input.closing ? [input.closing] : []), ...(input.also ?? [])];
  const finding: { -readonly [K in keyof Judged]: Judged[K] } = {
    rule: input.rule,
    article: input.article,
    status,
    party: input.party,
    events,
    message: say(input.article, status, { ja: text.ja + note.ja, en: text.en + note.en }),
    due: input.due,
    obligation: true,
  };
  if (!input.closing) {
    const word = (state: ObligationState): Message => {
      const t = obligationText(state, input.subject, input.due, null);
      return say(input.article, STATUS_OF[state], { ja: t.ja + note.ja, en: t.en + note.en });
    };
    finding.open = { from: input.from ?? input.opening.at, pending: word('pending'), overdue: word('overdue') };
  }
  return input.recordId === undefined ? finding : { ...finding, recordId: input.recordId };
}

function obligationText(state: ObligationState, subject: Message, due: number, closing: Key | null): Message {
  switch (state) {
    case 'met':
      return {
        ja: `${subject.ja}は、期限である${wa(due)}までの${wa(closing!.at)}に行われた。`,
        en: `${subject.en}: done at ${jst(closing!.at)}, within the due time ${jst(due)}`,
      };
    case 'late':
      return {
        ja: `${subject.ja}は、期限である${wa(due)}を過ぎた${wa(closing!.at)}に行われた。`,
        en: `${subject.en}: done only at ${jst(closing!.at)}, after the due time ${jst(due)}`,
      };
    case 'overdue':
      return {
        ja: `${subject.ja}は、期限である${wa(due)}を過ぎても行われていない。`,
        en: `${subject.en}: due by ${jst(due)}, not done`,
      };
    case 'pending':
      return {
        ja: `${subject.ja}の期限は${wa(due)}であり、まだ行われていない。`,
        en: `${subject.en}: due by ${jst(due)}, not done yet`,
      };
    default: {
      const _exhaustive: never = state;
      throw new Error(`unknown obligation state ${String(_exhaustive)}`);
    }
  }
}

/** The first candidate at or after the opening's occurredAt (candidates in judgement order). */
export function firstClosing<E extends Key>(candidates: readonly E[], opening: Key): E | null {
  for (const c of candidates) if (c.at >= opening.at) return c;
  return null;
}

/** Whether `a` closes before `b` in the judgement order (for picking the earliest of two closings). */
export function earlier<E extends Key>(a: E | null, b: E | null): E | null {
  if (a === null) return b;
  if (b === null) return a;
  return precedes(a, b) ? a : b;
}
