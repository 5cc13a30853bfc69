/**
 * Given/When/Then for the rulebook over the shared event builders (@ledger/handling testing):
 *
 *   given(contract(), staffed('W-1'), collected(), copy)
 *     .when(judgedAt('2026-06-01T00:00'))
 *     .then(violation('art9.copy-without-authorization', [copy]));
 */
import { instant, type LedgerEvent, type RecordedEvent, isoUtc, type Actor } from '@ledger/domain';
import { ContractHistory } from '@ledger/handling';
import {
  amended, authorizationRevoked, briefed, collected, contract, copied, departed, disposalInstructed, disposed, flatten, granted,
  incidentDetected, incidentReported, ms, pledged, provided, record, reportRequested, reportSubmitted, RECORD_ID, responsiblePerson,
  staffed as staffedWorker, transportCompleted, transportStarted, used, utc, worker, workerAuthorized, CONTRACT_ID,
  type Draft, type Givens, type Options, type Ref,
} from '../../handling/src/testing/builders.js';
import type { RecordFacts } from './context.js';
import { judgeContract, judgeRecord } from './judge.js';
import type { ContractLevelVerdict, Finding, RecordVerdict, Status } from './verdict.js';

export * from '../../handling/src/testing/builders.js';

/**
 * The rulebook's baseline for rules about something else (v2): the contractor has designated its
 * responsible person (Art. 3) and the worker is authorized and briefed on both topics (Art. 4,
 * 11, 17). It shadows the shared `staffed`, which leaves Art. 3 out; `staffedWorker` is that one.
 */
export function staffed(workerId = 'W-1', options: Options & { org?: 'contractor' | `subcontractor:${string}` } = {}): Draft[] {
  const { recordedAt: _recordedAt, id: _id, org: _org, ...at } = options;
  return [responsiblePerson(at), ...staffedWorker(workerId, options)];
}
export { staffedWorker };

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

/** Every finding of the verdict: the articles', and on a contract verdict the city's duties too. */
export function allFindings(verdict: Verdict): Finding[] {
  const city = 'city' in verdict ? verdict.city.findings : [];
  return [...Object.values(verdict.articles).flatMap((a) => a.findings), ...city];
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

  /** The records' collections, as the contract's incident rules read them. */
  recordFacts(knownAt: number): RecordFacts {
    return {
      collectionsAt: (recordId, t) => {
        const collections = this.recordEvents(recordId)
          .filter((e) => e.event.type === 'RecordCollected' && instant(e.event.occurredAt) <= t && instant(e.recordedAt) <= knownAt)
          .map((e) => {
            const data = (e.event as Extract<LedgerEvent, { type: 'RecordCollected' }>).data;
            return { categories: data.dataCategories, personCount: data.personCount ?? null };
          });
        return collections.length > 0 ? collections : null;
      },
    };
  }

  verdict(judgement: Judgement): Verdict {
    const cut = { asOf: ms(judgement.asOf), knownAt: ms(judgement.knownAt) };
    return judgement.scope === 'record'
      ? judgeRecord(this.history(), judgement.recordId, this.recordEvents(judgement.recordId), cut)
      : judgeContract(this.history(), cut, this.recordFacts(cut.knownAt));
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
/** The contract verdict's `city` block (the city's own duties) has this status. */
export function cityStatus(status: Status): Expectation {
  return (verdict) => {
    expect('city' in verdict).toBe(true);
    expect((verdict as ContractLevelVerdict).city.status).toBe(status);
  };
}
/** Every finding of the rule answers for this party (and there is at least one). */
export function party(rule: string, who: Finding['party']): Expectation {
  return (verdict) => {
    const found = allFindings(verdict).filter((f) => f.rule === rule);
    expect(found.length).toBeGreaterThan(0);
    for (const f of found) expect(f.party).toBe(who);
  };
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
