/**
 * A differential check (issue 11): small random histories of one record, judged by the fold and
 * by a deliberately naive reading of RULES.md written here from the text, for Art. 8
 * (handled after the contract's end, ties by position), Art. 13 (transports) and Art. 14
 * (disposal duties, handling after closure). The naive reading replays every event in judgement
 * order with plain arrays and no shared code from @ledger/handling. A second property folds the
 * same history in one go and in two halves through `finish` and a JSON copy of the state.
 */
import fc from 'fast-check';
import { recordEntries } from './judge.js';
import type { Judged } from './obligation.js';
import { RecordFold } from './record-fold.js';
import type { Status } from './verdict.js';
import {
  collected,
  contract,
  copied,
  CONTRACT_ID,
  disposalInstructed,
  disposed,
  ended,
  given,
  granted,
  judgedAt,
  ms,
  noLongerNeeded,
  provided,
  returned,
  staffed,
  transportCompleted,
  transportStarted,
  used,
  type Draft,
} from './test-builders.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const BASE = ms('2026-04-10T09:00');
const TRANSPORT_WITHIN = DAY; // the v2 default transportWithin, PT24H
const DISPOSAL_WITHIN = 30 * DAY; // the default disposalWithin, P30D

type Copy = 'C-1' | 'C-2' | 'C-3';
type Step =
  | { kind: 'collect' | 'use' | 'provide' | 'ended'; t: number }
  | { kind: 'copy'; t: number; copyId: Copy; from: Copy | null }
  | { kind: 'return' | 'dispose' | 'notNeeded'; t: number; copyId: Copy | null }
  | { kind: 'start'; t: number; tid: 'T-1' | 'T-2'; copyId: Copy | null; expected: number | null }
  | { kind: 'complete'; t: number; tid: 'T-1' | 'T-2' }
  | { kind: 'instruct'; t: number; action: 'return' | 'dispose' | 'either'; due: number | null }
  | { kind: 'afterTerm'; t: number; validUntil: number | null };

// Times on a coarse grid (every 6 hours over 3 days, or a few days on) so that ties are frequent.
const time = fc.integer({ min: 0, max: 12 }).map((k) => BASE + k * 6 * HOUR);
const copyId = fc.constantFrom<Copy>('C-1', 'C-2', 'C-3');
const holding = fc.option(copyId, { nil: null, freq: 2 });
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constantFrom('collect', 'use', 'provide', 'ended' as const), t: time }),
  fc.record({ kind: fc.constant('copy' as const), t: time, copyId, from: holding }),
  fc.record({ kind: fc.constantFrom('return', 'dispose', 'notNeeded' as const), t: time, copyId: holding }),
  fc.record({ kind: fc.constant('start' as const), t: time, tid: fc.constantFrom('T-1', 'T-2' as const), copyId: holding, expected: fc.option(fc.integer({ min: 1, max: 60 }).map((h) => h * HOUR), { nil: null }) }),
  fc.record({ kind: fc.constant('complete' as const), t: time, tid: fc.constantFrom('T-1', 'T-2' as const) }),
  fc.record({ kind: fc.constant('instruct' as const), t: time, action: fc.constantFrom('return', 'dispose', 'either' as const), due: fc.option(fc.integer({ min: 0, max: 40 }).map((d) => d * DAY), { nil: null }) }),
  fc.record({ kind: fc.constant('afterTerm' as const), t: time, validUntil: fc.option(fc.integer({ min: 1, max: 48 }).map((h) => h * HOUR), { nil: null }) }),
);
const history = fc.record({
  steps: fc.array(step, { minLength: 1, maxLength: 14 }),
  asOf: fc.integer({ min: 0, max: 60 }).map((k) => BASE + k * 12 * HOUR),
});

const iso = (t: number): string => new Date(t).toISOString();

