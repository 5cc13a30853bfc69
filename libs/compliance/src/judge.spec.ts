import { readFileSync } from 'node:fs';
import { ContractHistory } from '@ledger/handling';
import { judgeArt10 } from './art10.js';
import { ARTICLES, CONTRACT_ARTICLES, RECORD_ARTICLES } from './articles.js';
import { judgeContract, judgeRecord, nextDeadline, recordEntries } from './judge.js';
import type { Judged } from './obligation.js';
import { RecordFold } from './record-fold.js';
import { RULES } from './rules.js';
import {
  allFindings,
  article,
  CITY,
  collected,
  CONTRACT_ID,
  contract,
  contractJudgedAt,
  copied,
  departed,
  disposalInstructed,
  disposed,
  given,
  granted,
  incidentDetected,
  judgedAt,
  ms,
  overall,
  record,
  reportRequested,
  subcontractApproved,
  staffed,
  transportCompleted,
  transportStarted,
  used,
  type Givens,
  type Judgement,
  type Scenario,
} from './test-builders.js';

const cut = (asOf: string, knownAt = asOf) => ({ asOf: ms(asOf), knownAt: ms(knownAt) });

/** Every finding of a record as the fold makes it (final ones and those of the end of the cut). */
function judgedOf(scenario: Scenario, judgement: Judgement): Judged[] {
  const at = cut(judgement.asOf, judgement.knownAt);
  const history = scenario.history();
  const found: Judged[] = [];
  const fold = new RecordFold(history.view(at), judgement.recordId, undefined, (f) => found.push(f));
  for (const entry of recordEntries(CONTRACT_ID, judgement.recordId, scenario.recordEvents(judgement.recordId), at)) fold.fold(entry);
  return [...found, ...fold.finish(at.asOf).atFinish];
}

