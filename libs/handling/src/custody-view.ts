/**
 * Chain of custody as answered (docs/custody.md): the holdings fold read at a cut, with times in
 * the ledger's zone. The due times and "overdue" are the holdings fold's own (transport legs,
 * disposal duties): the very instants the rulebook judges Art. 13 and 14 by.
 */
import { isoInZone, DEFAULT_TIME_ZONE, type Medium, type RecordEventType, type Safeguard } from '@ledger/domain';
import {
  dutiesOf,
  emptyHandling,
  holdingKey,
  isOpen,
  type CustodyStep,
  type FinishedLeg,
  type HandlingState,
  type Holder,
  type HoldingState,
  type HoldingStateName,
  type OrderKind,
  type TransportLeg,
} from './holdings.js';

export interface TransportView {
  transportId: string;
  copyId: string | null;
  state: 'in_transit' | 'completed';
  from: string;
  to: string;
  carrierId: string;
  medium: Medium;
  safeguards: Safeguard[];
  startedAt: string;
  expectedArrivalAt: string | null;
  dueAt: string;
  completedAt: string | null;
  receivedBy: string | null;
  /** In transit past its due time. */
  overdue: boolean;
}

export interface DisposalDueView {
  dueAt: string;
  orderedBy: { eventId: string; type: OrderKind; occurredAt: string };
}

export type OverdueReason = 'transport' | 'disposal';

export interface CustodyStepView {
  eventId: string;
  type: RecordEventType;
  occurredAt: string;
  recordedAt: string;
  position: number;
  state: HoldingStateName;
  location: string | null;
  holder: Holder | null;
  transportId?: string;
  newCopyId?: string;
}

export interface HoldingView {
  copyId: string | null;
  copiedFrom: { copyId: string | null } | null;
  medium: Medium | null;
  state: HoldingStateName;
  location: string | null;
  holder: Holder | null;
  since: string;
  /** In transit: where from and where to; else null. */
  from: string | null;
  to: string | null;
  transport: TransportView | null;
  /** An open holding under a disposal duty (the earliest due). */
  disposal: DisposalDueView | null;
  overdue: boolean;
  overdueReasons: OverdueReason[];
  /** The holding's latest steps, oldest first (`historyCount` says how many there are in all). */
  history: CustodyStepView[];
  historyCount: number;
}

export interface CustodyView {
  holdings: HoldingView[];
  /** Transports in transit, then the latest completed ones; `transportsCompleted` counts every completed one. */
  transports: TransportView[];
  transportsCompleted: number;
}

function iso(ms: number | null, zone: string): string | null {
  return ms === null ? null : isoInZone(ms, zone);
}

export function transportView(leg: TransportLeg | FinishedLeg, now: number, zone: string = DEFAULT_TIME_ZONE): TransportView {
  const done = 'completed' in leg;
  return {
    transportId: leg.transportId,
    copyId: leg.copyId,
    state: done ? 'completed' : 'in_transit',
    from: leg.from,
    to: leg.to,
    carrierId: leg.carrierId,
    medium: leg.medium,
    safeguards: [...leg.safeguards],
    startedAt: isoInZone(leg.started.at, zone),
    expectedArrivalAt: iso(leg.expectedArrivalAt, zone),
    dueAt: isoInZone(leg.dueAt, zone),
    completedAt: done ? isoInZone(leg.completed.at, zone) : null,
    receivedBy: done ? leg.receivedBy : null,
    overdue: !done && now > leg.dueAt,
  };
}

export function stepView(step: CustodyStep, zone: string = DEFAULT_TIME_ZONE): CustodyStepView {
  const view: CustodyStepView = {
    eventId: step.eventId,
    type: step.type,
    occurredAt: isoInZone(step.at, zone),
    recordedAt: isoInZone(step.known, zone),
    position: step.pos,
    state: step.state,
    location: step.location,
    holder: step.holder,
  };
  if (step.transportId !== undefined) view.transportId = step.transportId;
  if (step.newCopyId !== undefined) view.newCopyId = step.newCopyId;
  return view;
}

