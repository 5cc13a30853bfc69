import { createHash } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { CHECKPOINT_TABLE, quoteSchema, TEMPLATE_SCHEMA, type Generation } from './generations.js';

export class ReadModelsNotReadyError extends Error {}

export interface ReadModelQuery {
  readonly manager: EntityManager;
  query<T = Record<string, unknown>>(sql: string, parameters?: readonly unknown[]): Promise<T[]>;
  /**
   * The same, as a named prepared statement of this connection: PostgreSQL parses and plans it
   * once per connection (and again when the search_path names another generation) instead of on
   * every call. For a large statement that runs on every answer; its text must not embed values.
   */
  prepared<T = Record<string, unknown>>(sql: string, parameters: readonly unknown[]): Promise<T[]>;
  readonly generation: Generation;
  /** Where each projection of the generation stands (its checkpoint), read in the same snapshot. */
  readonly checkpoints: ReadonlyMap<string, number>;
}

/** The statements that open a read: sent as one simple query (no parameters), one round trip. */
const OPEN_READ = [
  'START TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY',
  // The serving generation, and its schema on the search_path (the template's empty tables when
  // there is none yet), for the next statement and every later one of the transaction.
  `SELECT g.generation, g.schema_name, g.status,
          set_config('search_path', quote_ident(coalesce(g.schema_name, '${TEMPLATE_SCHEMA}')) || ', public', true) AS path
     FROM (SELECT 1) AS one LEFT JOIN public.read_model_generations g ON g.status = 'active'`,
  // Resolved after the statement before has run: PostgreSQL analyses each statement of a simple
  // query in turn, so this reads the generation's own table.
  `SELECT projection, position FROM ${CHECKPOINT_TABLE}`,
].join(';\n');

interface PgClient {
  query(text: string): Promise<unknown>;
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

/** Names already computed, by text: a handful of statement shapes (each filter combination is one). */
const NAMES = new Map<string, string>();
const MAX_NAMES = 256;

/** A prepared statement's name: its text's hash, so one name never stands for two texts on a connection. */
function statementName(sql: string): string {
  let name = NAMES.get(sql);
  if (name === undefined) {
    name = `rm_${createHash('sha256').update(sql).digest('base64url').slice(0, 22)}`;
    if (NAMES.size >= MAX_NAMES) NAMES.clear();
    NAMES.set(sql, name);
  }
  return name;
}

/**
 * Reads the serving generation in one read-only REPEATABLE READ transaction (one snapshot for
 * every query of the answer), with `search_path` set to it: raw SQL and entities both resolve
 * to its tables. Throws ReadModelsNotReadyError before the projector has created the first one.
 * Every answer pays this, so it is one round trip before the answer's own queries: the
 * transaction, the generation with its search_path, and the projections' checkpoints, sent together.
 */
export async function readActiveGeneration<T>(
  dataSource: DataSource,
  work: (q: ReadModelQuery) => Promise<T>,
  options: { emptyWhenNotBuilt?: boolean } = {},
): Promise<T> {
  const qr = dataSource.createQueryRunner('slave');
  const client = (await qr.connect()) as PgClient;
  try {
    try {
      const results = (await client.query(OPEN_READ)) as Array<{ rows: Array<Record<string, unknown>> }>;
      const row = results[1]!.rows[0] as { generation: number | null; schema_name: string | null; status: Generation['status'] | null };
      let generation: Generation | null = row.schema_name !== null ? { generation: Number(row.generation), schema: row.schema_name, status: row.status! } : null;
      if (generation) quoteSchema(generation.schema); // the name is one of ours, or nothing is read
      if (!generation && !options.emptyWhenNotBuilt) throw new ReadModelsNotReadyError('the read models are not built yet: the projector has not started');
      // Before the first generation exists, the template's empty tables: a reader that can answer
      // from the log (positions after 0 folded live) still answers.
      if (!generation) generation = { generation: 0, schema: TEMPLATE_SCHEMA, status: 'active' };
      const checkpoints = new Map((results[2]!.rows as Array<{ projection: string; position: string }>).map((r) => [r.projection, Number(r.position)]));
      const result = await work({
        manager: qr.manager,
        generation,
        checkpoints,
        query: async <R>(sql: string, parameters?: readonly unknown[]) => {
          const out = (await qr.query(sql, parameters as unknown[] | undefined, true)) as { records?: R[] };
          return out.records ?? [];
        },
        prepared: async <R>(sql: string, parameters: readonly unknown[]) => {
          const result = await client.query({ name: statementName(sql), text: sql, values: parameters as unknown[] });
          return result.rows as R[];
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
