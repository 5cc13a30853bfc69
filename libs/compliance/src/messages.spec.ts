import {
  AUTHORIZATION_KINDS,
  BRIEFING_TOPICS,
  CONTRACT_END_REASONS,
  DISPOSAL_ACTIONS,
  DISPOSAL_METHODS,
  EVENT_TYPES,
  INCIDENT_KINDS,
  INSPECTION_CYCLES,
  INSPECTION_OUTCOMES,
  MEDIA,
  NOTICE_METHODS,
  PPC_REPORT_STAGES,
  SAFEGUARDS,
} from '@ledger/domain';
import { durationJa, TERMS, wa } from './messages.js';
import { RULES } from './rules.js';
import {
  allFindings,
  amended,
  anonymized,
  approvalRevoked,
  authorizationRevoked,
  briefed,
  CITY,
  collected,
  contract,
  contractJudgedAt,
  copied,
  departed,
  disposalInstructed,
  disposed,
  ended,
  given,
  granted,
  improvementRequested,
  consultationHeld,
  incidentDetected,
  incidentReported,
  inspected,
  judgedAt,
  ms,
  myNumberMemorandum,
  noLongerNeeded,
  personsNotified,
  ppcReported,
  provided,
  reportRequested,
  reportSubmitted,
  returned,
  staffed,
  staffedWorker,
  subcontractApproved,
  subcontractRequested,
  subWorker,
  transportCompleted,
  transportStarted,
  used,
  worker,
  workerAuthorized,
  flatten,
  pledged,
  type Draft,
  type Givens,
} from './test-builders.js';
import type { Finding } from './verdict.js';

/**
 * RULES.md "Messages, v2": Japanese messages read as an audit report — no wire code (an
 * enumeration value or an event type name) and no ISO timestamp or duration in them: times in
 * 和暦, enumerations through TERMS. The codes stay in the evidence fields.
 */

