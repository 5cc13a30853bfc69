/**
 * The demo contract (docs/compliance.md): a care-insurance (介護保険) rebuild contract of Okayama
 * City with its workers, subcontractors, authorizations, reports, an inspection, incidents, the
 * end of the contract, dozens of records handled by the rules — and a KNOWN list of planted
 * findings, at least one per rule of the rulebook (v2), each with the party that answers for it:
 * the contractor (乙) or the city (甲). Everything happens on fixed past dates (April 2025 –
 * October 2026), so the verdicts, eventIds and messages are the same on every run and every day:
 * re-posting the demo is a no-op (duplicates).
 *
 * Art. 15 (v2) makes every violation the contractor did not report to the city a violation of its
 * own (art15.breach-not-reported). The demo's contractor reports one of its breaches in time (the
 * leak of R-000112) and none of the others: each record with an unreported contractor violation
 * is planted once more under art15.breach-not-reported, so the planted list is exactly what the
 * service finds.
 *
 * `cleanRecords` scales it (the benchmark writes many demo contracts with thousands of records).
 */
import type { Actor, LedgerEvent } from '@ledger/domain';
import { CATEGORIES, deterministicUuid, jst, PURPOSES, Random } from './care-insurance-history.js';

export const DEMO_CONTRACT_ID = 'okayama-kaigo-demo';
/** The demo contract's contractor: its keys are the party `contractor:okayama-systems`. */
export const DEMO_CONTRACTOR_ID = 'okayama-systems';


export interface DemoOptions {
  contractId?: string;
  /** Records handled by the rules (default 48). */
  cleanRecords?: number;
  /** Seed of the clean records' lifecycles and of the eventIds (default 2025). */
  seed?: number;
}

export type Party = 'contractor' | 'city';

/**
 * A violation the demo plants: where it is (recordId null: the contract itself), the rule it
 * breaks and who answers for it (the city's own duties are listed apart in the contract answer).
 */
export interface PlantedFinding {
  recordId: string | null;
  article: string;
  rule: string;
  party: Party;
  /** What happened, in a line (English). */
  what: string;
  /** Japanese. */
  whatJa: string;
}

/**
 * A case handled correctly on purpose, next to a planted one (a rule's exception, a duty met in
 * time): the service judges the record's article `compliant`, with no violation or pending
 * finding of the rule.
 */
export interface CompliantCase {
  recordId: string | null;
  article: string;
  rule: string;
  what: string;
}

export interface DemoContract {
  contractId: string;
  /** In occurredAt order, as a feed posts them. */
  events: LedgerEvent[];
  /** Every violation the service finds in the demo: the contractor's and the city's. */
  planted: PlantedFinding[];
  /** Cases that look like violations but are not (the rule's exceptions): each a compliant finding. */
  compliant: CompliantCase[];
  /** Every record of the contract. */
  recordIds: string[];
  /** A planted obligation that was pending before it became a violation: ask with these asOf values. */
  pendingExample: { recordId: string; rule: string; pendingAsOf: string; overdueAsOf: string };
}

const HOUR = 3_600_000;
const at = (text: string): number => Date.parse(`${text}+09:00`);

const CITY: Actor = { org: 'city', workerId: 'S-010' };
const WITNESS = 'S-011';
const MANAGER: Actor = { org: 'contractor', workerId: 'W-MGR-1' };
const worker = (workerId: string): Actor => ({ org: 'contractor', workerId });
const WORKERS = Array.from({ length: 12 }, (_, i) => `W-${String(i + 1).padStart(3, '0')}`);
/** Who handles the clean records: not W-009 (revoked), W-010 (departs), W-012 (departs without a pledge). */
const CLEAN_HANDLERS = ['W-001', 'W-002', 'W-003', 'W-004', 'W-005', 'W-006', 'W-007', 'W-008', 'W-011'];
const SUBCONTRACTOR = 'SUB-DATAENTRY';
const SUB_WORKERS = ['SW-001', 'SW-002'];
const LOCATIONS = ['DC-OKAYAMA-1', 'DC-OKAYAMA-2', 'DEV-ROOM-3F'];
const CITY_OFFICES = ['CITY-HALL', 'KAIGO-HOKEN-KA'];
/** The copy authorization covers every category but 要介護認定 (care-need certification copies need a case-by-case approval). */
const COPYABLE = CATEGORIES.filter((c) => c !== '要介護認定');
/** The contract's anonymizeLocations (Art. 5): the development room. */
const DEV_ROOM = 'DEV-ROOM-3F';
/** The contract's sensitiveCategories (要配慮個人情報, APPI Art. 68): care-need certification. */
const SENSITIVE = '要介護認定';
/** Records whose violation the contractor reported to the city in time (no art15.breach-not-reported). */
const REPORTED = new Set(['R-000112']);

type Draft = { at: number; event: Omit<LedgerEvent, 'eventId' | 'occurredAt' | 'contractId'> };

