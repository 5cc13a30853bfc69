import {
  instant,
  isRecordEvent,
  type AuthorizationKind,
  type BriefingTopic,
  type ContractEvent,
  type Duration,
  type DurationKey,
  type EventOfType,
  type ParsedPolicy,
  type RecordedEvent,
} from '@ledger/domain';
import { byOccurrence, inCut, precedes, toEntry, type Cut, type Entry, type Key } from './entry.js';
import { amendTerms, NO_TERMS, registeredTerms, type Terms } from './terms.js';

export type Of<T extends ContractEvent['type']> = Entry<EventOfType<T>>;

interface Grants {
  /** Grants that list recordIds, by recordId. */
  readonly byRecord: Map<string, Of<'AuthorizationGranted'>[]>;
  /** Grants without recordIds (the whole contract, possibly limited by dataCategories). */
  readonly wide: Of<'AuthorizationGranted'>[];
}

/** Worker events that start or end a worker's authorization (Art. 11). */
type WorkerStatusEntry = Of<'WorkerAuthorized'> | Of<'WorkerAuthorizationRevoked'> | Of<'WorkerDeparted'>;
type SubcontractEntry = Of<'SubcontractRequested'> | Of<'SubcontractApproved'> | Of<'SubcontractApprovalRevoked'>;

/** Contract events that act on a record's fold at their place in the judgement order. */
export type RecordTrigger =
  | Of<'ContractEnded'>
  | Of<'DisposalInstructed'>
  | Of<'WorkerDeparted'>
  | Of<'AuthorizationRevoked'>
  | Of<'IncidentReported'>;

/** Every list is in judgement order (occurredAt, then position). */
interface Indexes {
  readonly terms: (Of<'ContractRegistered'> | Of<'ContractAmended'>)[];
  readonly ends: Of<'ContractEnded'>[];
  readonly responsiblePersons: Of<'ResponsiblePersonDesignated'>[];
  readonly workerStatus: Map<string, WorkerStatusEntry[]>;
  readonly briefings: Map<string, Of<'WorkerBriefed'>[]>;
  readonly departures: Of<'WorkerDeparted'>[];
  readonly pledges: Map<string, Of<'WorkerPledgeSubmitted'>[]>;
  readonly subcontract: Map<string, SubcontractEntry[]>;
  readonly requestsByRef: Map<string, Of<'SubcontractRequested'>[]>;
  readonly approvals: Of<'SubcontractApproved'>[];
  readonly grants: Map<AuthorizationKind, Grants>;
  readonly grantsById: Map<string, Of<'AuthorizationGranted'>[]>;
  readonly authRevocations: Map<string, Of<'AuthorizationRevoked'>[]>;
  readonly revocations: Of<'AuthorizationRevoked'>[];
  readonly reportRequests: Of<'ReportRequested'>[];
  readonly reportSubmissions: Map<string, Of<'ReportSubmitted'>[]>;
  readonly inspections: Of<'InspectionConducted'>[];
  readonly improvementRequests: Of<'ImprovementRequested'>[];
  readonly consultations: Map<string, Of<'ImprovementConsultationHeld'>[]>;
  readonly disposalForAll: Of<'DisposalInstructed'>[];
  readonly disposalByRecord: Map<string, Of<'DisposalInstructed'>[]>;
  readonly incidents: Of<'IncidentDetected'>[];
  readonly incidentsById: Map<string, Of<'IncidentDetected'>[]>;
  readonly incidentsByRecord: Map<string, Of<'IncidentDetected'>[]>;
  readonly incidentReports: Map<string, Of<'IncidentReported'>[]>;
  readonly ppcReports: Map<string, Of<'PpcReported'>[]>;
  readonly notices: Map<string, Of<'PersonsNotified'>[]>;
  readonly myNumberMemoranda: Of<'MyNumberMemorandumConcluded'>[];
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const values = map.get(key);
  if (values) values.push(value);
  else map.set(key, [value]);
}

