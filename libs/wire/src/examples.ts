import type { EventOfType, EventType, LedgerEvent } from '@ledger/domain';

/**
 * One valid event of every type, as a producer would post it: the OpenAPI examples, the README's
 * curl examples and the catalogue tests start from these.
 */
export const EXAMPLE_CONTRACT_ID = 'okayama-kaigo-2025';
export const EXAMPLE_RECORD_ID = 'R-000123';
/** The contractor of the example contract: its keys are the party `contractor:okayama-systems`. */
export const EXAMPLE_CONTRACTOR_ID = 'okayama-systems';

const city = { org: 'city' as const, workerId: 'S-010' };
const contractor = { org: 'contractor' as const, workerId: 'W-001' };

type Examples = { [K in EventType]: Omit<EventOfType<K>, 'eventId'> };

export const EXAMPLE_EVENTS: Examples = {
  ContractRegistered: {
    type: 'ContractRegistered', contractId: EXAMPLE_CONTRACT_ID, occurredAt: '2025-04-01T09:00:00+09:00', actor: city, source: 'city-contracts',
    data: {
      title: '岡山市介護保険システム再構築（標準化）及び運用保守包括業務委託',
      contractorId: EXAMPLE_CONTRACTOR_ID,
      purposes: ['介護保険システム再構築', '介護保険システム運用保守'],
      dataCategories: ['被保険者台帳', '要介護認定', '給付実績', '保険料賦課'],
      permitsSubcontracting: true,
      term: { start: '2025-04-01T00:00:00+09:00', end: '2030-03-31T23:59:59+09:00' },
      policy: { incidentReportWithin: 'PT24H' },
    },
  },
  ContractAmended: {
    type: 'ContractAmended', contractId: EXAMPLE_CONTRACT_ID, occurredAt: '2026-04-01T09:00:00+09:00', actor: city,
    data: { dataCategories: ['被保険者台帳', '要介護認定', '給付実績', '保険料賦課', '住所地特例'] },
  },
  ContractEnded: {
    type: 'ContractEnded', contractId: EXAMPLE_CONTRACT_ID, occurredAt: '2026-03-31T17:00:00+09:00', actor: city,
    data: { reason: 'terminated' },
  },
  ResponsiblePersonDesignated: {
    type: 'ResponsiblePersonDesignated', contractId: EXAMPLE_CONTRACT_ID, occurredAt: '2025-04-01T10:00:00+09:00', actor: contractor,
    data: { personId: 'P-001', title: '個人情報受託管理責任者' },
  },
  WorkerAuthorized: {
    type: 'WorkerAuthorized', contractId: EXAMPLE_CONTRACT_ID, occurredAt: '2025-04-01T10:00:00+09:00', actor: contractor,
    data: { workerId: 'W-001', org: 'contractor' },
  },
  WorkerAuthorizationRevoked: {
    type: 'WorkerAuthorizationRevoked', contractId: EXAMPLE_CONTRACT_ID, occurredAt: '2026-03-31T18:00:00+09:00', actor: contractor,
    data: { workerId: 'W-001' },
  },
  WorkerBriefed: {
    type: 'WorkerBriefed', contractId: EXAMPLE_CONTRACT_ID, occurredAt: '2025-04-01T11:00:00+09:00', actor: contractor,
    data: { workerId: 'W-001', topics: ['confidentiality', 'penalties'] },
  },
  WorkerDeparted: {
    type: 'WorkerDeparted', contractId: EXAMPLE_CONTRACT_ID, occurredAt: '2026-03-31T18:00:00+09:00', actor: contractor,
    data: { workerId: 'W-001' },
  },
  WorkerPledgeSubmitted: {
    type: 'WorkerPledgeSubmitted', contractId: EXAMPLE_CONTRACT_ID, occurredAt: '2026-03-31T17:00:00+09:00', actor: contractor,
    data: { workerId: 'W-001' },
  },
  SubcontractRequested: {
    type: 'SubcontractRequested', contractId: EXAMPLE_CONTRACT_ID, occurredAt: '2025-05-01T09:00:00+09:00', actor: contractor,
    data: {
      subcontractorId: 'SUB-DATAENTRY', applicationRef: 'SUBAPP-2025-001', reason: '紙台帳のデータ入力',
      dataCategories: ['被保険者台帳'], draftMemorandumAttached: true,
    },
  },
  SubcontractApproved: {
    type: 'SubcontractApproved', contractId: EXAMPLE_CONTRACT_ID, occurredAt: '2025-05-10T09:00:00+09:00', actor: city,
    data: { subcontractorId: 'SUB-DATAENTRY', applicationRef: 'SUBAPP-2025-001' },
  },
  SubcontractApprovalRevoked: {
    type: 'SubcontractApprovalRevoked', contractId: EXAMPLE_CONTRACT_ID, occurredAt: '2026-01-10T09:00:00+09:00', actor: city,
    data: { subcontractorId: 'SUB-DATAENTRY' },
  },
  AuthorizationGranted: {
    type: 'AuthorizationGranted', contractId: EXAMPLE_CONTRACT_ID, occurredAt: '2025-06-01T09:00:00+09:00', actor: city,
    data: {
      authorizationId: 'AUTH-COPY-1', kind: 'copy', dataCategories: ['被保険者台帳', '要介護認定'],
      validUntil: '2026-06-01T00:00:00+09:00', reference: 'OKA-KAIHO-123',
    },
  },
  AuthorizationRevoked: {
    type: 'AuthorizationRevoked', contractId: EXAMPLE_CONTRACT_ID, occurredAt: '2025-12-01T09:00:00+09:00', actor: city,
    data: { authorizationId: 'AUTH-COPY-1' },
  },
  ReportRequested: {
    type: 'ReportRequested', contractId: EXAMPLE_CONTRACT_ID, occurredAt: '2025-09-01T09:00:00+09:00', actor: city,
    data: { requestId: 'REP-2025-1', dueAt: '2025-09-15T17:00:00+09:00' },
  },
  ReportSubmitted: {
    type: 'ReportSubmitted', contractId: EXAMPLE_CONTRACT_ID, occurredAt: '2025-09-12T15:00:00+09:00', actor: contractor,
    data: { requestId: 'REP-2025-1' },
  },
  InspectionConducted: {
    type: 'InspectionConducted', contractId: EXAMPLE_CONTRACT_ID, occurredAt: '2025-10-01T10:00:00+09:00', actor: city,
    data: { inspectionId: 'INSP-2025-1', outcome: 'improvement_needed' },
  },
  ImprovementRequested: {
    type: 'ImprovementRequested', contractId: EXAMPLE_CONTRACT_ID, occurredAt: '2025-10-03T09:00:00+09:00', actor: city,
    data: { requestId: 'IMP-2025-1', reasons: ['ACCESS-LOG-RETENTION'], dueAt: '2025-10-17T17:00:00+09:00' },
  },
  ImprovementConsultationHeld: {
    type: 'ImprovementConsultationHeld', contractId: EXAMPLE_CONTRACT_ID, occurredAt: '2025-10-10T14:00:00+09:00', actor: contractor,
    data: { requestId: 'IMP-2025-1' },
  },
  DisposalInstructed: {
    type: 'DisposalInstructed', contractId: EXAMPLE_CONTRACT_ID, occurredAt: '2026-02-01T09:00:00+09:00', actor: city,
    data: { recordIds: [EXAMPLE_RECORD_ID], dueAt: '2026-02-28T17:00:00+09:00' },
  },
  IncidentDetected: {
    type: 'IncidentDetected', contractId: EXAMPLE_CONTRACT_ID, occurredAt: '2025-11-05T10:30:00+09:00', actor: contractor,
    data: { incidentId: 'INC-2025-1', kind: 'misdelivery', affectedRecordIds: [EXAMPLE_RECORD_ID], affectedPersonCount: 1 },
  },
  IncidentReported: {
    type: 'IncidentReported', contractId: EXAMPLE_CONTRACT_ID, occurredAt: '2025-11-05T15:00:00+09:00', actor: contractor,
    data: { incidentId: 'INC-2025-1' },
  },
  MyNumberMemorandumConcluded: {
    type: 'MyNumberMemorandumConcluded', contractId: EXAMPLE_CONTRACT_ID, occurredAt: '2025-04-01T09:30:00+09:00', actor: city,
    data: { reference: 'MYNUM-MEMO-2025-04-01' },
  },
  PpcReported: {
    type: 'PpcReported', contractId: EXAMPLE_CONTRACT_ID, occurredAt: '2025-11-07T10:00:00+09:00', actor: city,
    data: { incidentId: 'INC-2025-1', stage: 'preliminary' },
  },
  PersonsNotified: {
    type: 'PersonsNotified', contractId: EXAMPLE_CONTRACT_ID, occurredAt: '2025-11-10T10:00:00+09:00', actor: city,
    data: { incidentId: 'INC-2025-1', method: 'individual' },
  },
  RecordCollected: {
    type: 'RecordCollected', contractId: EXAMPLE_CONTRACT_ID, recordId: EXAMPLE_RECORD_ID, occurredAt: '2025-07-01T09:00:00+09:00', actor: contractor, source: 'kaigo-system',
    data: {
      purpose: '介護保険システム再構築', dataCategories: ['被保険者台帳'], medium: 'electronic', containsMyNumber: false,
      personCount: 1200, location: 'DC-OKAYAMA-1',
    },
  },
  RecordUsed: {
    type: 'RecordUsed', contractId: EXAMPLE_CONTRACT_ID, recordId: EXAMPLE_RECORD_ID, occurredAt: '2025-07-02T09:00:00+09:00', actor: contractor, source: 'kaigo-system',
    data: { purpose: '介護保険システム再構築' },
  },
  RecordProvided: {
    type: 'RecordProvided', contractId: EXAMPLE_CONTRACT_ID, recordId: EXAMPLE_RECORD_ID, occurredAt: '2025-07-03T09:00:00+09:00', actor: contractor,
    data: { recipientId: 'KOKUHOREN-OKAYAMA', purpose: '介護保険システム運用保守' },
  },
  RecordCopied: {
    type: 'RecordCopied', contractId: EXAMPLE_CONTRACT_ID, recordId: EXAMPLE_RECORD_ID, occurredAt: '2025-07-04T09:00:00+09:00', actor: contractor, source: 'kaigo-system',
    data: { copyId: 'C-1', medium: 'electronic', location: 'DC-OKAYAMA-1' },
  },
  RecordAnonymized: {
    type: 'RecordAnonymized', contractId: EXAMPLE_CONTRACT_ID, recordId: EXAMPLE_RECORD_ID, occurredAt: '2025-07-05T09:00:00+09:00', actor: contractor,
    data: { copyId: 'C-1', method: '氏名を番号に置換' },
  },
  TransportStarted: {
    type: 'TransportStarted', contractId: EXAMPLE_CONTRACT_ID, recordId: EXAMPLE_RECORD_ID, occurredAt: '2025-07-06T09:00:00+09:00', actor: contractor,
    data: {
      transportId: 'T-1', copyId: 'C-1', from: 'DC-OKAYAMA-1', to: 'CITY-HALL', carrierId: 'CARRIER-1', medium: 'electronic',
      safeguards: ['encrypted', 'tracked'], expectedArrivalAt: '2025-07-06T17:00:00+09:00',
    },
  },
  TransportCompleted: {
    type: 'TransportCompleted', contractId: EXAMPLE_CONTRACT_ID, recordId: EXAMPLE_RECORD_ID, occurredAt: '2025-07-06T15:00:00+09:00', actor: city,
    data: { transportId: 'T-1', receivedBy: 'S-010' },
  },
  RecordReturned: {
    type: 'RecordReturned', contractId: EXAMPLE_CONTRACT_ID, recordId: EXAMPLE_RECORD_ID, occurredAt: '2025-07-07T09:00:00+09:00', actor: contractor,
    data: { copyId: 'C-1', receivedBy: 'S-010' },
  },
  RecordDisposed: {
    type: 'RecordDisposed', contractId: EXAMPLE_CONTRACT_ID, recordId: EXAMPLE_RECORD_ID, occurredAt: '2026-02-20T09:00:00+09:00', actor: contractor,
    data: { method: 'crypto_erase', witnessedBy: 'S-010', certificateRef: 'ERASE-CERT-2026-007' },
  },
  RecordNoLongerNeeded: {
    type: 'RecordNoLongerNeeded', contractId: EXAMPLE_CONTRACT_ID, recordId: EXAMPLE_RECORD_ID, occurredAt: '2026-02-01T09:00:00+09:00', actor: contractor,
    data: { reason: 'migration-complete' },
  },
};

/** The example of `type` with the given eventId (and overrides). */
export function exampleEvent<K extends EventType>(type: K, eventId: string, overrides: Partial<EventOfType<K>> = {}): LedgerEvent {
  return { ...EXAMPLE_EVENTS[type], eventId, ...overrides } as unknown as LedgerEvent;
}