export function demoContract(options: DemoOptions = {}): DemoContract {
  const contractId = options.contractId ?? DEMO_CONTRACT_ID;
  const seed = options.seed ?? 2025;
  const cleanRecords = options.cleanRecords ?? 48;
  const random = new Random(seed);
  const drafts: Draft[] = [];
  const contract = (when: number, type: string, data: Record<string, unknown>, actor: Actor = CITY): void => {
    drafts.push({ at: when, event: { type, actor, data } as never });
  };
  const record = (recordId: string, when: number, type: string, data: Record<string, unknown>, actor: Actor): void => {
    drafts.push({ at: when, event: { type, recordId, actor, data, ...(type === 'RecordCollected' || type === 'RecordUsed' ? { source: 'kaigo-system' } : {}) } as never });
  };

  // --- The contract: terms, people, subcontracting, authorizations -------------------------------
  contract(at('2025-04-01T09:00:00'), 'ContractRegistered', {
    title: '岡山市介護保険システム標準化対応（再構築）及びデータ移行業務委託',
    contractorId: DEMO_CONTRACTOR_ID,
    purposes: [...PURPOSES],
    dataCategories: [...CATEGORIES],
    permitsSubcontracting: true,
    term: { start: '2025-04-01T00:00:00+09:00', end: '2026-09-30T23:59:59+09:00' },
    // Copies in the development room are anonymized (Art. 5); care-need certification data is
    // 要配慮個人情報 (APPI Art. 68). Every other key keeps the rulebook's default.
    policy: { anonymizeLocations: [DEV_ROOM], sensitiveCategories: [SENSITIVE] },
  });
  WORKERS.forEach((workerId, i) => {
    contract(at('2025-04-01T11:00:00') + i * 60_000, 'WorkerAuthorized', { workerId, org: 'contractor' }, MANAGER);
    contract(at('2025-04-01T13:00:00') + i * 60_000, 'WorkerBriefed', { workerId, topics: ['confidentiality', 'penalties'] }, MANAGER);
  });
  // The responsible person is designated on the second day (planted: R-000118 was handled on the first).
  contract(at('2025-04-02T08:30:00'), 'ResponsiblePersonDesignated', { personId: 'P-001', title: '個人情報受託管理責任者' }, MANAGER);
  contract(at('2025-04-02T09:00:00'), 'AuthorizationGranted', {
    authorizationId: 'AUTH-COPY-1', kind: 'copy', dataCategories: [...COPYABLE], reference: 'OKA-KAIHO-100',
  });
  contract(at('2025-04-02T09:05:00'), 'AuthorizationGranted', {
    authorizationId: 'AUTH-PROV-1', kind: 'provision', dataCategories: ['給付実績'], reference: 'OKA-KAIHO-101',
  });
  contract(at('2025-05-01T09:00:00'), 'MyNumberMemorandumConcluded', { reference: 'MYNUM-MEMO-2025-05-01' });
  contract(at('2025-05-07T09:00:00'), 'SubcontractRequested', {
    subcontractorId: SUBCONTRACTOR, applicationRef: 'SUBAPP-001', reason: '紙の被保険者台帳のデータ入力',
    dataCategories: ['被保険者台帳'], draftMemorandumAttached: true,
  }, MANAGER);
  contract(at('2025-05-14T09:00:00'), 'SubcontractApproved', { subcontractorId: SUBCONTRACTOR, applicationRef: 'SUBAPP-001' });
  SUB_WORKERS.forEach((workerId, i) => {
    contract(at('2025-05-15T09:00:00') + i * 60_000, 'WorkerAuthorized', { workerId, org: `subcontractor:${SUBCONTRACTOR}` }, MANAGER);
    contract(at('2025-05-15T10:00:00') + i * 60_000, 'WorkerBriefed', { workerId, topics: ['confidentiality', 'penalties'] }, MANAGER);
  });
  // Planted (the city's): SUB-PRINT approved on a request without the draft memorandum.
  contract(at('2025-06-02T09:00:00'), 'SubcontractRequested', {
    subcontractorId: 'SUB-PRINT', applicationRef: 'SUBAPP-002', reason: '通知書の印刷・封入',
    dataCategories: ['保険料賦課'], draftMemorandumAttached: false,
  }, MANAGER);
  contract(at('2025-06-09T09:00:00'), 'SubcontractApproved', { subcontractorId: 'SUB-PRINT', applicationRef: 'SUBAPP-002' });
  // W-013 joins and is never briefed (planted on R-000106).
  contract(at('2025-06-20T09:00:00'), 'WorkerAuthorized', { workerId: 'W-013', org: 'contractor' }, MANAGER);
  // W-014 joins with a pledge at hiring, and leaves without the exit pledge (planted).
  contract(at('2025-10-01T09:00:00'), 'WorkerAuthorized', { workerId: 'W-014', org: 'contractor' }, MANAGER);
  contract(at('2025-10-01T09:30:00'), 'WorkerBriefed', { workerId: 'W-014', topics: ['confidentiality', 'penalties'] }, MANAGER);
  contract(at('2025-10-01T10:00:00'), 'WorkerPledgeSubmitted', { workerId: 'W-014' }, MANAGER);
  // Reports the city asked for: two in time, the third never submitted (planted).
  contract(at('2025-09-01T09:00:00'), 'ReportRequested', { requestId: 'REP-1', dueAt: '2025-09-15T17:00:00+09:00' });
  contract(at('2025-09-10T15:00:00'), 'ReportSubmitted', { requestId: 'REP-1' }, MANAGER);
  contract(at('2026-03-02T09:00:00'), 'ReportRequested', { requestId: 'REP-2', dueAt: '2026-03-16T17:00:00+09:00' });
  contract(at('2026-03-12T15:00:00'), 'ReportSubmitted', { requestId: 'REP-2' }, MANAGER);
  contract(at('2026-06-01T09:00:00'), 'ReportRequested', { requestId: 'REP-3', dueAt: '2026-06-15T17:00:00+09:00' });
  // The scanning subcontractor was requested but never approved; its worker is set up anyway (planted on R-000108).
  contract(at('2026-01-10T09:00:00'), 'SubcontractRequested', {
    subcontractorId: 'SUB-SCAN', applicationRef: 'SUBAPP-003', reason: '紙台帳のスキャン',
    dataCategories: ['被保険者台帳'], draftMemorandumAttached: true,
  }, MANAGER);
  contract(at('2026-01-12T09:00:00'), 'WorkerAuthorized', { workerId: 'SW-S01', org: 'subcontractor:SUB-SCAN' }, MANAGER);
  contract(at('2026-01-12T10:00:00'), 'WorkerBriefed', { workerId: 'SW-S01', topics: ['confidentiality', 'penalties'] }, MANAGER);
  // W-009's authorization is revoked by the city (planted on R-000107).
  contract(at('2026-01-15T10:00:00'), 'WorkerAuthorizationRevoked', { workerId: 'W-009' });
  // A leak of care-need data (R-000112), reported by the contractor within hours; the city's own
  // duties after a reportable incident (APPI Art. 68) are not met: the preliminary report to the
  // PPC comes late, the final report and the notice to the persons never (planted, the city's).
  contract(at('2025-12-03T15:00:00'), 'IncidentDetected', {
    incidentId: 'INC-2025-002', kind: 'leak', affectedRecordIds: ['R-000112'], affectedPersonCount: 1200,
  }, MANAGER);
  contract(at('2025-12-04T09:00:00'), 'IncidentReported', { incidentId: 'INC-2025-002' }, MANAGER);
  contract(at('2025-12-12T10:00:00'), 'PpcReported', { incidentId: 'INC-2025-002', stage: 'preliminary' });
  // A paper extract sent to the wrong office, reported three days later (planted). Twelve
  // persons, no sensitive category: not reportable to the PPC.
  contract(at('2026-02-10T15:00:00'), 'IncidentDetected', {
    incidentId: 'INC-2026-001', kind: 'misdelivery', affectedRecordIds: ['R-000105'], affectedPersonCount: 12,
  }, MANAGER);
  contract(at('2026-02-13T10:00:00'), 'IncidentReported', { incidentId: 'INC-2026-001' }, MANAGER);
  // Workers leaving: W-012 without the pledge and with a copy in hand (planted), W-010 with the
  // pledge the day before, W-014 with only the pledge given at hiring (planted).
  contract(at('2026-03-31T18:00:00'), 'WorkerDeparted', { workerId: 'W-012' }, MANAGER);
  contract(at('2026-06-29T10:00:00'), 'WorkerPledgeSubmitted', { workerId: 'W-010' }, MANAGER);
  contract(at('2026-06-30T18:00:00'), 'WorkerDeparted', { workerId: 'W-010' }, MANAGER);
  contract(at('2026-08-31T18:00:00'), 'WorkerDeparted', { workerId: 'W-014' }, MANAGER);
  // No inspection in 令和7年度 (April 2025 – March 2026; planted, the city's); the first one in
  // 令和8年度, and its improvement request consulted on after its due date (planted).
  contract(at('2026-05-15T10:00:00'), 'InspectionConducted', { inspectionId: 'INSP-1', outcome: 'improvement_needed' });
  contract(at('2026-05-18T09:00:00'), 'ImprovementRequested', {
    requestId: 'IMP-1', reasons: ['ACCESS-LOG-RETENTION', 'USB-MEDIA-CONTROL'], dueAt: '2026-06-01T17:00:00+09:00',
  });
  contract(at('2026-06-10T14:00:00'), 'ImprovementConsultationHeld', { requestId: 'IMP-1' }, MANAGER);
  // The city instructs the disposal of one data set (planted: disposed of late, on R-000114), and
  // the return of a paper ledger (planted: shredded instead, on R-000126).
  contract(at('2026-07-01T09:00:00'), 'DisposalInstructed', { recordIds: ['R-000114'], dueAt: '2026-07-31T17:00:00+09:00' });
  contract(at('2026-07-20T09:00:00'), 'DisposalInstructed', { recordIds: ['R-000126'], dueAt: '2026-08-31T17:00:00+09:00', action: 'return' });
  contract(at('2026-10-01T09:00:00'), 'ContractEnded', { reason: 'expired' });

  // --- Records handled by the rules ----------------------------------------------------------------
  const recordIds: string[] = [];
  const first = at('2025-06-01T09:00:00');
  const last = at('2026-08-15T09:00:00');
  for (let n = 1; n <= cleanRecords; n++) {
    // R-000101 … R-000199 are the planted records'.
    const recordId = `R-${String(n <= 100 ? n : n + 100).padStart(6, '0')}`;
    recordIds.push(recordId);
    cleanRecord(recordId, first + Math.floor(((last - first) * (n - 1)) / Math.max(cleanRecords - 1, 1)), random, record);
  }

  // --- The planted records ----------------------------------------------------------------------------
  const planted: PlantedFinding[] = [];
  const compliant: CompliantCase[] = [];
  const known = (recordId: string | null): void => {
    if (recordId !== null && !recordIds.includes(recordId)) recordIds.push(recordId);
  };
  const plant = (recordId: string | null, article: string, rule: string, party: Party, what: string, whatJa: string): void => {
    planted.push({ recordId, article, rule, party, what, whatJa });
    known(recordId);
  };
  const handledWell = (recordId: string | null, article: string, rule: string, what: string): void => {
    compliant.push({ recordId, article, rule, what });
    known(recordId);
  };
  const collect = (recordId: string, when: string, category: string, by: Actor, extra: Record<string, unknown> = {}): void =>
    record(recordId, at(when), 'RecordCollected', {
      purpose: PURPOSES[0], dataCategories: [category], medium: 'electronic', containsMyNumber: category === '保険料賦課',
      personCount: 1200, location: 'DC-OKAYAMA-1', ...extra,
    }, by);
  const use = (recordId: string, when: string, by: Actor, purpose: string = PURPOSES[0]): void => record(recordId, at(when), 'RecordUsed', { purpose }, by);
  const dispose = (recordId: string, when: string, by: Actor, extra: Record<string, unknown> = { witnessedBy: WITNESS }): void =>
    record(recordId, at(when), 'RecordDisposed', { method: 'overwrite', certificateRef: `ERASE-${recordId}`, ...extra }, by);
  const copy = (recordId: string, when: string, by: Actor, location: string, copyId = 'C-1'): void =>
    record(recordId, at(when), 'RecordCopied', { copyId, medium: 'electronic', location }, by);

  const w = worker;
  // R-000101: a copy of care-need certification data, which the copy authorization does not cover
  // (anonymized in time in the development room: Art. 5 is met).
  collect('R-000101', '2025-07-01T10:00:00', '要介護認定', w('W-002'));
  use('R-000101', '2025-07-01T14:00:00', w('W-002'));
  copy('R-000101', '2025-07-02T10:00:00', w('W-002'), DEV_ROOM);
  record('R-000101', at('2025-07-02T15:00:00'), 'RecordAnonymized', { copyId: 'C-1', method: '氏名・住所を仮名IDに置換' }, w('W-002'));
  dispose('R-000101', '2025-07-09T16:00:00', w('W-002'), { copyId: 'C-1', witnessedBy: WITNESS });
  dispose('R-000101', '2025-07-20T16:00:00', w('W-002'));
  plant('R-000101', '9', 'art9.copy-without-authorization', 'contractor', 'copy C-1 of a 要介護認定 data set; AUTH-COPY-1 does not cover that category', '要介護認定データの複写 C-1（AUTH-COPY-1 の対象外の項目）');
  handledWell('R-000101', '5', 'art5.anonymization-overdue', 'copy C-1 in the development room anonymized after 5 hours');
  // R-000102: disposed of without the city's witness.
  collect('R-000102', '2025-08-04T10:00:00', '給付実績', w('W-003'));
  use('R-000102', '2025-08-05T10:00:00', w('W-003'));
  dispose('R-000102', '2025-08-25T16:00:00', w('W-003'), {});
  plant('R-000102', '14', 'art14.disposal-not-witnessed', 'contractor', 'disposed of (overwrite) without witnessedBy', '甲の立会いのない廃棄');
  // R-000103: a copy carried to the city without encryption.
  collect('R-000103', '2025-09-08T09:00:00', '被保険者台帳', w('W-004'));
  copy('R-000103', '2025-09-08T11:00:00', w('W-004'), 'DC-OKAYAMA-2');
  record('R-000103', at('2025-09-09T10:00:00'), 'TransportStarted', {
    transportId: 'T-000103-1', copyId: 'C-1', from: 'DC-OKAYAMA-2', to: 'CITY-HALL', carrierId: 'CARRIER-1', medium: 'electronic',
    safeguards: ['tracked'], expectedArrivalAt: '2025-09-09T18:00:00+09:00',
  }, w('W-004'));
  record('R-000103', at('2025-09-09T15:00:00'), 'TransportCompleted', { transportId: 'T-000103-1', receivedBy: 'S-010' }, CITY);
  record('R-000103', at('2025-09-10T10:00:00'), 'RecordReturned', { copyId: 'C-1', receivedBy: 'S-010' }, w('W-004'));
  dispose('R-000103', '2025-09-30T16:00:00', w('W-004'));
  plant('R-000103', '13', 'art13.insufficient-safeguards', 'contractor', 'transport T-000103-1 of copy C-1 (electronic) without encryption', '暗号化のない電子媒体の搬送 T-000103-1');
  // R-000104: a transport completed two days after its expected arrival.
  collect('R-000104', '2026-03-09T09:00:00', '保険料賦課', w('W-005'));
  copy('R-000104', '2026-03-09T11:00:00', w('W-005'), 'DC-OKAYAMA-1');
  record('R-000104', at('2026-03-10T10:00:00'), 'TransportStarted', {
    transportId: 'T-000104-1', copyId: 'C-1', from: 'DC-OKAYAMA-1', to: 'KAIGO-HOKEN-KA', carrierId: 'CARRIER-1', medium: 'electronic',
    safeguards: ['encrypted', 'tracked'], expectedArrivalAt: '2026-03-10T18:00:00+09:00',
  }, w('W-005'));
  record('R-000104', at('2026-03-12T15:00:00'), 'TransportCompleted', { transportId: 'T-000104-1', receivedBy: 'S-010' }, CITY);
  record('R-000104', at('2026-03-13T10:00:00'), 'RecordReturned', { copyId: 'C-1', receivedBy: 'S-010' }, w('W-005'));
  dispose('R-000104', '2026-03-31T16:00:00', w('W-005'));
  plant('R-000104', '13', 'art13.transport-overdue', 'contractor', 'transport T-000104-1 expected 2026-03-10 18:00, completed 2026-03-12 15:00', '搬送 T-000104-1 の完了が到着予定を2日超過');
  // R-000105: the paper extract of the incident, reported after the 24 hours.
  collect('R-000105', '2026-02-02T09:00:00', '給付実績', w('W-006'), { medium: 'paper', location: 'KAIGO-HOKEN-KA' });
  use('R-000105', '2026-02-03T10:00:00', w('W-006'));
  record('R-000105', at('2026-02-20T10:00:00'), 'RecordReturned', { receivedBy: 'S-010' }, w('W-006'));
  plant('R-000105', '15', 'art15.report-overdue', 'contractor', 'incident INC-2026-001 (misdelivery) detected 2026-02-10 15:00, reported 2026-02-13 10:00', '事故 INC-2026-001（誤送付）の報告が24時間を超過');
  // R-000106: used by W-013, who was never briefed on confidentiality or penalties.
  collect('R-000106', '2025-07-14T09:00:00', '住所地特例', w('W-001'));
  use('R-000106', '2025-07-15T10:00:00', w('W-013'));
  dispose('R-000106', '2025-08-01T16:00:00', w('W-001'));
  plant('R-000106', '4', 'art4.worker-not-briefed', 'contractor', 'used by W-013, never briefed on confidentiality', '守秘義務の周知を受けていない W-013 による利用');
  plant('R-000106', '17', 'art17.worker-not-briefed', 'contractor', 'used by W-013, never briefed on the penalties', '罰則の周知を受けていない W-013 による利用');
  // R-000107: used by W-009 five days after the city revoked their authorization.
  collect('R-000107', '2026-01-05T09:00:00', '負担限度額認定', w('W-009'));
  use('R-000107', '2026-01-20T10:00:00', w('W-009'));
  dispose('R-000107', '2026-02-02T16:00:00', w('W-003'));
  plant('R-000107', '11', 'art11.unauthorized-handler', 'contractor', 'used by W-009 on 2026-01-20, after the revocation of 2026-01-15', '権限取消し後の W-009 による利用');
  // R-000108: used by a worker of SUB-SCAN, a subcontractor never approved.
  collect('R-000108', '2026-01-22T09:00:00', '被保険者台帳', w('W-005'), { medium: 'paper', location: 'KAIGO-HOKEN-KA' });
  use('R-000108', '2026-01-25T10:00:00', { org: 'subcontractor:SUB-SCAN', workerId: 'SW-S01' });
  record('R-000108', at('2026-02-05T10:00:00'), 'RecordReturned', { receivedBy: 'S-010' }, w('W-005'));
  plant('R-000108', '6', 'art6.subcontractor-not-approved', 'contractor', 'used by SW-S01 of SUB-SCAN, whose subcontract was never approved', '承諾のない再委託先 SUB-SCAN の SW-S01 による利用');
  // R-000109: collected for a purpose outside the contract.
  collect('R-000109', '2025-10-06T09:00:00', '被保険者台帳', w('W-006'), { purpose: 'システム性能試験用データ作成' });
  dispose('R-000109', '2025-10-20T16:00:00', w('W-006'));
  plant('R-000109', '7', 'art7.purpose-outside-contract', 'contractor', 'collected for システム性能試験用データ作成, not a purpose of the contract', '契約の目的外（性能試験用データ作成）の収集');
  // R-000110: collected with a data category outside the contract.
  collect('R-000110', '2025-11-04T09:00:00', '要介護認定', w('W-007'), { dataCategories: ['要介護認定', '生活保護受給情報'] });
  dispose('R-000110', '2025-11-18T16:00:00', w('W-007'));
  plant('R-000110', '7', 'art7.categories-outside-contract', 'contractor', 'collected 生活保護受給情報, not a data category of the contract', '契約にない項目（生活保護受給情報）の収集');
  // R-000111: used for training material.
  collect('R-000111', '2025-11-17T09:00:00', '給付実績', w('W-008'));
  use('R-000111', '2025-11-18T10:00:00', w('W-008'), '研修教材作成');
  dispose('R-000111', '2025-12-01T16:00:00', w('W-008'));
  plant('R-000111', '8', 'art8.use-outside-purpose', 'contractor', 'used for 研修教材作成 (training material)', '目的外利用（研修教材作成）');
  // R-000112: care-need data given to an analytics vendor: a leak, which the contractor reported
  // to the city within the day (INC-2025-002); the city's duties towards the PPC follow.
  collect('R-000112', '2025-12-01T09:00:00', SENSITIVE, w('W-001'));
  record('R-000112', at('2025-12-03T10:00:00'), 'RecordProvided', { recipientId: 'VENDOR-ANALYTICS', purpose: PURPOSES[1] }, w('W-001'));
  dispose('R-000112', '2025-12-15T16:00:00', w('W-001'));
  plant('R-000112', '8', 'art8.provision-without-authorization', 'contractor', 'provided to VENDOR-ANALYTICS; AUTH-PROV-1 covers only 給付実績', '承諾のない提供（VENDOR-ANALYTICS への要介護認定データ）');
  handledWell('R-000112', '15', 'art15.breach-not-reported', 'the provision (2025-12-03 10:00) reported to the city as INC-2025-002 on 2025-12-04 09:00');
  handledWell('R-000112', '15', 'art15.report-overdue', 'incident INC-2025-002 detected 2025-12-03 15:00, reported 2025-12-04 09:00');
  plant(null, 'appi68', 'appi68.preliminary-report-overdue', 'city', 'INC-2025-002 (要配慮, 1,200 persons): the city learnt of it on 2025-12-04 09:00, reported to the PPC only on 2025-12-12 (due 2025-12-09)', '事故 INC-2025-002 の個人情報保護委員会への速報が期限（令和7年12月9日）後');
  plant(null, 'appi68', 'appi68.final-report-overdue', 'city', 'INC-2025-002: no final report to the PPC (due 2026-01-03)', '事故 INC-2025-002 の確報が未了');
  plant(null, 'appi68', 'appi68.persons-not-notified', 'city', 'INC-2025-002: the 1,200 persons were never notified (due 2026-01-03)', '事故 INC-2025-002 の本人への通知が未了');
  // R-000113: My Number collected before the My Number memorandum.
  collect('R-000113', '2025-04-21T09:00:00', '保険料賦課', w('W-002'));
  use('R-000113', '2025-04-22T10:00:00', w('W-002'));
  dispose('R-000113', '2025-05-20T16:00:00', w('W-002'));
  plant('R-000113', '18', 'art18.my-number-without-memorandum', 'contractor', 'My Number collected on 2025-04-21, before the memorandum of 2025-05-01', '特定個人情報の覚書締結（2025-05-01）前のマイナンバー収集');
  // R-000114: the city instructed its disposal by 2026-07-31; disposed of on 2026-08-20.
  collect('R-000114', '2026-06-15T09:00:00', '被保険者台帳', w('W-003'));
  use('R-000114', '2026-06-16T10:00:00', w('W-003'));
  dispose('R-000114', '2026-08-20T16:00:00', w('W-003'));
  plant('R-000114', '14', 'art14.disposal-overdue', 'contractor', 'DisposalInstructed due 2026-07-31 17:00, disposed of on 2026-08-20', '廃棄指示（期限 2026-07-31）後の廃棄が遅延');
  // R-000115: used after the contract ended, with no consent of the city.
  collect('R-000115', '2026-09-01T09:00:00', '給付実績', w('W-004'));
  use('R-000115', '2026-09-02T10:00:00', w('W-004'));
  use('R-000115', '2026-10-05T10:00:00', w('W-004'));
  dispose('R-000115', '2026-10-20T16:00:00', w('W-004'));
  plant('R-000115', '8', 'art8.handled-after-contract-end', 'contractor', 'used on 2026-10-05, after ContractEnded of 2026-10-01', '契約終了（2026-10-01）後の利用');
  // R-000116: used, but its collection was never recorded (not a breach to report: the record is the ledger's gap).
  use('R-000116', '2026-04-06T10:00:00', w('W-007'));
  plant('R-000116', '7', 'art7.collection-missing', 'contractor', 'used with no RecordCollected before', '収集の記録がない記録の利用');
  // R-000117: used after its disposal.
  collect('R-000117', '2026-04-13T09:00:00', '住所地特例', w('W-008'));
  dispose('R-000117', '2026-04-24T16:00:00', w('W-008'));
  use('R-000117', '2026-04-27T10:00:00', w('W-008'));
  plant('R-000117', '14', 'art14.handled-after-closure', 'contractor', 'used on 2026-04-27, after its disposal on 2026-04-24', '廃棄済み（2026-04-24）の記録の利用');

  // --- Rulebook v2 --------------------------------------------------------------------------------------
  // R-000118: the first data set, handed over on the first day, before any responsible person.
  collect('R-000118', '2025-04-01T15:00:00', '被保険者台帳', w('W-001'));
  use('R-000118', '2025-04-03T10:00:00', w('W-001'));
  dispose('R-000118', '2025-05-15T16:00:00', w('W-001'));
  plant('R-000118', '3', 'art3.responsible-person-missing', 'contractor', 'collected by W-001 on 2025-04-01 15:00; the responsible person was designated only on 2025-04-02', '個人情報受託管理責任者の指定（2025-04-02）前の収集');
  // R-000119: a copy in the development room, anonymized three days later (due within 24 hours).
  collect('R-000119', '2025-08-18T09:00:00', '被保険者台帳', w('W-005'));
  copy('R-000119', '2025-08-19T10:00:00', w('W-005'), DEV_ROOM);
  record('R-000119', at('2025-08-22T10:00:00'), 'RecordAnonymized', { copyId: 'C-1', method: '氏名を番号に置換' }, w('W-005'));
  dispose('R-000119', '2025-08-29T16:00:00', w('W-005'), { copyId: 'C-1', witnessedBy: WITNESS });
  dispose('R-000119', '2025-09-05T16:00:00', w('W-005'));
  plant('R-000119', '5', 'art5.anonymization-overdue', 'contractor', `copy C-1 made to ${DEV_ROOM} on 2025-08-19 10:00, anonymized only on 2025-08-22`, '開発室の複製物 C-1 の匿名化が24時間を超過');
  // R-000120: benefit records handled by the data-entry subcontractor, approved for the insured-persons ledger only.
  collect('R-000120', '2025-10-27T09:00:00', '給付実績', w('W-003'));
  use('R-000120', '2025-10-28T10:00:00', { org: `subcontractor:${SUBCONTRACTOR}`, workerId: 'SW-001' });
  dispose('R-000120', '2025-11-10T16:00:00', w('W-003'));
  plant('R-000120', '6', 'art6.outside-approved-scope', 'contractor', `used by SW-001 of ${SUBCONTRACTOR}, approved for 被保険者台帳 only`, `再委託先 ${SUBCONTRACTOR} による承認範囲外（給付実績）の取扱い`);
  // R-000121: still held when the contract ended; the city consents (after_term) to a last use and
  // a copy for the hand-over, returned and disposed of within the 30 days.
  collect('R-000121', '2026-09-15T09:00:00', '被保険者台帳', w('W-002'));
  use('R-000121', '2026-09-16T10:00:00', w('W-002'));
  contract(at('2026-10-02T09:00:00'), 'AuthorizationGranted', {
    authorizationId: 'AUTH-AFTER-1', kind: 'after_term', recordIds: ['R-000121'], reference: 'OKA-KAIHO-210',
  });
  use('R-000121', '2026-10-05T10:00:00', w('W-002'));
  copy('R-000121', '2026-10-06T10:00:00', w('W-002'), 'DC-OKAYAMA-1');
  record('R-000121', at('2026-10-06T13:00:00'), 'TransportStarted', {
    transportId: 'T-000121-1', copyId: 'C-1', from: 'DC-OKAYAMA-1', to: 'CITY-HALL', carrierId: 'CARRIER-1', medium: 'electronic',
    safeguards: ['encrypted', 'tracked'], expectedArrivalAt: '2026-10-06T18:00:00+09:00',
  }, w('W-002'));
  record('R-000121', at('2026-10-06T16:00:00'), 'TransportCompleted', { transportId: 'T-000121-1', receivedBy: 'S-010' }, CITY);
  record('R-000121', at('2026-10-07T10:00:00'), 'RecordReturned', { copyId: 'C-1', receivedBy: 'S-010' }, w('W-002'));
  dispose('R-000121', '2026-10-09T16:00:00', w('W-002'));
  handledWell('R-000121', '8', 'art8.handled-after-contract-end', 'used and copied after the end, with the after_term consent AUTH-AFTER-1');
  handledWell('R-000121', '14', 'art14.disposal-overdue', 'held at the end: the copy returned on 2026-10-07, the original disposed of on 2026-10-09');
  // R-000122: a paper ledger handed to the approved data-entry subcontractor: 再委託, not 提供.
  collect('R-000122', '2025-07-22T09:00:00', '被保険者台帳', w('W-001'), { medium: 'paper', location: 'KAIGO-HOKEN-KA' });
  record('R-000122', at('2025-07-23T10:00:00'), 'RecordProvided', { recipientId: SUBCONTRACTOR, purpose: PURPOSES[0] }, w('W-001'));
  use('R-000122', '2025-07-25T10:00:00', { org: `subcontractor:${SUBCONTRACTOR}`, workerId: 'SW-002' });
  record('R-000122', at('2025-08-08T10:00:00'), 'RecordReturned', { receivedBy: 'S-010' }, w('W-001'));
  handledWell('R-000122', '8', 'art8.provision-without-authorization', `provided to ${SUBCONTRACTOR}, approved for 被保険者台帳: 再委託 (Art. 6), not 提供`);
  handledWell('R-000122', '6', 'art6.outside-approved-scope', `used by SW-002 of ${SUBCONTRACTOR} within its approved scope`);
  // R-000123: W-012 leaves with a copy in hand; it is disposed of ten days later (due within a day).
  collect('R-000123', '2026-03-16T09:00:00', '被保険者台帳', w('W-001'));
  copy('R-000123', '2026-03-25T10:00:00', w('W-012'), 'DC-OKAYAMA-2');
  dispose('R-000123', '2026-04-10T16:00:00', w('W-001'), { copyId: 'C-1', witnessedBy: WITNESS });
  dispose('R-000123', '2026-04-20T16:00:00', w('W-001'));
  plant('R-000123', '11', 'art11.holding-not-surrendered', 'contractor', 'W-012 departed on 2026-03-31 18:00 holding copy C-1; disposed of on 2026-04-10', '退職した W-012 の保有する複製物 C-1 の廃棄が遅延');
  // R-000124: a care-need data set copied under a case-by-case authorization that expires; the copy
  // is disposed of six weeks after.
  contract(at('2026-02-09T09:00:00'), 'AuthorizationGranted', {
    authorizationId: 'AUTH-COPY-2', kind: 'copy', recordIds: ['R-000124'], validUntil: '2026-02-28T23:59:59+09:00', reference: 'OKA-KAIHO-150',
  });
  collect('R-000124', '2026-02-06T09:00:00', SENSITIVE, w('W-006'));
  copy('R-000124', '2026-02-10T10:00:00', w('W-006'), 'DC-OKAYAMA-1');
  dispose('R-000124', '2026-04-15T16:00:00', w('W-006'), { copyId: 'C-1', witnessedBy: WITNESS });
  dispose('R-000124', '2026-04-20T16:00:00', w('W-006'));
  plant('R-000124', '14', 'art14.copy-retained-after-authorization', 'contractor', 'AUTH-COPY-2 expired 2026-02-28; copy C-1 disposed of only on 2026-04-15 (due 2026-03-30)', '複製の承諾（AUTH-COPY-2）の期限後の複製物 C-1 の廃棄が遅延');
  // R-000125: no longer needed after the migration run; disposed of seven weeks later.
  collect('R-000125', '2026-04-20T09:00:00', '給付実績', w('W-006'));
  use('R-000125', '2026-04-21T10:00:00', w('W-006'));
  record('R-000125', at('2026-05-01T09:00:00'), 'RecordNoLongerNeeded', { reason: 'migration-complete' }, w('W-006'));
  dispose('R-000125', '2026-06-20T16:00:00', w('W-006'));
  plant('R-000125', '14', 'art14.disposal-overdue', 'contractor', 'no longer needed on 2026-05-01, disposed of on 2026-06-20 (due 2026-05-31)', '不要となった（2026-05-01）後の廃棄が遅延');
  // R-000126: the city instructed its return; the contractor shredded it.
  collect('R-000126', '2026-07-01T09:00:00', '被保険者台帳', w('W-007'), { medium: 'paper', location: 'KAIGO-HOKEN-KA' });
  use('R-000126', '2026-07-02T10:00:00', w('W-007'));
  dispose('R-000126', '2026-08-10T16:00:00', w('W-007'), { method: 'shredding', witnessedBy: WITNESS });
  plant('R-000126', '14', 'art14.disposal-overdue', 'contractor', 'DisposalInstructed with action return; shredded on 2026-08-10 instead', '返還の指示に反する廃棄（シュレッダー）');
  // R-000127: My Number data provided on the city's consent: 番号法 allows no such route.
  collect('R-000127', '2025-10-14T09:00:00', '保険料賦課', w('W-002'));
  contract(at('2025-10-15T09:00:00'), 'AuthorizationGranted', {
    authorizationId: 'AUTH-PROV-2', kind: 'provision', recordIds: ['R-000127'], reference: 'OKA-KAIHO-130',
  });
  record('R-000127', at('2025-10-20T10:00:00'), 'RecordProvided', { recipientId: 'NENKIN-KIKO', purpose: PURPOSES[1] }, w('W-002'));
  dispose('R-000127', '2025-11-05T16:00:00', w('W-002'));
  plant('R-000127', '18', 'art18.my-number-beyond-contract', 'contractor', 'My Number data provided to NENKIN-KIKO on the city\'s consent AUTH-PROV-2', '甲の承諾（AUTH-PROV-2）による個人番号を含む情報の提供');
  handledWell('R-000127', '8', 'art8.provision-without-authorization', 'the provision is covered by AUTH-PROV-2 (Art. 8 is met; Art. 18 is not)');
  // R-000128: the arrival of a transport whose start was never recorded.
  collect('R-000128', '2026-05-11T09:00:00', '住所地特例', w('W-004'), { medium: 'paper', location: 'KAIGO-HOKEN-KA' });
  record('R-000128', at('2026-05-12T15:00:00'), 'TransportCompleted', { transportId: 'T-000128-1', receivedBy: 'S-010' }, w('W-004'));
  record('R-000128', at('2026-05-13T10:00:00'), 'RecordReturned', { receivedBy: 'S-010' }, w('W-004'));
  plant('R-000128', '13', 'art13.completion-without-start', 'contractor', 'transport T-000128-1 recorded as completed on 2026-05-12, never started', '開始の記録がない搬送 T-000128-1 の完了');

  // --- The planted contract-level findings ------------------------------------------------------------
  plant(null, '6', 'art6.approval-without-request', 'city', 'SUB-PRINT approved on a request without the draft memorandum', '覚書案の添付のない申請による再委託の承認（SUB-PRINT）');
  plant(null, '10', 'art10.inspection-overdue', 'city', 'no inspection in 令和7年度 (April 2025 – March 2026); the first one on 2026-05-15', '令和7年度に実地検査なし（初回 2026-05-15）');
  plant(null, '10', 'art10.report-overdue', 'contractor', 'report REP-3 due 2026-06-15, never submitted', '報告 REP-3（期限 2026-06-15）が未提出');
  plant(null, '11', 'art11.pledge-missing', 'contractor', 'W-012 departed on 2026-03-31 without a pledge', 'W-012 が退職時の誓約書を提出していない');
  plant(null, '11', 'art11.pledge-missing', 'contractor', 'W-014 departed on 2026-08-31; the only pledge was given at hiring (2025-10-01), outside the 30 days before', 'W-014 の誓約書は採用時（2025-10-01）のもののみ');
  plant(null, '12', 'art12.consultation-overdue', 'contractor', 'improvement IMP-1 consulted on 2026-06-10, due 2026-06-01', '改善指示 IMP-1 の協議が期限（2026-06-01）後');
  plant(null, '15', 'art15.report-overdue', 'contractor', 'incident INC-2026-001 reported after the 24 hours', '事故 INC-2026-001 の報告が24時間を超過');

  // --- Breaches never reported (Art. 15, v2) ------------------------------------------------------------
  // Every record with a contractor violation under another article (not a missing collection) that
  // no IncidentReported covers: the contractor never told the city.
  const breaches = new Map<string, string[]>();
  for (const p of planted) {
    if (p.recordId === null || p.party !== 'contractor' || p.article === '15' || p.rule === 'art7.collection-missing' || REPORTED.has(p.recordId)) continue;
    breaches.set(p.recordId, [...(breaches.get(p.recordId) ?? []), p.rule]);
  }
  for (const [recordId, rules] of breaches) {
    plant(recordId, '15', 'art15.breach-not-reported', 'contractor', `never reported to the city: ${rules.join(', ')}`, `覚書違反（${rules.join('、')}）を甲へ報告していない`);
  }

  const ordered = drafts
    .map((d, order) => ({ ...d, order }))
    .sort((a, b) => a.at - b.at || a.order - b.order);
  const events = ordered.map(
    (d, i) => ({ ...d.event, eventId: deterministicUuid(seed, `${contractId}:${i}`), occurredAt: jst(d.at), contractId }) as LedgerEvent,
  );
  return {
    contractId,
    events,
    planted,
    compliant,
    recordIds: recordIds.sort(),
    pendingExample: {
      recordId: 'R-000104',
      rule: 'art13.transport-overdue',
      pendingAsOf: '2026-03-10T12:00:00+09:00',
      overdueAsOf: '2026-03-11T09:00:00+09:00',
    },
  };
}