function narrow<E extends ContractEvent>(entry: Entry, _event: E): Entry<E> {
  return entry as Entry<E>;
}

function emptyIndexes(): Indexes {
  return {
    terms: [],
    ends: [],
    responsiblePersons: [],
    workerStatus: new Map(),
    briefings: new Map(),
    departures: [],
    pledges: new Map(),
    subcontract: new Map(),
    requestsByRef: new Map(),
    approvals: [],
    grants: new Map(),
    grantsById: new Map(),
    authRevocations: new Map(),
    revocations: [],
    reportRequests: [],
    reportSubmissions: new Map(),
    inspections: [],
    improvementRequests: [],
    consultations: new Map(),
    disposalForAll: [],
    disposalByRecord: new Map(),
    incidents: [],
    incidentsById: new Map(),
    incidentsByRecord: new Map(),
    incidentReports: new Map(),
    ppcReports: new Map(),
    notices: new Map(),
    myNumberMemoranda: [],
  };
}

function index(entries: readonly Entry<ContractEvent>[]): Indexes {
  const ix = emptyIndexes();
  for (const entry of entries) {
    const event = entry.event;
    switch (event.type) {
      case 'ContractRegistered':
        ix.terms.push(narrow(entry, event));
        break;
      case 'ContractAmended':
        ix.terms.push(narrow(entry, event));
        break;
      case 'ContractEnded':
        ix.ends.push(narrow(entry, event));
        break;
      case 'ResponsiblePersonDesignated':
        ix.responsiblePersons.push(narrow(entry, event));
        break;
      case 'WorkerAuthorized':
        push(ix.workerStatus, event.data.workerId, narrow(entry, event));
        break;
      case 'WorkerAuthorizationRevoked':
        push(ix.workerStatus, event.data.workerId, narrow(entry, event));
        break;
      case 'WorkerDeparted':
        push(ix.workerStatus, event.data.workerId, narrow(entry, event));
        ix.departures.push(narrow(entry, event));
        break;
      case 'WorkerBriefed':
        push(ix.briefings, event.data.workerId, narrow(entry, event));
        break;
      case 'WorkerPledgeSubmitted':
        push(ix.pledges, event.data.workerId, narrow(entry, event));
        break;
      case 'SubcontractRequested':
        push(ix.subcontract, event.data.subcontractorId, narrow(entry, event));
        push(ix.requestsByRef, event.data.applicationRef, narrow(entry, event));
        break;
      case 'SubcontractApprovalRevoked':
        push(ix.subcontract, event.data.subcontractorId, narrow(entry, event));
        break;
      case 'SubcontractApproved':
        push(ix.subcontract, event.data.subcontractorId, narrow(entry, event));
        ix.approvals.push(narrow(entry, event));
        break;
      case 'AuthorizationGranted': {
        let grants = ix.grants.get(event.data.kind);
        if (!grants) {
          grants = { byRecord: new Map(), wide: [] };
          ix.grants.set(event.data.kind, grants);
        }
        if (event.data.recordIds === undefined) grants.wide.push(narrow(entry, event));
        else for (const recordId of new Set(event.data.recordIds)) push(grants.byRecord, recordId, narrow(entry, event));
        push(ix.grantsById, event.data.authorizationId, narrow(entry, event));
        break;
      }
      case 'AuthorizationRevoked':
        push(ix.authRevocations, event.data.authorizationId, narrow(entry, event));
        ix.revocations.push(narrow(entry, event));
        break;
      case 'ReportRequested':
        ix.reportRequests.push(narrow(entry, event));
        break;
      case 'ReportSubmitted':
        push(ix.reportSubmissions, event.data.requestId, narrow(entry, event));
        break;
      case 'InspectionConducted':
        ix.inspections.push(narrow(entry, event));
        break;
      case 'ImprovementRequested':
        ix.improvementRequests.push(narrow(entry, event));
        break;
      case 'ImprovementConsultationHeld':
        push(ix.consultations, event.data.requestId, narrow(entry, event));
        break;
      case 'DisposalInstructed':
        if (event.data.recordIds === undefined) ix.disposalForAll.push(narrow(entry, event));
        else for (const recordId of new Set(event.data.recordIds)) push(ix.disposalByRecord, recordId, narrow(entry, event));
        break;
      case 'IncidentDetected':
        ix.incidents.push(narrow(entry, event));
        push(ix.incidentsById, event.data.incidentId, narrow(entry, event));
        for (const recordId of new Set(event.data.affectedRecordIds)) push(ix.incidentsByRecord, recordId, narrow(entry, event));
        break;
      case 'IncidentReported':
        push(ix.incidentReports, event.data.incidentId, narrow(entry, event));
        break;
      case 'PpcReported':
        push(ix.ppcReports, event.data.incidentId, narrow(entry, event));
        break;
      case 'PersonsNotified':
        push(ix.notices, event.data.incidentId, narrow(entry, event));
        break;
      case 'MyNumberMemorandumConcluded':
        ix.myNumberMemoranda.push(narrow(entry, event));
        break;
      default: {
        const _exhaustive: never = event;
        throw new Error(`unknown contract event ${JSON.stringify(_exhaustive)}`);
      }
    }
  }
  return ix;
}

