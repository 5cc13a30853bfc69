import {
  amended,
  article,
  consultationHeld,
  contract,
  contractJudgedAt,
  given,
  improvementRequested,
  met,
  noFinding,
  overdue,
  pending,
} from './test-builders.js';

const RULE = 'art12.consultation-overdue';

describe('Article 12: art12.consultation-overdue', () => {
  it('is met by a consultation exactly at the request\'s dueAt', () => {
    const request = improvementRequested('IR-1', { at: '2026-05-01T09:00', dueAt: '2026-05-08T17:00' });
    const consultation = consultationHeld('IR-1', { at: '2026-05-08T17:00' });
    given(contract(), request, consultation)
      .when(contractJudgedAt('2026-06-01T00:00'))
      .then(met(RULE, [request, consultation], '2026-05-08T17:00'), article('12', 'compliant'));
  });

  it('is violated by a consultation 1 ms after dueAt', () => {
    const request = improvementRequested('IR-1', { at: '2026-05-01T09:00', dueAt: '2026-05-08T17:00' });
    const consultation = consultationHeld('IR-1', { at: '2026-05-08T17:00:00.001' });
    given(contract(), request, consultation)
      .when(contractJudgedAt('2026-06-01T00:00'))
      .then(overdue(RULE, [request, consultation], '2026-05-08T17:00'), article('12', 'violation'));
  });

  it('is due within consultationWithin (P14D) when no dueAt is given: pending, then violated', () => {
    const request = improvementRequested('IR-1', { at: '2026-05-01T09:00' });
    const scenario = given(contract(), request);
    scenario.when(contractJudgedAt('2026-05-15T09:00')).then(pending(RULE, [request], '2026-05-15T09:00'), article('12', 'pending'));
    scenario.when(contractJudgedAt('2026-05-15T09:00:00.001')).then(overdue(RULE, [request], '2026-05-15T09:00'));
  });

  it('uses consultationWithin as amended before the request', () => {
    const request = improvementRequested('IR-1', { at: '2026-05-01T09:00' });
    given(contract(), amended({ at: '2026-04-01T00:00', policy: { consultationWithin: 'P7D' } }), request)
      .when(contractJudgedAt('2026-05-02T00:00'))
      .then(pending(RULE, [request], '2026-05-08T09:00'));
  });

  it('does not accept a consultation on another request', () => {
    const request = improvementRequested('IR-1', { at: '2026-05-01T09:00' });
    given(contract(), request, consultationHeld('IR-2', { at: '2026-05-02T09:00' }))
      .when(contractJudgedAt('2026-06-01T00:00'))
      .then(overdue(RULE, [request], '2026-05-15T09:00'));
  });

  it('is not applicable without requests', () => {
    given(contract())
      .when(contractJudgedAt('2026-06-01T00:00'))
      .then(noFinding(RULE), article('12', 'not_applicable'));
  });
});
