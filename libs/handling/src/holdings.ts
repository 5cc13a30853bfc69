/**
 * The holdings fold (RULES.md "Standing facts" → Holdings; docs/handling-model.md): where each
 * holding of a record — the original and each copy — is, in which state, held by whom, every
 * transport leg, and the duties to return or dispose of it. One fold serves the rulebook (Art. 5,
 * 11, 13, 14, 15 read it) and custody (which answers from it), so an "overdue" can never mean two
 * things.
 *
 * The state is plain JSON, mutated in place one event at a time in judgement order, and bounded by
 * what is open (holdings, legs, duties), never by the length of the record's history: closed
 * holdings and finished legs are remembered only up to fixed limits.
 */
import {
  addDuration,
  instant,
  type Actor,
  type DisposalAction,
  type Medium,
  type RecordEvent,
  type RecordEventType,
  type Safeguard,
} from '@ledger/domain';
import type { ContractView, RecordTrigger } from './contract-history.js';
import { precedes, refOf, type Entry, type Key, type Ref } from './entry.js';

export type HoldingStateName = 'held' | 'in_transit' | 'returned' | 'disposed';
export const HOLDING_STATES: readonly HoldingStateName[] = ['held', 'in_transit', 'returned', 'disposed'];

export function isOpen(state: HoldingStateName): boolean {
  return state === 'held' || state === 'in_transit';
}

/** The key of a holding in the state: '' for the original, else its copyId. */
export function holdingKey(copyId: string | null | undefined): string {
  return copyId ?? '';
}

/** Who holds a holding. Each part is null when the events do not say it. */
export interface Holder {
  org: string | null;
  workerId: string | null;
  /** Set while a carrier has it (in transit). */
  carrierId: string | null;
}

/** An event that closed a holding. */
export interface Closing extends Ref {
  type: 'RecordReturned' | 'RecordDisposed';
}

export interface HoldingState {
  /** null: the original. */
  copyId: string | null;
  /** Copies: the holding copied from (`copyId` null: the original). null for the original. */
  copiedFrom: { copyId: string | null } | null;
  medium: Medium | null;
  state: HoldingStateName;
  location: string | null;
  holder: Holder | null;
  /** Epoch ms of the event that put the holding in its state. */
  since: number;
  /** The RecordCollected or RecordCopied that opened it (last time). */
  openedBy: Ref;
  /** While in transit: the key of the leg carrying it. */
  transportKey: string | null;
  closedBy: Closing | null;
  /** Custody steps of this holding so far (its history's length). */
  steps: number;
}

/** A transport of a holding (TransportStarted → TransportCompleted with the same transportId). */
export interface TransportLeg {
  /** eventId of its TransportStarted. */
  key: string;
  transportId: string;
  copyId: string | null;
  from: string;
  to: string;
  carrierId: string;
  medium: Medium;
  safeguards: Safeguard[];
  started: Ref;
  expectedArrivalAt: number | null;
  /** expectedArrivalAt, else the start + transportWithin in force at the start. */
  dueAt: number;
  /** The due time comes from the ledger's default transportWithin (not the contract, not the producer). */
  dueIsDefault: boolean;
  /** Whether a holding was open to carry when it started. */
  carriesHolding: boolean;
}

export interface FinishedLeg extends TransportLeg {
  completed: Ref;
  receivedBy: string;
}

/** One holding's duty to be returned or disposed of under a disposal order. */
export interface Duty {
  holding: string;
  due: number;
  /** The event that closed the holding, once closed. */
  closedBy: Closing | null;
  /** `wrong-action`: closed, but not as the order says (disposed when a return was instructed, or the reverse). */
  outcome: 'open' | 'met' | 'late' | 'wrong-action';
}

export type OrderKind = 'ContractEnded' | 'DisposalInstructed' | 'RecordNoLongerNeeded';

/** The duties an order put on the holdings open when it came (or on one holding opened after it). */
export interface DutyGroup {
  /** The order, or the later collection or copy that put a new holding under an armed order. */
  opening: Ref;
  duties: Duty[];
}