/** Scenarios that, judged at a few instants, make every rule speak in each of its states. */
const RECORD_GALLERY: readonly Givens[][] = [
  // Art. 3, 4, 11, 17: an unbriefed, unauthorized worker before any responsible person; Art. 7 missing collection.
  [contract(), used({ at: '2026-04-10T09:00', by: worker('W-2') }), collected({ at: '2026-04-10T10:00', by: worker('W-2') })],
  // Art. 7 (contractor and city), Art. 18 (both rules, both parties).
  [contract({ purposes: ['care'] }), staffed('W-1'), collected({ purpose: 'marketing', dataCategories: ['bank-account'], containsMyNumber: true, at: '2026-04-10T09:00' }),
    collected({ by: CITY, purpose: 'marketing', containsMyNumber: true, at: '2026-04-10T10:00' }), granted('provision', 'A-1'), provided('RECIPIENT-1', { at: '2026-04-11T09:00' }),
    used({ purpose: 'statistics', at: '2026-04-11T10:00' })],
  // Art. 6 (not approved, revoked, outside scope), Art. 8 (use, provision, after the end), Art. 9.
  [contract({ permitsSubcontracting: true, purposes: ['care'] }), staffed('W-1'), staffed('W-9', { org: 'subcontractor:S-1' }), staffed('W-8', { org: 'subcontractor:S-2' }),
    subcontractRequested('S-1', { dataCategories: ['insured-number'] }), subcontractApproved('S-1'), subcontractApproved('S-2'), collected({ purpose: 'care', at: '2026-04-10T09:00' }),
    used({ by: subWorker('S-1', 'W-9'), purpose: 'care', at: '2026-04-10T10:00' }), used({ by: subWorker('S-3', 'W-7'), purpose: 'care', at: '2026-04-10T11:00' }),
    approvalRevoked('S-2', { at: '2026-04-10T11:30' }), used({ by: subWorker('S-2', 'W-8'), purpose: 'care', at: '2026-04-10T12:00' }),
    used({ purpose: 'statistics', at: '2026-04-11T09:00' }), granted('provision', 'P-1', { dataCategories: ['insured-number'] }), provided('RECIPIENT-1', { at: '2026-04-11T10:00' }),
    copied('C-1', { at: '2026-04-12T09:00' }), ended({ at: '2026-05-01T00:00', reason: 'expired' }), used({ purpose: 'care', at: '2026-05-02T09:00' })],
  // Art. 5, 13, 14 (every rule), Art. 11 (holdings of a departing worker), Art. 15 (incident and breach).
  [contract({ policy: { anonymizeLocations: ['DEV-ENV-1'] } }), staffed('W-1'), staffedWorker('W-3'), granted('copy', 'A-1', { validUntil: '2026-04-20T00:00' }),
    collected({ at: '2026-04-10T09:00' }), copied('C-1', { at: '2026-04-10T10:00', location: 'DEV-ENV-1', by: worker('W-3') }), copied('C-2', { at: '2026-04-10T11:00', location: 'DEV-ENV-1' }),
    anonymized({ copyId: 'C-2', at: '2026-04-10T12:00' }), copied('C-3', { at: '2026-04-10T13:00' }), copied('C-4', { at: '2026-04-10T14:00' }),
    transportStarted('T-1', { copyId: 'C-3', medium: 'paper', safeguards: ['tracked'], at: '2026-04-11T09:00' }), transportCompleted('T-1', { at: '2026-04-11T10:00' }),
    transportStarted('T-2', { medium: 'electronic', safeguards: [], at: '2026-04-11T11:00' }), transportCompleted('T-9', { at: '2026-04-11T12:00', by: CITY }),
    transportStarted('T-3', { copyId: 'C-4', at: '2026-04-12T09:00', expectedArrivalAt: '2026-06-30T00:00' }),
    departed('W-3', { at: '2026-04-15T00:00' }), disposed({ copyId: 'C-3', witnessed: false, at: '2026-04-16T00:00' }), copied('C-5', { from: 'C-3', at: '2026-04-16T01:00' }),
    incidentDetected('I-1', ['R-1'], { kind: 'misdelivery', at: '2026-04-17T00:00' }), incidentReported('I-1', { at: '2026-04-17T01:00' }),
    incidentDetected('I-2', ['R-1'], { kind: 'leak', at: '2026-04-18T00:00' }),
    disposalInstructed({ at: '2026-04-21T00:00', action: 'return', dueAt: '2026-05-01T00:00' }), disposed({ copyId: 'C-1', at: '2026-04-22T00:00' }),
    noLongerNeeded({ copyId: 'C-2', at: '2026-04-23T00:00' }), returned({ copyId: 'C-2', at: '2026-04-24T00:00' }), authorizationRevoked('A-1', { at: '2026-04-25T00:00' }),
    ended({ at: '2026-06-01T00:00', reason: 'terminated' }), used({ at: '2026-06-02T00:00' })],
];

/** The drafts in occurredAt order (so that each is known from its own time on). */
function chronological(...items: Givens[]): Draft[] {
  return flatten(items).sort((a, b) => ms(a.event.occurredAt) - ms(b.event.occurredAt));
}

const CONTRACT_GALLERY: readonly Givens[][] = [
  chronological(contract({ permitsSubcontracting: true, policy: { sensitiveCategories: ['care-level'], consultationWithin: 'P14D' } }), staffed('W-1'),
    subcontractRequested('S-1', { draft: false, at: '2026-03-20T00:00' }), subcontractApproved('S-1', { at: '2026-03-21T00:00' }), subcontractApproved('S-2', { at: '2026-03-22T00:00' }),
    reportRequested('RR-1', '2026-05-01T00:00', { at: '2026-04-20T00:00' }), reportRequested('RR-2', '2026-05-01T00:00', { at: '2026-04-20T00:00' }), reportSubmitted('RR-2', { at: '2026-04-25T00:00' }),
    improvementRequested('IR-1', { at: '2026-04-20T00:00' }), improvementRequested('IR-2', { at: '2026-04-20T00:00', dueAt: '2026-04-30T00:00' }), consultationHeld('IR-2', { at: '2026-04-29T00:00' }),
    workerAuthorized('W-5'), departed('W-5', { at: '2026-04-20T00:00' }), departed('W-1', { at: '2026-04-21T00:00' }), pledged('W-1', { at: '2026-04-21T06:00' }),
    briefed('W-6', ['confidentiality']),
    incidentDetected('I-1', [], { kind: 'theft', at: '2026-04-20T00:00' }), incidentReported('I-1', { at: '2026-04-20T01:00' }), ppcReported('I-1', 'preliminary', { at: '2026-04-22T00:00' }),
    incidentDetected('I-2', [], { kind: 'other', financialHarmRisk: true, at: '2026-04-21T00:00', by: CITY }), personsNotified('I-2', { at: '2026-04-23T00:00' }),
    incidentDetected('I-3', [], { kind: 'loss', persons: 500, at: '2026-04-22T00:00' }),
    myNumberMemorandum({ at: '2026-03-20T00:00' }), inspected('IN-1', { at: '2027-06-01T00:00' }), amended({ at: '2027-01-01T00:00', term: { start: '2026-04-01T00:00', end: '2028-03-31T23:59' } })),
  [contract({ policy: { inspectionCycle: 'rolling' } }), inspected('IN-1', { at: '2026-04-10T00:00' })],
  [contract({ policy: { inspectionCycle: 'rolling' }, term: { start: '2026-04-01T00:00', end: '2028-03-31T23:59' } }), inspected('IN-1', { at: '2027-06-01T00:00' })],
];

