/**
 * Chain of custody as pure functions (docs/custody.md): where each holding of a record (the
 * original and each copy) is, in which state, held by whom and since when, and every transport.
 *
 * One fold serves both readers:
 * - the per-request answer folds a record's stream cut at (asOf, knownAt), in judgement order
 *   (occurredAt, ties by global position: docs/rulebook.md "Inputs and time");
 * - the projector folds the same events into its read model, and refolds a record from its
 *   stream when an event arrives out of occurredAt order.
 *
 * No clock, no I/O, no Nest: deadlines are judged against a `now` the caller passes. Holdings
 * follow the rulebook ("Standing facts" → Holdings): the original exists from RecordCollected,
 * each copy from its RecordCopied; RecordReturned or RecordDisposed naming a holding closes it;
 * closing the original does not close its copies. An event naming a holding that does not exist
 * is kept where it belongs (a transport is still listed) but creates nothing: nothing is guessed.
 */
import {
  addDuration,
  instant,
  isoUtc,
  isRecordEvent,
  parseDuration,
  POLICY_DEFAULTS,
  type Actor,
  type Duration,
  type Medium,
  type RecordedEvent,
  type RecordEventType,
  type Safeguard,
} from '@ledger/domain';

export type HoldingState = 'held' | 'in_transit' | 'returned' | 'disposed';
export const HOLDING_STATES: readonly HoldingState[] = ['held', 'in_transit', 'returned', 'disposed'];

export function isOpen(state: HoldingState): boolean {
  return state === 'held' || state === 'in_transit';
}

/** Who holds a holding. Each part is null when the events do not say it. */
export interface Holder {
  org: string | null;
  workerId: string | null;
  /** Set while a carrier has it (in transit). */
  carrierId: string | null;
}

/** One event in a holding's history, with the holding's state after it. */
export interface CustodyStep {
  eventId: string;
  type: RecordEventType;
  /** As the event gave it. */
  occurredAt: string;
  recordedAt: string;
  position: number;
  state: HoldingState;
  location: string | null;
  holder: Holder | null;
  /** Transport events: the transport. */
  transportId?: string;
  /** RecordCopied, on the holding copied from: the copy made. */
  newCopyId?: string;
}

export interface Holding {
  /** null: the original. */
  copyId: string | null;
  /** Copies: the holding copied from (`copyId` null: the original). null for the original. */
  copiedFrom: { copyId: string | null } | null;
  medium: Medium | null;
  state: HoldingState;
  location: string | null;
  holder: Holder | null;
  /** Epoch ms of the event that put the holding in its state. */
  since: number;
  /** While in transit: the key of the transport carrying it. */
  transportKey: string | null;
  history: readonly CustodyStep[];
}

export type TransportState = 'in_transit' | 'completed';

export interface Transport {
  /** eventId of its TransportStarted, or of a TransportCompleted whose start the ledger never saw. */
  key: string;
  transportId: string;
  /**
   * The holding carried (null: the original). For a completion never started (startedAt null)
   * the holding is unknown and this is null too.
   */
  copyId: string | null;
  from: string | null;
  to: string | null;
  carrierId: string | null;
  medium: Medium | null;
  safeguards: Safeguard[] | null;
  startedAt: number | null;
  expectedArrivalAt: number | null;
  completedAt: number | null;
  receivedBy: string | null;
  state: TransportState;
  /** Judgement order of the event that created the entry (start, or an unmatched completion). */
  openedAt: number;
  openedPosition: number;
}

export interface RecordCustody {
  readonly contractId: string;
  readonly recordId: string;
  /** The original first, then copies by copyId. */
  readonly holdings: readonly Holding[];
  /** In the order they were started. */
  readonly transports: readonly Transport[];
  /** Epoch ms since when the record has had at least one open holding without a break; null when none is open. */
  readonly openSince: number | null;
  /** The last event that changed custody, in judgement order; null before any. */
  readonly last: { readonly at: number; readonly position: number } | null;
}

/** Record event types that change custody; the others (RecordUsed, RecordProvided) leave it as it is. */
export const CUSTODY_EVENT_TYPES: ReadonlySet<RecordEventType> = new Set<RecordEventType>([
  'RecordCollected',
  'RecordCopied',
  'RecordAnonymized',
  'TransportStarted',
  'TransportCompleted',
  'RecordReturned',
  'RecordDisposed',
]);