/** An order to return or dispose of the record's holdings (Art. 14). */
export interface DisposalOrder {
  kind: OrderKind;
  ref: Ref;
  action: DisposalAction;
  /** DisposalInstructed.dueAt, when given. */
  instructedDue: number | null;
  /** The due time comes from the ledger's default disposalWithin. */
  dueIsDefault: boolean;
  /** RecordNoLongerNeeded naming a copy: only that holding; else every open holding. */
  scope: string | null;
  /** Holdings opened later fall under it too (ContractEnded, DisposalInstructed: RULES.md Clarifications). */
  armed: boolean;
  groups: DutyGroup[];
}

/** A collection of the record: what the rules and the incident rules need of it. */
export interface Collection extends Ref {
  categories: string[];
  personCount: number | null;
  containsMyNumber: boolean;
}

/** The state of a holding an event acts on, just before the event. */
export interface Acted {
  /** null: the original. */
  readonly copyId: string | null;
  /** `uncollected`: the original before any RecordCollected; `unknown`: a copy no RecordCopied created (or long forgotten). */
  readonly state: 'open' | 'closed' | 'unknown' | 'uncollected';
  readonly closedBy: Closing | null;
  readonly holder: Holder | null;
}

/** A duty group that has just been resolved (every duty met, late or closed the wrong way). */
export interface ResolvedGroup {
  readonly order: DisposalOrder;
  readonly group: DutyGroup;
}

/** What one record event did to the holdings: the rules judge from this. */
export interface HandlingStep {
  readonly entry: Entry<RecordEvent>;
  /** The holding the event acts on: the source of a RecordCopied, the holding named by TransportStarted, RecordReturned, RecordDisposed, RecordAnonymized, RecordNoLongerNeeded. */
  readonly acted: Acted | null;
  /** RecordUsed only: every holding that ever existed was closed before it; the last closing event. */
  readonly allClosedBy: Ref | null;
  /** The holding this event closed. */
  readonly closed: HoldingState | null;
  /** The holding this event opened (RecordCollected, RecordCopied). */
  readonly opened: HoldingState | null;
  /** TransportCompleted: the leg it completed (null: no open leg of that transportId). */
  readonly completedLeg: FinishedLeg | null;
  /** TransportCompleted matching no open leg: whether a leg of that transportId finished before (a repeated completion). */
  readonly completedBefore: boolean;
  /** Disposal duty groups resolved by this event. */
  readonly resolved: readonly ResolvedGroup[];
  /** A custody step was recorded (the event changed or touched a holding). */
  readonly custody: readonly CustodyStep[];
}

/** One event in a holding's history, with the holding's state after it. */
export interface CustodyStep {
  holding: string;
  eventId: string;
  type: RecordEventType;
  at: number;
  pos: number;
  /** recordedAt, epoch ms. */
  known: number;
  state: HoldingStateName;
  location: string | null;
  holder: Holder | null;
  transportId?: string;
  newCopyId?: string;
}

/** The holdings fold's state. */
export interface HandlingState {
  holdings: { [key: string]: HoldingState };
  /** Closed holdings forgotten beyond MAX_CLOSED (their later acts read as on an unknown holding). */
  forgottenClosed: number;
  legs: TransportLeg[];
  /** The most recently finished legs (MAX_FINISHED), newest last. */
  finished: FinishedLeg[];
  /** transportIds of recently finished legs (MAX_FINISHED_IDS), to tell a repeated completion from one never started. */
  finishedIds: string[];
  legsFinished: number;
  openCount: number;
  /** Epoch ms since when the record has had an open holding without a break; null when none is open. */
  openSince: number | null;
  /** The last RecordReturned or RecordDisposed. */
  lastClosing: Ref | null;
  /** The first collections (MAX_COLLECTIONS) and the union of every collection's categories. */
  collections: Collection[];
  categories: string[];
  containsMyNumber: boolean;
  personCount: number | null;
  orders: DisposalOrder[];
  /** The last event or trigger folded, in judgement order. */
  last: Key | null;
  /** Record events folded. */
  events: number;
}

