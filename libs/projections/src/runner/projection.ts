import type { RecordedEvent } from '@ledger/domain';
import type { EventStore } from '@ledger/event-store';
import type { EntityManager } from 'typeorm';

/**
 * The transaction a batch is applied in. `search_path` is set to the generation being written
 * (`read_model_g<N>`, then `public`), so projections name their tables unqualified; the runner
 * writes the checkpoints in the same transaction and commits once for the whole batch.
 */
export interface ProjectionTransaction {
  /** TypeORM EntityManager bound to this transaction (entities resolve to the generation's tables). */
  readonly manager: EntityManager;
  /** A raw SQL statement in this transaction; the rows of a SELECT or RETURNING. */
  query<T = Record<string, unknown>>(sql: string, parameters?: readonly unknown[]): Promise<T[]>;
  /** The generation's schema, e.g. `read_model_g3`. */
  readonly schema: string;
  /** The log, for a projection that must re-read a stream (e.g. to place a late event). */
  readonly eventStore: EventStore;
  /** Position of the batch's last event: a stream re-read must ignore events after it. */
  readonly upTo: number;
}

/**
 * A read model kept by the projector (docs/custody.md "Adding a projection").
 *
 * - `name` is its checkpoint's key; `tables` are the tables it owns, each defined by a migration
 *   in `read_model_template` (a new generation copies them from there);
 * - `apply` gets consecutive events in global order, each exactly once per generation, and must
 *   do all its writes through `tx`: if it throws, the batch and the checkpoint roll back together.
 *   It must be deterministic (same events, same rows) so that a rebuild gives identical tables.
 */
export interface Projection {
  readonly name: string;
  readonly tables: readonly string[];
  apply(events: readonly RecordedEvent[], tx: ProjectionTransaction): Promise<void>;
}