/**
 * All events of one contract stream, indexed once (O(n log n)); every lookup filters by the cut
 * and by time, so one index serves any (asOf, knownAt). Callers cache it keyed by contractId and
 * stream version. A contract stream holds the contract's own facts (terms, staff, approvals,
 * incidents): it stays small next to its records' streams, which are never held here.
 */
export class ContractHistory {
  private readonly views = new Map<string, ContractView>();
  /** Triggers that concern every record (the contract's end, contract-wide instructions, departures, revocations), in judgement order. */
  readonly globalTriggers: readonly RecordTrigger[];

  private constructor(
    readonly contractId: string,
    /** The contract's events in judgement order. */
    readonly entries: readonly Entry<ContractEvent>[],
    /** @internal */
    readonly index: Indexes,
  ) {
    this.globalTriggers = [...index.ends, ...index.disposalForAll, ...index.departures, ...index.revocations].sort(byOccurrence);
    let last = 0;
    for (const e of entries) if (e.pos > last) last = e.pos;
    this.lastPosition = last;
  }

  /** Position of the last event held (0 when none is). */
  readonly lastPosition: number;

  /** Triggers that concern one record (instructions naming it, reports of incidents listing it), in judgement order. */
  specificTriggers(recordId: string): RecordTrigger[] {
    const reports: Of<'IncidentReported'>[] = [];
    for (const incident of this.index.incidentsByRecord.get(recordId) ?? []) {
      for (const report of this.index.incidentReports.get(incident.event.data.incidentId) ?? []) reports.push(report);
    }
    const all: RecordTrigger[] = [...(this.index.disposalByRecord.get(recordId) ?? []), ...reports];
    return [...new Map(all.map((e) => [e.id, e])).values()].sort(byOccurrence);
  }

  static of(contractId: string, contractEvents: readonly RecordedEvent[]): ContractHistory {
    const entries = contractEvents.map((recorded) => {
      const event = recorded.event;
      if (event.contractId !== contractId) {
        throw new Error(`event ${event.eventId} belongs to contract ${event.contractId}, not ${contractId}`);
      }
      if (isRecordEvent(event)) {
        throw new Error(`event ${event.eventId} (${event.type}) is a record event, not a contract event`);
      }
      return toEntry(recorded) as Entry<ContractEvent>;
    });
    entries.sort(byOccurrence);
    return new ContractHistory(contractId, entries, index(entries));
  }

  /** When the last event held occurred (entries are in judgement order), or null when none is. */
  get latestAt(): number | null {
    return this.entries.at(-1)?.at ?? null;
  }

  /** The records the contract's incidents name (what its incident rules read of the records). */
  incidentRecordIds(): string[] {
    return [...this.index.incidentsByRecord.keys()];
  }

