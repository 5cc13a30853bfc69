/**
 * The one shared set of test event builders (every library's tests and the generators build
 * events here): small typed builders of each event type, and `record` turning drafts into
 * RecordedEvents with positions 1, 2, 3… in the order given and a recordedAt that never goes back
 * (settable per event). Times without an offset are JST: '2026-04-01T09:00' is
 * '2026-04-01T09:00:00+09:00'.
 */
import {
  contractStreamId,
  EVENT_SPECS,
  instant,
  isoInZone,
  isoUtc,
  recordStreamId,
  type Actor,
  type AuthorizationKind,
  type BriefingTopic,
  type DisposalAction,
  type IncidentKind,
  type PpcReportStage,
  type ContractEventData,
  type ContractEventType,
  type LedgerEvent,
  type Medium,
  type Policy,
  type RecordEventData,
  type RecordEventType,
  type RecordedEvent,
  type Safeguard,
} from '@ledger/domain';
import { ContractHistory } from '../contract-history.js';

export const CONTRACT_ID = 'okayama-kaigo-2025';
export const RECORD_ID = 'R-1';
export const PURPOSE = 'care-insurance-operation';
export const CATEGORIES = ['insured-number', 'care-level', 'benefit-history'];

/** '2026-04-01T09:00' → '2026-04-01T09:00:00+09:00'; a text with an offset is kept as is. */
export function jstTime(text: string): string {
  if (/(Z|[+-]\d{2}:\d{2})$/.test(text)) return text;
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return `${text}T00:00:00+09:00`;
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(text)) return `${text}:00+09:00`;
  return `${text}+09:00`;
}

/** Epoch ms of a test time. */
export function ms(text: string): number {
  return instant(jstTime(text));
}

/** A test time as findings carry `dueAt`: RFC 3339 in the ledger's zone (JST). */
export function utc(text: string): string {
  return isoInZone(ms(text));
}

let lastEventNumber = 0;
function nextEventId(): string {
  lastEventNumber += 1;
  return `00000000-0000-4000-8000-${lastEventNumber.toString(16).padStart(12, '0')}`;
}

export interface Draft {
  readonly event: LedgerEvent;
  readonly recordedAt?: string;
}
export type Givens = Draft | readonly Givens[];
export type Ref = Draft | string;

export interface Options {
  /** occurredAt (JST when no offset). */
  at?: string;
  /** recordedAt; by default the later of occurredAt and the previous event's recordedAt + 1 ms. */
  recordedAt?: string;
  by?: Actor;
  id?: string;
  /** contractId (default CONTRACT_ID). */
  contract?: string;
}
export interface RecordOptions extends Options {
  record?: string;
}

export const CITY: Actor = { org: 'city' };
export function worker(workerId: string): Actor {
  return { org: 'contractor', workerId };
}
export function subWorker(subcontractorId: string, workerId: string): Actor {
  return { org: `subcontractor:${subcontractorId}`, workerId };
}

export const SETUP_AT = '2026-03-15T09:00';
export const RECORD_AT = '2026-04-10T09:00';

function draft(event: LedgerEvent, options: Options): Draft {
  return options.recordedAt === undefined ? { event } : { event, recordedAt: options.recordedAt };
}

function contractEvent<T extends ContractEventType>(type: T, data: ContractEventData[T], options: Options, at = SETUP_AT): Draft {
  const by: Actor = options.by ?? (EVENT_SPECS[type].by[0] === 'city' ? CITY : { org: 'contractor' });
  const event = {
    eventId: options.id ?? nextEventId(),
    type,
    contractId: options.contract ?? CONTRACT_ID,
    occurredAt: jstTime(options.at ?? at),
    actor: by,
    data,
  } as unknown as LedgerEvent;
  return draft(event, options);
}

function recordEvent<T extends RecordEventType>(type: T, data: RecordEventData[T], options: RecordOptions): Draft {
  const event = {
    eventId: options.id ?? nextEventId(),
    type,
    contractId: options.contract ?? CONTRACT_ID,
    recordId: options.record ?? RECORD_ID,
    occurredAt: jstTime(options.at ?? RECORD_AT),
    actor: options.by ?? worker('W-1'),
    data,
  } as unknown as LedgerEvent;
  return draft(event, options);
}

// ---- contract events ----------------------------------------------------------------------

