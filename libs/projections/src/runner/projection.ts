import type { RecordedEvent } from '@ledger/domain';
import type { EventStore } from '@ledger/event-store';
import type { EntityManager, MigrationInterface } from 'typeorm';

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

export type MigrationClass = new () => MigrationInterface;

/**
 * A read model kept by the projector (docs/architecture.md "Adding a projection"): a definition,
 * not a process. It declares
 * - `name`: its checkpoint's key;
 * - `tables` and `migrations`: the tables it owns in `read_model_template`, created by its own
 *   migrations, kept beside it (a new generation copies the tables from the template);
 * - `createCache`: what it may keep in memory between batches;
 * - `apply`: what it does with a batch.
 * The runner owns the rest: batching, the transaction and the checkpoint (read models and
 * checkpoint commit together), continuity (a cache lives only while batches follow each other:
 * a restart, a retry after a failure, or a rebuild beside the live projector gets a fresh one),
 * retries and status. `apply` gets consecutive events in global order, each exactly once per
 * generation, does all its writes through `tx`, and is deterministic: the same events give the
 * same rows, so a rebuild gives identical tables.
 */
export interface Projection<Cache = unknown> {
  readonly name: string;
  readonly tables: readonly string[];
  readonly migrations: readonly MigrationClass[];
  createCache(): Cache;
  apply(events: readonly RecordedEvent[], tx: ProjectionTransaction, cache: Cache): Promise<void>;
}

/** Caches of the projections for the lane of batches a runner is applying (see `Projection`). */
export class Lanes {
  private readonly lanes = new Map<string, { horizon: number; cache: unknown }>();

  /** The cache for a batch starting right after `horizon`, fresh when the batch does not continue the lane. */
  cacheFor(projection: Projection, horizon: number): unknown {
    const lane = this.lanes.get(projection.name);
    if (lane && lane.horizon === horizon) return lane.cache;
    const cache = projection.createCache();
    this.lanes.set(projection.name, { horizon: Number.NaN, cache });
    return cache;
  }

  /** The batch committed: the lane now continues after `position`. */
  committed(names: readonly string[], position: number): void {
    for (const name of names) {
      const lane = this.lanes.get(name);
      if (lane) lane.horizon = position;
    }
  }

  /** A batch failed or rolled back: its caches may hold what was never committed. */
  drop(names: readonly string[]): void {
    for (const name of names) this.lanes.delete(name);
  }
}
