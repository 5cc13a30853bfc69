import { EVENT_TYPES, InvalidEventsError, BatchTooLargeError, type EventType, type FieldProblem } from '@ledger/domain';
import { EXAMPLE_EVENTS } from './examples.js';
import { parseEventSubmission } from './parse-events.js';

const NOW = Date.parse('2026-11-25T00:00:00Z');
const ID = '5b0c7c1e-8a39-4d2e-9a51-0f3c1f1f6a10';

/** Required `data` fields of each type, transcribed from docs/events.md (independently of the DTOs). */
const REQUIRED: { [K in EventType]: string[] } = {
  ContractRegistered: ['title', 'purposes', 'dataCategories', 'permitsSubcontracting', 'term'],
  ContractAmended: [],
  ContractEnded: ['reason'],
  ResponsiblePersonDesignated: ['personId', 'title'],
  WorkerAuthorized: ['workerId', 'org'],
  WorkerAuthorizationRevoked: ['workerId'],
  WorkerBriefed: ['workerId', 'topics'],
  WorkerDeparted: ['workerId'],
  WorkerPledgeSubmitted: ['workerId'],
  SubcontractRequested: ['subcontractorId', 'applicationRef', 'reason', 'dataCategories', 'draftMemorandumAttached'],
  SubcontractApproved: ['subcontractorId', 'applicationRef'],
  SubcontractApprovalRevoked: ['subcontractorId'],
  AuthorizationGranted: ['authorizationId', 'kind'],
  AuthorizationRevoked: ['authorizationId'],
  ReportRequested: ['requestId', 'dueAt'],
  ReportSubmitted: ['requestId'],
  InspectionConducted: ['inspectionId', 'outcome'],
  ImprovementRequested: ['requestId', 'reasons'],
  ImprovementConsultationHeld: ['requestId'],
  DisposalInstructed: [],
  IncidentDetected: ['incidentId', 'kind', 'affectedRecordIds'],
  IncidentReported: ['incidentId'],
  MyNumberMemorandumConcluded: ['reference'],
  PpcReported: ['incidentId', 'stage'],
  PersonsNotified: ['incidentId'],
  RecordCollected: ['purpose', 'dataCategories', 'medium', 'containsMyNumber'],
  RecordUsed: ['purpose'],
  RecordProvided: ['recipientId', 'purpose'],
  RecordCopied: ['copyId', 'medium', 'location'],
  RecordAnonymized: ['method'],
  TransportStarted: ['transportId', 'from', 'to', 'carrierId', 'medium', 'safeguards'],
  TransportCompleted: ['transportId', 'receivedBy'],
  RecordReturned: ['receivedBy'],
  RecordDisposed: ['method'],
  RecordNoLongerNeeded: ['reason'],
};

const ID_FIELDS = new Set([
  'personId', 'workerId', 'subcontractorId', 'authorizationId', 'requestId', 'inspectionId', 'incidentId', 'copyId',
  'fromCopyId', 'transportId', 'recipientId', 'carrierId', 'receivedBy', 'witnessedBy', 'location', 'from', 'to',
]);
const TIME_FIELDS = new Set(['dueAt', 'validUntil', 'expectedArrivalAt']);

function example(type: EventType): Record<string, unknown> {
  return structuredClone({ ...EXAMPLE_EVENTS[type], eventId: ID }) as Record<string, unknown>;
}

function problemsOf(body: unknown, now = NOW): FieldProblem[] {
  try {
    parseEventSubmission(body, now);
  } catch (error) {
    if (error instanceof InvalidEventsError) return error.problems;
    throw error;
  }
  return [];
}

function withData(type: EventType, change: (data: Record<string, unknown>) => void): Record<string, unknown> {
  const event = example(type);
  change(event.data as Record<string, unknown>);
  return event;
}

function wrongTypeOf(value: unknown): unknown {
  if (typeof value === 'string') return 42;
  if (typeof value === 'boolean') return 'yes';
  if (Array.isArray(value)) return 'not-a-list';
  return 'not-an-object';
}

