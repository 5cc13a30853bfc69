/**
 * The handling model (docs/handling-model.md), defined once and pure: the cut and the judgement
 * order, the contract's terms in force and standing facts, the holdings fold (holder, location,
 * transport legs, disposal duties) and the due-time rules. The rulebook and custody both read it.
 */
export * from './entry.js';
export * from './terms.js';
export {
  ContractHistory,
  ContractView,
  type Of,
  type RecordTrigger,
  type WorkerStanding,
  type SubcontractorStanding,
  type Coverage,
  type UncoveredReason,
  type ApprovedScope,
} from './contract-history.js';
export * from './holdings.js';
export * from './custody-view.js';
