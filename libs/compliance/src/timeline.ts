import type { FoldResult } from './record-fold.js';
import type { Judged } from './obligation.js';
import type { Message, Party, Status } from './verdict.js';

/** An obligation still open after every known event: what a read model keeps to answer it at any later time. */
export interface OpenItem {
  rule: string;
  article: string;
  party: Party;
  eventIds: string[];
  firstAt: number;
  firstPos: number;
  from: number;
  due: number | null;
  pending: Message;
  overdue: Message;
  /**
   * Set on a violation that the end of the cut made final (a collection never recorded, an
   * incident reported late, a breach reported late): it is listed as a violation at any later time.
   */
  final?: 'violation';
}

/**
 * A record's contractor status as a function of time after its last event, from a fold finished
 * at the end of time (every open obligation overdue): `final` until `pendingFrom`, pending from
 * then, violation after `violationFrom`; violation throughout when a final finding is one. It
 * only ever worsens, so a read model stores three values and answers any "now" in SQL.
 */
export interface StatusTimeline {
  final: Exclude<Status, 'pending'>;
  pendingFrom: number | null;
  violationFrom: number | null;
}

export function statusAt(timeline: StatusTimeline, t: number): Status {
  if (timeline.final === 'violation') return 'violation';
  if (timeline.violationFrom !== null && t > timeline.violationFrom) return 'violation';
  if (timeline.pendingFrom !== null && t >= timeline.pendingFrom) return 'pending';
  return timeline.final;
}

/** The timeline and the open items of a fold finished at the end of time. */
export function timelineOf(result: FoldResult): { timeline: StatusTimeline; open: OpenItem[] } {
  const open: OpenItem[] = [];
  let openViolations = 0;
  let pendingFrom: number | null = null;
  let violationFrom: number | null = null;
  for (const f of result.atFinish) {
    if (!f.open) {
      // Not stored as a final finding by the fold, yet final: the read model lists it from here.
      if (f.status === 'violation') open.push({ ...openItem(f), final: 'violation' });
      continue;
    }
    open.push(openItem(f));
    if (f.party !== 'contractor') continue;
    if (f.status === 'violation') openViolations += 1;
    pendingFrom = pendingFrom === null ? f.open.from : Math.min(pendingFrom, f.open.from);
    if (f.due !== undefined) violationFrom = violationFrom === null ? f.due : Math.min(violationFrom, f.due);
  }
  let finalViolations = -openViolations;
  let any = false;
  for (const counts of Object.values(result.counts)) {
    finalViolations += counts.contractor.violation;
    any ||= counts.contractor.compliant + counts.contractor.pending + counts.contractor.violation + counts.city.compliant + counts.city.violation + counts.city.pending > 0;
  }
  const final = finalViolations > 0 ? 'violation' : any || result.applicable.size > 0 ? 'compliant' : 'not_applicable';
  return { timeline: { final, pendingFrom, violationFrom }, open };
}

function openItem(f: Judged): OpenItem {
  return {
    rule: f.rule,
    article: f.article,
    party: f.party,
    eventIds: f.events.map((e) => e.id),
    firstAt: f.events[0]!.at,
    firstPos: f.events[0]!.pos,
    from: f.open?.from ?? f.events[0]!.at,
    due: f.due ?? null,
    pending: f.open?.pending ?? f.message,
    overdue: f.open?.overdue ?? f.message,
  };
}