/** The drafts of a history, in the order given (its positions). */
function drafts(steps: readonly Step[]): Draft[] {
  return steps.map((s) => {
    const at = iso(s.t);
    switch (s.kind) {
      case 'collect': return collected({ at });
      case 'use': return used({ at });
      case 'provide': return provided('RECIPIENT-1', { at });
      case 'ended': return ended({ at });
      case 'copy': return copied(s.copyId, { at, ...(s.from ? { from: s.from } : {}) });
      case 'return': return returned({ at, ...(s.copyId ? { copyId: s.copyId } : {}) });
      case 'dispose': return disposed({ at, ...(s.copyId ? { copyId: s.copyId } : {}) });
      case 'notNeeded': return noLongerNeeded({ at, ...(s.copyId ? { copyId: s.copyId } : {}) });
      case 'start': return transportStarted(s.tid, { at, ...(s.copyId ? { copyId: s.copyId } : {}), ...(s.expected !== null ? { expectedArrivalAt: iso(s.t + s.expected) } : {}) });
      case 'complete': return transportCompleted(s.tid, { at });
      case 'instruct': return disposalInstructed({ at, recordIds: ['R-1'], action: s.action, ...(s.due !== null ? { dueAt: iso(s.t + s.due) } : {}) });
      case 'afterTerm': return granted('after_term', `AT-${s.t}`, { at, ...(s.validUntil !== null ? { validUntil: iso(s.t + s.validUntil) } : {}) });
    }
  });
}

/** The setup before every history: the contract, a staffed worker, contract-wide copy and provision consents. */
const SETUP = [contract(), staffed('W-1'), granted('copy', 'A-COPY'), granted('provision', 'A-PROVIDE')];

// ---- the naive reading ------------------------------------------------------------------------

const RANK: { [S in Status]: number } = { not_applicable: 0, compliant: 1, pending: 2, violation: 3 };
const worse = (a: Status, b: Status): Status => (RANK[b] > RANK[a] ? b : a);

/** "Within D": met if closed by due, violated if closed late or open past due at asOf, else pending. */
function within(closedAt: number | null, due: number, asOf: number): Status {
  if (closedAt !== null) return closedAt <= due ? 'compliant' : 'violation';
  return asOf > due ? 'violation' : 'pending';
}

interface NaiveVerdict { '8': Status; '13': Status; '14': Status }

