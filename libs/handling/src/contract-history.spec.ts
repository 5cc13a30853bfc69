import {
  amended,
  approvalRevoked,
  authorizationRevoked,
  briefed,
  contract,
  departed,
  contractHistoryOf,
  granted,
  incidentDetected,
  ms,
  subcontractApproved,
  workerAuthorized,
  workerRevoked,
  type Givens,
} from './testing/builders.js';

function viewOf(asOf: string, knownAt: string, ...events: Givens[]) {
  return contractHistoryOf(...events).view({ asOf: ms(asOf), knownAt: ms(knownAt) });
}

describe('ContractHistory: terms in force at t', () => {
  const events = [
    contract({ purposes: ['p1'], dataCategories: ['c1'], policy: { disposalWithin: 'P10D' } }),
    amended({ at: '2026-05-01T00:00', purposes: ['p1', 'p2'], policy: { transportWithin: 'PT8H' } }),
    amended({ at: '2026-06-01T00:00', dataCategories: ['c1', 'c2'], policy: { disposalWithin: 'P5D' }, recordedAt: '2026-06-10T00:00' }),
  ];

  it('is the registration before any amendment, with the v2 policy defaults for keys it does not give', () => {
    const terms = viewOf('2026-12-01T00:00', '2026-12-01T00:00', events).termsAt(ms('2026-04-30T23:59:59.999'));
    expect(terms.purposes).toEqual(['p1']);
    expect(terms.policy).toEqual({
      incidentReportWithin: 'PT24H',
      disposalWithin: 'P10D',
      transportWithin: 'PT24H',
      pledgeWithin: 'P1D',
      pledgeLookback: 'P30D',
      consultationWithin: null,
      inspectionEvery: 'P1Y',
      inspectionCycle: 'fiscal_year',
      anonymizeLocations: [],
      anonymizeWithin: 'PT24H',
      sensitiveCategories: [],
      ppcPreliminaryWithin: 'P5D',
      ppcFinalWithin: null,
      personNoticeWithin: 'P30D',
    });
    expect(terms.durations.consultationWithin).toBeNull();
    expect([...terms.explicit]).toEqual(['disposalWithin']);
  });

  it('marks as explicit only the policy keys the contract itself set, amendments included', () => {
    const view = viewOf('2026-12-01T00:00', '2026-12-01T00:00', events);
    expect(view.policyIsExplicit('transportWithin', ms('2026-04-30T23:59:59.999'))).toBe(false);
    expect(view.policyIsExplicit('transportWithin', ms('2026-05-01T00:00'))).toBe(true);
    expect(view.policyIsExplicit('incidentReportWithin', ms('2026-07-01T00:00'))).toBe(false);
  });

  it('overlays each amendment from its occurredAt: fields replace, policy keys merge one by one', () => {
    const view = viewOf('2026-12-01T00:00', '2026-12-01T00:00', events);
    const may = view.termsAt(ms('2026-05-01T00:00'));
    expect(may.purposes).toEqual(['p1', 'p2']);
    expect(may.dataCategories).toEqual(['c1']);
    expect(may.policy.disposalWithin).toBe('P10D');
    expect(may.policy.transportWithin).toBe('PT8H');
    const june = view.termsAt(ms('2026-06-01T00:00'));
    expect(june.dataCategories).toEqual(['c1', 'c2']);
    expect(june.policy.disposalWithin).toBe('P5D');
    expect(june.policy.transportWithin).toBe('PT8H');
    expect(june.durations.disposalWithin.days).toBe(5);
  });

  it('leaves out an amendment not yet known at knownAt, or occurring after asOf', () => {
    expect(viewOf('2026-12-01T00:00', '2026-06-09T00:00', events).termsAt(ms('2026-07-01T00:00')).dataCategories).toEqual(['c1']);
    expect(viewOf('2026-05-15T00:00', '2026-12-01T00:00', events).termsAt(ms('2026-05-15T00:00')).purposes).toEqual(['p1', 'p2']);
  });

  it('permits nothing when the ledger does not know a registration at knownAt', () => {
    const terms = viewOf('2026-12-01T00:00', '2026-02-01T00:00', events).termsAt(ms('2026-12-01T00:00'));
    expect(terms.registered).toBe(false);
    expect(terms.purposes).toEqual([]);
    expect(terms.permitsSubcontracting).toBe(false);
  });

  it('applies a known registration whatever asOf (v2: terms are causal, a verdict never depends on where asOf cuts after an event)', () => {
    const terms = viewOf('2026-02-01T00:00', '2026-12-01T00:00', events).termsAt(ms('2026-02-01T00:00'));
    expect(terms.registered).toBe(true);
    expect(terms.purposes).toEqual(['p1']);
  });
});