const INSTANTS = ['2026-04-10T10:30', '2026-04-15T12:00', '2026-04-16T12:00', '2026-04-21T12:00', '2026-05-15T00:00', '2027-12-01T00:00'];

function everyFinding(): Finding[] {
  const found: Finding[] = [];
  for (const items of RECORD_GALLERY) {
    const scenario = given(...items);
    for (const at of INSTANTS) found.push(...allFindings(scenario.verdict(judgedAt(at))));
  }
  for (const items of CONTRACT_GALLERY) {
    const scenario = given(...items);
    for (const at of INSTANTS) found.push(...allFindings(scenario.verdict(contractJudgedAt(at))));
  }
  return found;
}

/** Every value of the wire enumerations and every event type name. */
const CODES: readonly string[] = [
  ...AUTHORIZATION_KINDS, ...MEDIA, ...BRIEFING_TOPICS, ...INSPECTION_OUTCOMES, ...INCIDENT_KINDS, ...SAFEGUARDS, ...DISPOSAL_METHODS,
  ...CONTRACT_END_REASONS, ...DISPOSAL_ACTIONS, ...PPC_REPORT_STAGES, ...NOTICE_METHODS, ...INSPECTION_CYCLES, ...EVENT_TYPES,
];

/** A code standing as a word of its own (not inside an ID such as DC-OKAYAMA-1). */
function codeIn(text: string): string | null {
  for (const code of CODES) {
    if (new RegExp(`(?<![A-Za-z0-9_-])${code}(?![A-Za-z0-9_-])`, 'i').test(text)) return code;
  }
  return null;
}

const ISO_TIME = /\d{4}-\d{2}-\d{2}(T\d{2}:\d{2})?/;
const ISO_DURATION = /(?<![A-Za-z0-9])P(\d+[YMWD])*(T(\d+[HMS])+)?(?![A-Za-z0-9-])/;

describe('Japanese messages (v2 audit style)', () => {
  const found = everyFinding();

  it('are made for every rule by the gallery, in every state a rule can be in', () => {
    const spoken = new Set(found.map((f) => f.rule));
    expect(RULES.map((r) => r.id).filter((id) => !spoken.has(id))).toEqual([]);
    const states = new Set(found.map((f) => `${f.rule} ${f.status}`));
    const fewStates = RULES.filter((r) => r.kind === 'obligation').filter((r) => [...states].filter((s) => s.startsWith(`${r.id} `)).length < 2);
    expect(fewStates.map((r) => `${r.scope} ${r.id}: ${[...states].filter((s) => s.startsWith(`${r.id} `)).join(', ')}`)).toEqual([]);
    expect(found.some((f) => f.party === 'city')).toBe(true);
  });

  it('hold no wire code: no enumeration value, no event type name', () => {
    const offending = found.map((f) => ({ rule: f.rule, code: codeIn(f.message.ja), ja: f.message.ja })).filter((x) => x.code !== null);
    expect(offending).toEqual([]);
  });

  it('hold no ISO timestamp and no ISO duration: times are 和暦, durations in words', () => {
    const offending = found.filter((f) => ISO_TIME.test(f.message.ja) || ISO_DURATION.test(f.message.ja)).map((f) => f.message.ja);
    expect(offending).toEqual([]);
  });

  it('read as である調 sentences: no です・ます, and the status after the article', () => {
    for (const f of found) {
      expect(f.message.ja).not.toMatch(/(です|ます|ません|ました)/);
      expect(f.message.ja).toMatch(/(違反|期限未到来|履行済み)：/);
      expect(f.message.ja).toMatch(/。(（.*）)?$/);
    }
  });

  it('say so when a deadline is a default, and only then', () => {
    const defaults = found.filter((f) => f.message.ja.includes('既定値'));
    expect(defaults.length).toBeGreaterThan(0);
    for (const f of defaults) expect(f.message.en).toMatch(/default P/);
    for (const f of found.filter((x) => !x.message.ja.includes('既定値'))) expect(f.message.en).not.toMatch(/default P/);
  });

  it('catch a code or a timestamp when one slips in (the checks can fail)', () => {
    expect(codeIn('乙は、保有個人情報（R-1）をoverwriteで消去した。')).toBe('overwrite');
    expect(codeIn('複製物（copy）を作成した。')).toBe('copy');
    expect(codeIn('RecordCopiedを行った。')).toBe('RecordCopied');
    expect(codeIn('DC-OKAYAMA-1からCITY-HALLまで搬送した。')).toBeNull();
    expect(ISO_TIME.test('2026-04-10T09:00:00+09:00に収集した。')).toBe(true);
    expect(ISO_DURATION.test('既定値（PT24H）で判定')).toBe(true);
    expect(ISO_DURATION.test('既定値（24時間）で判定、APP-S-1')).toBe(false);
  });
});

