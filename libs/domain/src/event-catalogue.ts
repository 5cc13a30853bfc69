/**
 * The event catalogue of the wire contract (EVENTS.md v1 and v2): every contract and record event type,
 * with its data fields, as plain serializable types. Producers build against these names; they
 * never change without a new version.
 */
import type { Policy } from './policy.js';

export type Org = 'city' | 'contractor' | `subcontractor:${string}`;
export type WorkerOrg = 'contractor' | `subcontractor:${string}`;

export interface Actor {
  org: Org;
  workerId?: string;
}

export interface Term {
  start: string;
  end: string;
}

export type AuthorizationKind = 'copy' | 'provision' | 'use_outside_purpose' | 'after_term';
export type Medium = 'electronic' | 'paper';
export type BriefingTopic = 'confidentiality' | 'penalties';
export type InspectionOutcome = 'satisfactory' | 'improvement_needed';
export type IncidentKind =
  | 'leak' | 'loss' | 'theft' | 'alteration' | 'damage' | 'unauthorized_access' | 'misdelivery' | 'other';
export type Safeguard = 'encrypted' | 'sealed' | 'locked_container' | 'tracked' | 'escorted';
export type DisposalMethod =
  | 'physical_destruction' | 'degaussing' | 'overwrite' | 'crypto_erase' | 'shredding' | 'incineration' | 'dissolution';
export type ContractEndReason = 'expired' | 'terminated';
export type DisposalAction = 'return' | 'dispose' | 'either';
export type PpcReportStage = 'preliminary' | 'final';
export type NoticeMethod = 'individual' | 'public_notice';

export const AUTHORIZATION_KINDS: readonly AuthorizationKind[] = ['copy', 'provision', 'use_outside_purpose', 'after_term'];
export const MEDIA: readonly Medium[] = ['electronic', 'paper'];
export const BRIEFING_TOPICS: readonly BriefingTopic[] = ['confidentiality', 'penalties'];
export const INSPECTION_OUTCOMES: readonly InspectionOutcome[] = ['satisfactory', 'improvement_needed'];
export const INCIDENT_KINDS: readonly IncidentKind[] = [
  'leak', 'loss', 'theft', 'alteration', 'damage', 'unauthorized_access', 'misdelivery', 'other',
];
export const SAFEGUARDS: readonly Safeguard[] = ['encrypted', 'sealed', 'locked_container', 'tracked', 'escorted'];
export const DISPOSAL_METHODS: readonly DisposalMethod[] = [
  'physical_destruction', 'degaussing', 'overwrite', 'crypto_erase', 'shredding', 'incineration', 'dissolution',
];
export const CONTRACT_END_REASONS: readonly ContractEndReason[] = ['expired', 'terminated'];
export const DISPOSAL_ACTIONS: readonly DisposalAction[] = ['return', 'dispose', 'either'];
export const PPC_REPORT_STAGES: readonly PpcReportStage[] = ['preliminary', 'final'];
export const NOTICE_METHODS: readonly NoticeMethod[] = ['individual', 'public_notice'];

/** Data of each contract event type. */
export interface ContractEventData {
  ContractRegistered: {
    title: string;
    /** EVENTS.md v2: the contractor (乙) party of the contract, `contractor:<contractorId>`. */
    contractorId: string;
    purposes: string[];
    dataCategories: string[];
    permitsSubcontracting: boolean;
    term: Term;
    policy?: Partial<Policy>;
  };
  ContractAmended: {
    purposes?: string[];
    dataCategories?: string[];
    permitsSubcontracting?: boolean;
    term?: Term;
    policy?: Partial<Policy>;
  };
  ContractEnded: { reason: ContractEndReason };
  ResponsiblePersonDesignated: { personId: string; title: string };
  WorkerAuthorized: { workerId: string; org: WorkerOrg };
  WorkerAuthorizationRevoked: { workerId: string };
  WorkerBriefed: { workerId: string; topics: BriefingTopic[] };
  WorkerDeparted: { workerId: string };
  WorkerPledgeSubmitted: { workerId: string };
  SubcontractRequested: {
    subcontractorId: string;
    applicationRef: string;
    reason: string;
    dataCategories: string[];
    draftMemorandumAttached: boolean;
  };
  SubcontractApproved: { subcontractorId: string; applicationRef: string };
  SubcontractApprovalRevoked: { subcontractorId: string };
  AuthorizationGranted: {
    authorizationId: string;
    kind: AuthorizationKind;
    recordIds?: string[];
    dataCategories?: string[];
    validUntil?: string;
    reference?: string;
  };
  AuthorizationRevoked: { authorizationId: string };
  ReportRequested: { requestId: string; dueAt: string };
  ReportSubmitted: { requestId: string };
  InspectionConducted: { inspectionId: string; outcome: InspectionOutcome };
  ImprovementRequested: { requestId: string; reasons: string[]; dueAt?: string };
  ImprovementConsultationHeld: { requestId: string };
  DisposalInstructed: { recordIds?: string[]; dueAt?: string; action?: DisposalAction };
  IncidentDetected: {
    incidentId: string;
    kind: IncidentKind;
    affectedRecordIds: string[];
    affectedPersonCount?: number;
    financialHarmRisk?: boolean;
  };
  IncidentReported: { incidentId: string };
  MyNumberMemorandumConcluded: { reference: string };
  PpcReported: { incidentId: string; stage: PpcReportStage };
  PersonsNotified: { incidentId: string; method?: NoticeMethod };
}

