export { contractsProjection, CONTRACTS_PROJECTION, CONTRACTS_TABLES } from './contracts.projection.js';
export { listContracts, type ContractListing, type ContractListQuery } from './contracts-read.js';
