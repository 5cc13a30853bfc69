import {
  instant,
  isRecordEvent,
  parsePolicy,
  POLICY_DEFAULTS,
  type AuthorizationKind,
  type BriefingTopic,
  type ContractEvent,
  type ContractEventData,
  type Duration,
  type EventOfType,
  type ParsedPolicy,
  type Policy,
  type PolicyKey,
  type RecordedEvent,
} from '@ledger/domain';
import { byOccurrence, inCut, precedes, toEntry, type Entry } from './entry.js';
import { jst, list } from './messages.js';
import type { Cut, Message } from './verdict.js';

type Of<T extends ContractEvent['type']> = Entry<EventOfType<T>>;

/** The contract terms in force at some time (docs/rulebook.md "Inputs and time"). */
export interface Terms {
  /** False when no ContractRegistered is inside the cut: then nothing is permitted. */
  readonly registered: boolean;
  readonly purposes: readonly string[];
  readonly dataCategories: readonly string[];
  readonly permitsSubcontracting: boolean;
  /** The contract term in epoch ms, null when not registered. */
  readonly term: { readonly start: number; readonly end: number } | null;
  /** The event that set the term in force (ContractRegistered or the ContractAmended that changed it). */
  readonly termSource: Entry | null;
  readonly policy: Readonly<Policy>;
  readonly durations: ParsedPolicy;
}

const NO_TERMS: Terms = Object.freeze({
  registered: false,
  purposes: [],
  dataCategories: [],
  permitsSubcontracting: false,
  term: null,
  termSource: null,
  policy: POLICY_DEFAULTS,
  durations: parsePolicy(POLICY_DEFAULTS),
});

interface Grants {
  /** Grants that list recordIds, by recordId. */
  readonly byRecord: Map<string, Of<'AuthorizationGranted'>[]>;
  /** Grants without recordIds (the whole contract, possibly limited by dataCategories). */
  readonly wide: Of<'AuthorizationGranted'>[];
}

/** Worker events that start or end a worker's authorization (Art. 11). */
type WorkerStatusEntry = Of<'WorkerAuthorized'> | Of<'WorkerAuthorizationRevoked'> | Of<'WorkerDeparted'>;
type SubcontractEntry = Of<'SubcontractRequested'> | Of<'SubcontractApproved'> | Of<'SubcontractApprovalRevoked'>;

/** Every list is in judgement order (occurredAt, then position). */
interface Indexes {
  readonly terms: (Of<'ContractRegistered'> | Of<'ContractAmended'>)[];
  readonly ends: Of<'ContractEnded'>[];
  readonly workerStatus: Map<string, WorkerStatusEntry[]>;
  readonly briefings: Map<string, Of<'WorkerBriefed'>[]>;
  readonly departures: Of<'WorkerDeparted'>[];
  readonly pledges: Map<string, Of<'WorkerPledgeSubmitted'>[]>;
  readonly subcontract: Map<string, SubcontractEntry[]>;
  readonly approvals: Of<'SubcontractApproved'>[];
  readonly grants: Map<AuthorizationKind, Grants>;
  readonly authRevocations: Map<string, Of<'AuthorizationRevoked'>[]>;
  readonly reportRequests: Of<'ReportRequested'>[];
  readonly reportSubmissions: Map<string, Of<'ReportSubmitted'>[]>;
  readonly inspections: Of<'InspectionConducted'>[];
  readonly improvementRequests: Of<'ImprovementRequested'>[];
  readonly consultations: Map<string, Of<'ImprovementConsultationHeld'>[]>;
  readonly disposalForAll: Of<'DisposalInstructed'>[];
  readonly disposalByRecord: Map<string, Of<'DisposalInstructed'>[]>;
  readonly incidents: Of<'IncidentDetected'>[];
  readonly incidentsByRecord: Map<string, Of<'IncidentDetected'>[]>;
  readonly incidentReports: Map<string, Of<'IncidentReported'>[]>;
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

/**
 * All events of one contract stream, indexed once (O(n log n)); every lookup filters by the cut
 * and by time, so one index serves any (asOf, knownAt). Callers may cache it keyed by contractId
 * and stream version.
 */
export class ContractHistory {
  private lastView: ContractView | null = null;