export const MAX_CLOSED = 256;
export const MAX_FINISHED = 16;
export const MAX_FINISHED_IDS = 1_024;
export const MAX_COLLECTIONS = 16;

export function emptyHandling(): HandlingState {
  return {
    holdings: {},
    forgottenClosed: 0,
    legs: [],
    finished: [],
    finishedIds: [],
    legsFinished: 0,
    openCount: 0,
    openSince: null,
    lastClosing: null,
    collections: [],
    categories: [],
    containsMyNumber: false,
    personCount: null,
    orders: [],
    last: null,
    events: 0,
  };
}

function actorHolder(actor: Actor): Holder {
  return { org: actor.org, workerId: actor.workerId ?? null, carrierId: null };
}

/** The record's collected categories at t: the union over every RecordCollected at or before t; null when none. */
export function categoriesAt(state: HandlingState, t: number): string[] | null {
  if (state.collections.length === 0) return null;
  if (state.collections.length < MAX_COLLECTIONS || state.collections.at(-1)!.at <= t) {
    let out: string[] | null = null;
    for (const c of state.collections) {
      if (c.at > t) break;
      out ??= [];
      for (const category of c.categories) if (!out.includes(category)) out.push(category);
    }
    if (out === null || state.collections.length < MAX_COLLECTIONS) return out;
  }
  // Past the remembered collections, every later one is in the union (the fold only moves forward).
  return state.categories.slice();
}

/** The transport due time of a leg starting at `start` (Art. 13): expectedArrivalAt, else + transportWithin. */
export function transportDue(contract: ContractView, start: Entry<Extract<RecordEvent, { type: 'TransportStarted' }>>): { due: number; isDefault: boolean } {
  const expected = start.event.data.expectedArrivalAt;
  if (expected !== undefined) return { due: instant(expected), isDefault: false };
  return {
    due: addDuration(start.at, contract.requiredDurationAt('transportWithin', start.at)),
    isDefault: !contract.policyIsExplicit('transportWithin', start.at),
  };
}

/**
 * A holding's disposal due under an order: the instruction's dueAt, else + disposalWithin from `from`.
 * A holding opened after the order (`later`, even at the same instant) is due at its own opening +
 * disposalWithin, or the instruction's dueAt, whichever is later.
 */
function disposalDue(contract: ContractView, order: DisposalOrder, from: number, later: boolean): number {
  const byPolicy = addDuration(from, contract.requiredDurationAt('disposalWithin', from));
  if (order.instructedDue === null) return byPolicy;
  return later ? Math.max(order.instructedDue, byPolicy) : order.instructedDue;
}

/** Whether a closing event satisfies the order's action. */
function closesAsOrdered(action: DisposalAction, type: Closing['type']): boolean {
  return action === 'either' || (action === 'return' ? type === 'RecordReturned' : type === 'RecordDisposed');
}

/**
 * The holdings fold. Record events and the contract's triggers (`RecordTrigger`) must come in
 * judgement order; `evolve` mutates the state and says what the event did.
 */
export class Holdings {
  constructor(readonly state: HandlingState, private contract: ContractView) {}

  /** The contract as known when the next event is folded. */
  setView(contract: ContractView): void {
    this.contract = contract;
  }

  private holding(key: string): HoldingState | undefined {
    return this.state.holdings[key];
  }

  private actedOn(copyId: string | null | undefined): Acted {
    const holding = this.holding(holdingKey(copyId));
    const id = copyId ?? null;
    if (!holding) return { copyId: id, state: id === null ? 'uncollected' : 'unknown', closedBy: null, holder: null };
    return { copyId: id, state: isOpen(holding.state) ? 'open' : 'closed', closedBy: holding.closedBy, holder: holding.holder };
  }