function naive(steps: readonly Step[], asOf: number): NaiveVerdict {
  // Judgement order: occurredAt, then position; only what occurred by asOf.
  const events = steps.map((s, pos) => ({ ...s, pos })).filter((s) => s.t <= asOf).sort((a, b) => a.t - b.t || a.pos - b.pos);
  const verdict: NaiveVerdict = { '8': 'not_applicable', '13': 'not_applicable', '14': 'not_applicable' };
  const judge = (article: keyof NaiveVerdict, status: Status) => (verdict[article] = worse(verdict[article], status));

  // Art. 8: RecordUsed, RecordProvided or RecordCopied after the first ContractEnded (ties by position),
  // unless an after_term consent granted at or before it is still valid (validUntil after the act).
  const end = events.find((e) => e.kind === 'ended') ?? null;
  const afterTerm = events.filter((e): e is typeof e & { kind: 'afterTerm' } => e.kind === 'afterTerm');
  for (const e of events) {
    if (e.kind !== 'use' && e.kind !== 'provide' && e.kind !== 'copy') continue;
    const after = end !== null && (end.t < e.t || (end.t === e.t && end.pos < e.pos));
    if (e.kind !== 'copy' || after) judge('8', 'compliant');
    if (!after) continue;
    const consented = afterTerm.some((g) => g.t <= e.t && (g.validUntil === null || e.t < g.t + g.validUntil));
    if (!consented) judge('8', 'violation');
  }

  // Art. 13: each start is due at expectedArrivalAt or + transportWithin; a completion closes the
  // earliest open start of its transportId; with none, it is a completion without start unless
  // that transport was completed before.
  const legs: { tid: string; due: number; done: number | null }[] = [];
  const completed = new Set<string>();
  for (const e of events) {
    if (e.kind === 'start') {
      judge('13', 'compliant');
      legs.push({ tid: e.tid, due: e.expected !== null ? e.t + e.expected : e.t + TRANSPORT_WITHIN, done: null });
    } else if (e.kind === 'complete') {
      judge('13', 'compliant');
      const leg = legs.find((l) => l.tid === e.tid && l.done === null);
      if (leg) {
        leg.done = e.t;
        completed.add(e.tid);
      } else if (!completed.has(e.tid)) judge('13', 'violation');
    }
  }
  for (const leg of legs) judge('13', within(leg.done, leg.due, asOf));

  // Art. 14: holdings (the original '' and each copy), open or closed; orders bind the holdings open
  // when they come, and (the contract's end, an instruction) holdings opened later, each on its own.
  const open = new Map<string, boolean>();
  type Duty = { holding: string; closedAt: number | null; wrong: boolean };
  const groups: { due: number; duties: Duty[] }[] = [];
  const orderActions = new Map<object, string>();
  const armed: { action: string; due: number | null }[] = [];
  let endSeen = false;
  const opened = (key: string, t: number) => {
    if (open.get(key) === true) return;
    open.set(key, true);
    for (const order of armed) {
      const group = { due: order.due === null ? t + DISPOSAL_WITHIN : Math.max(order.due, t + DISPOSAL_WITHIN), duties: [{ holding: key, closedAt: null, wrong: false }] };
      orderActions.set(group, order.action);
      groups.push(group);
    }
  };
  const order = (action: string, due: number, keys: string[]) => {
    const group = { due, duties: keys.map((holding) => ({ holding, closedAt: null, wrong: false })) };
    orderActions.set(group, action);
    if (keys.length > 0) groups.push(group);
  };
  const openKeys = () => [...open].filter(([, o]) => o).map(([k]) => k);
  for (const e of events) {
    switch (e.kind) {
      case 'collect': opened('', e.t); break;
      case 'copy': {
        const from = e.from ?? '';
        if ((e.from === null ? open.get('') === false : open.get(from) !== true)) judge('14', 'violation');
        opened(e.copyId, e.t);
        break;
      }
      case 'start': {
        const key = e.copyId ?? '';
        if (e.copyId === null ? open.get('') === false : open.get(key) !== true) judge('14', 'violation');
        break;
      }
      case 'return':
      case 'dispose': {
        judge('14', 'compliant');
        const key = e.copyId ?? '';
        if (open.get(key) !== true) {
          if (e.copyId !== null || open.has('')) judge('14', 'violation');
          break;
        }
        open.set(key, false);
        for (const group of groups) {
          for (const duty of group.duties) {
            if (duty.holding !== key || duty.closedAt !== null) continue;
            duty.closedAt = e.t;
            const action = orderActions.get(group) ?? 'either';
            duty.wrong = action === 'return' ? e.kind !== 'return' : action === 'dispose' ? e.kind !== 'dispose' : false;
          }
        }
        break;
      }
      case 'use':
        if (open.size > 0 && openKeys().length === 0) judge('14', 'violation');
        break;
      case 'notNeeded':
        order('either', e.t + DISPOSAL_WITHIN, e.copyId === null ? openKeys() : openKeys().filter((k) => k === e.copyId));
        break;
      case 'instruct': {
        const due = e.due === null ? e.t + DISPOSAL_WITHIN : e.t + e.due;
        order(e.action, due, openKeys());
        armed.push({ action: e.action, due: e.due === null ? null : e.t + e.due });
        break;
      }
      case 'ended':
        if (endSeen) break;
        endSeen = true;
        order('either', e.t + DISPOSAL_WITHIN, openKeys());
        armed.push({ action: 'either', due: null });
        break;
      default:
        break;
    }
  }
  for (const group of groups) {
    judge('14', 'compliant');
    if (group.duties.some((d) => d.wrong)) judge('14', 'violation');
    else if (group.duties.some((d) => d.closedAt !== null && d.closedAt > group.due)) judge('14', 'violation');
    else if (group.duties.every((d) => d.closedAt !== null)) judge('14', 'compliant');
    else judge('14', asOf > group.due ? 'violation' : 'pending');
  }
  return verdict;
}

describe('differential: the fold against a naive reading of RULES.md (Art. 8 end of contract, Art. 13, Art. 14)', () => {
  it('agrees on every article status of small random histories', () => {
    fc.assert(
      fc.property(history, ({ steps, asOf }) => {
        const scenario = given(SETUP, drafts(steps));
        const verdict = scenario.verdict(judgedAt(iso(asOf), { knownAt: '2030-01-01T00:00' }));
        const expected = naive(steps, asOf);
        expect({ '8': verdict.articles['8']!.status, '13': verdict.articles['13']!.status, '14': verdict.articles['14']!.status }).toEqual(expected);
      }),
      { numRuns: 1_500, seed: 20_261_125 },
    );
  });
});