describe('ContractHistory: standing facts', () => {
  it('keeps a worker in force from WorkerAuthorized until revoked or departed, and again after a new authorization', () => {
    const view = viewOf(
      '2026-12-01T00:00',
      '2026-12-01T00:00',
      contract(),
      workerAuthorized('W-1', { at: '2026-04-01T00:00' }),
      workerRevoked('W-1', { at: '2026-05-01T00:00' }),
      workerAuthorized('W-1', { at: '2026-06-01T00:00' }),
      departed('W-1', { at: '2026-07-01T00:00' }),
    );
    const inForce = (t: string) => view.workerStanding('W-1', 'contractor', ms(t)).inForce;
    expect(inForce('2026-03-31T23:59:59.999')).toBe(false);
    expect(inForce('2026-04-01T00:00')).toBe(true);
    expect(inForce('2026-05-01T00:00')).toBe(false);
    expect(inForce('2026-06-01T00:00')).toBe(true);
    expect(inForce('2026-07-01T00:00')).toBe(false);
    expect(view.workerStanding('W-1', 'subcontractor:S-1', ms('2026-06-15T00:00')).inForce).toBe(false);
  });

  it('ignores a revocation that came before the authorization', () => {
    const view = viewOf('2026-12-01T00:00', '2026-12-01T00:00', contract(), workerRevoked('W-1', { at: '2026-03-01T00:00' }), workerAuthorized('W-1', { at: '2026-04-01T00:00' }));
    expect(view.workerStanding('W-1', 'contractor', ms('2026-05-01T00:00')).inForce).toBe(true);
  });

  it('finds a briefing by topic at or before t', () => {
    const view = viewOf('2026-12-01T00:00', '2026-12-01T00:00', contract(), briefed('W-1', ['penalties'], { at: '2026-04-01T00:00' }));
    expect(view.briefingAt('W-1', 'penalties', ms('2026-04-01T00:00'))).not.toBeNull();
    expect(view.briefingAt('W-1', 'penalties', ms('2026-03-31T23:59:59.999'))).toBeNull();
    expect(view.briefingAt('W-1', 'confidentiality', ms('2026-05-01T00:00'))).toBeNull();
  });

  it('approves a subcontractor from SubcontractApproved until revoked, only while the terms permit subcontracting', () => {
    const view = viewOf(
      '2026-12-01T00:00',
      '2026-12-01T00:00',
      contract({ permitsSubcontracting: true }),
      subcontractApproved('S-1', { at: '2026-04-01T00:00' }),
      amended({ at: '2026-05-01T00:00', permitsSubcontracting: false }),
      amended({ at: '2026-06-01T00:00', permitsSubcontracting: true }),
      approvalRevoked('S-1', { at: '2026-07-01T00:00' }),
    );
    const approved = (t: string) => view.subcontractorStanding('S-1', ms(t)).approved;
    expect(approved('2026-03-31T00:00')).toBe(false);
    expect(approved('2026-04-15T00:00')).toBe(true);
    expect(approved('2026-05-15T00:00')).toBe(false);
    expect(approved('2026-06-15T00:00')).toBe(true);
    expect(approved('2026-07-01T00:00')).toBe(false);
  });

  it('covers a record by an authorization only within its validity and before its revocation', () => {
    const view = viewOf(
      '2026-12-01T00:00',
      '2026-12-01T00:00',
      contract(),
      granted('copy', 'A-1', { at: '2026-04-01T00:00', recordIds: ['R-1'], validUntil: '2026-06-01T00:00' }),
      granted('copy', 'A-2', { at: '2026-04-01T00:00', dataCategories: ['c1'] }),
      authorizationRevoked('A-2', { at: '2026-05-01T00:00' }),
    );
    const covering = (recordId: string, categories: string[] | null, t: string) =>
      view.authorizationCovering('copy', recordId, categories, ms(t)).grant?.event.data.authorizationId ?? null;
    expect(covering('R-1', ['c9'], '2026-05-31T23:59:59.999')).toBe('A-1');
    expect(covering('R-1', ['c9'], '2026-06-01T00:00')).toBeNull();
    expect(covering('R-2', ['c1'], '2026-04-30T00:00')).toBe('A-2');
    expect(covering('R-2', ['c1', 'c2'], '2026-04-30T00:00')).toBeNull();
    expect(covering('R-2', null, '2026-04-30T00:00')).toBeNull();
    expect(covering('R-2', ['c1'], '2026-05-01T00:00')).toBeNull();
    expect(view.authorizationCovering('provision', 'R-1', ['c1'], ms('2026-04-30T00:00')).grant).toBeNull();
  });

  it('lets a grant re-issued under the same authorizationId after a revocation cover again', () => {
    const view = viewOf(
      '2026-12-01T00:00',
      '2026-12-01T00:00',
      contract(),
      granted('copy', 'A-1', { at: '2026-04-01T00:00' }),
      authorizationRevoked('A-1', { at: '2026-05-01T00:00' }),
      granted('copy', 'A-1', { at: '2026-06-01T00:00' }),
    );
    expect(view.authorizationCovering('copy', 'R-1', ['c1'], ms('2026-05-15T00:00')).grant).toBeNull();
    expect(view.authorizationCovering('copy', 'R-1', ['c1'], ms('2026-06-15T00:00')).grant).not.toBeNull();
  });
});