/** One record handled by the rules: collected, used, maybe copied, carried and returned, maybe provided, then returned or disposed of before the contract ends. */
function cleanRecord(
  recordId: string,
  startsAt: number,
  random: Random,
  record: (recordId: string, when: number, type: string, data: Record<string, unknown>, actor: Actor) => void,
): void {
  const handler = worker(random.pick(CLEAN_HANDLERS));
  const category = random.pick(CATEGORIES);
  const paper = category === '被保険者台帳' ? random.chance(0.5) : random.chance(0.1);
  const home = paper ? 'KAIGO-HOKEN-KA' : random.pick(LOCATIONS);
  const collector: Actor = category === '被保険者台帳' && paper
    ? { org: `subcontractor:${SUBCONTRACTOR}`, workerId: random.pick(SUB_WORKERS) }
    : handler;
  let t = startsAt;
  const later = (minHours: number, maxHours: number): number => (t += random.int(minHours * 60, maxHours * 60) * 60_000);
  record(recordId, t, 'RecordCollected', {
    purpose: PURPOSES[0], dataCategories: [category], medium: paper ? 'paper' : 'electronic', containsMyNumber: category === '保険料賦課',
    personCount: random.int(1, 5000), location: home,
  }, collector);
  for (let u = random.int(1, 3); u > 0; u--) record(recordId, later(2, 72), 'RecordUsed', { purpose: random.pick(PURPOSES) }, handler);
  let copyOpen = false;
  if (!paper && (COPYABLE as readonly string[]).includes(category) && random.chance(0.4)) {
    const location = random.pick(LOCATIONS);
    record(recordId, later(1, 48), 'RecordCopied', { copyId: 'C-1', medium: 'electronic', location }, handler);
    copyOpen = true;
    // A copy in the development room is always anonymized within the day (Art. 5); elsewhere sometimes.
    if (random.chance(0.3) || location === DEV_ROOM) record(recordId, later(1, 24), 'RecordAnonymized', { copyId: 'C-1', method: '氏名・住所を仮名IDに置換' }, handler);
    if (random.chance(0.6)) {
      const transportId = `T-${recordId.slice(2)}-1`;
      const started = later(1, 24);
      record(recordId, started, 'TransportStarted', {
        transportId, copyId: 'C-1', from: home, to: random.pick(CITY_OFFICES), carrierId: 'CARRIER-1', medium: 'electronic',
        safeguards: ['encrypted', 'tracked'], expectedArrivalAt: jst(started + 8 * HOUR),
      }, handler);
      record(recordId, later(1, 6), 'TransportCompleted', { transportId, receivedBy: 'S-010' }, CITY);
      record(recordId, later(1, 72), 'RecordReturned', { copyId: 'C-1', receivedBy: 'S-010' }, handler);
      copyOpen = false;
    }
  }
  if (category === '給付実績' && random.chance(0.5)) {
    record(recordId, later(24, 24 * 10), 'RecordProvided', { recipientId: 'KOKUHOREN-OKAYAMA', purpose: PURPOSES[1] }, handler);
  }
  later(24, 24 * 10);
  if (copyOpen) {
    record(recordId, t, 'RecordDisposed', { copyId: 'C-1', method: 'crypto_erase', witnessedBy: WITNESS }, handler);
    later(0, 2);
  }
  if (paper && random.chance(0.5)) {
    record(recordId, t, 'RecordReturned', { receivedBy: 'S-010' }, handler);
  } else {
    record(recordId, t, 'RecordDisposed', {
      method: paper ? 'shredding' : 'overwrite', witnessedBy: WITNESS, certificateRef: `ERASE-${recordId}`,
    }, handler);
  }
}
