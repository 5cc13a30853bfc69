/**
 * The witness the city (or anyone) runs as its own process (`npm run cli -- witness`): a C2SP
 * tlog-witness server with its own key and its own state file, cosigning a log's checkpoints only
 * when they extend what it cosigned before. No database; the protocol's decision is the pure
 * decideAddCheckpoint of libs/integrity.
 */
export { WitnessServer, type WitnessServerOptions } from './witness-server.js';
export { WitnessState, type WitnessEvidence, type WitnessedLogConfig } from './witness-state.js';
export { loadWitnessKey } from './witness-key.js';