export interface ContractOptions extends Options {
  purposes?: string[];
  dataCategories?: string[];
  permitsSubcontracting?: boolean;
  term?: { start: string; end: string };
  policy?: Partial<Policy>;
}

export const TERM = { start: '2026-04-01T00:00', end: '2027-03-31T23:59' };
/** The contractor of the builders' contract (EVENTS.md v2 contractorId). */
export const CONTRACTOR_ID = 'okayama-systems';

export function contract(options: ContractOptions = {}): Draft {
  const term = options.term ?? TERM;
  const data: ContractEventData['ContractRegistered'] = {
    title: '岡山市介護保険システム再構築（標準化）及び運用保守包括業務委託',
    contractorId: CONTRACTOR_ID,
    purposes: options.purposes ?? [PURPOSE],
    dataCategories: options.dataCategories ?? CATEGORIES,
    permitsSubcontracting: options.permitsSubcontracting ?? false,
    term: { start: jstTime(term.start), end: jstTime(term.end) },
  };
  if (options.policy) data.policy = options.policy;
  return contractEvent('ContractRegistered', data, options, '2026-03-01T00:00');
}

export function amended(options: Omit<ContractOptions, 'term'> & { term?: { start: string; end: string } }): Draft {
  const data: ContractEventData['ContractAmended'] = {};
  if (options.purposes) data.purposes = options.purposes;
  if (options.dataCategories) data.dataCategories = options.dataCategories;
  if (options.permitsSubcontracting !== undefined) data.permitsSubcontracting = options.permitsSubcontracting;
  if (options.term) data.term = { start: jstTime(options.term.start), end: jstTime(options.term.end) };
  if (options.policy) data.policy = options.policy;
  return contractEvent('ContractAmended', data, options);
}

export function ended(options: Options & { reason?: 'expired' | 'terminated' } = {}): Draft {
  return contractEvent('ContractEnded', { reason: options.reason ?? 'terminated' }, options);
}

export function workerAuthorized(workerId: string, options: Options & { org?: 'contractor' | `subcontractor:${string}` } = {}): Draft {
  return contractEvent('WorkerAuthorized', { workerId, org: options.org ?? 'contractor' }, options);
}
export function workerRevoked(workerId: string, options: Options = {}): Draft {
  return contractEvent('WorkerAuthorizationRevoked', { workerId }, options);
}
export function briefed(workerId: string, topics: BriefingTopic[], options: Options = {}): Draft {
  return contractEvent('WorkerBriefed', { workerId, topics }, options);
}
export function departed(workerId: string, options: Options = {}): Draft {
  return contractEvent('WorkerDeparted', { workerId }, options);
}
export function pledged(workerId: string, options: Options = {}): Draft {
  return contractEvent('WorkerPledgeSubmitted', { workerId }, options);
}

/** A worker authorized and briefed on both topics: the baseline for rules about something else. */
export function staffed(workerId = 'W-1', options: Options & { org?: 'contractor' | `subcontractor:${string}` } = {}): Draft[] {
  const { recordedAt: _recordedAt, id: _id, ...rest } = options;
  return [workerAuthorized(workerId, rest), briefed(workerId, ['confidentiality', 'penalties'], rest)];
}

export function subcontractRequested(subcontractorId: string, options: Options & { draft?: boolean; ref?: string; dataCategories?: string[] } = {}): Draft {
  return contractEvent('SubcontractRequested', {
    subcontractorId,
    applicationRef: options.ref ?? `APP-${subcontractorId}`,
    reason: 'data-centre-operation',
    dataCategories: options.dataCategories ?? CATEGORIES,
    draftMemorandumAttached: options.draft ?? true,
  }, options);
}
export function subcontractApproved(subcontractorId: string, options: Options & { ref?: string } = {}): Draft {
  return contractEvent('SubcontractApproved', { subcontractorId, applicationRef: options.ref ?? `APP-${subcontractorId}` }, options);
}
export function approvalRevoked(subcontractorId: string, options: Options = {}): Draft {
  return contractEvent('SubcontractApprovalRevoked', { subcontractorId }, options);
}

export interface GrantOptions extends Options {
  recordIds?: string[];
  dataCategories?: string[];
  validUntil?: string;
}
export function granted(kind: AuthorizationKind, authorizationId: string, options: GrantOptions = {}): Draft {
  const data: ContractEventData['AuthorizationGranted'] = { authorizationId, kind };
  if (options.recordIds) data.recordIds = options.recordIds;
  if (options.dataCategories) data.dataCategories = options.dataCategories;
  if (options.validUntil) data.validUntil = jstTime(options.validUntil);
  return contractEvent('AuthorizationGranted', data, options);
}
export function authorizationRevoked(authorizationId: string, options: Options = {}): Draft {
  return contractEvent('AuthorizationRevoked', { authorizationId }, options);
}

