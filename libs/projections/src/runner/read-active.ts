import type { DataSource, EntityManager } from 'typeorm';
import { quoteSchema, TEMPLATE_SCHEMA, type Generation } from './generations.js';

export class ReadModelsNotReadyError extends Error {}

export interface ReadModelQuery {
  readonly manager: EntityManager;
  query<T = Record<string, unknown>>(sql: string, parameters?: readonly unknown[]): Promise<T[]>;
  readonly generation: Generation;
}

/**
 * Reads the serving generation in one read-only REPEATABLE READ transaction (one snapshot for
 * every query of the answer), with `search_path` set to it: raw SQL and entities both resolve
 * to its tables. Throws ReadModelsNotReadyError before the projector has created the first one.
 * Every answer pays this, so it costs two round trips before the answer's own queries (the
 * transaction with its modes in one statement; the generation and its search_path in another).
 */
export async function readActiveGeneration<T>(
  dataSource: DataSource,
  work: (q: ReadModelQuery) => Promise<T>,
  options: { emptyWhenNotBuilt?: boolean } = {},
): Promise<T> {
  const qr = dataSource.createQueryRunner('slave');
  await qr.connect();
  try {
    await qr.query('START TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    try {
      const [row] = (await qr.query(
        `SELECT generation, schema_name, status, set_config('search_path', quote_ident(schema_name) || ', public', true) AS path
           FROM public.read_model_generations WHERE status = 'active'`,
      )) as Array<{ generation: number; schema_name: string; status: Generation['status'] }>;
      let generation: Generation | null = row ? { generation: Number(row.generation), schema: row.schema_name, status: row.status } : null;
      if (generation) quoteSchema(generation.schema); // the name is one of ours, or nothing is read
      if (!generation && !options.emptyWhenNotBuilt) throw new ReadModelsNotReadyError('the read models are not built yet: the projector has not started');
      if (!generation) {
        // Before the first generation exists, the template's empty tables: a reader that can answer
        // from the log (positions after 0 folded live) still answers.
        generation = { generation: 0, schema: TEMPLATE_SCHEMA, status: 'active' };
        await qr.query(`SET LOCAL search_path TO ${TEMPLATE_SCHEMA}, public`);
      }
      const result = await work({
        manager: qr.manager,
        generation,
        query: async <R>(sql: string, parameters?: readonly unknown[]) => {
          const out = (await qr.query(sql, parameters as unknown[] | undefined, true)) as { records?: R[] };
          return out.records ?? [];
        },
      });
      await qr.query('COMMIT');
      return result;
    } catch (error) {
      await qr.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  } finally {
    await qr.release();
  }
}