/** The contract view and record R-1's entries of a generated history, at asOf (everything known). */
function recordOf(steps: readonly Step[], asOf: number) {
  const scenario = given(SETUP, drafts(steps));
  const cut = { asOf, knownAt: ms('2030-01-01T00:00') };
  return { view: scenario.history().view(cut), entries: recordEntries(CONTRACT_ID, 'R-1', scenario.recordEvents('R-1'), cut) };
}

/** A fold of these entries, its final findings collected. */
function foldOf(view: ReturnType<typeof recordOf>['view'], entries: ReturnType<typeof recordOf>['entries']): { fold: RecordFold; findings: Judged[] } {
  const findings: Judged[] = [];
  const fold = new RecordFold(view, 'R-1', undefined, (f) => findings.push(f));
  for (const entry of entries) fold.fold(entry);
  return { fold, findings };
}

describe('the fold resumes from JSON', () => {
  it('gives the same findings folded in one go as in two halves through finish and a JSON copy of the state', () => {
    fc.assert(
      fc.property(history, fc.nat(), ({ steps, asOf }, cutAt) => {
        const { view, entries } = recordOf(steps, asOf);

        const { fold: one, findings: whole } = foldOf(view, entries);
        const wholeEnd = one.finish(asOf);

        const halves: Judged[] = [];
        const k = entries.length === 0 ? 0 : cutAt % (entries.length + 1);
        const first = new RecordFold(view, 'R-1', undefined, (f) => halves.push(f));
        for (const entry of entries.slice(0, k)) first.fold(entry);
        first.finish(asOf); // an answer in the middle must leave the fold as it was
        const text = JSON.stringify(first.state);
        expect(JSON.parse(text)).toEqual(first.state);
        const second = new RecordFold(view, 'R-1', JSON.parse(text), (f) => halves.push(f));
        for (const entry of entries.slice(k)) second.fold(entry);
        const halvesEnd = second.finish(asOf);

        expect(halves).toEqual(whole);
        expect(halvesEnd.atFinish).toEqual(wholeEnd.atFinish);
        expect(halvesEnd.counts).toEqual(wholeEnd.counts);
        expect([...halvesEnd.applicable].sort()).toEqual([...wholeEnd.applicable].sort());
      }),
      { numRuns: 500, seed: 20_261_126 },
    );
  });
});

describe('finishInPlace: the judgement on the state of the fold itself', () => {
  it('gives what finish gives on a copy, on the state taken as JSON just before, and spends the fold', () => {
    fc.assert(
      fc.property(history, ({ steps, asOf }) => {
        const { view, entries } = recordOf(steps, asOf);

        const { fold: one, findings: copied } = foldOf(view, entries);
        const onCopy = one.finish(asOf);
        const { fold: two, findings: inPlace } = foldOf(view, entries);
        const before = JSON.stringify(two.state);
        expect(before).toBe(JSON.stringify(one.state));
        const spent = two.finishInPlace(asOf);

        expect(inPlace).toEqual(copied);
        expect(spent.atFinish).toEqual(onCopy.atFinish);
        expect(spent.counts).toEqual(onCopy.counts);
        expect([...spent.applicable].sort()).toEqual([...onCopy.applicable].sort());
        expect(spent.handling).toEqual(onCopy.handling);
        // The JSON taken before resumes the fold as the state stood (what the projector stores).
        expect(new RecordFold(view, 'R-1', JSON.parse(before)).finish(asOf).atFinish).toEqual(onCopy.atFinish);
        expect(() => two.finishInPlace(asOf)).toThrow(/finished in place: its state is spent/);
        expect(() => two.finish(asOf)).toThrow(/spent/);
        if (entries.length > 0) expect(() => two.fold(entries[entries.length - 1]!)).toThrow(/spent/);
      }),
      { numRuns: 300, seed: 20_261_127 },
    );
  });
});
