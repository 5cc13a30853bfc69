/**
 * The demo contract (docs/compliance.md): a care-insurance (介護保険) rebuild contract of Okayama
 * City with its workers, a subcontractor, authorizations, reports, an inspection, an incident, the
 * end of the contract, dozens of records handled by the rules — and a KNOWN list of planted
 * violations, one or more per rule a city auditor looks for. Everything happens on fixed past
 * dates (April 2025 – October 2026), so the verdicts, eventIds and messages are the same on every
 * run and every day: re-posting the demo is a no-op (duplicates).
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

/** A violation the demo plants: where it is (recordId null: the contract itself) and the rule it breaks. */
export interface PlantedViolation {
  recordId: string | null;
  article: string;
  rule: string;
  /** What happened, in a line (English). */
  what: string;
  /** Japanese. */
  whatJa: string;
}

export interface DemoContract {
  contractId: string;
  /** In occurredAt order, as a feed posts them. */
  events: LedgerEvent[];
  planted: PlantedViolation[];
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
  });
  contract(at('2025-04-01T10:00:00'), 'ResponsiblePersonDesignated', { personId: 'P-001', title: '個人情報受託管理責任者' }, MANAGER);
  WORKERS.forEach((workerId, i) => {
    contract(at('2025-04-01T11:00:00') + i * 60_000, 'WorkerAuthorized', { workerId, org: 'contractor' }, MANAGER);
    contract(at('2025-04-01T13:00:00') + i * 60_000, 'WorkerBriefed', { workerId, topics: ['confidentiality', 'penalties'] }, MANAGER);
  });
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
  // Planted (contract): SUB-PRINT approved on a request without the draft memorandum.
  contract(at('2025-06-02T09:00:00'), 'SubcontractRequested', {
    subcontractorId: 'SUB-PRINT', applicationRef: 'SUBAPP-002', reason: '通知書の印刷・封入',
    dataCategories: ['保険料賦課'], draftMemorandumAttached: false,
  }, MANAGER);
  contract(at('2025-06-09T09:00:00'), 'SubcontractApproved', { subcontractorId: 'SUB-PRINT', applicationRef: 'SUBAPP-002' });
  // W-013 joins and is never briefed (planted on R-000106).
  contract(at('2025-06-20T09:00:00'), 'WorkerAuthorized', { workerId: 'W-013', org: 'contractor' }, MANAGER);
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
  // The incident: a paper extract sent to the wrong office, reported three days later (planted).
  contract(at('2026-02-10T15:00:00'), 'IncidentDetected', {
    incidentId: 'INC-2026-001', kind: 'misdelivery', affectedRecordIds: ['R-000105'], affectedPersonCount: 12,
  }, MANAGER);
  contract(at('2026-02-13T10:00:00'), 'IncidentReported', { incidentId: 'INC-2026-001' }, MANAGER);
  // Workers leaving: W-012 without the pledge (planted), W-010 with it.
  contract(at('2026-03-31T18:00:00'), 'WorkerDeparted', { workerId: 'W-012' }, MANAGER);
  contract(at('2026-06-29T10:00:00'), 'WorkerPledgeSubmitted', { workerId: 'W-010' }, MANAGER);
  contract(at('2026-06-30T18:00:00'), 'WorkerDeparted', { workerId: 'W-010' }, MANAGER);
  // The first inspection only 13 months into the term (planted), and its improvement request
  // consulted on after the 14 days (planted).
  contract(at('2026-05-15T10:00:00'), 'InspectionConducted', { inspectionId: 'INSP-1', outcome: 'improvement_needed' });
  contract(at('2026-05-18T09:00:00'), 'ImprovementRequested', { requestId: 'IMP-1', reasons: ['ACCESS-LOG-RETENTION', 'USB-MEDIA-CONTROL'] });
  contract(at('2026-06-10T14:00:00'), 'ImprovementConsultationHeld', { requestId: 'IMP-1' }, MANAGER);
  // The city instructs the disposal of one data set (planted: disposed of late, on R-000114).
  contract(at('2026-07-01T09:00:00'), 'DisposalInstructed', { recordIds: ['R-000114'], dueAt: '2026-07-31T17:00:00+09:00' });
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

  // --- The planted record violations -----------------------------------------------------------------
  const planted: PlantedViolation[] = [];
  const plant = (recordId: string | null, article: string, rule: string, what: string, whatJa: string): void => {
    planted.push({ recordId, article, rule, what, whatJa });
    if (recordId !== null && !recordIds.includes(recordId)) recordIds.push(recordId);
  };
  const collect = (recordId: string, when: string, category: string, by: Actor, extra: Record<string, unknown> = {}): void =>
    record(recordId, at(when), 'RecordCollected', {
      purpose: PURPOSES[0], dataCategories: [category], medium: 'electronic', containsMyNumber: category === '保険料賦課',
      personCount: 1200, location: 'DC-OKAYAMA-1', ...extra,
    }, by);
  const use = (recordId: string, when: string, by: Actor, purpose: string = PURPOSES[0]): void => record(recordId, at(when), 'RecordUsed', { purpose }, by);
  const dispose = (recordId: string, when: string, by: Actor, extra: Record<string, unknown> = { witnessedBy: WITNESS }): void =>
    record(recordId, at(when), 'RecordDisposed', { method: 'overwrite', certificateRef: `ERASE-${recordId}`, ...extra }, by);

  const w = worker;
  // R-000101: a copy of care-need certification data, which the copy authorization does not cover.
  collect('R-000101', '2025-07-01T10:00:00', '要介護認定', w('W-002'));
  use('R-000101', '2025-07-01T14:00:00', w('W-002'));
  record('R-000101', at('2025-07-02T10:00:00'), 'RecordCopied', { copyId: 'C-1', medium: 'electronic', location: 'DEV-ROOM-3F' }, w('W-002'));
  dispose('R-000101', '2025-07-09T16:00:00', w('W-002'), { copyId: 'C-1', witnessedBy: WITNESS });
  dispose('R-000101', '2025-07-20T16:00:00', w('W-002'));
  plant('R-000101', '9', 'art9.copy-without-authorization', 'copy C-1 of a 要介護認定 data set; AUTH-COPY-1 does not cover that category', '要介護認定データの複写 C-1（AUTH-COPY-1 の対象外の項目）');
  // R-000102: disposed of without the city's witness.
  collect('R-000102', '2025-08-04T10:00:00', '給付実績', w('W-003'));
  use('R-000102', '2025-08-05T10:00:00', w('W-003'));
  dispose('R-000102', '2025-08-25T16:00:00', w('W-003'), {});
  plant('R-000102', '14', 'art14.disposal-not-witnessed', 'disposed of (overwrite) without witnessedBy', '甲の立会いのない廃棄');
  // R-000103: a copy carried to the city without encryption.
  collect('R-000103', '2025-09-08T09:00:00', '被保険者台帳', w('W-004'));
  record('R-000103', at('2025-09-08T11:00:00'), 'RecordCopied', { copyId: 'C-1', medium: 'electronic', location: 'DC-OKAYAMA-2' }, w('W-004'));
  record('R-000103', at('2025-09-09T10:00:00'), 'TransportStarted', {
    transportId: 'T-000103-1', copyId: 'C-1', from: 'DC-OKAYAMA-2', to: 'CITY-HALL', carrierId: 'CARRIER-1', medium: 'electronic',
    safeguards: ['tracked'], expectedArrivalAt: '2025-09-09T18:00:00+09:00',
  }, w('W-004'));
  record('R-000103', at('2025-09-09T15:00:00'), 'TransportCompleted', { transportId: 'T-000103-1', receivedBy: 'S-010' }, CITY);
  record('R-000103', at('2025-09-10T10:00:00'), 'RecordReturned', { copyId: 'C-1', receivedBy: 'S-010' }, w('W-004'));
  dispose('R-000103', '2025-09-30T16:00:00', w('W-004'));
  plant('R-000103', '13', 'art13.insufficient-safeguards', 'transport T-000103-1 of copy C-1 (electronic) without encryption', '暗号化のない電子媒体の搬送 T-000103-1');
  // R-000104: a transport completed two days after its expected arrival.
  collect('R-000104', '2026-03-09T09:00:00', '保険料賦課', w('W-005'));
  record('R-000104', at('2026-03-09T11:00:00'), 'RecordCopied', { copyId: 'C-1', medium: 'electronic', location: 'DC-OKAYAMA-1' }, w('W-005'));
  record('R-000104', at('2026-03-10T10:00:00'), 'TransportStarted', {
    transportId: 'T-000104-1', copyId: 'C-1', from: 'DC-OKAYAMA-1', to: 'KAIGO-HOKEN-KA', carrierId: 'CARRIER-1', medium: 'electronic',
    safeguards: ['encrypted', 'tracked'], expectedArrivalAt: '2026-03-10T18:00:00+09:00',
  }, w('W-005'));
  record('R-000104', at('2026-03-12T15:00:00'), 'TransportCompleted', { transportId: 'T-000104-1', receivedBy: 'S-010' }, CITY);
  record('R-000104', at('2026-03-13T10:00:00'), 'RecordReturned', { copyId: 'C-1', receivedBy: 'S-010' }, w('W-005'));
  dispose('R-000104', '2026-03-31T16:00:00', w('W-005'));
  plant('R-000104', '13', 'art13.transport-overdue', 'transport T-000104-1 expected 2026-03-10 18:00, completed 2026-03-12 15:00', '搬送 T-000104-1 の完了が到着予定を2日超過');
  // R-000105: the paper extract of the incident, reported after the 24 hours.
  collect('R-000105', '2026-02-02T09:00:00', '給付実績', w('W-006'), { medium: 'paper', location: 'KAIGO-HOKEN-KA' });
  use('R-000105', '2026-02-03T10:00:00', w('W-006'));
  record('R-000105', at('2026-02-20T10:00:00'), 'RecordReturned', { receivedBy: 'S-010' }, w('W-006'));
  plant('R-000105', '15', 'art15.report-overdue', 'incident INC-2026-001 (misdelivery) detected 2026-02-10 15:00, reported 2026-02-13 10:00', '事故 INC-2026-001（誤送付）の報告が24時間を超過');
  // R-000106: used by W-013, who was never briefed on confidentiality or penalties.
  collect('R-000106', '2025-07-14T09:00:00', '住所地特例', w('W-001'));
  use('R-000106', '2025-07-15T10:00:00', w('W-013'));
  dispose('R-000106', '2025-08-01T16:00:00', w('W-001'));
  plant('R-000106', '4', 'art4.worker-not-briefed', 'used by W-013, never briefed on confidentiality', '守秘義務の周知を受けていない W-013 による利用');
  plant('R-000106', '17', 'art17.worker-not-briefed', 'used by W-013, never briefed on the penalties', '罰則の周知を受けていない W-013 による利用');
  // R-000107: used by W-009 five days after the city revoked their authorization.
  collect('R-000107', '2026-01-05T09:00:00', '負担限度額認定', w('W-009'));
  use('R-000107', '2026-01-20T10:00:00', w('W-009'));
  dispose('R-000107', '2026-02-02T16:00:00', w('W-003'));
  plant('R-000107', '11', 'art11.unauthorized-handler', 'used by W-009 on 2026-01-20, after the revocation of 2026-01-15', '権限取消し後の W-009 による利用');
  // R-000108: used by a worker of SUB-SCAN, a subcontractor never approved.
  collect('R-000108', '2026-01-22T09:00:00', '被保険者台帳', w('W-005'), { medium: 'paper', location: 'KAIGO-HOKEN-KA' });
  use('R-000108', '2026-01-25T10:00:00', { org: 'subcontractor:SUB-SCAN', workerId: 'SW-S01' });
  record('R-000108', at('2026-02-05T10:00:00'), 'RecordReturned', { receivedBy: 'S-010' }, w('W-005'));
  plant('R-000108', '6', 'art6.subcontractor-not-approved', 'used by SW-S01 of SUB-SCAN, whose subcontract was never approved', '承諾のない再委託先 SUB-SCAN の SW-S01 による利用');
  // R-000109: collected for a purpose outside the contract.
  collect('R-000109', '2025-10-06T09:00:00', '被保険者台帳', w('W-006'), { purpose: 'システム性能試験用データ作成' });
  dispose('R-000109', '2025-10-20T16:00:00', w('W-006'));
  plant('R-000109', '7', 'art7.purpose-outside-contract', 'collected for システム性能試験用データ作成, not a purpose of the contract', '契約の目的外（性能試験用データ作成）の収集');
  // R-000110: collected with a data category outside the contract.
  collect('R-000110', '2025-11-04T09:00:00', '要介護認定', w('W-007'), { dataCategories: ['要介護認定', '生活保護受給情報'] });
  dispose('R-000110', '2025-11-18T16:00:00', w('W-007'));
  plant('R-000110', '7', 'art7.categories-outside-contract', 'collected 生活保護受給情報, not a data category of the contract', '契約にない項目（生活保護受給情報）の収集');
  // R-000111: used for training material.
  collect('R-000111', '2025-11-17T09:00:00', '給付実績', w('W-008'));
  use('R-000111', '2025-11-18T10:00:00', w('W-008'), '研修教材作成');
  dispose('R-000111', '2025-12-01T16:00:00', w('W-008'));
  plant('R-000111', '8', 'art8.use-outside-purpose', 'used for 研修教材作成 (training material)', '目的外利用（研修教材作成）');
  // R-000112: care-need data given to an analytics vendor.
  collect('R-000112', '2025-12-01T09:00:00', '要介護認定', w('W-001'));
  record('R-000112', at('2025-12-03T10:00:00'), 'RecordProvided', { recipientId: 'VENDOR-ANALYTICS', purpose: PURPOSES[1] }, w('W-001'));
  dispose('R-000112', '2025-12-15T16:00:00', w('W-001'));
  plant('R-000112', '8', 'art8.provision-without-authorization', 'provided to VENDOR-ANALYTICS; AUTH-PROV-1 covers only 給付実績', '承諾のない提供（VENDOR-ANALYTICS への要介護認定データ）');
  // R-000113: My Number collected before the My Number memorandum.
  collect('R-000113', '2025-04-21T09:00:00', '保険料賦課', w('W-002'));
  use('R-000113', '2025-04-22T10:00:00', w('W-002'));
  dispose('R-000113', '2025-05-20T16:00:00', w('W-002'));
  plant('R-000113', '18', 'art18.my-number-without-memorandum', 'My Number collected on 2025-04-21, before the memorandum of 2025-05-01', '特定個人情報の覚書締結（2025-05-01）前のマイナンバー収集');
  // R-000114: the city instructed its disposal by 2026-07-31; disposed of on 2026-08-20.
  collect('R-000114', '2026-06-15T09:00:00', '被保険者台帳', w('W-003'));
  use('R-000114', '2026-06-16T10:00:00', w('W-003'));
  dispose('R-000114', '2026-08-20T16:00:00', w('W-003'));
  plant('R-000114', '14', 'art14.disposal-overdue', 'DisposalInstructed due 2026-07-31 17:00, disposed of on 2026-08-20', '廃棄指示（期限 2026-07-31）後の廃棄が遅延');
  // R-000115: used after the contract ended.
  collect('R-000115', '2026-09-01T09:00:00', '給付実績', w('W-004'));
  use('R-000115', '2026-09-02T10:00:00', w('W-004'));
  use('R-000115', '2026-10-05T10:00:00', w('W-004'));
  dispose('R-000115', '2026-10-20T16:00:00', w('W-004'));
  plant('R-000115', '8', 'art8.handled-after-contract-end', 'used on 2026-10-05, after ContractEnded of 2026-10-01', '契約終了（2026-10-01）後の利用');
  // R-000116: used, but its collection was never recorded.
  use('R-000116', '2026-04-06T10:00:00', w('W-007'));
  plant('R-000116', '7', 'art7.collection-missing', 'used with no RecordCollected before', '収集の記録がない記録の利用');
  // R-000117: used after its disposal.
  collect('R-000117', '2026-04-13T09:00:00', '住所地特例', w('W-008'));
  dispose('R-000117', '2026-04-24T16:00:00', w('W-008'));
  use('R-000117', '2026-04-27T10:00:00', w('W-008'));
  plant('R-000117', '14', 'art14.handled-after-closure', 'used on 2026-04-27, after its disposal on 2026-04-24', '廃棄済み（2026-04-24）の記録の利用');

  // --- The planted contract-level violations ----------------------------------------------------------
  plant(null, '6', 'art6.approval-without-request', 'SUB-PRINT approved on a request without the draft memorandum', '覚書案の添付のない申請による再委託の承諾（SUB-PRINT）');
  plant(null, '10', 'art10.inspection-overdue', 'no inspection in the first year of the term (first one on 2026-05-15)', '契約期間の最初の1年間に検査なし（初回 2026-05-15）');
  plant(null, '10', 'art10.report-overdue', 'report REP-3 due 2026-06-15, never submitted', '報告 REP-3（期限 2026-06-15）が未提出');
  plant(null, '11', 'art11.pledge-missing', 'W-012 departed on 2026-03-31 without a pledge', 'W-012 が退職時の誓約書を提出していない');
  plant(null, '12', 'art12.consultation-overdue', 'improvement IMP-1 consulted on 2026-06-10, due 2026-06-01', '改善指示 IMP-1 の協議が期限（2026-06-01）後');
  plant(null, '15', 'art15.report-overdue', 'incident INC-2026-001 reported after the 24 hours', '事故 INC-2026-001 の報告が24時間を超過');

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
    record(recordId, later(1, 48), 'RecordCopied', { copyId: 'C-1', medium: 'electronic', location: random.pick(LOCATIONS) }, handler);
    copyOpen = true;
    if (random.chance(0.3)) record(recordId, later(1, 24), 'RecordAnonymized', { copyId: 'C-1', method: '氏名・住所を仮名IDに置換' }, handler);
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