export function reportRequested(requestId: string, dueAt: string, options: Options = {}): Draft {
  return contractEvent('ReportRequested', { requestId, dueAt: jstTime(dueAt) }, options);
}
export function reportSubmitted(requestId: string, options: Options = {}): Draft {
  return contractEvent('ReportSubmitted', { requestId }, options);
}
export function inspected(inspectionId: string, options: Options = {}): Draft {
  return contractEvent('InspectionConducted', { inspectionId, outcome: 'satisfactory' }, options);
}
export function improvementRequested(requestId: string, options: Options & { dueAt?: string } = {}): Draft {
  const data: ContractEventData['ImprovementRequested'] = { requestId, reasons: ['IR-2026-01'] };
  if (options.dueAt) data.dueAt = jstTime(options.dueAt);
  return contractEvent('ImprovementRequested', data, options);
}
export function consultationHeld(requestId: string, options: Options = {}): Draft {
  return contractEvent('ImprovementConsultationHeld', { requestId }, options);
}
export function disposalInstructed(options: Options & { recordIds?: string[]; dueAt?: string; action?: DisposalAction } = {}): Draft {
  const data: ContractEventData['DisposalInstructed'] = {};
  if (options.recordIds) data.recordIds = options.recordIds;
  if (options.dueAt) data.dueAt = jstTime(options.dueAt);
  if (options.action) data.action = options.action;
  return contractEvent('DisposalInstructed', data, options);
}
export function incidentDetected(
  incidentId: string,
  affectedRecordIds: string[],
  options: Options & { kind?: IncidentKind; persons?: number; financialHarmRisk?: boolean } = {},
): Draft {
  const data: ContractEventData['IncidentDetected'] = { incidentId, kind: options.kind ?? 'loss', affectedRecordIds };
  if (options.persons !== undefined) data.affectedPersonCount = options.persons;
  if (options.financialHarmRisk !== undefined) data.financialHarmRisk = options.financialHarmRisk;
  return contractEvent('IncidentDetected', data, options);
}
export function responsiblePerson(options: Options = {}): Draft {
  return contractEvent('ResponsiblePersonDesignated', { personId: 'P-1', title: 'responsible' }, options);
}
export function ppcReported(incidentId: string, stage: PpcReportStage, options: Options = {}): Draft {
  return contractEvent('PpcReported', { incidentId, stage }, options);
}
export function personsNotified(incidentId: string, options: Options = {}): Draft {
  return contractEvent('PersonsNotified', { incidentId, method: 'individual' }, options);
}
export function incidentReported(incidentId: string, options: Options = {}): Draft {
  return contractEvent('IncidentReported', { incidentId }, options);
}
export function myNumberMemorandum(options: Options = {}): Draft {
  return contractEvent('MyNumberMemorandumConcluded', { reference: 'MN-2026-001' }, options);
}

// ---- record events ------------------------------------------------------------------------

