/**
 * The compliance read model's pure part (docs/compliance.md "The read model"): what is stored for
 * a record, which records a contract event can change, and how stored findings read at a given
 * instant. No I/O: the projection and the HTTP answers share it.
 */
import {
  CONTRACT_ARTICLES,
  judgeRecord,
  RECORD_ARTICLES,
  type ContractHistory,
  type ContractLevelVerdict,
  type Finding,
  type Message,
  type RecordVerdict,
  type Status,
} from '@ledger/compliance';
import { instant, isRecordEvent, subcontractorOf, type ContractEvent, type LedgerEvent, type RecordedEvent } from '@ledger/domain';

/**
 * The latest instant a JavaScript Date can hold. A record judged with asOf = FAR sees every event,
 * and every obligation still open is reported overdue (with its due time): the read model stores
 * that, and decides pending or violation at query time by comparing the due time with the clock.
 */
export const FAR = 8_640_000_000_000_000;
export const FAR_CUT = { asOf: FAR, knownAt: FAR } as const;

export type FindingStatus = 'violation' | 'pending';
export const FINDING_STATUSES: readonly FindingStatus[] = ['violation', 'pending'];
export const RECORD_STATUSES: readonly Status[] = ['violation', 'pending', 'compliant', 'not_applicable'];

const RANK: { readonly [S in Status]: number } = { not_applicable: 0, compliant: 1, pending: 2, violation: 3 };

/** violation > pending > compliant > not_applicable (docs/rulebook.md "Statuses"). */
export function worse(a: Status, b: Status): Status {
  return RANK[b] > RANK[a] ? b : a;
}

/** One finding of a record that the read model keeps: a violation, or an obligation still open. */
export interface StoredFinding {
  /** Position of the finding in the record's verdict (articles in order, then findings in order, compliant ones counted). */
  readonly seq: number;
  readonly article: string;
  readonly rule: string;
  /** An obligation not closed by any event: pending while the clock is at or before dueAt, a violation after. */
  readonly open: boolean;
  readonly dueAt: number | null;
  readonly eventIds: readonly string[];
  /** The message of the finding as a violation (for an open obligation: "due by …, not done"). */
  readonly message: Message;
  /** Open obligations: the message while pending ("due by …, not done yet"). */
  readonly pendingMessage: Message | null;
}

/** What the read model keeps of one record. */
export interface RecordRow {
  readonly contractId: string;
  readonly recordId: string;
  /** The record's status with every open obligation counted as pending. */
  readonly baseStatus: Status;
  /** The earliest due time of its open obligations: past it, the record is a violation. */
  readonly nextDueAt: number | null;
  readonly maxOccurredAt: number;
  readonly lastPosition: number;
  readonly findings: readonly StoredFinding[];
  /** `w:<workerId>`, `s:<subcontractorId>`, `m` (see recordTags). */
  readonly tags: readonly string[];
}

/** A finding as the contract view lists it: with its record (null for a contract-level finding) and its place. */
export interface ComplianceItem {
  readonly recordId: string | null;
  readonly seq: number;
  readonly article: string;
  readonly rule: string;
  readonly status: FindingStatus;
  readonly eventIds: readonly string[];
  readonly message: Message;
  readonly dueAt?: string;
}

/** Findings of a verdict in answer order: articles as listed, then each article's findings; `seq` counts them all. */
export function flatten(verdict: RecordVerdict | ContractLevelVerdict, articles: readonly string[]): Array<{ finding: Finding; seq: number }> {
  const out: Array<{ finding: Finding; seq: number }> = [];
  let seq = 0;
  for (const article of articles) {
    for (const finding of verdict.articles[article]?.findings ?? []) out.push({ finding, seq: seq++ });
  }
  return out;
}

function isOpenAtFar(finding: Finding): boolean {
  // At asOf = FAR an obligation never closed is overdue: a violation with a due time and only its opening event.
  return finding.status === 'violation' && finding.dueAt !== undefined && finding.eventIds.length === 1;
}

/** Tags of a record's events: the workers and subcontractors who acted (not the city), and `m` if My Number was collected. */
export function recordTags(events: readonly RecordedEvent[]): string[] {
  const tags = new Set<string>();
  for (const { event } of events) {
    if (!isRecordEvent(event)) continue;
    if (event.actor.org !== 'city') {
      if (event.actor.workerId !== undefined) tags.add(`w:${event.actor.workerId}`);
      const sub = subcontractorOf(event.actor.org);
      if (sub !== null) tags.add(`s:${sub}`);
    }
    if (event.type === 'RecordCollected' && event.data.containsMyNumber) tags.add('m');
  }
  return [...tags].sort();
}

/**
 * Judges one record for the read model: once at asOf = FAR (every event, every open obligation
 * overdue), and once at each open obligation's due time (the same events, since the record's
 * events all lie before it whenever the pending form can be shown) for the pending message.
 * Null when the record has no event.
 */