  private open(key: string, holding: HoldingState, at: number): void {
    const previous = this.state.holdings[key];
    if (previous && isOpen(previous.state)) return;
    if (previous) holding.steps = previous.steps;
    this.state.holdings[key] = holding;
    if (this.state.openCount === 0) this.state.openSince = at;
    this.state.openCount += 1;
    // Armed orders (the contract's end, an instruction covering the record) bind a holding opened after them.
    for (const order of this.state.orders) {
      if (!order.armed) continue;
      order.groups.push({ opening: holding.openedBy, duties: [{ holding: key, due: disposalDue(this.contract, order, at, true), closedBy: null, outcome: 'open' }] });
    }
  }

  /** Marks an open holding closed (its state already set to returned or disposed) and resolves its duties. */
  private close(key: string, closing: Closing): ResolvedGroup[] {
    const holding = this.holding(key);
    if (!holding) return [];
    holding.closedBy = closing;
    this.state.openCount -= 1;
    if (this.state.openCount === 0) this.state.openSince = null;
    this.state.lastClosing = { id: closing.id, at: closing.at, pos: closing.pos };
    const resolved: ResolvedGroup[] = [];
    for (const order of this.state.orders) {
      for (const group of order.groups) {
        let touched = false;
        for (const duty of group.duties) {
          if (duty.holding !== key || duty.outcome !== 'open') continue;
          duty.closedBy = closing;
          duty.outcome = !closesAsOrdered(order.action, closing.type) ? 'wrong-action' : closing.at <= duty.due ? 'met' : 'late';
          touched = true;
        }
        if (touched && group.duties.every((d) => d.outcome !== 'open')) resolved.push({ order, group });
      }
    }
    // A resolved group is finished: it leaves the state (its finding is emitted by the rulebook now).
    for (const { order, group } of resolved) order.groups.splice(order.groups.indexOf(group), 1);
    this.state.orders = this.state.orders.filter((o) => o.armed || o.groups.length > 0);
    this.forgetClosed();
    return resolved;
  }

  /** Keeps at most MAX_CLOSED closed holdings (the most recently closed). */
  private forgetClosed(): void {
    const closed = Object.entries(this.state.holdings).filter(([, h]) => !isOpen(h.state));
    if (closed.length <= MAX_CLOSED) return;
    closed.sort(([, a], [, b]) => (precedes(a.closedBy!, b.closedBy!) ? -1 : 1));
    for (const [key] of closed.slice(0, closed.length - MAX_CLOSED)) {
      delete this.state.holdings[key];
      this.state.forgottenClosed += 1;
    }
  }

  private step(steps: CustodyStep[], key: string, entry: Entry<RecordEvent>, extra: Pick<CustodyStep, 'transportId' | 'newCopyId'> = {}): void {
    const h = this.holding(key);
    if (!h) return;
    h.steps += 1;
    steps.push({
      holding: key,
      eventId: entry.id,
      type: entry.event.type,
      at: entry.at,
      pos: entry.pos,
      known: entry.known,
      state: h.state,
      location: h.location,
      holder: h.holder,
      ...extra,
    });
  }