export function collected(options: RecordOptions & {
  purpose?: string;
  dataCategories?: string[];
  medium?: Medium;
  containsMyNumber?: boolean;
  personCount?: number;
  location?: string;
} = {}): Draft {
  const data: RecordEventData['RecordCollected'] = {
    purpose: options.purpose ?? PURPOSE,
    dataCategories: options.dataCategories ?? ['insured-number', 'care-level'],
    medium: options.medium ?? 'electronic',
    containsMyNumber: options.containsMyNumber ?? false,
  };
  if (options.personCount !== undefined) data.personCount = options.personCount;
  if (options.location !== undefined) data.location = options.location;
  return recordEvent('RecordCollected', data, options);
}
export function used(options: RecordOptions & { purpose?: string } = {}): Draft {
  return recordEvent('RecordUsed', { purpose: options.purpose ?? PURPOSE }, options);
}
export function provided(recipientId: string, options: RecordOptions & { purpose?: string } = {}): Draft {
  return recordEvent('RecordProvided', { recipientId, purpose: options.purpose ?? PURPOSE }, options);
}
export function copied(copyId: string, options: RecordOptions & { from?: string; medium?: Medium; location?: string } = {}): Draft {
  const data: RecordEventData['RecordCopied'] = { copyId, medium: options.medium ?? 'electronic', location: options.location ?? 'DC-OKAYAMA-1' };
  if (options.from) data.fromCopyId = options.from;
  return recordEvent('RecordCopied', data, options);
}
export function anonymized(options: RecordOptions & { copyId?: string } = {}): Draft {
  const data: RecordEventData['RecordAnonymized'] = { method: 'pseudonymization' };
  if (options.copyId) data.copyId = options.copyId;
  return recordEvent('RecordAnonymized', data, options);
}
export function transportStarted(transportId: string, options: RecordOptions & {
  copyId?: string;
  medium?: Medium;
  safeguards?: Safeguard[];
  expectedArrivalAt?: string;
  from?: string;
  to?: string;
} = {}): Draft {
  const medium = options.medium ?? 'electronic';
  const data: RecordEventData['TransportStarted'] = {
    transportId,
    from: options.from ?? 'DC-OKAYAMA-1',
    to: options.to ?? 'CITY-HALL',
    carrierId: 'CARRIER-1',
    medium,
    safeguards: options.safeguards ?? (medium === 'electronic' ? ['encrypted'] : ['sealed']),
  };
  if (options.copyId) data.copyId = options.copyId;
  if (options.expectedArrivalAt) data.expectedArrivalAt = jstTime(options.expectedArrivalAt);
  return recordEvent('TransportStarted', data, options);
}
export function transportCompleted(transportId: string, options: RecordOptions & { receivedBy?: string } = {}): Draft {
  return recordEvent('TransportCompleted', { transportId, receivedBy: options.receivedBy ?? 'CITY-STAFF-7' }, options);
}
export function noLongerNeeded(options: RecordOptions & { copyId?: string } = {}): Draft {
  const data: RecordEventData['RecordNoLongerNeeded'] = { reason: 'migration-complete' };
  if (options.copyId) data.copyId = options.copyId;
  return recordEvent('RecordNoLongerNeeded', data, options);
}
export function returned(options: RecordOptions & { copyId?: string } = {}): Draft {
  const data: RecordEventData['RecordReturned'] = { receivedBy: 'CITY-STAFF-7' };
  if (options.copyId) data.copyId = options.copyId;
  return recordEvent('RecordReturned', data, options);
}
export function disposed(options: RecordOptions & { copyId?: string; witnessed?: boolean } = {}): Draft {
  const data: RecordEventData['RecordDisposed'] = { method: 'crypto_erase' };
  if (options.copyId) data.copyId = options.copyId;
  if (options.witnessed ?? true) data.witnessedBy = 'CITY-STAFF-7';
  return recordEvent('RecordDisposed', data, options);
}

// ---- Given / When / Then ------------------------------------------------------------------

export function flatten(items: readonly Givens[], out: Draft[] = []): Draft[] {
  for (const item of items) {
    if (Array.isArray(item)) flatten(item as readonly Givens[], out);
    else out.push(item as Draft);
  }
  return out;
}

/** RecordedEvents of the drafts, positions 1… in the order given, recordedAt never going back. */
export function record(items: readonly Givens[]): RecordedEvent[] {
  const drafts = flatten(items);
  const versions = new Map<string, number>();
  let lastRecorded = Number.NEGATIVE_INFINITY;
  return drafts.map((d, i) => {
    const event = d.event;
    const streamId = 'recordId' in event && event.recordId !== undefined
      ? recordStreamId(event.contractId, event.recordId)
      : contractStreamId(event.contractId);
    const version = versions.get(streamId) ?? 0;
    versions.set(streamId, version + 1);
    const recorded = d.recordedAt === undefined ? Math.max(lastRecorded + 1, instant(event.occurredAt)) : ms(d.recordedAt);
    lastRecorded = Math.max(lastRecorded, recorded);
    return {
      event,
      streamId,
      streamVersion: version,
      position: i + 1,
      recordedAt: isoUtc(recorded),
      prevHash: null,
      hash: (i + 1).toString(16).padStart(64, '0'),
    };
  });
}


/** The contract history of the drafts' contract events (positions as `record` gives them). */
export function contractHistoryOf(...items: Givens[]): ContractHistory {
  return ContractHistory.of(CONTRACT_ID, record(items).filter((e) => e.event.recordId === undefined));
}
