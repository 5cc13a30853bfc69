/**
 * Every PostgreSQL advisory lock key the ledger takes, defined once so that no two share a key.
 * (Two did: `npx ledger rebuild` answered "another rebuild is running" whenever the checkpoint
 * signer was signing, and the read models' generation switch waited on the Merkle integrator.)
 */
export const ADVISORY_LOCKS = {
  /** Migrations, one process at a time (session lock). */
  migrations: 7311001,
  /** Appends, so positions commit in order (transaction lock). */
  append: 7311002,
  /** The Merkle integrator's batch (transaction lock). */
  merkleIntegrate: 7311003,
  /** The checkpoint signer's checkpoint (transaction lock). */
  checkpointSign: 7311004,
  /** The read models' generations table: create, switch, drop (transaction lock). */
  readModelGenerations: 7311005,
  /** One rebuild of the read models at a time (session lock, tried). */
  readModelRebuild: 7311006,
} as const;