/** Data of each record event type. */
export interface RecordEventData {
  RecordCollected: {
    purpose: string;
    dataCategories: string[];
    medium: Medium;
    containsMyNumber: boolean;
    personCount?: number;
    location?: string;
  };
  RecordUsed: { purpose: string };
  RecordProvided: { recipientId: string; purpose: string };
  RecordCopied: { copyId: string; medium: Medium; location: string; fromCopyId?: string };
  RecordAnonymized: { copyId?: string; method: string };
  TransportStarted: {
    transportId: string;
    copyId?: string;
    from: string;
    to: string;
    carrierId: string;
    medium: Medium;
    safeguards: Safeguard[];
    expectedArrivalAt?: string;
  };
  TransportCompleted: { transportId: string; receivedBy: string };
  RecordReturned: { copyId?: string; receivedBy: string };
  RecordDisposed: { copyId?: string; method: DisposalMethod; witnessedBy?: string; certificateRef?: string };
  RecordNoLongerNeeded: { copyId?: string; reason: string };
}

export type ContractEventType = keyof ContractEventData;
export type RecordEventType = keyof RecordEventData;
export type EventType = ContractEventType | RecordEventType;
export type EventData = ContractEventData & RecordEventData;

interface EnvelopeBase {
  /** UUID chosen by the producer; the idempotency key. */
  eventId: string;
  contractId: string;
  /** Business time, RFC 3339 with offset. */
  occurredAt: string;
  actor: Actor;
  source?: string;
  /** EVENTS.md v2 "Signed events": the acting party's Ed25519 signature of the event without this member. */
  signature?: EventSignatureRef;
}

/** An event's signature: the registered key's ID and the base64 Ed25519 signature (libs/integrity signs and checks). */
export interface EventSignatureRef {
  keyId: string;
  sig: string;
}

export type ContractEvent = {
  [K in ContractEventType]: EnvelopeBase & { type: K; recordId?: never; data: ContractEventData[K] };
}[ContractEventType];

export type RecordEvent = {
  [K in RecordEventType]: EnvelopeBase & { type: K; recordId: string; data: RecordEventData[K] };
}[RecordEventType];

/** One handling event as the producer sent it (validated). */
export type LedgerEvent = ContractEvent | RecordEvent;

export type EventOfType<T extends EventType> = Extract<LedgerEvent, { type: T }>;

/** Who may record an event type ("by" in EVENTS.md). `contractor` includes its subcontractors. */
export type Recorder = 'city' | 'contractor';

export interface EventSpec {
  readonly kind: 'contract' | 'record';
  /** The memorandum's article the event concerns (`appi68`: 個人情報保護法第68条), null for the contract's own events. */
  readonly article: number | 'appi68' | null;
  readonly by: readonly Recorder[];
}

const contract = (article: EventSpec['article'], ...by: Recorder[]): EventSpec => ({ kind: 'contract', article, by });
const record = (article: EventSpec['article'], ...by: Recorder[]): EventSpec => ({ kind: 'record', article, by });

export const EVENT_SPECS: { readonly [K in EventType]: EventSpec } = {
  ContractRegistered: contract(null, 'city'),
  ContractAmended: contract(null, 'city'),
  ContractEnded: contract(null, 'city'),
  ResponsiblePersonDesignated: contract(3, 'contractor'),
  WorkerAuthorized: contract(11, 'contractor'),
  WorkerAuthorizationRevoked: contract(11, 'contractor', 'city'),
  WorkerBriefed: contract(4, 'contractor'),
  WorkerDeparted: contract(11, 'contractor'),
  WorkerPledgeSubmitted: contract(11, 'contractor'),
  SubcontractRequested: contract(6, 'contractor'),
  SubcontractApproved: contract(6, 'city'),
  SubcontractApprovalRevoked: contract(6, 'city'),
  AuthorizationGranted: contract(8, 'city'),
  AuthorizationRevoked: contract(8, 'city'),
  ReportRequested: contract(10, 'city'),
  ReportSubmitted: contract(10, 'contractor'),
  InspectionConducted: contract(10, 'city'),
  ImprovementRequested: contract(12, 'city'),
  ImprovementConsultationHeld: contract(12, 'contractor'),
  DisposalInstructed: contract(14, 'city'),
  IncidentDetected: contract(15, 'contractor', 'city'),
  IncidentReported: contract(15, 'contractor'),
  MyNumberMemorandumConcluded: contract(18, 'city'),
  PpcReported: contract('appi68', 'city'),
  PersonsNotified: contract('appi68', 'city'),
  RecordCollected: record(7, 'contractor', 'city'),
  RecordUsed: record(8, 'contractor'),
  RecordProvided: record(8, 'contractor'),
  RecordCopied: record(9, 'contractor'),
  RecordAnonymized: record(5, 'contractor'),
  TransportStarted: record(13, 'contractor'),
  TransportCompleted: record(13, 'contractor', 'city'),
  RecordReturned: record(14, 'contractor'),
  RecordDisposed: record(14, 'contractor'),
  RecordNoLongerNeeded: record(14, 'contractor', 'city'),
};

export const EVENT_TYPES = Object.keys(EVENT_SPECS) as EventType[];
export const CONTRACT_EVENT_TYPES = EVENT_TYPES.filter((t) => EVENT_SPECS[t].kind === 'contract') as ContractEventType[];
export const RECORD_EVENT_TYPES = EVENT_TYPES.filter((t) => EVENT_SPECS[t].kind === 'record') as RecordEventType[];

export function isEventType(value: unknown): value is EventType {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(EVENT_SPECS, value);
}

export function isRecordEvent(event: LedgerEvent): event is RecordEvent {
  return EVENT_SPECS[event.type].kind === 'record';
}

/** Whether an actor org may record an event of this type. */
export function mayRecord(type: EventType, org: string): boolean {
  const by = EVENT_SPECS[type].by;
  return org === 'city' ? by.includes('city') : by.includes('contractor');
}