export function emptyRecordCustody(contractId: string, recordId: string): RecordCustody {
  return { contractId, recordId, holdings: [], transports: [], openSince: null, last: null };
}

function compareCopyIds(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : 1;
}

function actorHolder(actor: Actor): Holder {
  return { org: actor.org, workerId: actor.workerId ?? null, carrierId: null };
}

/** Whether `recorded` comes after everything already folded into `custody` (else: refold the record). */
export function foldsInOrder(custody: RecordCustody, recorded: RecordedEvent): boolean {
  const event = recorded.event;
  if (!isRecordEvent(event) || !CUSTODY_EVENT_TYPES.has(event.type) || custody.last === null) return true;
  const at = instant(event.occurredAt);
  return at > custody.last.at || (at === custody.last.at && recorded.position > custody.last.position);
}

/**
 * The custody after one more event of the record. Events must come in judgement order
 * (occurredAt, then position): see `foldsInOrder`. Returns `custody` itself when the event
 * changes nothing (RecordUsed, RecordProvided).
 */
export function evolve(custody: RecordCustody, recorded: RecordedEvent): RecordCustody {
  const event = recorded.event;
  if (!isRecordEvent(event)) throw new Error(`event ${event.eventId} (${event.type}) is not a record event`);
  if (event.contractId !== custody.contractId || event.recordId !== custody.recordId) {
    throw new Error(`event ${event.eventId} belongs to ${event.contractId}/${event.recordId}, not ${custody.contractId}/${custody.recordId}`);
  }
  if (!CUSTODY_EVENT_TYPES.has(event.type)) return custody;
  const at = instant(event.occurredAt);
  const holdings = custody.holdings.slice();
  let transports = custody.transports as Transport[];
  const indexOf = (copyId: string | null): number => holdings.findIndex((h) => h.copyId === copyId);
  const step = (
    holding: Pick<Holding, 'state' | 'location' | 'holder'>,
    extra: Pick<CustodyStep, 'transportId' | 'newCopyId'> = {},
  ): CustodyStep => ({
    eventId: event.eventId,
    type: event.type,
    occurredAt: event.occurredAt,
    recordedAt: recorded.recordedAt,
    position: recorded.position,
    state: holding.state,
    location: holding.location,
    holder: holding.holder,
    ...extra,
  });
  /** The holding's history gets the event; its state is left as it was. */
  const note = (copyId: string | null, extra: Pick<CustodyStep, 'transportId' | 'newCopyId'> = {}): void => {
    const i = indexOf(copyId);
    if (i < 0) return;
    const h = holdings[i]!;
    holdings[i] = { ...h, history: [...h.history, step(h, extra)] };
  };
  /** The holding moves to a new state (created when absent). */
  const put = (
    copyId: string | null,
    next: Omit<Holding, 'copyId' | 'history' | 'since'>,
    extra: Pick<CustodyStep, 'transportId' | 'newCopyId'> = {},
  ): void => {
    const i = indexOf(copyId);
    const history = i < 0 ? [] : holdings[i]!.history;
    const holding: Holding = { copyId, ...next, since: at, history: [...history, step(next, extra)] };
    if (i >= 0) {
      holdings[i] = holding;
      return;
    }
    holdings.push(holding);
    holdings.sort((a, b) => compareCopyIds(a.copyId, b.copyId));
  };
  const openHolding = (copyId: string | null): Holding | null => {
    const i = indexOf(copyId);
    return i >= 0 && isOpen(holdings[i]!.state) ? holdings[i]! : null;
  };

  switch (event.type) {
    case 'RecordCollected': {
      if (openHolding(null)) note(null);
      else {
        put(null, {
          copiedFrom: null,
          medium: event.data.medium,
          state: 'held',
          location: event.data.location ?? null,
          holder: actorHolder(event.actor),
          transportKey: null,
        });
      }
      break;
    }
    case 'RecordCopied': {
      const { copyId, fromCopyId, medium, location } = event.data;
      note(fromCopyId ?? null, { newCopyId: copyId });
      if (openHolding(copyId)) note(copyId);
      else {
        put(copyId, {
          copiedFrom: { copyId: fromCopyId ?? null },
          medium,
          state: 'held',
          location,
          holder: actorHolder(event.actor),
          transportKey: null,
        });
      }
      break;
    }
    case 'RecordAnonymized':
      note(event.data.copyId ?? null);
      break;
    case 'TransportStarted': {
      const d = event.data;
      const copyId = d.copyId ?? null;
      transports = [
        ...transports,
        {
          key: event.eventId,
          transportId: d.transportId,
          copyId,
          from: d.from,
          to: d.to,
          carrierId: d.carrierId,
          medium: d.medium,
          safeguards: [...d.safeguards],
          startedAt: at,
          expectedArrivalAt: d.expectedArrivalAt === undefined ? null : instant(d.expectedArrivalAt),
          completedAt: null,
          receivedBy: null,
          state: 'in_transit',
          openedAt: at,
          openedPosition: recorded.position,
        },
      ];
      const h = openHolding(copyId);
      if (h) {
        put(
          copyId,
          {
            copiedFrom: h.copiedFrom,
            medium: h.medium,
            state: 'in_transit',
            location: null,
            holder: { org: null, workerId: null, carrierId: d.carrierId },
            transportKey: event.eventId,
          },
          { transportId: d.transportId },
        );
      } else note(copyId, { transportId: d.transportId });
      break;
    }
    case 'TransportCompleted': {
      const { transportId, receivedBy } = event.data;
      const t = transports.findIndex((x) => x.transportId === transportId && x.state === 'in_transit');
      if (t < 0) {
        transports = [
          ...transports,
          {
            key: event.eventId,
            transportId,
            copyId: null,
            from: null,
            to: null,
            carrierId: null,
            medium: null,
            safeguards: null,
            startedAt: null,
            expectedArrivalAt: null,
            completedAt: at,
            receivedBy,
            state: 'completed',
            openedAt: at,
            openedPosition: recorded.position,
          },
        ];
        break;
      }
      const transport = transports[t]!;
      transports = transports.slice();
      transports[t] = { ...transport, state: 'completed', completedAt: at, receivedBy };
      const h = openHolding(transport.copyId);
      if (h && h.state === 'in_transit' && h.transportKey === transport.key) {
        // The receiver's org is known only when the receiver recorded the completion themselves.
        const org = event.actor.workerId === receivedBy ? event.actor.org : null;
        put(
          transport.copyId,
          {
            copiedFrom: h.copiedFrom,
            medium: h.medium,
            state: 'held',
            location: transport.to,
            holder: { org, workerId: receivedBy, carrierId: null },
            transportKey: null,
          },
          { transportId },
        );
      } else note(transport.copyId, { transportId });
      break;
    }
    case 'RecordReturned':
    case 'RecordDisposed': {
      const copyId = event.data.copyId ?? null;
      const h = openHolding(copyId);
      if (!h) {
        note(copyId);
        break;
      }
      const returned = event.type === 'RecordReturned';
      put(copyId, {
        copiedFrom: h.copiedFrom,
        medium: h.medium,
        state: returned ? 'returned' : 'disposed',
        location: null,
        // receivedBy of a return is a city staff ID (docs/events.md).
        holder: returned ? { org: 'city', workerId: event.data.receivedBy, carrierId: null } : null,
        transportKey: null,
      });
      break;
    }
    default:
      return custody;
  }

  const openBefore = custody.holdings.some((h) => isOpen(h.state));
  const openAfter = holdings.some((h) => isOpen(h.state));
  const openSince = !openAfter ? null : openBefore ? custody.openSince : at;
  return {
    contractId: custody.contractId,
    recordId: custody.recordId,
    holdings,
    transports,
    openSince,
    last: { at, position: recorded.position },
  };
}