describe('ContractHistory: what the contract view reads of it', () => {
  it('given a late event dated before the others, then latestAt is the latest occurrence, not the last recorded', () => {
    const history = contractHistoryOf([
      contract({ at: '2026-03-01T09:00' }),
      briefed('W-1', ['confidentiality'], { at: '2026-05-01T09:00' }),
      briefed('W-2', ['confidentiality'], { at: '2026-04-01T09:00', recordedAt: '2026-06-01T09:00' }),
    ]);
    expect(history.latestAt).toBe(ms('2026-05-01T09:00'));
  });

  it('given a known position, then firstUnknownAfter is the earliest in judgement order of the events recorded after it, and null once every event is known', () => {
    const history = contractHistoryOf([
      contract({ at: '2026-03-01T09:00' }),
      briefed('W-1', ['confidentiality'], { at: '2026-05-01T09:00' }),
      briefed('W-2', ['confidentiality'], { at: '2026-04-01T09:00', recordedAt: '2026-06-01T09:00' }),
    ]);
    const [first, , late] = [...history.entries].sort((a, b) => a.pos - b.pos);
    expect(history.lastPosition).toBe(late!.pos);
    // The late briefing (recorded last) is dated before the other: it is where an answer knowing the first event stops.
    expect(history.firstUnknownAfter(first!.pos)).toBe(late);
    expect(history.firstUnknownAfter(late!.pos)).toBeNull();
    expect(history.firstUnknownAfter(late!.pos + 1_000)).toBeNull();
  });

  it('given incidents naming records (one twice, across incidents), then incidentRecordIds names each once; none without incidents', () => {
    const history = contractHistoryOf([
      contract(),
      incidentDetected('I-1', ['R-1', 'R-2', 'R-1'], { at: '2026-04-01T09:00' }),
      incidentDetected('I-2', ['R-2', 'R-3'], { at: '2026-04-02T09:00' }),
    ]);
    expect(history.incidentRecordIds().sort()).toEqual(['R-1', 'R-2', 'R-3']);
    expect(contractHistoryOf([contract()]).incidentRecordIds()).toEqual([]);
  });
});
