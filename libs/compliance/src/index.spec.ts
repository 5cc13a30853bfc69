import * as compliance from '@ledger/compliance';
import { collected, CONTRACT_ID, contract, copied, given, ms, staffed } from './test-builders.js';

describe('@ledger/compliance', () => {
  it('exports the public API through the alias', () => {
    expect(Object.keys(compliance).sort()).toEqual([
      'ARTICLES',
      'CONTRACT_ARTICLES',
      'ContractHistory',
      'ContractView',
      'RECORD_ARTICLES',
      'RULES',
      'inspectionDueAt',
      'judgeContract',
      'judgeRecord',
      'nextDeadline',
    ]);
  });

  it('judges a record end to end from RecordedEvents', () => {
    const scenario = given(contract(), staffed('W-1'), collected({ at: '2026-04-10T09:00' }), copied('C-1', { at: '2026-04-10T10:00' }));
    const history = compliance.ContractHistory.of(CONTRACT_ID, scenario.contractEvents());
    const verdict = compliance.judgeRecord(history, 'R-1', scenario.recordEvents('R-1'), { asOf: ms('2026-06-01T00:00'), knownAt: ms('2026-06-01T00:00') });
    expect(verdict.status).toBe('violation');
    expect(verdict.articles['9']!.findings.map((f) => f.rule)).toEqual(['art9.copy-without-authorization']);
    expect(JSON.parse(JSON.stringify(verdict))).toEqual(verdict);
  });
});