  private constructor(
    readonly contractId: string,
    /** The contract's events in judgement order. */
    readonly entries: readonly Entry<ContractEvent>[],
    /** @internal */
    readonly index: Indexes,
  ) {}

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
    const index: Indexes = {
      terms: [],
      ends: [],
      workerStatus: new Map(),
      briefings: new Map(),
      departures: [],
      pledges: new Map(),
      subcontract: new Map(),
      approvals: [],
      grants: new Map(),
      authRevocations: new Map(),
      reportRequests: [],
      reportSubmissions: new Map(),
      inspections: [],
      improvementRequests: [],
      consultations: new Map(),
      disposalForAll: [],
      disposalByRecord: new Map(),
      incidents: [],
      incidentsByRecord: new Map(),
      incidentReports: new Map(),
      myNumberMemoranda: [],
    };
    for (const entry of entries) {
      const event = entry.event;
      switch (event.type) {
        case 'ContractRegistered':
          index.terms.push(narrow(entry, event));
          break;
        case 'ContractAmended':
          index.terms.push(narrow(entry, event));
          break;
        case 'ContractEnded':
          index.ends.push(narrow(entry, event));
          break;
        case 'ResponsiblePersonDesignated':
          break;
        case 'WorkerAuthorized':
          push(index.workerStatus, event.data.workerId, narrow(entry, event));
          break;
        case 'WorkerAuthorizationRevoked':
          push(index.workerStatus, event.data.workerId, narrow(entry, event));
          break;
        case 'WorkerDeparted':
          push(index.workerStatus, event.data.workerId, narrow(entry, event));
          index.departures.push(narrow(entry, event));
          break;
        case 'WorkerBriefed':
          push(index.briefings, event.data.workerId, narrow(entry, event));
          break;
        case 'WorkerPledgeSubmitted':
          push(index.pledges, event.data.workerId, narrow(entry, event));
          break;
        case 'SubcontractRequested':
          push(index.subcontract, event.data.subcontractorId, narrow(entry, event));
          break;
        case 'SubcontractApprovalRevoked':
          push(index.subcontract, event.data.subcontractorId, narrow(entry, event));
          break;
        case 'SubcontractApproved':
          push(index.subcontract, event.data.subcontractorId, narrow(entry, event));
          index.approvals.push(narrow(entry, event));
          break;
        case 'AuthorizationGranted': {
          let grants = index.grants.get(event.data.kind);
          if (!grants) {
            grants = { byRecord: new Map(), wide: [] };
            index.grants.set(event.data.kind, grants);
          }
          if (event.data.recordIds === undefined) grants.wide.push(narrow(entry, event));
          else for (const recordId of new Set(event.data.recordIds)) push(grants.byRecord, recordId, narrow(entry, event));
          break;
        }
        case 'AuthorizationRevoked':
          push(index.authRevocations, event.data.authorizationId, narrow(entry, event));
          break;
        case 'ReportRequested':
          index.reportRequests.push(narrow(entry, event));
          break;
        case 'ReportSubmitted':
          push(index.reportSubmissions, event.data.requestId, narrow(entry, event));
          break;
        case 'InspectionConducted':
          index.inspections.push(narrow(entry, event));
          break;
        case 'ImprovementRequested':
          index.improvementRequests.push(narrow(entry, event));
          break;
        case 'ImprovementConsultationHeld':
          push(index.consultations, event.data.requestId, narrow(entry, event));
          break;
        case 'DisposalInstructed':
          if (event.data.recordIds === undefined) index.disposalForAll.push(narrow(entry, event));
          else for (const recordId of new Set(event.data.recordIds)) push(index.disposalByRecord, recordId, narrow(entry, event));
          break;
        case 'IncidentDetected':
          index.incidents.push(narrow(entry, event));
          for (const recordId of new Set(event.data.affectedRecordIds)) {
            push(index.incidentsByRecord, recordId, narrow(entry, event));
          }
          break;
        case 'IncidentReported':
          push(index.incidentReports, event.data.incidentId, narrow(entry, event));
          break;
        case 'MyNumberMemorandumConcluded':
          index.myNumberMemoranda.push(narrow(entry, event));
          break;
        default: {
          const _exhaustive: never = event;
          throw new Error(`unknown contract event ${JSON.stringify(_exhaustive)}`);
        }
      }
    }
    return new ContractHistory(contractId, entries, index);
  }

