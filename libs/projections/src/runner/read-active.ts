import type { DataSource, EntityManager } from 'typeorm';
import { findGeneration, inTransaction, quoteSchema, TEMPLATE_SCHEMA, type Generation } from './generations.js';

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
 */
export async function readActiveGeneration<T>(
  dataSource: DataSource,
  work: (q: ReadModelQuery) => Promise<T>,
  options: { emptyWhenNotBuilt?: boolean } = {},
): Promise<T> {
  return inTransaction(
    dataSource,
    async (qr) => {
      await qr.query('SET TRANSACTION READ ONLY');
      let generation = await findGeneration(qr, 'active');
      if (!generation && !options.emptyWhenNotBuilt) throw new ReadModelsNotReadyError('the read models are not built yet: the projector has not started');
      // Before the first generation exists, the template's empty tables: a reader that can answer
      // from the log (positions after 0 folded live) still answers.
      generation ??= { generation: 0, schema: TEMPLATE_SCHEMA, status: 'active' };
      await qr.query(`SET LOCAL search_path TO ${generation.generation === 0 ? TEMPLATE_SCHEMA : quoteSchema(generation.schema)}, public`);
      return work({
        manager: qr.manager,
        generation,
        query: async <R>(sql: string, parameters?: readonly unknown[]) => {
          const out = (await qr.query(sql, parameters as unknown[] | undefined, true)) as { records?: R[] };
          return out.records ?? [];
        },
      });
    },
    { isolation: 'REPEATABLE READ', mode: 'slave' },
  );
}