/** One holding as answered at `now` (asOf); `history` its latest steps. */
export function holdingView(
  state: HandlingState,
  holding: HoldingState,
  now: number,
  history: readonly CustodyStep[] = [],
  zone: string = DEFAULT_TIME_ZONE,
): HoldingView {
  const key = holdingKey(holding.copyId);
  const leg = holding.state === 'in_transit' && holding.transportKey !== null ? state.legs.find((l) => l.key === holding.transportKey) ?? null : null;
  const carried = leg ? transportView(leg, now, zone) : null;
  const [duty] = isOpen(holding.state) ? dutiesOf(state, key) : [];
  const reasons: OverdueReason[] = [];
  if (carried?.overdue) reasons.push('transport');
  if (duty && now > duty.duty.due) reasons.push('disposal');
  return {
    copyId: holding.copyId,
    copiedFrom: holding.copiedFrom,
    medium: holding.medium,
    state: holding.state,
    location: holding.location,
    holder: holding.holder,
    since: isoInZone(holding.since, zone),
    from: carried ? carried.from : null,
    to: carried ? carried.to : null,
    transport: carried,
    disposal: duty
      ? { dueAt: isoInZone(duty.duty.due, zone), orderedBy: { eventId: duty.order.ref.id, type: duty.order.kind, occurredAt: isoInZone(duty.order.ref.at, zone) } }
      : null,
    overdue: reasons.length > 0,
    overdueReasons: reasons,
    history: history.map((s) => stepView(s, zone)),
    historyCount: holding.steps,
  };
}

function compareHoldings(a: HoldingState, b: HoldingState): number {
  if (a.copyId === b.copyId) return 0;
  if (a.copyId === null) return -1;
  if (b.copyId === null) return 1;
  return a.copyId < b.copyId ? -1 : 1;
}

/** A record's holdings (the original first, then copies by copyId) and transports as answered at `now`. */
export function custodyView(
  state: HandlingState,
  now: number,
  histories: ReadonlyMap<string, readonly CustodyStep[]> = new Map(),
  zone: string = DEFAULT_TIME_ZONE,
): CustodyView {
  const holdings = Object.values(state.holdings).sort(compareHoldings);
  return {
    holdings: holdings.map((h) => holdingView(state, h, now, histories.get(holdingKey(h.copyId)) ?? [], zone)),
    transports: [...state.legs.map((l) => transportView(l, now, zone)), ...[...state.finished].reverse().map((l) => transportView(l, now, zone))],
    transportsCompleted: state.legsFinished,
  };
}

/**
 * The part of a record's holdings fold that one holding's answer reads (the holding, its leg, its
 * duties): what a read model stores per holding to answer a contract's holdings list later, at
 * any "now" and in any zone, with `holdingView` on `holdingSliceOf` of it. Only these three
 * members: the record's other members are empty in a holding's slice, and are not stored.
 */
export type StoredHolding = Pick<HandlingState, 'holdings' | 'legs' | 'orders'>;

export function storedHolding(state: HandlingState, key: string): StoredHolding {
  const holding = state.holdings[key];
  const orders = state.orders
    .map((o) => ({ ...o, groups: o.groups.map((g) => ({ ...g, duties: g.duties.filter((d) => d.holding === key) })).filter((g) => g.duties.length > 0) }))
    .filter((o) => o.groups.length > 0);
  return {
    holdings: holding ? { [key]: holding } : {},
    legs: state.legs.filter((l) => holding !== undefined && l.key === holding.transportKey),
    orders,
  };
}

/**
 * The holdings fold `holdingView` reads for one holding, from what a read model stored of it (a
 * StoredHolding; a row written before holds the whole slice, which reads the same).
 */
export function holdingSliceOf(stored: StoredHolding): HandlingState {
  return { ...emptyHandling(), ...stored };
}