/** A record that breaks several rules, meets some obligations and leaves others pending. */
function busyScenario(): Givens[] {
  return [
    contract(),
    staffed('W-1'),
    granted('copy', 'A-1', { recordIds: ['R-1'], validUntil: '2026-04-15T00:00' }),
    collected({ at: '2026-04-10T09:00', containsMyNumber: true }),
    copied('C-1', { at: '2026-04-11T09:00' }),
    copied('C-2', { at: '2026-04-16T09:00', by: { org: 'contractor', workerId: 'W-2' } }),
    transportStarted('T-1', { copyId: 'C-1', at: '2026-04-17T09:00', medium: 'paper', safeguards: [] }),
    transportCompleted('T-1', { at: '2026-04-17T12:00' }),
    transportStarted('T-2', { copyId: 'C-2', at: '2026-05-30T09:00', expectedArrivalAt: '2026-06-01T12:00' }),
    used({ at: '2026-04-18T09:00', purpose: 'marketing' }),
    disposalInstructed({ at: '2026-05-01T00:00', dueAt: '2026-05-10T00:00' }),
    disposed({ copyId: 'C-1', at: '2026-05-02T00:00', witnessed: false }),
    incidentDetected('I-1', ['R-1'], { at: '2026-05-31T09:00' }),
    departed('W-1', { at: '2026-05-20T00:00' }),
    reportRequested('RR-1', '2026-06-30T00:00', { at: '2026-05-01T00:00' }),
  ];
}

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = items.slice();
  let state = seed;
  for (let i = out.length - 1; i > 0; i -= 1) {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('judgeRecord', () => {
  it('answers an unknown record (no events in the cut) with every record article not applicable', () => {
    const history = given(contract(), staffed('W-1'), incidentDetected('I-1', ['R-9'])).history();
    const verdict = judgeRecord(history, 'R-9', [], cut('2026-06-01T00:00'));
    expect(verdict).toEqual({
      contractId: CONTRACT_ID,
      recordId: 'R-9',
      status: 'not_applicable',
      articles: Object.fromEntries(RECORD_ARTICLES.map((a) => [a, { status: 'not_applicable', findings: [], counts: { violation: 0, pending: 0, compliant: 0 } }])),
    });
  });

  it('treats a record whose events all occurred after asOf as unknown', () => {
    given(contract(), staffed('W-1'), collected({ at: '2026-04-10T09:00' }))
      .when(judgedAt('2026-04-10T08:59:59.999'))
      .then(overall('not_applicable'));
  });

  it('lists exactly the record-level articles, in article order (v2 adds Art. 3 and 5)', () => {
    const verdict = given(contract(), staffed('W-1'), collected()).verdict(judgedAt('2026-06-01T00:00'));
    expect(Object.keys(verdict.articles)).toEqual(['3', '4', '5', '6', '7', '8', '9', '11', '13', '14', '15', '17', '18']);
  });

  it('is compliant when every judged article is compliant and the others are not applicable', () => {
    given(contract(), staffed('W-1'), collected(), used({ at: '2026-04-11T09:00' }))
      .when(judgedAt('2026-06-01T00:00'))
      .then(
        overall('compliant'),
        article('3', 'compliant'),
        article('4', 'compliant'),
        article('7', 'compliant'),
        article('8', 'compliant'),
        article('11', 'compliant'),
        article('17', 'compliant'),
        article('5', 'not_applicable'),
        article('6', 'not_applicable'),
        article('9', 'not_applicable'),
        article('13', 'not_applicable'),
        article('14', 'not_applicable'),
        article('15', 'not_applicable'),
        article('18', 'not_applicable'),
      );
  });

  it('aggregates worst-of: an article with a violation and a pending finding is violated, the record too', () => {
    const verdict = given(busyScenario()).verdict(judgedAt('2026-05-31T10:00'));
    expect(verdict.articles['13']!.findings.map((f) => f.status)).toEqual(['violation', 'compliant', 'pending']);
    expect(verdict.articles['13']!.status).toBe('violation');
    expect(verdict.articles['13']!.counts).toEqual({ violation: 1, pending: 1, compliant: 1 });
    expect(verdict.status).toBe('violation');
  });

  it('makes the unreported violations an Art. 15 violation though the incident report is still pending (changed in v2: art15.breach-not-reported)', () => {
    const verdict = given(busyScenario()).verdict(judgedAt('2026-05-31T10:00'));
    const art15 = verdict.articles['15']!;
    expect(art15.findings.filter((f) => f.rule === 'art15.report-overdue').map((f) => f.status)).toEqual(['pending']);
    expect(art15.findings.some((f) => f.rule === 'art15.breach-not-reported' && f.status === 'violation')).toBe(true);
    expect(art15.status).toBe('violation');
  });

  it('is pending when the worst is a pending obligation', () => {
    given(contract(), staffed('W-1'), collected({ at: '2026-04-10T09:00' }), transportStarted('T-1', { at: '2026-04-11T09:00' }))
      .when(judgedAt('2026-04-12T00:00'))
      .then(overall('pending'), article('13', 'pending'), article('7', 'compliant'));
  });

  it('sorts findings by their first event\'s occurredAt (late arrivals placed by it), then rule', () => {
    const verdict = given(
      contract(),
      staffed('W-1'),
      collected({ at: '2026-04-10T09:00' }),
      copied('C-2', { at: '2026-04-12T09:00' }),
      copied('C-1', { at: '2026-04-11T09:00', recordedAt: '2026-04-20T00:00' }),
    ).verdict(judgedAt('2026-06-01T00:00'));
    expect(verdict.articles['9']!.findings.map((f) => f.message.en.match(/copy (C-\d)/)![1])).toEqual(['C-1', 'C-2']);
  });

  it('names the article in every message and gives dueAt on every pending finding', () => {
    const verdict = given(busyScenario()).verdict(judgedAt('2026-05-31T10:00'));
    const found = allFindings(verdict);
    expect(found.length).toBeGreaterThan(8);
    for (const finding of found) {
      expect(finding.message.ja.startsWith(ARTICLES[finding.article].title.ja)).toBe(true);
      expect(finding.message.en.startsWith(ARTICLES[finding.article].title.en)).toBe(true);
      expect(finding.recordId).toBe('R-1');
      expect(finding.party).toBe('contractor');
      if (finding.status === 'pending') expect(finding.dueAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+09:00$/);
    }
  });

  it('gives the same JSON, byte for byte, whatever the order of the input arrays', () => {
    const events = record(busyScenario());
    const contractEvents = events.filter((e) => e.event.recordId === undefined);
    const recordEvents = events.filter((e) => e.event.recordId === 'R-1');
    const at = cut('2026-05-31T10:00');
    const reference = JSON.stringify(judgeRecord(ContractHistory.of(CONTRACT_ID, contractEvents), 'R-1', recordEvents, at));
    const referenceContract = JSON.stringify(judgeContract(ContractHistory.of(CONTRACT_ID, contractEvents), at));
    for (const seed of [1, 2, 3, 4, 5]) {
      const history = ContractHistory.of(CONTRACT_ID, shuffled(contractEvents, seed));
      expect(JSON.stringify(judgeRecord(history, 'R-1', shuffled(recordEvents, seed * 7), at))).toBe(reference);
      expect(JSON.stringify(judgeContract(history, at))).toBe(referenceContract);
    }
  });

  it('serves several cuts from one history (knownAt hides what arrived later)', () => {
    const scenario = given(
      contract(),
      staffed('W-1'),
      collected({ at: '2026-04-10T09:00' }),
      copied('C-1', { at: '2026-04-11T09:00' }),
      granted('copy', 'A-1', { at: '2026-04-01T00:00', recordedAt: '2026-05-01T00:00' }),
    );
    const history = scenario.history();
    const events = scenario.recordEvents('R-1');
    const before = judgeRecord(history, 'R-1', events, cut('2026-06-01T00:00', '2026-04-30T00:00'));
    const after = judgeRecord(history, 'R-1', events, cut('2026-06-01T00:00', '2026-05-01T00:00'));
    const beforeAgain = judgeRecord(history, 'R-1', events, cut('2026-06-01T00:00', '2026-04-30T00:00'));
    expect(before.articles['9']!.status).toBe('violation');
    expect(after.articles['9']!.status).toBe('compliant');
    expect(beforeAgain).toEqual(before);
  });

  it('refuses events of another record or contract events in the record stream', () => {
    const scenario = given(contract(), collected({ record: 'R-2' }));
    expect(() => judgeRecord(scenario.history(), 'R-1', scenario.recordEvents('R-2'), cut('2026-06-01T00:00'))).toThrow(/R-2/);
    expect(() => judgeRecord(scenario.history(), 'R-1', scenario.contractEvents(), cut('2026-06-01T00:00'))).toThrow(/contract event/);
  });

  it('exempts the city from the worker rules, Art. 3 and Art. 6, and judges its collection under Art. 7 as the city\'s finding (v2: the contractor\'s Art. 7 stays compliant)', () => {
    const outcome = given(contract(), collected({ by: CITY, purpose: 'marketing' })).when(judgedAt('2026-06-01T00:00'));
    outcome.then(article('3', 'not_applicable'), article('4', 'not_applicable'), article('6', 'not_applicable'), article('11', 'not_applicable'), article('17', 'not_applicable'), article('7', 'compliant'), overall('compliant'));
    expect(outcome.verdict.articles['7']!.counts).toEqual({ violation: 1, pending: 0, compliant: 0 });
  });

  it('answers a record known to the ledger, cut before its first event, with every article not applicable (v2 Clarification)', () => {
    const scenario = given(contract(), staffed('W-1'), collected({ at: '2026-04-10T09:00' }), copied('C-1', { at: '2026-04-11T09:00' }));
    scenario.when(judgedAt('2026-04-10T08:59:59.999')).then(overall('not_applicable'), article('7', 'not_applicable'), article('9', 'not_applicable'));
    scenario.when(judgedAt('2026-06-01T00:00', { knownAt: '2026-03-01T00:00' })).then(overall('not_applicable'));
  });
});

describe('judgeContract', () => {
  it('lists exactly the contract-level articles (v2 adds APPI Art. 68) and the city\'s duties apart', () => {
    const verdict = given(contract()).verdict(contractJudgedAt('2026-06-01T00:00'));
    expect(Object.keys(verdict.articles)).toEqual(['6', '10', '11', '12', '15', 'appi68']);
    expect(verdict.status).toBe('compliant');
    expect(verdict.articles['10']!.status).toBe('compliant');
    expect(verdict.articles['6']!.status).toBe('not_applicable');
    expect('city' in verdict && verdict.city).toEqual({ status: 'compliant', findings: [] });
  });

  it('never makes the contractor\'s status a violation for the city\'s omissions (no inspection, approval without application)', () => {
    const verdict = given(contract({ permitsSubcontracting: true }), subcontractApproved('S-1')).verdict(contractJudgedAt('2027-06-01T00:00'));
    expect(verdict.status).toBe('compliant');
    expect('city' in verdict && verdict.city.status).toBe('violation');
    expect('city' in verdict && verdict.city.findings.map((f) => f.rule).sort()).toEqual(['art10.inspection-overdue', 'art6.approval-without-request']);
    for (const a of Object.values(verdict.articles)) expect(a.findings.every((f) => f.party === 'contractor')).toBe(true);
  });

  it('is not applicable when the cut hides the registration', () => {
    given(contract({ at: '2026-03-01T00:00' }))
      .when(contractJudgedAt('2026-02-01T00:00'))
      .then(overall('not_applicable'));
  });

  it('refuses record events and events of another contract', () => {
    const events = record([contract(), collected()]);
    expect(() => ContractHistory.of(CONTRACT_ID, events)).toThrow(/record event/);
    expect(() => ContractHistory.of('other-contract', events.slice(0, 1))).toThrow(/other-contract/);
  });
});

describe('nextDeadline', () => {
  it('is the earliest dueAt of the pending findings', () => {
    expect(nextDeadline(judgedOf(given(busyScenario()), judgedAt('2026-05-31T10:00')))).toBe(ms('2026-06-01T09:00'));
  });

  it('is null without pending findings', () => {
    expect(nextDeadline(judgedOf(given(contract(), staffed('W-1'), collected()), judgedAt('2026-06-01T00:00')))).toBeNull();
  });

  it('covers contract findings', () => {
    const scenario = given(contract(), reportRequested('RR-1', '2026-06-30T00:00', { at: '2026-05-01T00:00' }));
    const at = cut('2026-06-01T00:00');
    const { findings } = judgeArt10({ contract: scenario.history().view(at), asOf: at.asOf, records: scenario.recordFacts(at.knownAt) });
    expect(nextDeadline(findings)).toBe(ms('2026-06-30T00:00'));
  });
});

describe('RULES and ARTICLES', () => {
  const rulebook = readFileSync(new URL('../../../docs/rulebook.md', import.meta.url), 'utf8');
  const memorandum = readFileSync(new URL('../../../docs/reference/memorandum-ja.txt', import.meta.url), 'utf8');

  it('holds exactly the rule IDs of docs/rulebook.md "Rules at a glance", with their article, scope, kind and party', () => {
    const start = rulebook.indexOf('## Rules at a glance');
    const end = rulebook.indexOf('\n## ', start + 1);
    const rows = [...rulebook.slice(start, end).matchAll(/^\| `((?:art\d+|appi68)\.[\w-]+)` \| (\w+) \| (record|contract) \| (violation|obligation) \| (contractor|city|actor) \|/gm)];
    const expected = rows.map((m) => ({ id: m[1]!, article: m[2]!, scope: m[3]!, kind: m[4]!, party: m[5]! }));
    expect(expected).toHaveLength(35);
    const actual = RULES.map(({ id, article: art, scope, kind, party }) => ({ id, article: art, scope, kind, party }));
    const key = (r: { id: string; scope: string }) => `${r.scope} ${r.id}`;
    expect(actual.map(key).sort()).toEqual(expected.map(key).sort());
    for (const rule of expected) expect(actual).toContainEqual(rule);
  });

  it('documents every rule with the memorandum\'s (or the Act\'s) words', () => {
    for (const rule of RULES) {
      const section = rulebook.indexOf(`### \`${rule.id}\``);
      expect(section).toBeGreaterThan(0);
      const body = rulebook.slice(section, rulebook.indexOf('\n### ', section + 1));
      expect(body).toMatch(/> 「[^」]+」/);
    }
  });

  it('titles every rule in both languages and every article as the memorandum does', () => {
    for (const rule of RULES) {
      expect(rule.title.ja.length).toBeGreaterThan(0);
      expect(rule.title.en.length).toBeGreaterThan(0);
      expect(Object.keys(ARTICLES)).toContain(rule.article);
    }
    const articles = new Set([...RECORD_ARTICLES, ...CONTRACT_ARTICLES]);
    expect(Object.keys(ARTICLES).sort()).toEqual([...articles].sort());
    const headings = memorandum.replace(/\(/g, '（').replace(/\)/g, '）');
    for (const [number, { title }] of Object.entries(ARTICLES)) {
      if (number === 'appi68') {
        expect(title.ja).toBe('個人情報保護法第68条（漏えい等の報告等）');
        continue;
      }
      expect(title.ja.startsWith(`第${number}条（`)).toBe(true);
      expect(title.en.startsWith(`Article ${number} (`)).toBe(true);
      const heading = title.ja.slice(title.ja.indexOf('（'));
      if (number === '11') expect(headings).not.toContain(heading);
      else expect(headings).toContain(`${heading}\n\n第${number}条`);
    }
  });
});