  /**
   * The earliest place in the judgement order of an event recorded after position `known`: a
   * judgement made knowing only up to `known` stays right before it. null when there is none (a
   * record answer asks this with the projector's checkpoint, usually past every contract event:
   * answered without a pass over the contract's events).
   */
  firstUnknownAfter(known: number): Key | null {
    if (known >= this.lastPosition) return null;
    for (const e of this.entries) if (e.pos > known) return e;
    return null;
  }

  /** The contract as seen through a cut (the latest views are memoized: judging many records at one cut builds it once). */
  view(cut: Cut): ContractView {
    const key = `${cut.asOf}|${cut.knownAt}`;
    const found = this.views.get(key);
    if (found) return found;
    const view = new ContractView(this, { asOf: cut.asOf, knownAt: cut.knownAt });
    this.views.set(key, view);
    if (this.views.size > 16) this.views.delete(this.views.keys().next().value!);
    return view;
  }
}

/** Why a worker is, or is not, in force at some time. */
export interface WorkerStanding {
  readonly inForce: boolean;
  /** The WorkerAuthorized in force, or the last one before it ended. */
  readonly authorizedBy: Of<'WorkerAuthorized'> | null;
  /** The WorkerAuthorizationRevoked or WorkerDeparted that ended the last authorization. */
  readonly endedBy: Of<'WorkerAuthorizationRevoked'> | Of<'WorkerDeparted'> | null;
  /** Set when the worker is authorized, but for another org than the one they acted for. */
  readonly authorizedOrg: string | null;
}

export interface SubcontractorStanding {
  readonly approved: boolean;
  readonly approvedBy: Of<'SubcontractApproved'> | null;
  readonly revokedBy: Of<'SubcontractApprovalRevoked'> | null;
  readonly permitted: boolean;
}

/** Why a grant that names the record (or the whole contract) does not cover it at t. */
export type UncoveredReason =
  | { readonly kind: 'granted-later'; readonly id: string; readonly at: number }
  | { readonly kind: 'expired'; readonly id: string; readonly at: number }
  | { readonly kind: 'revoked'; readonly id: string; readonly at: number }
  | { readonly kind: 'categories-unknown'; readonly id: string }
  | { readonly kind: 'categories-missing'; readonly id: string; readonly missing: readonly string[] };

export interface Coverage {
  readonly grant: Of<'AuthorizationGranted'> | null;
  readonly reasons: readonly UncoveredReason[];
}

/** What an approval lets a subcontractor handle: the categories of the request it names. */
export interface ApprovedScope {
  readonly approval: Of<'SubcontractApproved'>;
  /** The SubcontractRequested whose applicationRef the approval names; null when none is known. */
  readonly request: Of<'SubcontractRequested'> | null;
}

interface TermsStep {
  readonly at: number;
  readonly terms: Terms;
}

/** One contract cut at (asOf, knownAt): standing facts and terms at any time t ≤ asOf. */
export class ContractView {
  private readonly base: Terms;
  private readonly steps: readonly TermsStep[];
  private readonly index: Indexes;
  private end: Of<'ContractEnded'> | null | undefined;

  constructor(readonly history: ContractHistory, readonly cut: Cut) {
    this.index = history.index;
    // The terms are causal: the registration applies from the moment the ledger knows it, so a
    // verdict on an event never depends on where asOf is cut after it.
    const known = this.index.terms.filter((e) => e.known <= cut.knownAt);
    let registration: Of<'ContractRegistered'> | null = null;
    for (const e of known) {
      if (e.event.type === 'ContractRegistered' && (registration === null || e.pos < registration.pos)) {
        registration = e as Of<'ContractRegistered'>;
      }
    }
    this.base = registration ? registeredTerms(registration) : NO_TERMS;
    const steps: TermsStep[] = [];
    if (registration) {
      let terms = this.base;
      for (const e of known) {
        if (e.event.type !== 'ContractAmended') continue;
        terms = amendTerms(terms, e as Of<'ContractAmended'>);
        steps.push({ at: e.at, terms });
      }
    }
    this.steps = steps;
  }

