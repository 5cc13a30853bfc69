import { isoUtc } from '@ledger/domain';
import type { Entry } from './entry.js';
import { jst, say } from './messages.js';
import type { Finding, FindingStatus, Message } from './verdict.js';

/** A finding with its sort key: the occurredAt and position of its first event. */
export interface Ranked {
  readonly finding: Finding;
  readonly at: number;
  readonly pos: number;
}

export function makeFinding(
  rule: string,
  article: string,
  status: FindingStatus,
  events: readonly Entry[],
  message: Message,
  options: { dueAt?: number; recordId?: string } = {},
): Ranked {
  const first = events[0];
  if (!first) throw new Error(`finding ${rule} without events`);
  const finding: Finding = { rule, article, status, eventIds: events.map((e) => e.id), message };
  if (options.dueAt !== undefined) finding.dueAt = isoUtc(options.dueAt);
  if (options.recordId !== undefined) finding.recordId = options.recordId;
  return { finding, at: first.at, pos: first.pos };
}

/** A plain violation: the offending event first, then the events that explain it. */
export function violation(
  rule: string,
  article: string,
  events: readonly (Entry | null | undefined)[],
  text: Message,
  recordId?: string,
): Ranked {
  const present = events.filter((e): e is Entry => e !== null && e !== undefined);
  return makeFinding(rule, article, 'violation', present, say(article, 'violation', text), recordId === undefined ? {} : { recordId });
}

export type ObligationState = 'met' | 'late' | 'overdue' | 'pending';

/**
 * "Within D": met if closed at or before due (bounds included), late if closed after it, overdue
 * if still open when asOf is past due, pending if still open and asOf ≤ due.
 */
export function obligationState(closing: Entry | null, due: number, asOf: number): ObligationState {
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
  readonly article: string;
  readonly opening: Entry;
  readonly closing: Entry | null;
  readonly due: number;
  readonly asOf: number;
  /** What is due, e.g. "the report of incident I-1 (leak, detected at …) to the city". */
  readonly subject: Message;
  readonly recordId?: string;
}

/** The finding of an obligation: opening event, then closing event; dueAt always set. */
export function obligation(input: ObligationInput): Ranked {
  const state = obligationState(input.closing, input.due, input.asOf);
  const status = STATUS_OF[state];
  const text = obligationText(state, input.subject, input.due, input.closing);
  const events = input.closing ? [input.opening, input.closing] : [input.opening];
  const options: { dueAt: number; recordId?: string } = { dueAt: input.due };
  if (input.recordId !== undefined) options.recordId = input.recordId;
  return makeFinding(input.rule, input.article, status, events, say(input.article, status, text), options);
}

function obligationText(state: ObligationState, subject: Message, due: number, closing: Entry | null): Message {
  const dueText = jst(due);
  switch (state) {
    case 'met':
      return {
        ja: `${subject.ja}は期限 ${dueText} までに ${jst(closing!.at)} に行われました`,
        en: `${subject.en}: done at ${jst(closing!.at)}, within the due time ${dueText}`,
      };
    case 'late':
      return {
        ja: `${subject.ja}は期限 ${dueText} を過ぎて ${jst(closing!.at)} に行われました`,
        en: `${subject.en}: done only at ${jst(closing!.at)}, after the due time ${dueText}`,
      };
    case 'overdue':
      return {
        ja: `${subject.ja}は期限 ${dueText} を過ぎても行われていません`,
        en: `${subject.en}: due by ${dueText}, not done`,
      };
    case 'pending':
      return {
        ja: `${subject.ja}の期限は ${dueText} です（未了）`,
        en: `${subject.en}: due by ${dueText}, not done yet`,
      };
    default: {
      const _exhaustive: never = state;
      throw new Error(`unknown obligation state ${String(_exhaustive)}`);
    }
  }
}

/** The first candidate at or after the opening's occurredAt (candidates in judgement order). */
export function firstClosing<E extends Entry>(candidates: readonly E[], opening: Entry): E | null {
  for (const c of candidates) if (c.at >= opening.at) return c;
  return null;
}