describe('TERMS (the one table of translations)', () => {
  const lists: [keyof typeof TERMS, readonly string[]][] = [
    ['authorizationKind', AUTHORIZATION_KINDS],
    ['medium', MEDIA],
    ['briefingTopic', BRIEFING_TOPICS],
    ['inspectionOutcome', INSPECTION_OUTCOMES],
    ['incidentKind', INCIDENT_KINDS],
    ['safeguard', SAFEGUARDS],
    ['disposalMethod', DISPOSAL_METHODS],
    ['contractEndReason', CONTRACT_END_REASONS],
    ['disposalAction', DISPOSAL_ACTIONS],
    ['ppcStage', PPC_REPORT_STAGES],
    ['noticeMethod', NOTICE_METHODS],
    ['inspectionCycle', INSPECTION_CYCLES],
    ['eventType', EVENT_TYPES],
  ];

  it.each(lists)('gives every value of the domain\'s %s list a Japanese term, and nothing else', (table, values) => {
    const terms = TERMS[table] as Record<string, string>;
    expect(Object.keys(terms).sort()).toEqual([...values].sort());
    for (const value of values) {
      expect(terms[value]).toMatch(/[^\x00-\x7F]/);
      expect(codeIn(terms[value]!)).toBeNull();
    }
  });

  it('covers every table it has (a new enumeration gets a list here too)', () => {
    expect(Object.keys(TERMS).sort()).toEqual(lists.map(([t]) => t).sort());
  });

  it('translates as RULES.md v2 asks', () => {
    expect(TERMS.incidentKind.leak).toBe('漏えい');
    expect(TERMS.incidentKind.misdelivery).toBe('誤送付');
    expect(TERMS.disposalMethod.overwrite).toBe('上書き消去');
    expect(TERMS.medium.electronic).toBe('電子媒体');
    expect(TERMS.authorizationKind.copy).toBe('複写・複製');
    expect(TERMS.contractEndReason.expired).toBe('期間満了');
    expect(TERMS.contractEndReason.terminated).toBe('解除');
  });
});

describe('times and durations in Japanese', () => {
  it('writes an instant in JST 和暦, 元年 for an era\'s first year, seconds only when not zero', () => {
    expect(wa(ms('2025-07-02T10:00'))).toBe('令和7年7月2日10時00分');
    expect(wa(ms('2019-05-01T00:00'))).toBe('令和元年5月1日0時00分');
    expect(wa(ms('2019-04-30T23:59:30'))).toBe('平成31年4月30日23時59分30秒');
    expect(wa(Date.parse('2026-03-31T15:00:00Z'))).toBe('令和8年4月1日0時00分');
  });

  it('writes a duration in words', () => {
    expect(durationJa('PT24H')).toBe('24時間');
    expect(durationJa('P30D')).toBe('30日');
    expect(durationJa('P1Y')).toBe('1年');
    expect(durationJa('P1M')).toBe('1か月');
    expect(durationJa('P1DT2H30M')).toBe('1日2時間30分');
  });
});