describe.each(EVENT_TYPES)('the %s event', (type) => {
  it('is accepted as the example shows it', () => {
    expect(problemsOf(example(type))).toEqual([]);
  });

  if (REQUIRED[type].length > 0) {
    it.each(REQUIRED[type].map((f) => [f]))('is refused without data.%s, naming the field', (field) => {
      const problems = problemsOf(withData(type, (d) => delete d[field]));
      expect(problems).toEqual([expect.objectContaining({ index: 0, field: `data.${field}`, rule: 'required' })]);
    });
  }

  it.each(Object.keys(EXAMPLE_EVENTS[type].data).map((f) => [f]))('is refused when data.%s has the wrong type', (field) => {
    const problems = problemsOf(withData(type, (d) => (d[field] = wrongTypeOf(d[field]))));
    expect(problems.map((p) => p.field)).toContain(`data.${field}`);
  });

  it('is refused with an extra data field, which is named (no personal data slips in)', () => {
    const problems = problemsOf(withData(type, (d) => (d.name = '岡山 太郎')));
    expect(problems).toEqual([expect.objectContaining({ index: 0, field: 'data.name', rule: 'unknownField' })]);
  });

  const idFields = Object.keys(EXAMPLE_EVENTS[type].data).filter((f) => ID_FIELDS.has(f));
  if (idFields.length > 0) {
    it.each(idFields.map((f) => [f]))('is refused with a bad ID in data.%s', (field) => {
      const problems = problemsOf(withData(type, (d) => (d[field] = '岡山市北区大供1-1-1')));
      expect(problems).toEqual([expect.objectContaining({ field: `data.${field}`, rule: 'matches' })]);
    });
  }

  const timeFields = Object.keys(EXAMPLE_EVENTS[type].data).filter((f) => TIME_FIELDS.has(f));
  if (timeFields.length > 0) {
    it.each(timeFields.map((f) => [f]))('is refused with a time without offset in data.%s', (field) => {
      const problems = problemsOf(withData(type, (d) => (d[field] = '2026-04-01T09:00:00')));
      expect(problems).toEqual([expect.objectContaining({ field: `data.${field}`, rule: 'isTimestamp' })]);
    });
  }

  it('is refused with a bad eventId, contractId or occurredAt, each named', () => {
    const event = example(type);
    event.eventId = 'not-a-uuid';
    event.contractId = 'okayama kaigo';
    event.occurredAt = '2026-02-30T09:00:00+09:00';
    expect(problemsOf(event).map((p) => p.field).sort()).toEqual(['contractId', 'eventId', 'occurredAt']);
  });
});

