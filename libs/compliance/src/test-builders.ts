/**
 * Test data for the rulebook: small event builders and a Given/When/Then scenario.
 *
 *   given(contract(), staffed('W-1'), collected(), copy)
 *     .when(judgedAt('2026-06-01T00:00'))
 *     .then(violation('art9.copy-without-authorization', [copy]));
 *
 * Builders return drafts; `given` turns them into RecordedEvents with positions 1, 2, 3… in the
 * order given and a recordedAt that never goes back (settable per event). Times without an offset
 * are JST: '2026-04-01T09:00' is '2026-04-01T09:00:00+09:00'.
 */
import {
  contractStreamId,
  EVENT_SPECS,
  instant,
  isoUtc,
  recordStreamId,
  type Actor,
  type AuthorizationKind,
  type BriefingTopic,
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
import { ContractHistory } from './contract-history.js';
import { judgeContract, judgeRecord } from './judge.js';
import type { ContractLevelVerdict, Finding, RecordVerdict, Status } from './verdict.js';

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

/** ISO UTC of a test time, as findings carry `dueAt`. */
export function utc(text: string): string {
  return isoUtc(ms(text));
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
    contractId: CONTRACT_ID,
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
    contractId: CONTRACT_ID,
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

export function subcontractRequested(subcontractorId: string, options: Options & { draft?: boolean; ref?: string } = {}): Draft {
  return contractEvent('SubcontractRequested', {
    subcontractorId,
    applicationRef: options.ref ?? `APP-${subcontractorId}`,
    reason: 'data-centre-operation',
    dataCategories: CATEGORIES,
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
export function disposalInstructed(options: Options & { recordIds?: string[]; dueAt?: string } = {}): Draft {
  const data: ContractEventData['DisposalInstructed'] = {};
  if (options.recordIds) data.recordIds = options.recordIds;
  if (options.dueAt) data.dueAt = jstTime(options.dueAt);
  return contractEvent('DisposalInstructed', data, options);
}
export function incidentDetected(incidentId: string, affectedRecordIds: string[], options: Options = {}): Draft {
  return contractEvent('IncidentDetected', { incidentId, kind: 'loss', affectedRecordIds }, options);
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
} = {}): Draft {
  return recordEvent('RecordCollected', {
    purpose: options.purpose ?? PURPOSE,
    dataCategories: options.dataCategories ?? ['insured-number', 'care-level'],
    medium: options.medium ?? 'electronic',
    containsMyNumber: options.containsMyNumber ?? false,
  }, options);
}
export function used(options: RecordOptions & { purpose?: string } = {}): Draft {
  return recordEvent('RecordUsed', { purpose: options.purpose ?? PURPOSE }, options);
}
export function provided(recipientId: string, options: RecordOptions & { purpose?: string } = {}): Draft {
  return recordEvent('RecordProvided', { recipientId, purpose: options.purpose ?? PURPOSE }, options);
}
export function copied(copyId: string, options: RecordOptions & { from?: string; medium?: Medium } = {}): Draft {
  const data: RecordEventData['RecordCopied'] = { copyId, medium: options.medium ?? 'electronic', location: 'DC-OKAYAMA-1' };
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
} = {}): Draft {
  const medium = options.medium ?? 'electronic';
  const data: RecordEventData['TransportStarted'] = {
    transportId,
    from: 'DC-OKAYAMA-1',
    to: 'CITY-HALL',
    carrierId: 'CARRIER-1',
    medium,
    safeguards: options.safeguards ?? (medium === 'electronic' ? ['encrypted'] : ['sealed']),
  };
  if (options.copyId) data.copyId = options.copyId;
  if (options.expectedArrivalAt) data.expectedArrivalAt = jstTime(options.expectedArrivalAt);
  return recordEvent('TransportStarted', data, options);
}
export function transportCompleted(transportId: string, options: RecordOptions = {}): Draft {
  return recordEvent('TransportCompleted', { transportId, receivedBy: 'CITY-STAFF-7' }, options);
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

function flatten(items: readonly Givens[], out: Draft[] = []): Draft[] {
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

export interface Judgement {
  readonly scope: 'record' | 'contract';
  readonly asOf: string;
  readonly knownAt: string;
  readonly recordId: string;
}

/** Judge the record (R-1 unless `record` is given) at asOf; knownAt defaults to asOf (both "now"). */
export function judgedAt(asOf: string, options: { knownAt?: string; record?: string } = {}): Judgement {
  return { scope: 'record', asOf, knownAt: options.knownAt ?? asOf, recordId: options.record ?? RECORD_ID };
}

/** Judge the contract-level rules at asOf. */
export function contractJudgedAt(asOf: string, options: { knownAt?: string } = {}): Judgement {
  return { scope: 'contract', asOf, knownAt: options.knownAt ?? asOf, recordId: '' };
}

export type Verdict = RecordVerdict | ContractLevelVerdict;
export type Expectation = (verdict: Verdict) => void;

export function allFindings(verdict: Verdict): Finding[] {
  return Object.values(verdict.articles).flatMap((a) => a.findings);
}

function ids(refs: readonly Ref[]): string[] {
  return refs.map((r) => (typeof r === 'string' ? r : r.event.eventId));
}

export class Scenario {
  readonly events: RecordedEvent[];

  constructor(drafts: readonly Draft[]) {
    this.events = record(drafts);
  }

  contractEvents(): RecordedEvent[] {
    return this.events.filter((e) => e.event.recordId === undefined);
  }

  recordEvents(recordId: string): RecordedEvent[] {
    return this.events.filter((e) => e.event.recordId === recordId);
  }

  history(): ContractHistory {
    return ContractHistory.of(CONTRACT_ID, this.contractEvents());
  }

  verdict(judgement: Judgement): Verdict {
    const cut = { asOf: ms(judgement.asOf), knownAt: ms(judgement.knownAt) };
    return judgement.scope === 'record'
      ? judgeRecord(this.history(), judgement.recordId, this.recordEvents(judgement.recordId), cut)
      : judgeContract(this.history(), cut);
  }

  when(judgement: Judgement): Outcome {
    return new Outcome(this.verdict(judgement));
  }
}

export class Outcome {
  constructor(readonly verdict: Verdict) {}

  /** Runs every expectation against the verdict. Returns nothing, so an outcome is never mistaken for a promise. */
  then(...expectations: Expectation[]): void {
    for (const expectation of expectations) expectation(this.verdict);
  }

  /** The one finding of a rule (fails unless there is exactly one). */
  finding(rule: string): Finding {
    const found = allFindings(this.verdict).filter((f) => f.rule === rule);
    expect(found).toHaveLength(1);
    return found[0]!;
  }
}

export function given(...items: Givens[]): Scenario {
  return new Scenario(flatten(items));
}

function expectFinding(rule: string, status: Finding['status'], refs: readonly Ref[], dueAt?: string): Expectation {
  return (verdict) => {
    const shape: Partial<Finding> = { rule, status, eventIds: ids(refs) };
    if (dueAt !== undefined) shape.dueAt = utc(dueAt);
    expect(allFindings(verdict)).toContainEqual(expect.objectContaining(shape));
  };
}

/** A violation of the rule proven by exactly these events. */
export function violation(rule: string, refs: readonly Ref[]): Expectation {
  return expectFinding(rule, 'violation', refs);
}
/** An obligation violated (late or overdue), with its dueAt. */
export function overdue(rule: string, refs: readonly Ref[], dueAt: string): Expectation {
  return expectFinding(rule, 'violation', refs, dueAt);
}
export function pending(rule: string, refs: readonly Ref[], dueAt: string): Expectation {
  return expectFinding(rule, 'pending', refs, dueAt);
}
/** An obligation met: opening and closing events, and its dueAt. */
export function met(rule: string, refs: readonly Ref[], dueAt: string): Expectation {
  return expectFinding(rule, 'compliant', refs, dueAt);
}
export function noFinding(rule: string): Expectation {
  return (verdict) => expect(allFindings(verdict).filter((f) => f.rule === rule)).toEqual([]);
}
/** The rule has exactly n findings. */
export function findings(rule: string, n: number): Expectation {
  return (verdict) => expect(allFindings(verdict).filter((f) => f.rule === rule)).toHaveLength(n);
}
export function article(articleNo: string, status: Status): Expectation {
  return (verdict) => expect(verdict.articles[articleNo]?.status).toBe(status);
}
export function overall(status: Status): Expectation {
  return (verdict) => expect(verdict.status).toBe(status);
}

// ---- a contract at scale ------------------------------------------------------------------

export interface ScaleScenario {
  /** Every event, positions in order: the contract stream, R-1's stream and nothing else. */
  readonly events: RecordedEvent[];
  /** The contract events that bear on R-1 (its workers, its grants, its incident, its instruction, the terms). */
  readonly relevantContractEventIds: ReadonlySet<string>;
  readonly recordId: string;
  /** Events of R-1 that the spec names. */
  readonly marks: {
    readonly useByDeparted: Draft;
    readonly departure: Draft;
    readonly copyAfterExpiry: Draft;
    readonly incident: Draft;
    readonly lateReport: Draft;
    readonly instruction: Draft;
  };
}

/**
 * A contract stream of exactly `contractEvents` events (2,000 workers, 2,000 copy grants for other
 * records, incidents, instructions, reports, amendments…) and one record R-1 with 45 events.
 * Deterministic: the same call gives the same events.
 */
export function scaleScenario(contractEvents = 10_000): ScaleScenario {
  let seed = 42;
  const random = (n: number): number => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed % n;
  };
  const base = ms('2026-03-01T00:00');
  const minute = 60_000;
  const at = (minutes: number): string => isoUtc(base + minutes * minute);
  const noise: Draft[] = [];
  const relevant: Draft[] = [];
  const recordDrafts: Draft[] = [];

  relevant.push(contract({ policy: { transportWithin: 'PT12H' } }));
  for (let m = 1; m <= 10; m += 1) {
    const amendment = amended({ at: at(m * 43_200), policy: { disposalWithin: `P${20 + m}D` } });
    relevant.push(amendment);
  }
  // Workers W-0000…W-1999, authorized and briefed in March; R-1 is handled by W-0007, W-0013 and W-0021.
  const handlers = new Set(['W-0007', 'W-0013', 'W-0021']);
  for (let w = 0; w < 2_000; w += 1) {
    const id = `W-${String(w).padStart(4, '0')}`;
    const into = handlers.has(id) ? relevant : noise;
    into.push(workerAuthorized(id, { at: at(w) }));
    into.push(briefed(id, ['confidentiality', 'penalties'], { at: at(w + 1) }));
    if (w % 7 === 3) {
      into.push(departed(id, { at: at(100_000 + w * 10) }));
      into.push(pledged(id, { at: at(100_000 + w * 10 + random(3_000)) }));
    }
  }
  const departure = departed('W-0013', { at: at(110_000) });
  relevant.push(departure);
  // Copy grants for other records, and one for R-1 that expires.
  for (let g = 0; g < 2_000; g += 1) {
    noise.push(granted('copy', `A-${g}`, { at: at(3_000 + g), recordIds: [`R-${2 + g}`, `R-${5_000 + g}`] }));
    if (g % 10 === 0) noise.push(authorizationRevoked(`A-${g}`, { at: at(200_000 + g) }));
  }
  relevant.push(granted('copy', 'A-R1', { at: at(5_500), recordIds: ['R-1'], validUntil: at(150_000) }));
  for (let g = 0; g < 50; g += 1) {
    noise.push(granted('provision', `P-${g}`, { at: at(6_000 + g), recordIds: [`R-${9_000 + g}`] }));
  }
  const incident = incidentDetected('I-R1', ['R-1', 'R-77'], { at: at(160_000) });
  const lateReport = incidentReported('I-R1', { at: at(160_000 + 3 * 1_440) });
  relevant.push(incident, lateReport);
  const instruction = disposalInstructed({ at: at(300_000), recordIds: ['R-1', 'R-2'], dueAt: at(320_000) });
  relevant.push(instruction);

  // Fill the rest of the contract stream with unrelated incidents, instructions, reports and inspections.
  let n = 0;
  while (noise.length + relevant.length < contractEvents) {
    const kind = n % 5;
    const t = 10_000 + random(400_000);
    if (kind === 0) noise.push(incidentDetected(`I-${n}`, [`R-${2 + random(5_000)}`], { at: at(t) }));
    else if (kind === 1) noise.push(incidentReported(`I-${n - 1}`, { at: at(t + random(2_000)) }));
    else if (kind === 2) noise.push(disposalInstructed({ at: at(t), recordIds: [`R-${2 + random(5_000)}`] }));
    else if (kind === 3) noise.push(reportRequested(`RR-${n}`, at(t + 20_000), { at: at(t) }));
    else noise.push(reportSubmitted(`RR-${n - 1}`, { at: at(t + random(30_000)) }));
    n += 1;
  }

  // 45 events between March and November.
  const by = (id: string): Actor => worker(id);
  recordDrafts.push(collected({ at: at(10_000), by: by('W-0007') }));
  let useByDeparted: Draft | null = null;
  for (let u = 0; u < 20; u += 1) {
    const who = u === 12 ? 'W-0013' : u % 2 === 0 ? 'W-0007' : 'W-0021';
    const use = used({ at: at(11_000 + u * 9_000), by: by(who) });
    if (u === 12) useByDeparted = use;
    recordDrafts.push(use);
  }
  let copyAfterExpiry: Draft | null = null;
  for (let c = 0; c < 5; c += 1) {
    const copy = copied(`C-${c}`, { at: at(12_000 + c * 35_000), by: by('W-0007') });
    if (c === 4) copyAfterExpiry = copy;
    recordDrafts.push(copy);
    recordDrafts.push(transportStarted(`T-${c}`, { copyId: `C-${c}`, at: at(12_100 + c * 35_000), by: by('W-0021') }));
    recordDrafts.push(transportCompleted(`T-${c}`, { at: at(12_100 + c * 35_000 + 600), by: by('W-0021') }));
    recordDrafts.push(disposed({ copyId: `C-${c}`, at: at(305_000 + c * 100), by: by('W-0007') }));
  }
  for (let p = 0; p < 4; p += 1) recordDrafts.push(provided(`RECIPIENT-${p}`, { at: at(13_000 + p * 20_000), by: by('W-0021') }));

  const contractDrafts = [...relevant, ...noise].sort((a, b) => instant(a.event.occurredAt) - instant(b.event.occurredAt));
  const events = record([...contractDrafts, ...recordDrafts]);
  return {
    events,
    relevantContractEventIds: new Set(relevant.map((d) => d.event.eventId)),
    recordId: RECORD_ID,
    marks: {
      useByDeparted: useByDeparted!,
      departure,
      copyAfterExpiry: copyAfterExpiry!,
      incident,
      lateReport,
      instruction,
    },
  };
}
