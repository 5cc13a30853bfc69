import type { QueryRunner } from 'typeorm';

const READ_MODEL_SCHEMA = /^read_model_(template|g[0-9]+)$/;

/**
 * For a migration that changes read-model tables: the template, then every generation, that holds
 * `table` (a generation of an older projection may not), each name checked before it is spliced
 * into SQL.
 */
export async function readModelSchemasWith(q: QueryRunner, table: string): Promise<string[]> {
  const generations = (await q.query(`SELECT schema_name FROM read_model_generations ORDER BY generation`)) as Array<{ schema_name: string }>;
  const schemas: string[] = [];
  for (const schema of ['read_model_template', ...generations.map((g) => g.schema_name)]) {
    if (!READ_MODEL_SCHEMA.test(schema)) throw new Error(`unexpected read-model schema ${schema}`);
    const exists = (await q.query(`SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = $2`, [schema, table])) as unknown[];
    if (exists.length > 0) schemas.push(schema);
  }
  return schemas;
}
