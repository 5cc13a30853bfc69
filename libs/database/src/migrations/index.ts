import { EventLog1764000000000 } from './1764000000000-event-log.js';
import { MerkleLog1764500000000 } from './1764500000000-merkle-log.js';
import { ReadModels1764600000000 } from './1764600000000-read-models.js';
import { AccessLog1764600000001 } from './1764600000001-access-log.js';
import { ComplianceReadModel1764700000000 } from './1764700000000-compliance-read-model.js';
import { ApiKeys1764800000000 } from './1764800000000-api-keys.js';
import { CustodyOverdueAt1764900000000 } from './1764900000000-custody-overdue-at.js';
import { CustodyInTransitIndex1764900000001 } from './1764900000001-custody-in-transit-index.js';
import { CheckpointCosignatures1765000000000 } from './1765000000000-checkpoint-cosignatures.js';
import { PartyCredentials1765100000000 } from './1765100000000-party-credentials.js';
import { EventOrderIndex1765200000000 } from './1765200000000-event-order-index.js';
import { ConsoleSessions1765300000000 } from './1765300000000-console-sessions.js';

/** Every schema change, in order. Listed explicitly: ESM builds cannot glob-load classes. */
export const MIGRATIONS = [EventLog1764000000000, MerkleLog1764500000000, ReadModels1764600000000, AccessLog1764600000001, ComplianceReadModel1764700000000, ApiKeys1764800000000, CustodyOverdueAt1764900000000, CustodyInTransitIndex1764900000001, CheckpointCosignatures1765000000000, PartyCredentials1765100000000, EventOrderIndex1765200000000, ConsoleSessions1765300000000];
