import * as compliance from '@ledger/compliance';
import { ContractHistory } from '@ledger/handling';
import { collected, CONTRACT_ID, contract, copied, given, ms, staffed } from './test-builders.js';

/** v2: the contract history moved to @ledger/handling; the fold, parties, terms and reportability are public. */
const EXPORTS = [
  'ARTICLES', 'ARTICLE_IDS', 'CONTRACT_ARTICLES', 'FOLD_VERSION', 'NO_RECORD_FACTS', 'PARTIES', 'RECORD_ARTICLES', 'REPORT_TRIGGERS', 'RULES',
  'RecordFold', 'TERMS', 'articleStatus', 'compareJudged', 'durationJa', 'emptyFoldState', 'inspectionDueAt', 'isArticleId', 'isCurrentFoldState', 'jst',
  'judgeContract', 'judgeRecord', 'nextDeadline', 'recordEntries', 'recordVerdict', 'reportability', 'statusAt', 'timelineOf', 'toFinding', 'wa',
  'worst',
].sort();

describe('@ledger/compliance', () => {
  it('exports the public API through the alias', () => {
    expect(Object.keys(compliance).sort()).toEqual(EXPORTS);
  });

  it('judges a record end to end from RecordedEvents', () => {
    const scenario = given(contract(), staffed('W-1'), collected({ at: '2026-04-10T09:00' }), copied('C-1', { at: '2026-04-10T10:00' }));
    const history = ContractHistory.of(CONTRACT_ID, scenario.contractEvents());
    const verdict = compliance.judgeRecord(history, 'R-1', scenario.recordEvents('R-1'), { asOf: ms('2026-06-01T00:00'), knownAt: ms('2026-06-01T00:00') });
    expect(verdict.status).toBe('violation');
    expect(verdict.articles['9']!.findings.map((f) => f.rule)).toEqual(['art9.copy-without-authorization']);
    expect(JSON.parse(JSON.stringify(verdict))).toEqual(verdict);
  });
});
