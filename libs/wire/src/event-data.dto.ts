/**
 * The `data` of every event type (EVENTS.md), as class-validator DTOs. A field not declared here
 * is refused, at every level, so nothing personal slips in through an extra field.
 */
import { ApiProperty } from '@nestjs/swagger';
import {
  AUTHORIZATION_KINDS,
  BRIEFING_TOPICS,
  CONTRACT_END_REASONS,
  DISPOSAL_ACTIONS,
  DISPOSAL_METHODS,
  INCIDENT_KINDS,
  INSPECTION_CYCLES,
  INSPECTION_OUTCOMES,
  MEDIA,
  NOTICE_METHODS,
  PPC_REPORT_STAGES,
  SAFEGUARDS,
  WORKER_ORG_PATTERN,
  type EventType,
} from '@ledger/domain';
import { IsString, Matches } from 'class-validator';
import { Count, Flag, IdList, IsDuration, Label, LabelList, LedgerId, Nested, OneOf, Reference, SubsetOf, Timestamp } from './field-rules.js';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';

export class TermDto {
  @Timestamp(true, 'first day of the contract term') start!: string;
  @Timestamp(true, 'last moment of the contract term') end!: string;
}

function PolicyDuration(description: string): PropertyDecorator {
  return (target, key) => {
    ApiPropertyOptional({ type: String, description: `${description}; ISO 8601 duration`, example: 'P30D' })(target, key);
    IsOptional()(target, key);
    IsDuration()(target, key);
  };
}

/** Overrides of the rulebook's deadlines and choices (docs/rulebook.md "Policy"). */
export class PolicyDto {
  @PolicyDuration('Art. 15: incident → report (default PT24H)') incidentReportWithin?: string;
  @PolicyDuration('Art. 14: disposal instruction, contract end or no longer needed → disposal (default P30D)') disposalWithin?: string;
  @PolicyDuration('Art. 13: transport start → completion when no expectedArrivalAt (default PT24H)') transportWithin?: string;
  @PolicyDuration('Art. 11-3: departure → pledge, and departure → holdings surrendered (default P1D)') pledgeWithin?: string;
  @PolicyDuration('Art. 11-3: how long before a departure a pledge still counts (default P30D)') pledgeLookback?: string;
  @PolicyDuration('Art. 12-2: improvement request → consultation when no dueAt (default: none, the memorandum sets no deadline)') consultationWithin?: string;
  @PolicyDuration('Art. 10, rolling cycle: longest interval between inspections (default P1Y)') inspectionEvery?: string;
  @OneOf(INSPECTION_CYCLES, false, 'Art. 10: fiscal_year (one inspection in each 年度 the term overlaps; default) or rolling (inspectionEvery)') inspectionCycle?: string;
  @IdList({ required: false, description: 'Art. 5: location codes where a copy must be anonymized (default none)' }) anonymizeLocations?: string[];
  @PolicyDuration('Art. 5: copy to such a location → anonymized (default PT24H)') anonymizeWithin?: string;
  @LabelList({ required: false, description: 'APPI Art. 68: data categories that are 要配慮個人情報 (default none)' }) sensitiveCategories?: string[];
  @PolicyDuration('APPI Art. 68: the city learns of a reportable incident → preliminary report to the PPC (default P5D)') ppcPreliminaryWithin?: string;
  @PolicyDuration('APPI Art. 68: → final report (default P30D; P60D for unauthorized_access and theft)') ppcFinalWithin?: string;
  @PolicyDuration('APPI Art. 68(2): → notice to the persons concerned (default P30D)') personNoticeWithin?: string;
  @Flag(false, 'EVENTS.md v2: refuse unsigned events for the contract (400) and events not signed by the acting party (403); default false')
  requireSignedEvents?: boolean;
}

export class ContractRegisteredData {
  @Label(true, 'name of the contract') title!: string;
  @LedgerId(true, 'the contractor (乙) of the contract: its keys are the party contractor:<contractorId> (EVENTS.md v2)') contractorId!: string;
  @LabelList({ min: 1, description: 'purposes of use the contract allows (Art. 7, 8)' }) purposes!: string[];
  @LabelList({ min: 1, description: 'categories of personal information the contract covers (Art. 7)' }) dataCategories!: string[];
  @Flag(true, 'whether the contract allows subcontracting (Art. 6)') permitsSubcontracting!: boolean;
  @Nested(() => TermDto) term!: TermDto;
  @Nested(() => PolicyDto, false, 'overrides of the rulebook deadlines') policy?: PolicyDto;
}

export class ContractAmendedData {
  @LabelList({ required: false, min: 1, description: 'new purposes (replace the old list)' }) purposes?: string[];
  @LabelList({ required: false, min: 1, description: 'new data categories (replace the old list)' }) dataCategories?: string[];
  @Flag(false) permitsSubcontracting?: boolean;
  @Nested(() => TermDto, false) term?: TermDto;
  @Nested(() => PolicyDto, false, 'deadline overrides, merged key by key') policy?: PolicyDto;
}

