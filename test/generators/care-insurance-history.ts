/**
 * Deterministic, realistic handling histories of the care-insurance (介護保険) system rebuild, for
 * the demo, the load tests and the benchmarks. Same seed, same events (eventIds included), so a
 * re-run is idempotent against the ledger.
 *
 * Each contract has its city staff, contractor workers (authorized, briefed, some departing with
 * pledges), a subcontractor, authorizations to copy, reports, inspections and incidents; each record
 * (an extract, a medium or a paper file of one of the system's data sets) is collected, used,
 * sometimes copied, carried, anonymized, and returned or disposed of under the city's witness.
 * Events come out in occurredAt order, as a live feed would post them.
 */
import { createHash } from 'node:crypto';
import type { Actor, LedgerEvent, Medium } from '@ledger/domain';

export const CATEGORIES = ['被保険者台帳', '要介護認定', '給付実績', '保険料賦課', '住所地特例', '負担限度額認定'] as const;
export const PURPOSES = ['介護保険システム再構築', '介護保険システム運用保守'] as const;
/** The contractor of every generated contract: its keys are the party `contractor:okayama-systems`. */
export const CONTRACTOR_ID = 'okayama-systems';
const LOCATIONS = ['DC-OKAYAMA-1', 'DC-OKAYAMA-2', 'DEV-ROOM-3F'] as const;
const CITY_LOCATIONS = ['CITY-HALL', 'KAIGO-HOKEN-KA'] as const;

export interface HistoryOptions {
  seed: number;
  contracts: number;
  recordsPerContract: number;
  /** Business time of the first contract event. */
  start?: string;
  /** Business time by which every record's lifecycle has started. */
  end?: string;
  /** Events per yielded batch (≤ 10,000, the API's batch limit). */
  batchSize?: number;
  /** Share of records whose lifecycle breaks a rule (unauthorized copy, unwitnessed disposal …). */
  violationRate?: number;
  /** Contract IDs: `${contractPrefix}-${n}`. */
  contractPrefix?: string;
}

