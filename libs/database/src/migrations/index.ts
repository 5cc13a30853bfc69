import { EventLog1764000000000 } from './1764000000000-event-log.js';
import { MerkleLog1764500000000 } from './1764500000000-merkle-log.js';

/** Every schema change, in order. Listed explicitly: ESM builds cannot glob-load classes. */
export const MIGRATIONS = [EventLog1764000000000, MerkleLog1764500000000];
