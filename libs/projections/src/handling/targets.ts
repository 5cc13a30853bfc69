/**
 * Which records a contract event can change the judgement of (the read model re-judges them, or
 * refolds them when the event is late for them), and the tags a record event gives its record so
 * that they can be found. Pure.
 */
import type { ContractEvent, LedgerEvent } from '@ledger/domain';
import type { ContractHistory } from '@ledger/handling';

/** Every record of the contract, or some by ID and by tag. */
export type Targets = { readonly all: true } | { readonly all: false; readonly recordIds: readonly string[]; readonly tags: readonly string[] };

const NONE: Targets = { all: false, recordIds: [], tags: [] };
const ALL: Targets = { all: true };

/** Tags of the record an event belongs to: the workers, subcontractors and recipients it names, and My Number. */
export function tagsOf(event: LedgerEvent): string[] {
  if (event.recordId === undefined) return [];
  const tags: string[] = [];
  const { org, workerId } = event.actor;
  if (workerId !== undefined && org !== 'city') tags.push(`w:${workerId}`);
  if (org.startsWith('subcontractor:')) tags.push(`s:${org.slice('subcontractor:'.length)}`);
  switch (event.type) {
    case 'RecordProvided':
      tags.push(`s:${event.data.recipientId}`);
      break;
    case 'TransportCompleted':
      tags.push(`w:${event.data.receivedBy}`);
      break;
    case 'RecordCollected':
      if (event.data.containsMyNumber) tags.push('m');
      break;
    default:
      break;
  }
  return tags;
}

/** The records whose judgement a contract event can change. */
export function targetsOf(event: ContractEvent, history: ContractHistory): Targets {
  switch (event.type) {
    case 'ContractRegistered':
    case 'ContractAmended':
    case 'ContractEnded':
    case 'ResponsiblePersonDesignated':
      return ALL;
    case 'DisposalInstructed':
    case 'AuthorizationGranted':
      return event.data.recordIds === undefined ? ALL : { all: false, recordIds: event.data.recordIds, tags: [] };
    case 'AuthorizationRevoked': {
      const grants = history.entries.filter(
        (e) => e.event.type === 'AuthorizationGranted' && e.event.data.authorizationId === event.data.authorizationId,
      );
      const ids: string[] = [];
      for (const g of grants) {
        if (g.event.type !== 'AuthorizationGranted') continue;
        if (g.event.data.recordIds === undefined) return ALL;
        ids.push(...g.event.data.recordIds);
      }
      return { all: false, recordIds: ids, tags: [] };
    }
    case 'WorkerAuthorized':
    case 'WorkerAuthorizationRevoked':
    case 'WorkerBriefed':
    case 'WorkerDeparted':
      return { all: false, recordIds: [], tags: [`w:${event.data.workerId}`] };
    case 'SubcontractRequested':
    case 'SubcontractApproved':
    case 'SubcontractApprovalRevoked':
      return { all: false, recordIds: [], tags: [`s:${event.data.subcontractorId}`] };
    case 'MyNumberMemorandumConcluded':
      return { all: false, recordIds: [], tags: ['m'] };
    case 'IncidentDetected':
      return { all: false, recordIds: event.data.affectedRecordIds, tags: [] };
    case 'IncidentReported': {
      const ids: string[] = [];
      for (const e of history.entries) {
        if (e.event.type === 'IncidentDetected' && e.event.data.incidentId === event.data.incidentId) ids.push(...e.event.data.affectedRecordIds);
      }
      return { all: false, recordIds: ids, tags: [] };
    }
    case 'WorkerPledgeSubmitted':
    case 'ReportRequested':
    case 'ReportSubmitted':
    case 'InspectionConducted':
    case 'ImprovementRequested':
    case 'ImprovementConsultationHeld':
    case 'PpcReported':
    case 'PersonsNotified':
      return NONE;
    default: {
      const _exhaustive: never = event;
      throw new Error(`unknown contract event ${JSON.stringify(_exhaustive)}`);
    }
  }
}