  /** One record event, in judgement order after everything folded so far. */
  evolve(entry: Entry<RecordEvent>): HandlingStep {
    const event = entry.event;
    const at = entry.at;
    const ref = refOf(entry);
    const state = this.state;
    let acted: Acted | null = null;
    let allClosedBy: Ref | null = null;
    let closed: HoldingState | null = null;
    let opened: HoldingState | null = null;
    let completedLeg: FinishedLeg | null = null;
    let completedBefore = false;
    let resolved: ResolvedGroup[] = [];
    const custody: CustodyStep[] = [];
    state.events += 1;
    state.last = { at: entry.at, pos: entry.pos };

    switch (event.type) {
      case 'RecordCollected': {
        const d = event.data;
        if (state.collections.length < MAX_COLLECTIONS) {
          state.collections.push({ ...ref, categories: [...d.dataCategories], personCount: d.personCount ?? null, containsMyNumber: d.containsMyNumber });
        }
        for (const c of d.dataCategories) if (!state.categories.includes(c)) state.categories.push(c);
        if (d.containsMyNumber) state.containsMyNumber = true;
        if (d.personCount !== undefined) state.personCount = d.personCount;
        const existing = this.holding('');
        if (!existing || !isOpen(existing.state)) {
          opened = {
            copyId: null, copiedFrom: null, medium: d.medium, state: 'held', location: d.location ?? null,
            holder: actorHolder(event.actor), since: at, openedBy: ref, transportKey: null, closedBy: null, steps: 0,
          };
          this.open('', opened, at);
        }
        this.step(custody, '', entry);
        break;
      }
      case 'RecordCopied': {
        const { copyId, fromCopyId, medium, location } = event.data;
        acted = this.actedOn(fromCopyId);
        this.step(custody, holdingKey(fromCopyId), entry, { newCopyId: copyId });
        const existing = this.holding(copyId);
        if (!existing || !isOpen(existing.state)) {
          opened = {
            copyId, copiedFrom: { copyId: fromCopyId ?? null }, medium, state: 'held', location,
            holder: actorHolder(event.actor), since: at, openedBy: ref, transportKey: null, closedBy: null, steps: 0,
          };
          this.open(copyId, opened, at);
        }
        this.step(custody, copyId, entry);
        break;
      }
      case 'RecordAnonymized':
      case 'RecordNoLongerNeeded': {
        acted = this.actedOn(event.data.copyId);
        this.step(custody, holdingKey(event.data.copyId), entry);
        break;
      }
      case 'TransportStarted': {
        const d = event.data;
        const key = holdingKey(d.copyId);
        acted = this.actedOn(d.copyId);
        const due = transportDue(this.contract, entry as Entry<Extract<RecordEvent, { type: 'TransportStarted' }>>);
        const holding = this.holding(key);
        const carries = holding !== undefined && isOpen(holding.state);
        state.legs.push({
          key: entry.id, transportId: d.transportId, copyId: d.copyId ?? null, from: d.from, to: d.to, carrierId: d.carrierId,
          medium: d.medium, safeguards: [...d.safeguards], started: ref,
          expectedArrivalAt: d.expectedArrivalAt === undefined ? null : instant(d.expectedArrivalAt),
          dueAt: due.due, dueIsDefault: due.isDefault, carriesHolding: carries,
        });
        if (carries) {
          holding.state = 'in_transit';
          holding.location = null;
          holding.holder = { org: null, workerId: null, carrierId: d.carrierId };
          holding.since = at;
          holding.transportKey = entry.id;
        }
        this.step(custody, key, entry, { transportId: d.transportId });
        break;
      }
      case 'TransportCompleted': {
        const { transportId, receivedBy } = event.data;
        const i = state.legs.findIndex((l) => l.transportId === transportId && (l.started.at <= at));
        if (i < 0) {
          completedBefore = state.finishedIds.includes(transportId);
          break;
        }
        const leg = state.legs[i]!;
        state.legs.splice(i, 1);
        completedLeg = { ...leg, completed: ref, receivedBy };
        state.finished.push(completedLeg);
        if (state.finished.length > MAX_FINISHED) state.finished.shift();
        state.finishedIds.push(transportId);
        if (state.finishedIds.length > MAX_FINISHED_IDS) state.finishedIds.shift();
        state.legsFinished += 1;
        const key = holdingKey(leg.copyId);
        const holding = this.holding(key);
        if (holding && holding.state === 'in_transit' && holding.transportKey === leg.key) {
          // The receiver's org is known only when the receiver recorded the completion themselves.
          const org = event.actor.workerId === receivedBy ? event.actor.org : null;
          holding.state = 'held';
          holding.location = leg.to;
          holding.holder = { org, workerId: receivedBy, carrierId: null };
          holding.since = at;
          holding.transportKey = null;
        }
        this.step(custody, key, entry, { transportId });
        break;
      }
      case 'RecordReturned':
      case 'RecordDisposed': {
        const key = holdingKey(event.data.copyId);
        acted = this.actedOn(event.data.copyId);
        const holding = this.holding(key);
        if (holding && isOpen(holding.state)) {
          const returned = event.type === 'RecordReturned';
          holding.state = returned ? 'returned' : 'disposed';
          holding.location = null;
          // receivedBy of a return is a city staff ID (docs/events.md).
          holding.holder = returned ? { org: 'city', workerId: event.data.receivedBy, carrierId: null } : null;
          holding.since = at;
          holding.transportKey = null;
          this.step(custody, key, entry);
          closed = holding;
          resolved = this.close(key, { ...ref, type: event.type });
        } else {
          this.step(custody, key, entry);
        }
        break;
      }
      case 'RecordUsed':
        if (Object.keys(state.holdings).length + state.forgottenClosed > 0 && state.openCount === 0) allClosedBy = state.lastClosing;
        break;
      case 'RecordProvided':
        break;
      default: {
        const _exhaustive: never = event;
        throw new Error(`unknown record event ${JSON.stringify(_exhaustive)}`);
      }
    }
    if (event.type === 'RecordNoLongerNeeded') this.order(entry, 'RecordNoLongerNeeded', 'either', null, event.data.copyId ?? null, false);
    return { entry, acted, allClosedBy, closed, opened, completedLeg, completedBefore, resolved, custody };
  }