/** A cut of the ledger in epoch ms: occurredAt ≤ asOf and recordedAt ≤ knownAt. */
export interface CustodyCut {
  asOf: number;
  knownAt: number;
}

export function inCut(recorded: RecordedEvent, cut: CustodyCut | undefined): boolean {
  return cut === undefined || (instant(recorded.event.occurredAt) <= cut.asOf && instant(recorded.recordedAt) <= cut.knownAt);
}

/** Judgement order: occurredAt, ties by global position. */
export function inJudgementOrder(events: readonly RecordedEvent[]): RecordedEvent[] {
  return events
    .map((recorded) => ({ recorded, at: instant(recorded.event.occurredAt) }))
    .sort((a, b) => a.at - b.at || a.recorded.position - b.recorded.position)
    .map((x) => x.recorded);
}

/** A record's custody from its stream (any order), inside the cut when one is given. */
export function recordCustodyOf(
  contractId: string,
  recordId: string,
  recordEvents: readonly RecordedEvent[],
  cut?: CustodyCut,
): RecordCustody {
  let custody = emptyRecordCustody(contractId, recordId);
  for (const recorded of inJudgementOrder(recordEvents.filter((e) => inCut(e, cut)))) custody = evolve(custody, recorded);
  return custody;
}

// ---------------------------------------------------------------------------------------------
// What custody needs from the contract stream: the policy in force (transportWithin,
// disposalWithin), disposal instructions and the contract's end.