  /** The contract as seen through a cut (the last view is memoized: judging many records at one cut builds it once). */
  view(cut: Cut): ContractView {
    const last = this.lastView;
    if (last && last.cut.asOf === cut.asOf && last.cut.knownAt === cut.knownAt) return last;
    const view = new ContractView(this, { asOf: cut.asOf, knownAt: cut.knownAt });
    this.lastView = view;
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

export interface Coverage {
  readonly grant: Of<'AuthorizationGranted'> | null;
  /** For a grant that names the record (or the whole contract) but does not cover it at t: why not. */
  readonly reasons: readonly Message[];
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

  constructor(readonly history: ContractHistory, readonly cut: Cut) {
    this.index = history.index;
    const visible = this.index.terms.filter((e) => this.visible(e));
    let registration: Of<'ContractRegistered'> | null = null;
    for (const e of visible) {
      if (e.event.type === 'ContractRegistered' && (registration === null || e.pos < registration.pos)) {
        registration = e as Of<'ContractRegistered'>;
      }
    }
    this.base = registration ? registered(registration) : NO_TERMS;
    const steps: TermsStep[] = [];
    if (registration) {
      let terms = this.base;
      for (const e of visible) {
        if (e.event.type !== 'ContractAmended') continue;
        terms = amend(terms, e as Of<'ContractAmended'>);
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

  durationAt(key: PolicyKey, t: number): Duration {
    return this.termsAt(t).durations[key];
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
    const reasons: Message[] = [];
    for (const grant of candidates) {
      if (!this.visible(grant)) continue;
      const reason = this.whyNotCovered(grant, categories, t);
      if (reason === null) return { grant, reasons: [] };
      reasons.push(reason);
    }
    return { grant: null, reasons };
  }

  private whyNotCovered(grant: Of<'AuthorizationGranted'>, categories: readonly string[] | null, t: number): Message | null {
    const { authorizationId: id, validUntil, dataCategories } = grant.event.data;
    if (grant.at > t) {
      return { ja: `${id} は ${jst(grant.at)} に承諾されたもので行為の後です`, en: `${id} was granted only at ${jst(grant.at)}, after the act` };
    }
    if (validUntil !== undefined && t >= instant(validUntil)) {
      return { ja: `${id} は ${jst(instant(validUntil))} に期限切れです`, en: `${id} expired at ${jst(instant(validUntil))}` };
    }
    for (const revocation of this.index.authRevocations.get(id) ?? []) {
      if (revocation.at > t) break;
      if (this.visible(revocation) && precedes(grant, revocation)) {
        return { ja: `${id} は ${jst(revocation.at)} に取り消されています`, en: `${id} was revoked at ${jst(revocation.at)}` };
      }
    }
    if (dataCategories !== undefined) {
      if (categories === null || categories.length === 0) {
        return {
          ja: `${id} は項目を限定していますが、この記録の収集項目が不明です`,
          en: `${id} is limited to data categories, and the record's collected categories are unknown`,
        };
      }
      const missing = categories.filter((c) => !dataCategories.includes(c));
      if (missing.length > 0) {
        const names = list(missing);
        return { ja: `${id} は項目 ${names.ja} を含みません`, en: `${id} does not cover the categories ${names.en}` };
      }
    }
    return null;
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
    for (const e of this.index.ends) if (this.visible(e)) return e;
    return null;
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

  incidentReports(incidentId: string): Of<'IncidentReported'>[] {
    return this.seen(this.index.incidentReports.get(incidentId));
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

function parseTerm(term: ContractEventData['ContractRegistered']['term']): { start: number; end: number } {
  return { start: instant(term.start), end: instant(term.end) };
}

function registered(e: Of<'ContractRegistered'>): Terms {
  const data = e.event.data;
  const policy: Policy = { ...POLICY_DEFAULTS, ...definedPolicy(data.policy) };
  return {
    registered: true,
    purposes: data.purposes,
    dataCategories: data.dataCategories,
    permitsSubcontracting: data.permitsSubcontracting,
    term: parseTerm(data.term),
    termSource: e,
    policy,
    durations: parsePolicy(policy),
  };
}

/** An amendment replaces each field it gives; policy keys merge one by one. */
function amend(terms: Terms, e: Of<'ContractAmended'>): Terms {
  const data = e.event.data;
  const policy: Policy = data.policy ? { ...terms.policy, ...definedPolicy(data.policy) } : terms.policy;
  return {
    registered: true,
    purposes: data.purposes ?? terms.purposes,
    dataCategories: data.dataCategories ?? terms.dataCategories,
    permitsSubcontracting: data.permitsSubcontracting ?? terms.permitsSubcontracting,
    term: data.term ? parseTerm(data.term) : terms.term,
    termSource: data.term ? e : terms.termSource,
    policy,
    durations: data.policy ? parsePolicy(policy) : terms.durations,
  };
}

/** Policy keys that are actually given (an explicit undefined does not erase a default). */
function definedPolicy(policy: Partial<Policy> | undefined): Partial<Policy> {
  const out: Partial<Policy> = {};
  if (!policy) return out;
  for (const key of Object.keys(POLICY_DEFAULTS) as PolicyKey[]) {
    const value = policy[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}