  get contractId(): string {
    return this.history.contractId;
  }

  visible(entry: Entry): boolean {
    return inCut(entry, this.cut);
  }

  /** Terms in force at t: ContractRegistered overlaid by every ContractAmended with occurredAt ≤ t. */
  termsAt(t: number): Terms {
    let lo = 0;
    let hi = this.steps.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.steps[mid]!.at <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? this.base : this.steps[lo - 1]!.terms;
  }

  /** A policy duration in force at t (null where the policy sets none, e.g. consultationWithin). */
  durationAt<K extends DurationKey>(key: K, t: number): ParsedPolicy[K] {
    return this.termsAt(t).durations[key];
  }

  /** A duration that always has a value. */
  requiredDurationAt(key: DurationKey, t: number): Duration {
    const d = this.termsAt(t).durations[key];
    if (d === null) throw new Error(`policy.${key} has no value at ${t}`);
    return d;
  }

  /** Whether the contract (not the ledger's default) sets the policy key in force at t. */
  policyIsExplicit(key: DurationKey, t: number): boolean {
    return this.termsAt(t).explicit.has(key);
  }

  /** Visible entries of a list (already in judgement order). */
  private seen<E extends Entry>(entries: readonly E[] | undefined): E[] {
    return entries ? entries.filter((e) => this.visible(e)) : [];
  }

  /**
   * A worker is in force at t for an org if the last WorkerAuthorized at or before t, with no
   * WorkerAuthorizationRevoked or WorkerDeparted after it and at or before t, was for that org.
   */
  workerStanding(workerId: string, org: string, t: number): WorkerStanding {
    let authorizedBy: Of<'WorkerAuthorized'> | null = null;
    let endedBy: Of<'WorkerAuthorizationRevoked'> | Of<'WorkerDeparted'> | null = null;
    let current = false;
    for (const e of this.index.workerStatus.get(workerId) ?? []) {
      if (e.at > t) break;
      if (!this.visible(e)) continue;
      if (e.event.type === 'WorkerAuthorized') {
        authorizedBy = e as Of<'WorkerAuthorized'>;
        endedBy = null;
        current = true;
      } else if (current) {
        endedBy = e as Of<'WorkerAuthorizationRevoked'> | Of<'WorkerDeparted'>;
        current = false;
      }
    }
    const authorizedOrg = current && authorizedBy ? authorizedBy.event.data.org : null;
    return {
      inForce: authorizedOrg === org,
      authorizedBy,
      endedBy,
      authorizedOrg: authorizedOrg !== null && authorizedOrg !== org ? authorizedOrg : null,
    };
  }

  /** The first WorkerBriefed of the worker with the topic, at or before t. */
  briefingAt(workerId: string, topic: BriefingTopic, t: number): Of<'WorkerBriefed'> | null {
    for (const e of this.index.briefings.get(workerId) ?? []) {
      if (e.at > t) break;
      if (this.visible(e) && e.event.data.topics.includes(topic)) return e;
    }
    return null;
  }

  /** The first ResponsiblePersonDesignated at or before t (Art. 3). */
  responsiblePersonAt(t: number): Of<'ResponsiblePersonDesignated'> | null {
    for (const e of this.index.responsiblePersons) {
      if (e.at > t) break;
      if (this.visible(e)) return e;
    }
    return null;
  }

  /**
   * Subcontractor s is approved at t if a SubcontractApproved for s occurred at or before t, with
   * no SubcontractApprovalRevoked for s since, and the terms in force at t permit subcontracting.
   */
  subcontractorStanding(subcontractorId: string, t: number): SubcontractorStanding {
    let approvedBy: Of<'SubcontractApproved'> | null = null;
    let revokedBy: Of<'SubcontractApprovalRevoked'> | null = null;
    for (const e of this.index.subcontract.get(subcontractorId) ?? []) {
      if (e.at > t) break;
      if (!this.visible(e)) continue;
      if (e.event.type === 'SubcontractApproved') {
        approvedBy = e as Of<'SubcontractApproved'>;
        revokedBy = null;
      } else if (e.event.type === 'SubcontractApprovalRevoked' && approvedBy && revokedBy === null) {
        revokedBy = e as Of<'SubcontractApprovalRevoked'>;
      }
    }
    const permitted = this.termsAt(t).permitsSubcontracting;
    return { approved: approvedBy !== null && revokedBy === null && permitted, approvedBy, revokedBy, permitted };
  }

