import type { RecordedEvent } from '@ledger/domain';
import type { EventStore } from '@ledger/event-store';
import type { DataSource, QueryRunner } from 'typeorm';
import { connectionLostIfReleased } from '@ledger/database';
import { CHECKPOINT_TABLE, GenerationChangedError, quoteSchema, type Generation, type GenerationStatus } from './generations.js';
import { Lanes, type Projection, type ProjectionTransaction } from './projection.js';

export interface ProjectionSet {
  readonly dataSource: DataSource;
  readonly eventStore: EventStore;
  readonly projections: readonly Projection[];
  /** The projections' caches for this runner's lane of batches (each runner has its own). */
  readonly lanes?: Lanes;
}

export class CheckpointGapError extends Error {}

/**
 * Applies consecutive events to every projection of one generation and moves their checkpoints,
 * all in one transaction: either the read models and the checkpoints move together, or neither.
 *
 * The generation's row is read FOR SHARE (a rebuild switching generations waits for this batch,
 * and a batch after the switch sees the generation retired and stops), and the checkpoints FOR
 * UPDATE: a second projector on the same generation waits, then skips what the first applied.
 * Returns the position now reached.
 */
export async function applyBatch(
  set: ProjectionSet,
  generation: Generation,
  events: readonly RecordedEvent[],
  options: { status: GenerationStatus; queryRunner?: QueryRunner },
): Promise<number> {
  if (events.length === 0) throw new Error('applyBatch needs at least one event');
  const own = options.queryRunner === undefined;
  const qr = options.queryRunner ?? set.dataSource.createQueryRunner();
  if (own) {
    await qr.connect();
    await qr.startTransaction();
  }
  try {
    const schema = quoteSchema(generation.schema);
    await qr.query(`SET LOCAL search_path TO ${schema}, public`);
    const [row] = (await qr.query(`SELECT status FROM public.read_model_generations WHERE generation = $1 FOR SHARE`, [
      generation.generation,
    ])) as Array<{ status: GenerationStatus }>;
    if (!row || row.status !== options.status) {
      throw new GenerationChangedError(
        `read-model generation ${generation.generation} is ${row?.status ?? 'gone'}, not ${options.status}`,
      );
    }
    const names = set.projections.map((p) => p.name);
    const found = (await qr.query(
      `SELECT projection, position FROM ${CHECKPOINT_TABLE} WHERE projection = ANY($1::text[]) ORDER BY projection FOR UPDATE`,
      [names],
    )) as Array<{ projection: string; position: string }>;
    const at = new Map(found.map((r) => [r.projection, Number(r.position)]));
    const first = events[0]!.position;
    const last = events[events.length - 1]!.position;
    const tx: ProjectionTransaction = {
      manager: qr.manager,
      query: async <T>(sql: string, parameters?: readonly unknown[]) => {
        const result = (await qr.query(sql, parameters as unknown[] | undefined, true)) as { records?: T[] };
        return result.records ?? [];
      },
      schema: generation.schema,
      eventStore: set.eventStore,
      upTo: last,
    };
    for (const projection of set.projections) {
      const checkpoint = at.get(projection.name);
      if (checkpoint === undefined) throw new Error(`projection ${projection.name} has no checkpoint in ${generation.schema}`);
      if (checkpoint >= last) continue;
      if (checkpoint + 1 < first) {
        throw new CheckpointGapError(
          `projection ${projection.name} is at ${checkpoint} but the batch starts at ${first}: events would be skipped`,
        );
      }
      const mine = events.slice(checkpoint + 1 - first);
      const cache = (set.lanes ?? new Lanes()).cacheFor(projection, checkpoint);
      await projection.apply(mine, tx, cache);
    }
    await qr.query(`UPDATE ${CHECKPOINT_TABLE} SET position = $2 WHERE projection = ANY($1::text[]) AND position < $2`, [names, last]);
    if (own) {
      await qr.commitTransaction();
      set.lanes?.committed(names, last);
    }
    return last;
  } catch (error) {
    const thrown = connectionLostIfReleased(qr, error);
    set.lanes?.drop(set.projections.map((p) => p.name));
    if (own) await qr.rollbackTransaction().catch(() => undefined);
    throw thrown;
  } finally {
    if (own) await qr.release();
  }
}