export class ContractEndedData {
  @OneOf(CONTRACT_END_REASONS) reason!: string;
}

export class ResponsiblePersonDesignatedData {
  @LedgerId(true, 'pseudonymous ID of the responsible person (Art. 3)') personId!: string;
  @Label(true, 'job title') title!: string;
}

export class WorkerAuthorizedData {
  @LedgerId(true, 'worker') workerId!: string;
  @ApiProperty({ type: String, pattern: WORKER_ORG_PATTERN.source, description: '`contractor` or `subcontractor:<id>`' })
  @IsString()
  @Matches(WORKER_ORG_PATTERN, { message: 'org must be contractor or subcontractor:<id>' })
  org!: string;
}

export class WorkerRefData {
  @LedgerId(true, 'worker') workerId!: string;
}

export class WorkerBriefedData {
  @LedgerId(true, 'worker') workerId!: string;
  @SubsetOf(BRIEFING_TOPICS, { min: 1, description: 'what the worker was told: confidentiality (Art. 4), penalties (Art. 17)' }) topics!: string[];
}

export class SubcontractRequestedData {
  @LedgerId(true, 'subcontractor') subcontractorId!: string;
  @Reference(true, 'reference of the written application') applicationRef!: string;
  @Label(true, 'reason for subcontracting (Art. 6-1(3))') reason!: string;
  @LabelList({ description: 'personal information the subcontractor would handle' }) dataCategories!: string[];
  @Flag(true, 'draft memorandum with the subcontractor attached (Art. 6-2)') draftMemorandumAttached!: boolean;
}

export class SubcontractApprovedData {
  @LedgerId(true, 'subcontractor') subcontractorId!: string;
  @Reference(true, 'reference of the approved application') applicationRef!: string;
}

export class SubcontractorRefData {
  @LedgerId(true, 'subcontractor') subcontractorId!: string;
}

export class AuthorizationGrantedData {
  @LedgerId(true, 'authorization') authorizationId!: string;
  @OneOf(AUTHORIZATION_KINDS) kind!: string;
  @IdList({ required: false, description: 'records covered (absent: any record)' }) recordIds?: string[];
  @LabelList({ required: false, description: 'data categories covered (absent: any)' }) dataCategories?: string[];
  @Timestamp(false, 'end of validity (exclusive)') validUntil?: string;
  @Reference(false, 'document reference of the instruction or consent') reference?: string;
}

export class AuthorizationRefData {
  @LedgerId(true, 'authorization') authorizationId!: string;
}

export class ReportRequestedData {
  @LedgerId(true, 'request') requestId!: string;
  @Timestamp(true, 'report due') dueAt!: string;
}

export class RequestRefData {
  @LedgerId(true, 'request') requestId!: string;
}

export class InspectionConductedData {
  @LedgerId(true, 'inspection') inspectionId!: string;
  @OneOf(INSPECTION_OUTCOMES) outcome!: string;
}

export class ImprovementRequestedData {
  @LedgerId(true, 'request') requestId!: string;
  @LabelList({ min: 1, description: 'reasons: codes or document references' }) reasons!: string[];
  @Timestamp(false, 'consultation due') dueAt?: string;
}

export class DisposalInstructedData {
  @IdList({ required: false, description: 'records to dispose of (absent: every record of the contract)' }) recordIds?: string[];
  @Timestamp(false, 'disposal due') dueAt?: string;
  @OneOf(DISPOSAL_ACTIONS, false, 'what the city instructs: return, dispose, or either (default)') action?: string;
}

export class IncidentDetectedData {
  @LedgerId(true, 'incident') incidentId!: string;
  @OneOf(INCIDENT_KINDS) kind!: string;
  @IdList({ description: 'records affected (may be empty)' }) affectedRecordIds!: string[];
  @Count(false, 'number of persons affected') affectedPersonCount?: number;
  @Flag(false, 'a risk of financial harm (APPI Art. 68 reportable)') financialHarmRisk?: boolean;
}

export class PpcReportedData {
  @LedgerId(true, 'incident') incidentId!: string;
  @OneOf(PPC_REPORT_STAGES) stage!: string;
}

export class PersonsNotifiedData {
  @LedgerId(true, 'incident') incidentId!: string;
  @OneOf(NOTICE_METHODS, false, 'individual notice, or public notice where individual notice is not possible') method?: string;
}

export class IncidentRefData {
  @LedgerId(true, 'incident') incidentId!: string;
}

export class MyNumberMemorandumConcludedData {
  @Reference(true, 'reference of the specific personal information memorandum (Art. 18)') reference!: string;
}