export type CustodyPolicyKey = 'transportWithin' | 'disposalWithin';
const POLICY_KEYS: readonly CustodyPolicyKey[] = ['transportWithin', 'disposalWithin'];

export interface PolicyFact {
  eventId: string;
  at: number;
  position: number;
  /** Only the keys the event gives. */
  policy: Partial<Record<CustodyPolicyKey, string>>;
}

export interface DisposalInstructionFact {
  eventId: string;
  at: number;
  position: number;
  occurredAt: string;
  /** null: every record of the contract. */
  recordIds: string[] | null;
  dueAt: number | null;
}

export interface ContractEndFact {
  eventId: string;
  at: number;
  position: number;
  occurredAt: string;
}

/**
 * The contract facts custody needs. Kept sorted in judgement order, so folding the contract's
 * events in any order gives the same value (the projector needs no refold for contract events).
 */
export interface ContractCustody {
  readonly contractId: string;
  /** The ContractRegistered (the first by position). */
  readonly registration: PolicyFact | null;
  /** ContractAmended events that give a custody policy key, in judgement order. */
  readonly amendments: readonly PolicyFact[];
  readonly instructions: readonly DisposalInstructionFact[];
  /** ContractEnded events in judgement order; the first one counts (as in the rulebook). */
  readonly ends: readonly ContractEndFact[];
}

export function emptyContractCustody(contractId: string): ContractCustody {
  return { contractId, registration: null, amendments: [], instructions: [], ends: [] };
}

function insertSorted<T extends { at: number; position: number; eventId: string }>(list: readonly T[], item: T): T[] {
  if (list.some((x) => x.eventId === item.eventId)) return list as T[];
  const out = [...list, item];
  out.sort((a, b) => a.at - b.at || a.position - b.position);
  return out;
}