describe('the envelope', () => {
  it.each(['eventId', 'type', 'contractId', 'occurredAt', 'actor', 'data'])('is refused without %s', (field) => {
    const event = example('RecordCopied');
    delete event[field];
    expect(problemsOf(event).map((p) => p.field)).toContain(field);
  });

  it('requires recordId on record events and refuses it on contract events', () => {
    const record = example('RecordUsed');
    delete record.recordId;
    expect(problemsOf(record)).toEqual([expect.objectContaining({ field: 'recordId', rule: 'requiredForRecordEvents' })]);
    const contract = { ...example('WorkerBriefed'), recordId: 'R-1' };
    expect(problemsOf(contract)).toEqual([expect.objectContaining({ field: 'recordId', rule: 'forbiddenOnContractEvents' })]);
  });

  it('requires actor.workerId for contractor and subcontractor actors on record events, not for the city', () => {
    const byContractor = example('RecordCopied');
    byContractor.actor = { org: 'contractor' };
    expect(problemsOf(byContractor)).toEqual([expect.objectContaining({ field: 'actor.workerId' })]);
    const bySub = example('RecordCopied');
    bySub.actor = { org: 'subcontractor:SUB-1' };
    expect(problemsOf(bySub)).toEqual([expect.objectContaining({ field: 'actor.workerId' })]);
    const byCity = example('RecordCollected');
    byCity.actor = { org: 'city' };
    expect(problemsOf(byCity)).toEqual([]);
    const contractEvent = example('WorkerBriefed');
    contractEvent.actor = { org: 'contractor' };
    expect(problemsOf(contractEvent)).toEqual([]);
  });

  it('refuses an event recorded by the wrong party (a contractor cannot grant itself an authorization)', () => {
    const event = example('AuthorizationGranted');
    event.actor = { org: 'contractor', workerId: 'W-001' };
    expect(problemsOf(event)).toEqual([expect.objectContaining({ field: 'actor.org', rule: 'recordedBy' })]);
  });

  it('refuses an unknown actor org and unknown actor fields', () => {
    const event = example('RecordCopied');
    event.actor = { org: 'vendor', workerId: 'W-1', phone: '086-000-0000' };
    expect(problemsOf(event).map((p) => p.field).sort()).toEqual(['actor.org', 'actor.phone']);
  });

  it('refuses an unknown type, naming it', () => {
    const event = { ...example('RecordCopied'), type: 'RecordPrinted' };
    expect(problemsOf(event)).toEqual([expect.objectContaining({ field: 'type', rule: 'isIn' })]);
  });

  it('refuses an unknown top-level field', () => {
    expect(problemsOf({ ...example('RecordUsed'), address: '岡山市' })).toEqual([
      expect.objectContaining({ field: 'address', rule: 'unknownField' }),
    ]);
  });

  it('accepts occurredAt 5 minutes ahead of the ledger clock, refuses 5 minutes and 1 ms', () => {
    const at = (ms: number): Record<string, unknown> => ({ ...example('RecordUsed'), occurredAt: new Date(ms).toISOString() });
    expect(problemsOf(at(NOW + 300_000))).toEqual([]);
    expect(problemsOf(at(NOW + 300_001))).toEqual([expect.objectContaining({ field: 'occurredAt', rule: 'notInFuture' })]);
  });

  it('refuses times without an offset, impossible dates and leap seconds', () => {
    for (const occurredAt of ['2026-04-01T09:00:00', '2026-04-01 09:00:00+09:00', '2026-13-01T09:00:00Z', '2026-06-30T23:59:60Z', '2026-04-01T09:00:00+24:00']) {
      expect(problemsOf({ ...example('RecordUsed'), occurredAt })).toEqual([expect.objectContaining({ field: 'occurredAt' })]);
    }
  });

  it('refuses lone surrogates, control characters and prototype keys', () => {
    expect(problemsOf(withData('RecordUsed', (d) => (d.purpose = 'a\ud800b')))).toEqual([
      expect.objectContaining({ field: 'data.purpose', rule: 'wellFormedUnicode' }),
    ]);
    expect(problemsOf(withData('RecordUsed', (d) => (d.purpose = 'a\u0000b')))).toEqual([
      expect.objectContaining({ field: 'data.purpose', rule: 'noControlCharacters' }),
    ]);
    const text = JSON.stringify(example('RecordUsed')).replace('"data":{', '"data":{"__proto__":{"x":1},');
    expect(problemsOf(JSON.parse(text))).toEqual([
      expect.objectContaining({ field: 'data.__proto__', rule: 'unknownField' }),
    ]);
  });

  it('refuses null anywhere: an optional field is left out, never null', () => {
    expect(problemsOf({ ...example('RecordUsed'), source: null })).toEqual([expect.objectContaining({ field: 'source', rule: 'notNull' })]);
    expect(problemsOf({ ...example('RecordUsed'), recordId: null })).toEqual([expect.objectContaining({ field: 'recordId', rule: 'notNull' })]);
    expect(problemsOf(withData('RecordDisposed', (d) => (d.witnessedBy = null)))).toEqual([
      expect.objectContaining({ field: 'data.witnessedBy', rule: 'notNull' }),
    ]);
  });

  it('refuses a contract term that ends before it starts, and an empty amendment', () => {
    expect(problemsOf(withData('ContractRegistered', (d) => (d.term = { start: '2026-04-01T00:00:00+09:00', end: '2026-03-31T00:00:00+09:00' })))).toEqual([
      expect.objectContaining({ field: 'data.term.end', rule: 'termOrder' }),
    ]);
    expect(problemsOf({ ...example('ContractAmended'), data: {} })).toEqual([expect.objectContaining({ field: 'data', rule: 'notEmpty' })]);
  });

  it('refuses unknown policy keys and durations that are not ISO 8601', () => {
    const problems = problemsOf(withData('ContractRegistered', (d) => (d.policy = { disposalWithin: '30 days', retention: 'P1Y' })));
    expect(problems.map((p) => p.field).sort()).toEqual(['data.policy.disposalWithin', 'data.policy.retention']);
  });

  it('lower-cases the eventId (UUIDs are case-insensitive) and changes nothing else', () => {
    const event = { ...example('RecordUsed'), eventId: ID.toUpperCase() };
    const [parsed] = parseEventSubmission(event, NOW);
    expect(parsed).toEqual({ ...event, eventId: ID });
  });
});

describe('a batch', () => {
  it('lists every problem of every event with its index', () => {
    const good = example('RecordUsed');
    const bad1 = { ...example('RecordUsed'), eventId: 'x' };
    const bad2 = withData('RecordCopied', (d) => delete d.copyId);
    const problems = problemsOf({ events: [good, bad1, bad2] });
    expect(problems).toEqual([
      expect.objectContaining({ index: 1, field: 'eventId' }),
      expect.objectContaining({ index: 2, field: 'data.copyId' }),
    ]);
  });

  it('refuses an empty batch, a non-array, and fields next to events', () => {
    expect(problemsOf({ events: [] })).toEqual([expect.objectContaining({ index: null, field: 'events' })]);
    expect(problemsOf({ events: {} })).toEqual([expect.objectContaining({ index: null, field: 'events' })]);
    expect(problemsOf({ events: [example('RecordUsed')], dryRun: true })).toEqual([
      expect.objectContaining({ index: null, field: 'dryRun' }),
    ]);
    expect(problemsOf([example('RecordUsed')])).toEqual([expect.objectContaining({ index: null, rule: 'body' })]);
  });

  it('holds at most 10,000 events', () => {
    const event = example('RecordUsed');
    expect(() => parseEventSubmission({ events: Array(10_001).fill(event) }, NOW)).toThrow(BatchTooLargeError);
    expect(parseEventSubmission({ events: Array(10_000).fill(event) }, NOW)).toHaveLength(10_000);
  });
});