  /** The scope of the approval in force for s at t (null when s is not approved then). */
  approvedScope(subcontractorId: string, t: number): ApprovedScope | null {
    const standing = this.subcontractorStanding(subcontractorId, t);
    if (!standing.approved || !standing.approvedBy) return null;
    const approval = standing.approvedBy;
    const requests = this.seen(this.index.requestsByRef.get(approval.event.data.applicationRef)).filter(
      (r) => r.event.data.subcontractorId === subcontractorId && precedes(r, approval),
    );
    return { approval, request: requests.at(-1) ?? null };
  }

  /** SubcontractRequested for s before an event, in judgement order. */
  subcontractRequestsBefore(subcontractorId: string, before: Entry): Of<'SubcontractRequested'>[] {
    return this.seen(this.index.subcontract.get(subcontractorId)).filter(
      (e): e is Of<'SubcontractRequested'> => e.event.type === 'SubcontractRequested' && precedes(e, before),
    );
  }

  /**
   * The first authorization of kind k covering record r at t: granted at or before t, t before
   * validUntil, not revoked at or before t, r in recordIds when given, and every category of r
   * (`categories`, null when r has no collection yet) in the grant's dataCategories when given.
   */
  authorizationCovering(kind: AuthorizationKind, recordId: string, categories: readonly string[] | null, t: number): Coverage {
    const grants = this.index.grants.get(kind);
    if (!grants) return { grant: null, reasons: [] };
    const candidates = mergeInOrder(grants.byRecord.get(recordId) ?? [], grants.wide);
    const reasons: UncoveredReason[] = [];
    for (const grant of candidates) {
      if (!this.visible(grant)) continue;
      const reason = this.whyNotCovered(grant, categories, t);
      if (reason === null) return { grant, reasons: [] };
      reasons.push(reason);
    }
    return { grant: null, reasons };
  }

  private whyNotCovered(grant: Of<'AuthorizationGranted'>, categories: readonly string[] | null, t: number): UncoveredReason | null {
    const { authorizationId: id, validUntil, dataCategories } = grant.event.data;
    if (grant.at > t) return { kind: 'granted-later', id, at: grant.at };
    if (validUntil !== undefined && t >= instant(validUntil)) return { kind: 'expired', id, at: instant(validUntil) };
    const revocation = this.revocationOf(grant, t);
    if (revocation) return { kind: 'revoked', id, at: revocation.at };
    if (dataCategories !== undefined) {
      if (categories === null || categories.length === 0) return { kind: 'categories-unknown', id };
      const missing = categories.filter((c) => !dataCategories.includes(c));
      if (missing.length > 0) return { kind: 'categories-missing', id, missing };
    }
    return null;
  }

  /** The first revocation of the grant after it, at or before t (any time when t is omitted). */
  revocationOf(grant: Of<'AuthorizationGranted'>, t = Number.POSITIVE_INFINITY): Of<'AuthorizationRevoked'> | null {
    for (const revocation of this.index.authRevocations.get(grant.event.data.authorizationId) ?? []) {
      if (revocation.at > t) break;
      if (this.visible(revocation) && precedes(grant, revocation)) return revocation;
    }
    return null;
  }

  /** The grant with this authorizationId that precedes the key, the last such. */
  grantBefore(authorizationId: string, before: Key): Of<'AuthorizationGranted'> | null {
    let found: Of<'AuthorizationGranted'> | null = null;
    for (const g of this.index.grantsById.get(authorizationId) ?? []) if (this.visible(g) && precedes(g, before)) found = g;
    return found;
  }