export function recordRowOf(history: ContractHistory, recordId: string, events: readonly RecordedEvent[]): RecordRow | null {
  if (events.length === 0) return null;
  const verdict = judgeRecord(history, recordId, events, FAR_CUT);
  const flat = flatten(verdict, RECORD_ARTICLES);
  const openAt = new Map<Finding, number>();
  for (const { finding } of flat) if (isOpenAtFar(finding)) openAt.set(finding, instant(finding.dueAt!));

  const pendingForms = new Map<number, Finding[]>();
  for (const due of new Set(openAt.values())) {
    const atDue = judgeRecord(history, recordId, events, { asOf: due, knownAt: FAR });
    pendingForms.set(due, flatten(atDue, RECORD_ARTICLES).map((f) => f.finding).filter((f) => f.status === 'pending'));
  }

  const findings: StoredFinding[] = [];
  let nextDueAt: number | null = null;
  for (const { finding, seq } of flat) {
    if (finding.status !== 'violation') continue;
    const due = openAt.get(finding);
    if (due === undefined) {
      findings.push({
        seq, article: finding.article, rule: finding.rule, open: false,
        dueAt: finding.dueAt === undefined ? null : instant(finding.dueAt),
        eventIds: finding.eventIds, message: finding.message, pendingMessage: null,
      });
      continue;
    }
    const pending = pendingForms.get(due)!.find((f) => f.rule === finding.rule && f.eventIds[0] === finding.eventIds[0]);
    findings.push({
      seq, article: finding.article, rule: finding.rule, open: true, dueAt: due,
      eventIds: finding.eventIds, message: finding.message, pendingMessage: pending?.message ?? null,
    });
    if (nextDueAt === null || due < nextDueAt) nextDueAt = due;
  }

  let baseStatus: Status = 'not_applicable';
  for (const article of RECORD_ARTICLES) {
    const judged = verdict.articles[article];
    if (!judged || judged.status === 'not_applicable') continue;
    let status: Status = 'compliant';
    for (const finding of judged.findings) status = worse(status, openAt.has(finding) ? 'pending' : finding.status);
    baseStatus = worse(baseStatus, status);
  }

  let maxOccurredAt = Number.NEGATIVE_INFINITY;
  let lastPosition = 0;
  for (const e of events) {
    maxOccurredAt = Math.max(maxOccurredAt, instant(e.event.occurredAt));
    lastPosition = Math.max(lastPosition, e.position);
  }
  return { contractId: history.contractId, recordId, baseStatus, nextDueAt, maxOccurredAt, lastPosition, findings, tags: recordTags(events) };
}

/** A record's status at `now` from what is stored. */
export function recordStatusAt(baseStatus: Status, nextDueAt: number | null, now: number): Status {
  return nextDueAt !== null && nextDueAt < now ? 'violation' : baseStatus;
}

/** A stored finding as it reads at `now`: an open obligation is pending while now ≤ dueAt. */
export function storedItem(recordId: string, f: StoredFinding, now: number): ComplianceItem {
  const pending = f.open && f.dueAt !== null && f.dueAt >= now;
  const item: ComplianceItem = {
    recordId,
    seq: f.seq,
    article: f.article,
    rule: f.rule,
    status: pending ? 'pending' : 'violation',
    eventIds: f.eventIds,
    message: pending ? (f.pendingMessage ?? f.message) : f.message,
    ...(f.dueAt !== null ? { dueAt: new Date(f.dueAt).toISOString() } : {}),
  };
  return item;
}

/** The violations and pending findings of a verdict judged at some cut, as listed by the contract view. */
export function verdictItems(verdict: RecordVerdict | ContractLevelVerdict, recordId: string | null): ComplianceItem[] {
  const items: ComplianceItem[] = [];
  for (const { finding, seq } of flatten(verdict, recordId === null ? CONTRACT_ARTICLES : RECORD_ARTICLES)) {
    if (finding.status === 'compliant') continue;
    items.push({
      recordId,
      seq,
      article: finding.article,
      rule: finding.rule,
      status: finding.status,
      eventIds: finding.eventIds,
      message: finding.message,
      ...(finding.dueAt !== undefined ? { dueAt: finding.dueAt } : {}),
    });
  }
  return items;
}

/** Which records a contract event can change the verdict of (docs/compliance.md "Which records a contract event changes"). */
export type Affected = { readonly all: true } | { readonly all: false; readonly recordIds: readonly string[]; readonly tags: readonly string[] };

const NONE: Affected = { all: false, recordIds: [], tags: [] };
const ALL: Affected = { all: true };

/**
 * The record rules read, of the contract stream: the terms (registration, amendments), the end,
 * workers' standing and briefings, subcontractors' approvals, authorizations, disposal
 * instructions, incidents and their reports, and My Number memoranda. Any other contract event
 * (reports, inspections, improvement requests, pledges, subcontract requests, the responsible
 * person) is judged only at contract level.
 */
