import type { DataSource, QueryRunner } from 'typeorm';
import { ADVISORY_LOCKS, connectionLostIfReleased } from '@ledger/database';
import type { Projection } from './projection.js';

/** The schema with the canonical, empty read-model tables (created by migrations). */
export const TEMPLATE_SCHEMA = 'read_model_template';
export const CHECKPOINT_TABLE = 'projection_checkpoints';
const SCHEMA_PATTERN = /^read_model_g[0-9]{1,9}$/;
const TABLE_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;
/** Serializes the creation of generations and of their tables. */
const GENERATIONS_LOCK = ADVISORY_LOCKS.readModelGenerations;

export type GenerationStatus = 'building' | 'active' | 'retired';

export interface Generation {
  readonly generation: number;
  readonly schema: string;
  readonly status: GenerationStatus;
}

export class GenerationChangedError extends Error {}

/** A raw-SQL runner: a TypeORM QueryRunner or the DataSource. */
export interface Sql {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

async function rows<T>(sql: Sql, text: string, parameters?: unknown[]): Promise<T[]> {
  return (await sql.query(text, parameters)) as T[];
}

export function quoteSchema(schema: string): string {
  if (!SCHEMA_PATTERN.test(schema)) throw new Error(`not a read-model generation schema: ${schema}`);
  return `"${schema}"`;
}

function quoteTable(table: string): string {
  if (!TABLE_PATTERN.test(table)) throw new Error(`not a read-model table name: ${table}`);
  return `"${table}"`;
}

function toGeneration(row: { generation: number; schema_name: string; status: GenerationStatus }): Generation {
  return { generation: Number(row.generation), schema: row.schema_name, status: row.status };
}

export async function findGeneration(sql: Sql, status: 'active' | 'building'): Promise<Generation | null> {
  const [row] = await rows<{ generation: number; schema_name: string; status: GenerationStatus }>(
    sql,
    `SELECT generation, schema_name, status FROM public.read_model_generations WHERE status = $1`,
    [status],
  );
  return row ? toGeneration(row) : null;
}

export async function listGenerations(sql: Sql): Promise<Generation[]> {
  const found = await rows<{ generation: number; schema_name: string; status: GenerationStatus }>(
    sql,
    `SELECT generation, schema_name, status FROM public.read_model_generations ORDER BY generation`,
  );
  return found.map(toGeneration);
}

/** Runs `work` in one transaction on its own connection; rolls back if it throws. */
export async function inTransaction<T>(
  dataSource: DataSource,
  work: (qr: QueryRunner) => Promise<T>,
  options: { isolation?: 'READ COMMITTED' | 'REPEATABLE READ'; mode?: 'master' | 'slave' } = {},
): Promise<T> {
  const qr = dataSource.createQueryRunner(options.mode);
  await qr.connect();
  try {
    await qr.startTransaction(options.isolation);
    try {
      const result = await work(qr);
      await qr.commitTransaction();
      return result;
    } catch (error) {
      const thrown = connectionLostIfReleased(qr, error);
      await qr.rollbackTransaction().catch(() => undefined);
      throw thrown;
    }
  } finally {
    await qr.release();
  }
}

/** Every table of the projections (and the checkpoints) exists in the generation; missing checkpoints start at 0. */
async function ensureTables(qr: QueryRunner, generation: Generation, projections: readonly Projection[]): Promise<void> {
  const schema = quoteSchema(generation.schema);
  const tables = [CHECKPOINT_TABLE, ...projections.flatMap((p) => p.tables)];
  const existing = await rows<{ table_name: string }>(
    qr,
    `SELECT table_name FROM information_schema.tables WHERE table_schema = $1`,
    [generation.schema],
  );
  const have = new Set(existing.map((r) => r.table_name));
  for (const table of tables) {
    if (have.has(table)) continue;
    await qr.query(`CREATE TABLE ${schema}.${quoteTable(table)} (LIKE ${TEMPLATE_SCHEMA}.${quoteTable(table)} INCLUDING ALL)`);
    have.add(table);
  }
  await qr.query(
    `INSERT INTO ${schema}.${CHECKPOINT_TABLE} (projection, position) SELECT unnest($1::text[]), 0 ON CONFLICT DO NOTHING`,
    [projections.map((p) => p.name)],
  );
}

async function createGeneration(qr: QueryRunner, status: 'building' | 'active', projections: readonly Projection[]): Promise<Generation> {
  const [{ n }] = await rows<{ n: number }>(qr, `SELECT coalesce(max(generation), 0) + 1 AS n FROM public.read_model_generations`) as [{ n: number }];
  const generation: Generation = { generation: Number(n), schema: `read_model_g${Number(n)}`, status };
  await qr.query(`DROP SCHEMA IF EXISTS ${quoteSchema(generation.schema)} CASCADE`);
  await qr.query(`CREATE SCHEMA ${quoteSchema(generation.schema)}`);
  await qr.query(
    `INSERT INTO public.read_model_generations (generation, schema_name, status, activated_at)
     VALUES ($1, $2, $3, CASE WHEN $3 = 'active' THEN now() END)`,
    [generation.generation, generation.schema, status],
  );
  await ensureTables(qr, generation, projections);
  return generation;
}

/**
 * The generation that serves, with the tables of every registered projection (a projection added
 * since starts at checkpoint 0 and catches up); the first one is created on a fresh database.
 */
export async function ensureActiveGeneration(dataSource: DataSource, projections: readonly Projection[]): Promise<Generation> {
  return inTransaction(dataSource, async (qr) => {
    await qr.query('SELECT pg_advisory_xact_lock($1)', [GENERATIONS_LOCK]);
    const active = await findGeneration(qr, 'active');
    if (!active) return createGeneration(qr, 'active', projections);
    await ensureTables(qr, active, projections);
    return active;
  });
}

/** The generation a rebuild fills: the one left by an interrupted rebuild (resumed), or a new one. */
export async function ensureBuildingGeneration(
  dataSource: DataSource,
  projections: readonly Projection[],
  restart: boolean,
): Promise<{ generation: Generation; resumed: boolean }> {
  return inTransaction(dataSource, async (qr) => {
    await qr.query('SELECT pg_advisory_xact_lock($1)', [GENERATIONS_LOCK]);
    const building = await findGeneration(qr, 'building');
    if (building && !restart) {
      await ensureTables(qr, building, projections);
      return { generation: building, resumed: true };
    }
    if (building) await dropGenerationIn(qr, building);
    return { generation: await createGeneration(qr, 'building', projections), resumed: false };
  });
}

async function dropGenerationIn(qr: QueryRunner, generation: Generation): Promise<void> {
  await qr.query(`DROP SCHEMA IF EXISTS ${quoteSchema(generation.schema)} CASCADE`);
  await qr.query(`DELETE FROM public.read_model_generations WHERE generation = $1`, [generation.generation]);
}

/** Drops retired generations but the `keep` most recent ones. Returns the dropped schemas. */
export async function dropRetiredGenerations(dataSource: DataSource, keep: number): Promise<string[]> {
  return inTransaction(dataSource, async (qr) => {
    await qr.query('SELECT pg_advisory_xact_lock($1)', [GENERATIONS_LOCK]);
    const retired = (await listGenerations(qr)).filter((g) => g.status === 'retired').reverse();
    const dropped: string[] = [];
    for (const generation of retired.slice(keep)) {
      await dropGenerationIn(qr, generation);
      dropped.push(generation.schema);
    }
    return dropped;
  });
}

/** Checkpoint of each projection in the generation (absent: not created yet). */
export async function checkpoints(sql: Sql, generation: Generation): Promise<Map<string, number>> {
  const found = await rows<{ projection: string; position: string }>(
    sql,
    `SELECT projection, position FROM ${quoteSchema(generation.schema)}.${CHECKPOINT_TABLE}`,
  );
  return new Map(found.map((r) => [r.projection, Number(r.position)]));
}

/** The position every projection has reached: the least of their checkpoints (0 when one is missing). */
export async function generationPosition(sql: Sql, generation: Generation, projections: readonly Projection[]): Promise<number> {
  const found = await checkpoints(sql, generation);
  let position = Number.MAX_SAFE_INTEGER;
  for (const p of projections) position = Math.min(position, found.get(p.name) ?? 0);
  return projections.length === 0 ? 0 : position;
}