export class RecordCollectedData {
  @Label(true, 'purpose of collection') purpose!: string;
  @LabelList({ min: 1, description: 'categories of personal information collected' }) dataCategories!: string[];
  @OneOf(MEDIA) medium!: string;
  @Flag(true, 'contains My Number (individual numbers, Art. 18)') containsMyNumber!: boolean;
  @Count(false, 'number of persons in the record') personCount?: number;
  @LedgerId(false, 'location code') location?: string;
}

export class RecordUsedData {
  @Label(true, 'purpose of use') purpose!: string;
}

export class RecordProvidedData {
  @LedgerId(true, 'recipient') recipientId!: string;
  @Label(true, 'purpose of provision') purpose!: string;
}

export class RecordCopiedData {
  @LedgerId(true, 'the new copy') copyId!: string;
  @OneOf(MEDIA) medium!: string;
  @LedgerId(true, 'location code of the copy') location!: string;
  @LedgerId(false, 'the copy this one was made from (absent: the original)') fromCopyId?: string;
}

export class RecordAnonymizedData {
  @LedgerId(false, 'the copy anonymized (absent: the original)') copyId?: string;
  @Label(true, 'method, e.g. name-to-number replacement (Art. 5)') method!: string;
}

export class TransportStartedData {
  @LedgerId(true, 'transport') transportId!: string;
  @LedgerId(false, 'the copy carried (absent: the original)') copyId?: string;
  @LedgerId(true, 'location code of departure') from!: string;
  @LedgerId(true, 'location code of destination') to!: string;
  @LedgerId(true, 'carrier') carrierId!: string;
  @OneOf(MEDIA) medium!: string;
  @SubsetOf(SAFEGUARDS, { description: 'safeguards in place (Art. 13)' }) safeguards!: string[];
  @Timestamp(false, 'expected arrival') expectedArrivalAt?: string;
}

export class TransportCompletedData {
  @LedgerId(true, 'transport') transportId!: string;
  @LedgerId(true, 'receiver') receivedBy!: string;
}

export class RecordReturnedData {
  @LedgerId(false, 'the copy returned (absent: the original)') copyId?: string;
  @LedgerId(true, 'city staff who received it') receivedBy!: string;
}

export class RecordDisposedData {
  @LedgerId(false, 'the copy disposed of (absent: the original)') copyId?: string;
  @OneOf(DISPOSAL_METHODS) method!: string;
  @LedgerId(false, 'city staff who witnessed the disposal (Art. 14)') witnessedBy?: string;
  @Reference(false, 'disposal certificate reference') certificateRef?: string;
}

export class RecordNoLongerNeededData {
  @LedgerId(false, 'the copy no longer needed (absent: every open holding of the record)') copyId?: string;
  @LedgerId(true, 'reason code, e.g. migration-complete') reason!: string;
}

/** A DTO class of the wire contract: class-validator instantiates it with no argument. */
export type DataDtoClass = new () => object;

/** The DTO that validates each type's `data`. Exhaustive: a new event type breaks the build here. */
export const DATA_DTOS: { readonly [K in EventType]: DataDtoClass } = {
  ContractRegistered: ContractRegisteredData,
  ContractAmended: ContractAmendedData,
  ContractEnded: ContractEndedData,
  ResponsiblePersonDesignated: ResponsiblePersonDesignatedData,
  WorkerAuthorized: WorkerAuthorizedData,
  WorkerAuthorizationRevoked: WorkerRefData,
  WorkerBriefed: WorkerBriefedData,
  WorkerDeparted: WorkerRefData,
  WorkerPledgeSubmitted: WorkerRefData,
  SubcontractRequested: SubcontractRequestedData,
  SubcontractApproved: SubcontractApprovedData,
  SubcontractApprovalRevoked: SubcontractorRefData,
  AuthorizationGranted: AuthorizationGrantedData,
  AuthorizationRevoked: AuthorizationRefData,
  ReportRequested: ReportRequestedData,
  ReportSubmitted: RequestRefData,
  InspectionConducted: InspectionConductedData,
  ImprovementRequested: ImprovementRequestedData,
  ImprovementConsultationHeld: RequestRefData,
  DisposalInstructed: DisposalInstructedData,
  IncidentDetected: IncidentDetectedData,
  IncidentReported: IncidentRefData,
  MyNumberMemorandumConcluded: MyNumberMemorandumConcludedData,
  PpcReported: PpcReportedData,
  PersonsNotified: PersonsNotifiedData,
  RecordCollected: RecordCollectedData,
  RecordUsed: RecordUsedData,
  RecordProvided: RecordProvidedData,
  RecordCopied: RecordCopiedData,
  RecordAnonymized: RecordAnonymizedData,
  TransportStarted: TransportStartedData,
  TransportCompleted: TransportCompletedData,
  RecordReturned: RecordReturnedData,
  RecordDisposed: RecordDisposedData,
  RecordNoLongerNeeded: RecordNoLongerNeededData,
};