export function affectedBy(event: ContractEvent, history: ContractHistory): Affected {
  switch (event.type) {
    case 'ContractRegistered':
    case 'ContractAmended':
    case 'ContractEnded':
      return ALL;
    case 'MyNumberMemorandumConcluded':
      return { all: false, recordIds: [], tags: ['m'] };
    case 'WorkerAuthorized':
    case 'WorkerAuthorizationRevoked':
    case 'WorkerDeparted':
    case 'WorkerBriefed':
      return { all: false, recordIds: [], tags: [`w:${event.data.workerId}`] };
    case 'SubcontractApproved':
    case 'SubcontractApprovalRevoked':
      return { all: false, recordIds: [], tags: [`s:${event.data.subcontractorId}`] };
    case 'AuthorizationGranted':
    case 'DisposalInstructed':
      return event.data.recordIds === undefined ? ALL : { all: false, recordIds: event.data.recordIds, tags: [] };
    case 'AuthorizationRevoked': {
      const recordIds = new Set<string>();
      for (const { event: other } of history.entries) {
        if (other.type !== 'AuthorizationGranted' || other.data.authorizationId !== event.data.authorizationId) continue;
        if (other.data.recordIds === undefined) return ALL;
        for (const r of other.data.recordIds) recordIds.add(r);
      }
      return { all: false, recordIds: [...recordIds], tags: [] };
    }
    case 'IncidentDetected':
      return { all: false, recordIds: event.data.affectedRecordIds, tags: [] };
    case 'IncidentReported': {
      const recordIds = new Set<string>();
      for (const { event: other } of history.entries) {
        if (other.type === 'IncidentDetected' && other.data.incidentId === event.data.incidentId) {
          for (const r of other.data.affectedRecordIds) recordIds.add(r);
        }
      }
      return { all: false, recordIds: [...recordIds], tags: [] };
    }
    case 'ResponsiblePersonDesignated':
    case 'WorkerPledgeSubmitted':
    case 'SubcontractRequested':
    case 'ReportRequested':
    case 'ReportSubmitted':
    case 'InspectionConducted':
    case 'ImprovementRequested':
    case 'ImprovementConsultationHeld':
      return NONE;
    default: {
      const _exhaustive: never = event;
      throw new Error(`unknown contract event ${JSON.stringify(_exhaustive)}`);
    }
  }
}

/** The union of what several contract events affect. */
export function affectedByAll(events: readonly LedgerEvent[], history: ContractHistory): Affected {
  const recordIds = new Set<string>();
  const tags = new Set<string>();
  for (const event of events) {
    if (isRecordEvent(event)) continue;
    const affected = affectedBy(event, history);
    if (affected.all) return ALL;
    for (const r of affected.recordIds) recordIds.add(r);
    for (const t of affected.tags) tags.add(t);
  }
  return { all: false, recordIds: [...recordIds], tags: [...tags] };
}

/** Contract-view order: contract-level findings first, then by record ID (code-unit order, as SQL's "C" collation), then seq. */
export function compareItems(a: Pick<ComplianceItem, 'recordId' | 'seq'>, b: Pick<ComplianceItem, 'recordId' | 'seq'>): number {
  const ra = a.recordId ?? '';
  const rb = b.recordId ?? '';
  if (ra !== rb) return ra < rb ? -1 : 1;
  return a.seq - b.seq;
}

/** A page cursor: the last item's place ('' for contract level). */
export interface FindingsCursor {
  readonly recordId: string;
  readonly seq: number;
}

export function encodeFindingsCursor(item: Pick<ComplianceItem, 'recordId' | 'seq'>): string {
  return Buffer.from(JSON.stringify([item.recordId ?? '', item.seq]), 'utf8').toString('base64url');
}

export function decodeFindingsCursor(text: string): FindingsCursor | null {
  try {
    const value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && value[0].length <= 64 &&
      Number.isInteger(value[1]) && (value[1] as number) >= 0 && (value[1] as number) < 2_147_483_647
    ) {
      return { recordId: value[0], seq: value[1] as number };
    }
  } catch {
    // not a cursor
  }
  return null;
}

/** Filters of the contract view's findings. */
export interface FindingsFilter {
  readonly article?: string;
  readonly rule?: string;
  readonly status?: FindingStatus;
}

export function matches(item: ComplianceItem, filter: FindingsFilter): boolean {
  return (
    (filter.article === undefined || item.article === filter.article) &&
    (filter.rule === undefined || item.rule === filter.rule) &&
    (filter.status === undefined || item.status === filter.status)
  );
}

export function afterCursor(item: Pick<ComplianceItem, 'recordId' | 'seq'>, cursor: FindingsCursor | undefined): boolean {
  return cursor === undefined || compareItems(item, { recordId: cursor.recordId === '' ? null : cursor.recordId, seq: cursor.seq }) > 0;
}