/** A small, fast, seedable PRNG (mulberry32): the same seed gives the same history everywhere. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** A UUID derived from the seed and a name, so regenerated events keep their eventIds. */
export function deterministicUuid(seed: number, name: string): string {
  const h = createHash('sha256').update(`${seed}:${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** JST RFC 3339 text of an instant, as the feeds send it. */
export function jst(ms: number): string {
  const d = new Date(ms + 9 * HOUR);
  return `${d.toISOString().slice(0, 19)}+09:00`;
}

interface Timed {
  at: number;
  order: number;
  event: LedgerEvent;
}

/** A min-heap on (at, order): merges the timelines of many records into one feed. */
class Timeline {
  private readonly heap: Timed[] = [];
  private counter = 0;

  push(at: number, event: LedgerEvent): void {
    const item = { at, order: this.counter++, event };
    const heap = this.heap;
    heap.push(item);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  peek(): Timed | undefined {
    return this.heap[0];
  }

  pop(): Timed | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && before(heap[l]!, heap[m]!)) m = l;
        if (r < heap.length && before(heap[r]!, heap[m]!)) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m]!, heap[i]!];
        i = m;
      }
    }
    return top;
  }

  get size(): number {
    return this.heap.length;
  }
}

function before(a: Timed, b: Timed): boolean {
  return a.at < b.at || (a.at === b.at && a.order < b.order);
}

interface ContractPlan {
  contractId: string;
  workers: string[];
  subcontractorId: string;
  subcontractWorkers: string[];
  copyAuthorizationId: string;
}

/**
 * Yields the history in batches, in occurredAt order. About 10 events per record plus a few
 * dozen per contract: `contracts × recordsPerContract × 10` events in all.
 */
export function* generateHistory(options: HistoryOptions): Generator<LedgerEvent[]> {
  const batchSize = options.batchSize ?? 1000;
  const start = Date.parse(options.start ?? '2025-04-01T09:00:00+09:00');
  const end = Date.parse(options.end ?? '2026-09-30T17:00:00+09:00');
  const random = new Random(options.seed);
  const prefix = options.contractPrefix ?? `okayama-kaigo-${options.seed}`;
  let serial = 0;
  const id = (): string => deterministicUuid(options.seed, `e${serial++}`);
  const timeline = new Timeline();
  const plans: ContractPlan[] = [];

  for (let c = 0; c < options.contracts; c++) {
    const contractId = options.contracts === 1 ? prefix : `${prefix}-${c + 1}`;
    const plan: ContractPlan = {
      contractId,
      workers: Array.from({ length: 12 }, (_, w) => `W-${c + 1}-${String(w + 1).padStart(3, '0')}`),
      subcontractorId: `SUB-DATAENTRY-${c + 1}`,
      subcontractWorkers: [`SW-${c + 1}-001`, `SW-${c + 1}-002`],
      copyAuthorizationId: `AUTH-COPY-${c + 1}`,
    };
    plans.push(plan);
    for (const [at, event] of contractEvents(plan, start + c * HOUR, end, random, id)) timeline.push(at, event);
  }

  // Records start spread over [start + 30 days, end]; each lifecycle lasts days to weeks.
  const totalRecords = options.contracts * options.recordsPerContract;
  const span = end - (start + 30 * DAY);
  let introduced = 0;
  const introduceUpTo = (until: number): void => {
    while (introduced < totalRecords) {
      const startsAt = start + 30 * DAY + Math.floor((span * introduced) / Math.max(totalRecords, 1));
      if (startsAt > until) return;
      const plan = plans[introduced % plans.length]!;
      const recordId = `R-${String(Math.floor(introduced / plans.length) + 1).padStart(7, '0')}`;
      const broken = random.chance(options.violationRate ?? 0);
      for (const [at, event] of recordEvents(plan, recordId, startsAt, random, id, broken)) timeline.push(at, event);
      introduced++;
    }
  };

  let batch: LedgerEvent[] = [];
  for (;;) {
    const next = timeline.peek();
    const horizon = next ? next.at : Number.POSITIVE_INFINITY;
    introduceUpTo(horizon);
    const item = timeline.pop();
    if (!item) break;
    batch.push(item.event);
    if (batch.length >= batchSize) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

function contractEvents(
  plan: ContractPlan,
  at0: number,
  end: number,
  random: Random,
  id: () => string,
): Array<[number, LedgerEvent]> {
  const { contractId } = plan;
  const city = { org: 'city' as const, workerId: 'S-010' };
  const contractor = { org: 'contractor' as const, workerId: 'W-MGR-1' };
  const out: Array<[number, LedgerEvent]> = [];
  const add = (at: number, event: Omit<LedgerEvent, 'eventId' | 'occurredAt' | 'contractId'>): void => {
    out.push([at, { ...event, eventId: id(), occurredAt: jst(at), contractId } as LedgerEvent]);
  };
  add(at0, {
    type: 'ContractRegistered', actor: city, source: 'city-contracts',
    data: {
      title: '岡山市介護保険システム再構築（標準化）及び運用保守包括業務委託',
      contractorId: CONTRACTOR_ID,
      purposes: [...PURPOSES],
      dataCategories: [...CATEGORIES],
      permitsSubcontracting: true,
      term: { start: jst(at0 - 9 * HOUR), end: '2030-03-31T23:59:59+09:00' },
    },
  } as never);
  add(at0 + HOUR, { type: 'MyNumberMemorandumConcluded', actor: city, data: { reference: 'MYNUM-MEMO-2025' } } as never);
  add(at0 + 2 * HOUR, { type: 'ResponsiblePersonDesignated', actor: contractor, data: { personId: 'P-001', title: '個人情報受託管理責任者' } } as never);
  plan.workers.forEach((workerId, i) => {
    add(at0 + 3 * HOUR + i * 60_000, { type: 'WorkerAuthorized', actor: contractor, data: { workerId, org: 'contractor' } } as never);
    add(at0 + 4 * HOUR + i * 60_000, { type: 'WorkerBriefed', actor: contractor, data: { workerId, topics: ['confidentiality', 'penalties'] } } as never);
  });
  add(at0 + 5 * HOUR, {
    type: 'AuthorizationGranted', actor: city,
    data: { authorizationId: plan.copyAuthorizationId, kind: 'copy', dataCategories: [...CATEGORIES], reference: 'OKA-KAIHO-100' },
  } as never);
  add(at0 + 5 * HOUR + 60_000, {
    type: 'AuthorizationGranted', actor: city,
    data: { authorizationId: `AUTH-PROVIDE-${contractId}`, kind: 'provision', dataCategories: ['給付実績'], reference: 'OKA-KAIHO-101' },
  } as never);
  // The subcontractor: requested with the draft memorandum, approved, its workers authorized and briefed.
  add(at0 + 20 * DAY, {
    type: 'SubcontractRequested', actor: contractor,
    data: { subcontractorId: plan.subcontractorId, applicationRef: `SUBAPP-${plan.subcontractorId}`, reason: '紙台帳のデータ入力', dataCategories: ['被保険者台帳'], draftMemorandumAttached: true },
  } as never);
  add(at0 + 27 * DAY, { type: 'SubcontractApproved', actor: city, data: { subcontractorId: plan.subcontractorId, applicationRef: `SUBAPP-${plan.subcontractorId}` } } as never);
  plan.subcontractWorkers.forEach((workerId, i) => {
    add(at0 + 28 * DAY + i * 60_000, { type: 'WorkerAuthorized', actor: contractor, data: { workerId, org: `subcontractor:${plan.subcontractorId}` } } as never);
    add(at0 + 28 * DAY + HOUR + i * 60_000, { type: 'WorkerBriefed', actor: contractor, data: { workerId, topics: ['confidentiality', 'penalties'] } } as never);
  });
  // Reports, inspections and improvement requests through the term.
  for (let t = at0 + 90 * DAY, n = 1; t < end; t += 120 * DAY, n++) {
    add(t, { type: 'ReportRequested', actor: city, data: { requestId: `REP-${n}`, dueAt: jst(t + 14 * DAY) } } as never);
    add(t + random.int(3, 12) * DAY, { type: 'ReportSubmitted', actor: contractor, data: { requestId: `REP-${n}` } } as never);
  }
  for (let t = at0 + 180 * DAY, n = 1; t < end; t += 300 * DAY, n++) {
    const outcome = n % 2 ? 'improvement_needed' : 'satisfactory';
    add(t, { type: 'InspectionConducted', actor: city, data: { inspectionId: `INSP-${n}`, outcome } } as never);
    if (outcome === 'improvement_needed') {
      add(t + 2 * DAY, { type: 'ImprovementRequested', actor: city, data: { requestId: `IMP-${n}`, reasons: ['ACCESS-LOG-RETENTION'] } } as never);
      add(t + 9 * DAY, { type: 'ImprovementConsultationHeld', actor: contractor, data: { requestId: `IMP-${n}` } } as never);
    }
  }
  // A worker leaves a year in, with the pledge the day before.
  const leaver = plan.workers[plan.workers.length - 1]!;
  add(at0 + 365 * DAY, { type: 'WorkerPledgeSubmitted', actor: contractor, data: { workerId: leaver } } as never);
  add(at0 + 366 * DAY, { type: 'WorkerDeparted', actor: contractor, data: { workerId: leaver } } as never);
  return out.filter(([at]) => at <= end + 60 * DAY);
}

function recordEvents(
  plan: ContractPlan,
  recordId: string,
  startsAt: number,
  random: Random,
  id: () => string,
  broken: boolean,
): Array<[number, LedgerEvent]> {
  const { contractId } = plan;
  const activeWorkers = plan.workers.slice(0, -1); // the last one departs: never handles records
  const worker = random.pick(activeWorkers);
  const actor = { org: 'contractor' as const, workerId: worker };
  const category = random.pick(CATEGORIES);
  const medium: Medium = random.chance(0.8) ? 'electronic' : 'paper';
  const home = random.pick(LOCATIONS);
  const out: Array<[number, LedgerEvent]> = [];
  let t = startsAt;
  const add = (event: Omit<LedgerEvent, 'eventId' | 'occurredAt' | 'contractId' | 'recordId'>, by: Actor = actor): void => {
    out.push([t, { ...event, actor: by, eventId: id(), occurredAt: jst(t), contractId, recordId } as LedgerEvent]);
  };
  const later = (minHours: number, maxHours: number): void => {
    t += random.int(minHours * 60, maxHours * 60) * 60_000;
  };

  const bySubcontractor = category === '被保険者台帳' && medium === 'paper' && random.chance(0.5);
  const collector = bySubcontractor
    ? { org: `subcontractor:${plan.subcontractorId}` as const, workerId: random.pick(plan.subcontractWorkers) }
    : actor;
  add({
    type: 'RecordCollected', source: 'kaigo-system',
    data: {
      purpose: PURPOSES[0], dataCategories: [category], medium, containsMyNumber: category === '保険料賦課',
      personCount: random.int(1, 5000), location: home,
    },
  } as never, collector);
  const uses = random.int(1, 4);
  for (let u = 0; u < uses; u++) {
    later(2, 72);
    add({ type: 'RecordUsed', source: 'kaigo-system', data: { purpose: random.pick(PURPOSES) } } as never);
  }
  let copyId: string | null = null;
  if (random.chance(0.35)) {
    later(1, 48);
    copyId = 'C-1';
    add({ type: 'RecordCopied', data: { copyId, medium: 'electronic', location: random.pick(LOCATIONS) } } as never);
    if (random.chance(0.3)) {
      later(1, 24);
      add({ type: 'RecordAnonymized', data: { copyId, method: '氏名を番号に置換' } } as never);
    }
    if (random.chance(0.5)) {
      later(1, 24);
      const transportId = `T-${recordId}-1`;
      add({
        type: 'TransportStarted',
        data: {
          transportId, copyId, from: home, to: random.pick(CITY_LOCATIONS), carrierId: 'CARRIER-1', medium: 'electronic',
          safeguards: broken && random.chance(0.5) ? ['tracked'] : ['encrypted', 'tracked'],
          expectedArrivalAt: jst(t + 8 * HOUR),
        },
      } as never);
      later(1, broken ? 30 : 7);
      add({ type: 'TransportCompleted', data: { transportId, receivedBy: 'S-010' } } as never, { org: 'city', workerId: 'S-010' });
      later(1, 72);
      add({ type: 'RecordReturned', data: { copyId, receivedBy: 'S-010' } } as never);
      copyId = null;
    }
  }
  if (random.chance(0.2)) {
    later(24, 24 * 10);
    add({ type: 'RecordProvided', data: { recipientId: 'KOKUHOREN-OKAYAMA', purpose: PURPOSES[1] } } as never);
  }
  // The end of the lifecycle: most records are disposed of (witnessed) or returned.
  later(24, 24 * 20);
  const witnessed = !(broken && random.chance(0.5));
  if (copyId) {
    add({ type: 'RecordDisposed', data: { copyId, method: 'crypto_erase', ...(witnessed ? { witnessedBy: 'S-011' } : {}) } } as never);
    later(0, 2);
  }
  if (medium === 'paper' && random.chance(0.5)) {
    add({ type: 'RecordReturned', data: { receivedBy: 'S-010' } } as never);
  } else if (random.chance(0.9)) {
    add({
      type: 'RecordDisposed',
      data: { method: medium === 'paper' ? 'shredding' : 'overwrite', ...(witnessed ? { witnessedBy: 'S-011' } : {}), certificateRef: `ERASE-${recordId}` },
    } as never);
  }
  return out;
}