function custodyPolicy(policy: Partial<Record<CustodyPolicyKey, string | undefined>> | undefined): Partial<Record<CustodyPolicyKey, string>> {
  const out: Partial<Record<CustodyPolicyKey, string>> = {};
  for (const key of POLICY_KEYS) {
    const value = policy?.[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** Whether a contract event type can change custody answers. */
export function concernsCustody(type: string): boolean {
  return type === 'ContractRegistered' || type === 'ContractAmended' || type === 'ContractEnded' || type === 'DisposalInstructed';
}

/** The contract facts after one more contract event (any order; unrelated events change nothing). */
export function evolveContract(contract: ContractCustody, recorded: RecordedEvent): ContractCustody {
  const event = recorded.event;
  if (isRecordEvent(event) || event.contractId !== contract.contractId) return contract;
  const base = { eventId: event.eventId, at: instant(event.occurredAt), position: recorded.position };
  switch (event.type) {
    case 'ContractRegistered': {
      const fact: PolicyFact = { ...base, policy: custodyPolicy(event.data.policy) };
      if (contract.registration && contract.registration.position <= fact.position) return contract;
      return { ...contract, registration: fact };
    }
    case 'ContractAmended': {
      const policy = custodyPolicy(event.data.policy);
      if (Object.keys(policy).length === 0) return contract;
      return { ...contract, amendments: insertSorted(contract.amendments, { ...base, policy }) };
    }
    case 'DisposalInstructed':
      return {
        ...contract,
        instructions: insertSorted(contract.instructions, {
          ...base,
          occurredAt: event.occurredAt,
          recordIds: event.data.recordIds ? [...event.data.recordIds] : null,
          dueAt: event.data.dueAt === undefined ? null : instant(event.data.dueAt),
        }),
      };
    case 'ContractEnded':
      return { ...contract, ends: insertSorted(contract.ends, { ...base, occurredAt: event.occurredAt }) };
    default:
      return contract;
  }
}

export function contractCustodyOf(contractId: string, contractEvents: readonly RecordedEvent[], cut?: CustodyCut): ContractCustody {
  let contract = emptyContractCustody(contractId);
  for (const recorded of contractEvents) if (inCut(recorded, cut)) contract = evolveContract(contract, recorded);
  return contract;
}

const durations = new Map<string, Duration | null>();
function duration(text: string): Duration | null {
  let d = durations.get(text);
  if (d === undefined) {
    d = parseDuration(text);
    if (durations.size < 1_000) durations.set(text, d);
  }
  return d;
}

/** The policy duration in force at t: registration overlaid by every amendment with occurredAt ≤ t. */
export function policyAt(contract: ContractCustody, key: CustodyPolicyKey, t: number): Duration {
  let text: string = POLICY_DEFAULTS[key];
  const registered = contract.registration?.policy[key];
  if (registered !== undefined) text = registered;
  for (const amendment of contract.amendments) {
    if (amendment.at > t) break;
    const value = amendment.policy[key];
    if (value !== undefined) text = value;
  }
  return duration(text) ?? duration(POLICY_DEFAULTS[key])!;
}

/** A transport's due time: expectedArrivalAt, else its start + transportWithin in force at the start. */
export function transportDueAt(contract: ContractCustody, transport: Transport): number | null {
  if (transport.expectedArrivalAt !== null) return transport.expectedArrivalAt;
  if (transport.startedAt === null) return null;
  return addDuration(transport.startedAt, policyAt(contract, 'transportWithin', transport.startedAt));
}

export type DisposalOrderKind = 'DisposalInstructed' | 'ContractEnded';

/** Something that obliges a record's holdings to be returned or disposed of by a due time. */
export interface DisposalOrder {
  eventId: string;
  type: DisposalOrderKind;
  at: number;
  position: number;
  occurredAt: string;
  /** null: every record of the contract. */
  recordIds: string[] | null;
  dueAt: number;
}

/** Disposal instructions (due `dueAt`, else + disposalWithin) and the contract's first end (+ disposalWithin). */
export function disposalOrders(contract: ContractCustody): DisposalOrder[] {
  const orders: DisposalOrder[] = contract.instructions.map((i) => ({
    eventId: i.eventId,
    type: 'DisposalInstructed',
    at: i.at,
    position: i.position,
    occurredAt: i.occurredAt,
    recordIds: i.recordIds,
    dueAt: i.dueAt ?? addDuration(i.at, policyAt(contract, 'disposalWithin', i.at)),
  }));
  const end = contract.ends[0];
  if (end) {
    orders.push({
      eventId: end.eventId,
      type: 'ContractEnded',
      at: end.at,
      position: end.position,
      occurredAt: end.occurredAt,
      recordIds: null,
      dueAt: addDuration(end.at, policyAt(contract, 'disposalWithin', end.at)),
    });
  }
  return orders;
}

/**
 * The order a record's open holdings must meet first, as in art14.disposal-overdue: an order
 * binds the record when it came while the record had an open holding, and stays pending until
 * the first moment no holding is open. So: the orders at or after `openSince`, earliest due first.
 */
export function pendingDisposal(
  recordId: string,
  openSince: number | null,
  orders: readonly DisposalOrder[],
): DisposalOrder | null {
  if (openSince === null) return null;
  let best: DisposalOrder | null = null;
  for (const order of orders) {
    if (order.at < openSince) continue;
    if (order.recordIds !== null && !order.recordIds.includes(recordId)) continue;
    if (
      best === null ||
      order.dueAt < best.dueAt ||
      (order.dueAt === best.dueAt && (order.at < best.at || (order.at === best.at && order.position < best.position)))
    ) {
      best = order;
    }
  }
  return best;
}

/**
 * The instant from which a holding counts as overdue: the earlier of its transport's due time
 * (while in transit) and the due time of the order binding its record (while open); null when
 * nothing binds it. Overdue at `now` ⇔ overdueAt < now (the same rule as `holdingView`).
 */
export function holdingOverdueAt(
  record: RecordCustody,
  holding: Holding,
  contract: ContractCustody,
  orders: readonly DisposalOrder[] = disposalOrders(contract),
): number | null {
  if (!isOpen(holding.state)) return null;
  let due: number | null = null;
  if (holding.state === 'in_transit' && holding.transportKey !== null) {
    const transport = record.transports.find((t) => t.key === holding.transportKey);
    if (transport && transport.state === 'in_transit') due = transportDueAt(contract, transport);
  }
  const order = pendingDisposal(record.recordId, record.openSince, orders);
  if (order && (due === null || order.dueAt < due)) due = order.dueAt;
  return due;
}

// ---------------------------------------------------------------------------------------------
// The answer shapes (docs/events.md "Reading custody", docs/custody.md).

export interface TransportView {
  transportId: string;
  copyId: string | null;
  state: TransportState;
  from: string | null;
  to: string | null;
  carrierId: string | null;
  medium: Medium | null;
  safeguards: Safeguard[] | null;
  startedAt: string | null;
  expectedArrivalAt: string | null;
  dueAt: string | null;
  completedAt: string | null;
  receivedBy: string | null;
  /** In transit past its due time. */
  overdue: boolean;
}

export interface DisposalDueView {
  dueAt: string;
  orderedBy: { eventId: string; type: DisposalOrderKind; occurredAt: string };
}

export type OverdueReason = 'transport' | 'disposal';

export interface HoldingView {
  copyId: string | null;
  copiedFrom: { copyId: string | null } | null;
  medium: Medium | null;
  state: HoldingState;
  location: string | null;
  holder: Holder | null;
  since: string;
  /** In transit: where from and where to; else null. */
  from: string | null;
  to: string | null;
  /** In transit: the transport carrying it. */
  transport: TransportView | null;
  /** Open holdings of a record under a pending disposal instruction or contract end. */
  disposal: DisposalDueView | null;
  overdue: boolean;
  overdueReasons: OverdueReason[];
  history: CustodyStep[];
}

export interface CustodyView {
  holdings: HoldingView[];
  transports: TransportView[];
}

function iso(ms: number | null): string | null {
  return ms === null ? null : isoUtc(ms);
}

export function transportView(transport: Transport, dueAt: number | null, now: number): TransportView {
  return {
    transportId: transport.transportId,
    copyId: transport.copyId,
    state: transport.state,
    from: transport.from,
    to: transport.to,
    carrierId: transport.carrierId,
    medium: transport.medium,
    safeguards: transport.safeguards,
    startedAt: iso(transport.startedAt),
    expectedArrivalAt: iso(transport.expectedArrivalAt),
    dueAt: iso(dueAt),
    completedAt: iso(transport.completedAt),
    receivedBy: transport.receivedBy,
    overdue: transport.state === 'in_transit' && dueAt !== null && now > dueAt,
  };
}

/**
 * The holding as answered at `now` (asOf for the per-request answer, the clock for the read
 * model). `transportDue` and `disposal` are what the caller computed or stored.
 */
export function holdingView(
  holding: Holding,
  transport: Transport | null,
  transportDue: number | null,
  disposal: DisposalOrder | null,
  now: number,
): HoldingView {
  const carried = holding.state === 'in_transit' && transport !== null ? transportView(transport, transportDue, now) : null;
  const open = isOpen(holding.state);
  const reasons: OverdueReason[] = [];
  if (carried?.overdue) reasons.push('transport');
  const binding = open ? disposal : null;
  if (binding && now > binding.dueAt) reasons.push('disposal');
  return {
    copyId: holding.copyId,
    copiedFrom: holding.copiedFrom,
    medium: holding.medium,
    state: holding.state,
    location: holding.location,
    holder: holding.holder,
    since: isoUtc(holding.since),
    from: carried ? carried.from : null,
    to: carried ? carried.to : null,
    transport: carried,
    disposal: binding
      ? { dueAt: isoUtc(binding.dueAt), orderedBy: { eventId: binding.eventId, type: binding.type, occurredAt: binding.occurredAt } }
      : null,
    overdue: reasons.length > 0,
    overdueReasons: reasons,
    history: [...holding.history],
  };
}

/** A record's holdings and transports as answered at `now`. */
export function custodyView(record: RecordCustody, contract: ContractCustody, now: number): CustodyView {
  const disposal = pendingDisposal(record.recordId, record.openSince, disposalOrders(contract));
  const byKey = new Map(record.transports.map((t) => [t.key, t]));
  return {
    holdings: record.holdings.map((h) => {
      const transport = h.transportKey === null ? null : (byKey.get(h.transportKey) ?? null);
      return holdingView(h, transport, transport ? transportDueAt(contract, transport) : null, disposal, now);
    }),
    transports: record.transports.map((t) => transportView(t, transportDueAt(contract, t), now)),
  };
}
