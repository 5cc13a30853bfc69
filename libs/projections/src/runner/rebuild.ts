import { ADVISORY_LOCKS, connectionLostIfReleased } from '@ledger/database';
import { applyBatch, type ProjectionSet } from './apply-batch.js';
import { Lanes } from './projection.js';
import { PROJECTOR_BATCH_BYTES, PROJECTOR_BATCH_SIZE } from './projector.js';
import {
  dropRetiredGenerations,
  ensureBuildingGeneration,
  findGeneration,
  generationPosition,
  type Generation,
} from './generations.js';

/** One rebuild at a time (a session lock, released when the rebuild's connection ends). */
const REBUILD_LOCK = ADVISORY_LOCKS.readModelRebuild;

export interface RebuildProgress {
  generation: number;
  position: number;
  head: number;
  /** Position the rebuild started (or resumed) from. */
  startedAt: number;
}

export interface RebuildOptions {
  /** Events per transaction (default PROJECTOR_BATCH_SIZE; batches are cut at PROJECTOR_BATCH_BYTES too). */
  batchSize?: number;
  /** Discard a generation an interrupted rebuild left, instead of resuming it. */
  restart?: boolean;
  /** Retired generations to keep after the switch (default 1: the one just replaced). */
  keepRetired?: number;
  /** Stops between batches; the generation stays `building` and a later rebuild resumes it. */
  signal?: AbortSignal;
  onProgress?: (progress: RebuildProgress) => void;
}

export interface RebuildResult {
  generation: Generation;
  /** The generation it replaced, null on a database that had none. */
  replaced: Generation | null;
  resumed: boolean;
  resumedFrom: number;
  position: number;
  /** false when stopped by the signal before the switch. */
  switched: boolean;
  dropped: string[];
}

export class RebuildBusyError extends Error {}

/**
 * Rebuilds every read model from position 0 into a fresh generation while the serving one keeps
 * answering (and its projector keeps following), then switches in one transaction: the tail of
 * the log is applied under the lock of the generations table and the pointer moves. Resumable:
 * each batch commits with the new generation's own checkpoints.
 */
export async function rebuildReadModels(given: ProjectionSet, options: RebuildOptions = {}): Promise<RebuildResult> {
  // Its own lane of caches: a rebuild beside the live projector never shares the projector's.
  const set: ProjectionSet = { ...given, lanes: new Lanes() };
  const batchSize = options.batchSize ?? PROJECTOR_BATCH_SIZE;
  const lock = set.dataSource.createQueryRunner();
  await lock.connect();
  try {
    const [{ locked }] = (await lock.query('SELECT pg_try_advisory_lock($1) AS locked', [REBUILD_LOCK])) as [{ locked: boolean }];
    if (!locked) throw new RebuildBusyError('another rebuild is running against this database');
    try {
      const { generation, resumed } = await ensureBuildingGeneration(set.dataSource, set.projections, options.restart ?? false);
      let position = await generationPosition(set.dataSource, generation, set.projections);
      const startedAt = position;
      const report = async (): Promise<void> => {
        options.onProgress?.({ generation: generation.generation, position, head: await set.eventStore.headPosition(), startedAt });
      };
      await report();
      while (!options.signal?.aborted) {
        const events = await set.eventStore.readAll({ after: position, limit: batchSize, maxBytes: PROJECTOR_BATCH_BYTES });
        if (events.length === 0) break;
        position = await applyBatch(set, generation, events, { status: 'building' });
        await report();
      }
      const base = { generation, resumed, resumedFrom: startedAt, dropped: [] as string[] };
      if (options.signal?.aborted) return { ...base, replaced: await findGeneration(set.dataSource, 'active'), position, switched: false };

      const qr = set.dataSource.createQueryRunner();
      await qr.connect();
      let replaced: Generation | null;
      try {
        await qr.startTransaction();
        await qr.query(`SELECT generation FROM public.read_model_generations ORDER BY generation FOR UPDATE`);
        replaced = await findGeneration(qr, 'active');
        for (;;) {
          const events = await set.eventStore.readAll({ after: position, limit: batchSize, maxBytes: PROJECTOR_BATCH_BYTES });
          if (events.length === 0) break;
          position = await applyBatch(set, generation, events, { status: 'building', queryRunner: qr });
        }
        await qr.query(`UPDATE public.read_model_generations SET status = 'retired', retired_at = now() WHERE status = 'active'`);
        await qr.query(`UPDATE public.read_model_generations SET status = 'active', activated_at = now() WHERE generation = $1`, [
          generation.generation,
        ]);
        await qr.commitTransaction();
      } catch (error) {
        const thrown = connectionLostIfReleased(qr, error);
        await qr.rollbackTransaction().catch(() => undefined);
        throw thrown;
      } finally {
        await qr.release();
      }
      await report();
      const dropped = await dropRetiredGenerations(set.dataSource, options.keepRetired ?? 1);
      return { ...base, generation: { ...generation, status: 'active' }, replaced, position, switched: true, dropped };
    } finally {
      await lock.query('SELECT pg_advisory_unlock($1)', [REBUILD_LOCK]).catch(() => undefined);
    }
  } finally {
    await lock.release();
  }
}