  /** The first MyNumberMemorandumConcluded at or before t. */
  myNumberMemorandumAt(t: number): Of<'MyNumberMemorandumConcluded'> | null {
    for (const e of this.index.myNumberMemoranda) {
      if (e.at > t) break;
      if (this.visible(e)) return e;
    }
    return null;
  }

  /** The contract's end: its first ContractEnded inside the cut. */
  contractEnd(): Of<'ContractEnded'> | null {
    if (this.end !== undefined) return this.end;
    this.end = null;
    for (const e of this.index.ends) {
      if (this.visible(e)) {
        this.end = e;
        break;
      }
    }
    return this.end;
  }

  disposalInstructionsFor(recordId: string): Of<'DisposalInstructed'>[] {
    return this.seen(mergeInOrder(this.index.disposalByRecord.get(recordId) ?? [], this.index.disposalForAll));
  }

  incidentsAffecting(recordId: string): Of<'IncidentDetected'>[] {
    return this.seen(this.index.incidentsByRecord.get(recordId));
  }

  incidents(): Of<'IncidentDetected'>[] {
    return this.seen(this.index.incidents);
  }

  /** The first IncidentDetected with this incidentId inside the cut. */
  incident(incidentId: string): Of<'IncidentDetected'> | null {
    return this.seen(this.index.incidentsById.get(incidentId))[0] ?? null;
  }

  incidentReports(incidentId: string): Of<'IncidentReported'>[] {
    return this.seen(this.index.incidentReports.get(incidentId));
  }

  ppcReports(incidentId: string): Of<'PpcReported'>[] {
    return this.seen(this.index.ppcReports.get(incidentId));
  }

  personNotices(incidentId: string): Of<'PersonsNotified'>[] {
    return this.seen(this.index.notices.get(incidentId));
  }

  departures(): Of<'WorkerDeparted'>[] {
    return this.seen(this.index.departures);
  }

  /** WorkerDeparted of the worker (for pledges: the departure before a later one). */
  departuresOf(workerId: string): Of<'WorkerDeparted'>[] {
    return this.seen(this.index.workerStatus.get(workerId)).filter(
      (e): e is Of<'WorkerDeparted'> => e.event.type === 'WorkerDeparted',
    );
  }

  pledgesOf(workerId: string): Of<'WorkerPledgeSubmitted'>[] {
    return this.seen(this.index.pledges.get(workerId));
  }

  approvals(): Of<'SubcontractApproved'>[] {
    return this.seen(this.index.approvals);
  }

  reportRequests(): Of<'ReportRequested'>[] {
    return this.seen(this.index.reportRequests);
  }

  reportSubmissions(requestId: string): Of<'ReportSubmitted'>[] {
    return this.seen(this.index.reportSubmissions.get(requestId));
  }

  inspections(): Of<'InspectionConducted'>[] {
    return this.seen(this.index.inspections);
  }

  improvementRequests(): Of<'ImprovementRequested'>[] {
    return this.seen(this.index.improvementRequests);
  }

  consultations(requestId: string): Of<'ImprovementConsultationHeld'>[] {
    return this.seen(this.index.consultations.get(requestId));
  }

  /**
   * Whether a trigger acts on records in this cut: visible, and for the contract's end, the first
   * end (a second ContractEnded ends nothing).
   */
  triggers(trigger: RecordTrigger): boolean {
    if (!this.visible(trigger)) return false;
    return trigger.event.type !== 'ContractEnded' || this.contractEnd()?.id === trigger.id;
  }
}

function mergeInOrder<E extends Entry>(a: readonly E[], b: readonly E[]): E[] {
  if (a.length === 0) return b.slice();
  if (b.length === 0) return a.slice();
  const out: E[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && precedes(a[i]!, b[j]!))) out.push(a[i++]!);
    else out.push(b[j++]!);
  }
  return out;
}
