export { handlingProjection, HandlingCache, HANDLING_PROJECTION, HANDLING_TABLES, FAR } from './handling.projection.js';
export { recordAt, verdictOf, custodyOf, findingsPage, historyPage, encodeFindingCursor, decodeFindingCursor, JudgementTooLongError, MAX_LIVE_EVENTS, type RecordAt, type RecordAtInput } from './handling-read.js';
export { contractView, presentContractView, decodeCursor, encodeCursor, type ContractComplianceView, type ContractViewInput, type PresentInput, type PresentRead, type FindingsFilter, type ListedFinding, type RecordCounts, type RuleSummary } from './contract-view.js';
export { listHoldings, encodeHoldingsCursor, decodeHoldingsCursor, type HoldingsQuery, type HoldingsPage, type HoldingListItem } from './holdings-list.js';
export { loadHead, SNAPSHOT_EVERY, type HeadRow } from './handling-store.js';
export { tagsOf, targetsOf, type Targets } from './targets.js';