  /**
   * A contract trigger at its place in the judgement order: the contract's end and disposal
   * instructions put the open holdings under duties. Other triggers leave the holdings as they are.
   */
  trigger(entry: RecordTrigger): void {
    this.state.last = { at: entry.at, pos: entry.pos };
    const event = entry.event;
    if (event.type === 'ContractEnded') this.order(entry, 'ContractEnded', 'either', null, null, true);
    else if (event.type === 'DisposalInstructed') {
      const due = event.data.dueAt === undefined ? null : instant(event.data.dueAt);
      this.order(entry, 'DisposalInstructed', event.data.action ?? 'either', due, null, true);
    }
  }

  private order(entry: Entry, kind: OrderKind, action: DisposalAction, instructedDue: number | null, scope: string | null, armed: boolean): void {
    const order: DisposalOrder = {
      kind, ref: refOf(entry), action, instructedDue,
      dueIsDefault: instructedDue === null && !this.contract.policyIsExplicit('disposalWithin', entry.at),
      scope, armed, groups: [],
    };
    const duties: Duty[] = [];
    for (const [key, holding] of Object.entries(this.state.holdings)) {
      if (!isOpen(holding.state) || (scope !== null && key !== scope)) continue;
      duties.push({ holding: key, due: disposalDue(this.contract, order, entry.at, false), closedBy: null, outcome: 'open' });
    }
    if (duties.length > 0) order.groups.push({ opening: order.ref, duties });
    if (order.armed || order.groups.length > 0) this.state.orders.push(order);
  }
}

/** The open duties binding a holding (for custody's "overdue"), earliest due first. */
export function dutiesOf(state: HandlingState, key: string): { order: DisposalOrder; duty: Duty }[] {
  const out: { order: DisposalOrder; duty: Duty }[] = [];
  for (const order of state.orders) {
    for (const group of order.groups) for (const duty of group.duties) if (duty.holding === key && duty.outcome === 'open') out.push({ order, duty });
  }
  return out.sort((a, b) => a.duty.due - b.duty.due || (precedes(a.order.ref, b.order.ref) ? -1 : 1));
}

/**
 * When a holding counts as overdue: the earlier of its leg's due time (while in transit) and the
 * due time of its earliest open disposal duty; null when nothing binds it. Overdue at `now` ⇔
 * overdueAt < now — the same instants the rulebook's Art. 13 and 14 judge by.
 */
export function holdingOverdueAt(state: HandlingState, key: string): number | null {
  const holding = state.holdings[key];
  if (!holding || !isOpen(holding.state)) return null;
  let due: number | null = null;
  if (holding.state === 'in_transit' && holding.transportKey !== null) {
    const leg = state.legs.find((l) => l.key === holding.transportKey);
    if (leg) due = leg.dueAt;
  }
  const [first] = dutiesOf(state, key);
  if (first && (due === null || first.duty.due < due)) due = first.duty.due;
  return due;
}
