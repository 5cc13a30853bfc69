import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import pg from 'pg';
import type { DataSource, EntityManager } from 'typeorm';
import { connectionLostIfReleased } from '@ledger/database';
import { CHECKPOINT_TABLE, quoteSchema, TEMPLATE_SCHEMA, type Generation } from './generations.js';

export class ReadModelsNotReadyError extends Error {}

export interface ReadModelQuery {
  readonly manager: EntityManager;
  query<T = Record<string, unknown>>(sql: string, parameters?: readonly unknown[]): Promise<T[]>;
  readonly generation: Generation;
  /** Where each projection of the generation stands (its checkpoint), read in the same snapshot. */
  readonly checkpoints: ReadonlyMap<string, number>;
  /** The number of events of the stream the read asked about (`streamLength`), in the same snapshot. */
  readonly streamLength: number | null;
}

/**
 * What a read may ask of its opening besides the generation and the checkpoints: the number of
 * events of one stream of the log, in the same snapshot and the same round trip. A reader holding a
 * copy of that stream (a contract's history kept between requests) checks it with this instead of
 * reading the stream's new events before the read.
 */
export interface OpeningOptions {
  readonly streamLength?: string;
}

/** The statement counting a stream's events (stream versions start at 0); the name is a quoted literal. */
function streamLengthStatement(streamId: string): string {
  return `SELECT coalesce(max(stream_version) + 1, 0)::int AS n FROM public.ledger_events WHERE stream_id = ${pg.escapeLiteral(streamId)}`;
}

/** The opening's statements for these options, in order. */
function openingOf(options: OpeningOptions): string[] {
  return options.streamLength === undefined ? [...OPENING] : [...OPENING, streamLengthStatement(options.streamLength)];
}

/** The stream length the opening read (its fourth statement's rows), or null when none was asked. */
function streamLengthFrom(options: OpeningOptions, rows: ReadonlyArray<Record<string, unknown>> | undefined): number | null {
  return options.streamLength === undefined ? null : Number(rows![0]!.n);
}

/** The statements that open a read (the transaction, the generation, the checkpoints), in order. */
const OPENING = [
  'START TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY',
  // The serving generation, and its schema on the search_path (the template's empty tables when
  // there is none yet), for the next statement and every later one of the transaction.
  `SELECT g.generation, g.schema_name, g.status,
          set_config('search_path', quote_ident(coalesce(g.schema_name, '${TEMPLATE_SCHEMA}')) || ', public', true) AS path
     FROM (SELECT 1) AS one LEFT JOIN public.read_model_generations g ON g.status = 'active'`,
  // Resolved after the statement before has run: PostgreSQL analyses each statement of a simple
  // query (or each Parse message) in turn, so this reads the generation's own table.
  `SELECT projection, position FROM ${CHECKPOINT_TABLE}`,
] as const;

type OpeningRows = [unknown, Array<Record<string, unknown>>, Array<Record<string, unknown>>];

/** The serving generation and the checkpoints, from the opening's rows; null generation: none built yet. */
function openedFrom(rows: OpeningRows): { generation: Generation | null; checkpoints: Map<string, number> } {
  const row = rows[1][0] as { generation: number | null; schema_name: string | null; status: Generation['status'] | null };
  const generation: Generation | null = row.schema_name !== null ? { generation: Number(row.generation), schema: row.schema_name, status: row.status! } : null;
  if (generation) quoteSchema(generation.schema); // the name is one of ours, or nothing is read
  const checkpoints = new Map((rows[2] as Array<{ projection: string; position: string }>).map((r) => [r.projection, Number(r.position)]));
  return { generation, checkpoints };
}

const TEMPLATE_GENERATION: Generation = { generation: 0, schema: TEMPLATE_SCHEMA, status: 'active' };

interface PgClient {
  query(text: string): Promise<unknown>;
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
  options: OpeningOptions & { emptyWhenNotBuilt?: boolean } = {},
): Promise<T> {
  const qr = dataSource.createQueryRunner('slave');
  const client = (await qr.connect()) as PgClient;
  try {
    try {
      // One simple query (no parameters): one round trip.
      const results = (await client.query(openingOf(options).join(';\n'))) as Array<{ rows: Array<Record<string, unknown>> }>;
      const opened = openedFrom(results.slice(0, 3).map((r) => r.rows) as OpeningRows);
      if (!opened.generation && !options.emptyWhenNotBuilt) throw new ReadModelsNotReadyError('the read models are not built yet: the projector has not started');
      // Before the first generation exists, the template's empty tables: a reader that can answer
      // from the log (positions after 0 folded live) still answers.
      const generation = opened.generation ?? TEMPLATE_GENERATION;
      const checkpoints = opened.checkpoints;
      const result = await work({
        manager: qr.manager,
        generation,
        checkpoints,
        streamLength: streamLengthFrom(options, results[3]?.rows),
        query: async <R>(sql: string, parameters?: readonly unknown[]) => {
          const out = (await qr.query(sql, parameters as unknown[] | undefined, true)) as { records?: R[] };
          return out.records ?? [];
        },
      });
      await qr.query('COMMIT');
      return result;
    } catch (error) {
      const thrown = connectionLostIfReleased(qr, error);
      await qr.query('ROLLBACK').catch(() => undefined);
      throw thrown;
    }
  } finally {
    await qr.release();
  }
}

/** What readActiveOnce answers: the serving generation (the template before any), its checkpoints, the stream length asked for, the statement's rows. */
export interface ReadOnce<R> {
  readonly generation: Generation;
  readonly checkpoints: ReadonlyMap<string, number>;
  readonly streamLength: number | null;
  readonly rows: R[];
}

/**
 * One statement read in the serving generation's snapshot, in one round trip: the opening of
 * readActiveGeneration (transaction, generation and search_path, checkpoints, the stream length
 * asked for), the statement (a named prepared statement of the connection: PostgreSQL parses and
 * plans it once per connection, and again when the search_path names another generation; its text
 * must not embed values) and the COMMIT leave in
 * one write, as one pipeline of the extended protocol ended by one Sync, and come back in one
 * read. For an answer that is one statement whose text and values do not depend on the opening
 * (it reads what it needs of the checkpoints itself): three round trips fewer than
 * readActiveGeneration, each a write that wakes the backend (≈ 0.2–0.4 ms of the writer's CPU on
 * this kind of machine, and the wait for a sleeping core). Before any generation exists the
 * statement reads the template's empty tables. On an error PostgreSQL skips to the Sync: the
 * transaction is rolled back and the error thrown.
 */
export async function readActiveOnce<R>(
  dataSource: DataSource,
  sql: string,
  parameters: readonly unknown[],
  options: OpeningOptions = {},
): Promise<ReadOnce<R>> {
  const qr = dataSource.createQueryRunner('slave');
  const client = (await qr.connect()) as pg.PoolClient;
  try {
    const opening = openingOf(options);
    const pipeline = new OncePipeline(opening, statementName(sql), sql, parameters);
    void client.query(pipeline as unknown as pg.QueryConfig);
    try {
      const results = await pipeline.done;
      const opened = openedFrom([results[0], results[1]!, results[2]!]);
      return {
        generation: opened.generation ?? TEMPLATE_GENERATION,
        checkpoints: opened.checkpoints,
        streamLength: streamLengthFrom(options, results[3]),
        rows: results[opening.length] as R[],
      };
    } catch (error) {
      // Logged as TypeORM logs its own failed queries (the pipeline bypasses its query runner).
      dataSource.logger.logQueryError(error instanceof Error ? error : String(error), sql, [...parameters]);
      await client.query('ROLLBACK').catch(() => undefined);
      // Whether PostgreSQL took the statement's Parse before the error is unknown: forget it on both sides.
      if (pipeline.parsing) await client.query(`DEALLOCATE "${pipeline.statementName}"`).catch(() => undefined);
      throw error;
    }
  } finally {
    await qr.release();
  }
}

/** node-pg's own parts a query uses: its value mapping (arrays to PostgreSQL's text form) and its row parser. */
const pgUtils = createRequire(import.meta.url)('pg/lib/utils.js') as { prepareValue(value: unknown): unknown };
interface RowParser {
  addFields(fields: unknown[]): void;
  parseRow(fields: unknown[]): Record<string, unknown>;
}
const RowParserClass = pg.Result as unknown as new () => RowParser;

/** What a node-pg connection offers a submittable (the extension point CopyIn of the event store uses too). */
interface PipelineConnection {
  readonly stream: { cork(): void; uncork(): void };
  readonly parsedStatements: Record<string, string>;
  readonly submittedNamedStatements: Record<string, string>;
  parse(query: { text: string; name?: string; types?: unknown[] }): void;
  bind(config: { portal?: string; statement?: string; values?: unknown[]; valueMapper?: (value: unknown) => unknown }): void;
  describe(message: { type: 'P' | 'S'; name?: string }): void;
  execute(config: { portal?: string; rows?: number }): void;
  sync(): void;
}

/**
 * The pipeline of readActiveOnce as a node-pg submittable: the opening's statements, the named
 * statement (parsed only the first time on this connection), COMMIT, one Sync. node-pg hands it
 * every message until the one ReadyForQuery; results[i] holds the rows of the i-th statement.
 */
class OncePipeline {
  readonly done: Promise<Array<Array<Record<string, unknown>>>>;
  /** Whether this pipeline sent the named statement's Parse (so, after an error, it may or may not exist). */
  parsing = false;
  private resolve!: (results: Array<Array<Record<string, unknown>>>) => void;
  private reject!: (error: unknown) => void;
  private readonly results: Array<Array<Record<string, unknown>>> = [];
  private result: RowParser | null = null;
  private pendingRows: Array<Record<string, unknown>> | null = null;
  private connection: PipelineConnection | null = null;

  // Not `name` and `text`: node-pg's client reads those of the active query on every ParseComplete
  // (and would mark the statement parsed on the opening's unnamed ones).
  constructor(
    private readonly opening: readonly string[],
    readonly statementName: string,
    private readonly sql: string,
    private readonly values: readonly unknown[],
  ) {
    this.done = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }

  /** Returns node-pg's way of refusing a query before anything is sent (it then calls handleError). */
  submit(connection: PipelineConnection): Error | null {
    this.connection = connection;
    let values: unknown[];
    try {
      // Mapped before any message is written: a value that cannot be sent leaves the connection untouched.
      values = this.values.map((value) => pgUtils.prepareValue(value));
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }
    const parsed = connection.parsedStatements[this.statementName] === this.sql;
    connection.stream.cork();
    try {
      const unnamed = (text: string, rows: boolean): void => {
        connection.parse({ text, name: '', types: [] });
        connection.bind({ portal: '', statement: '', values: [] });
        if (rows) connection.describe({ type: 'P', name: '' });
        connection.execute({ portal: '', rows: 0 });
      };
      // The transaction's first statement has no rows; the others do.
      this.opening.forEach((text, i) => unnamed(text, i > 0));
      if (!parsed) {
        this.parsing = true;
        connection.parse({ text: this.sql, name: this.statementName, types: [] });
        connection.submittedNamedStatements[this.statementName] = this.sql;
      }
      connection.bind({ portal: '', statement: this.statementName, values });
      connection.describe({ type: 'P', name: '' });
      connection.execute({ portal: '', rows: 0 });
      unnamed('COMMIT', false);
      connection.sync();
    } finally {
      connection.stream.uncork();
    }
    return null;
  }

  handleRowDescription(message: { fields: unknown[] }): void {
    this.result = new RowParserClass();
    this.result.addFields(message.fields);
  }

  handleDataRow(message: { fields: unknown[] }): void {
    (this.pendingRows ??= []).push(this.result!.parseRow(message.fields));
  }

  /** Each statement ends with its CommandComplete: its rows (none for the transaction's statements) are kept in order. */
  handleCommandComplete(): void {
    this.results.push(this.pendingRows ?? []);
    this.pendingRows = null;
    this.result = null;
  }

  /**
   * node-pg drops the active query on an error (PostgreSQL skips to the Sync; its ReadyForQuery goes
   * to no one): settle here. Whether the statement's Parse was taken is unknown: readActiveOnce
   * deallocates it, so neither side believes it prepared.
   */
  handleError(error: unknown): void {
    const connection = this.connection;
    if (connection) {
      delete connection.submittedNamedStatements[this.statementName];
      if (this.parsing) delete connection.parsedStatements[this.statementName];
    }
    this.reject(error);
  }

  handleReadyForQuery(): void {
    const connection = this.connection!;
    delete connection.submittedNamedStatements[this.statementName];
    if (this.parsing) connection.parsedStatements[this.statementName] = this.sql;
    const statements = this.opening.length + 2;
    if (this.results.length !== statements) {
      this.reject(new Error(`the read pipeline completed ${this.results.length} of its ${statements} statements`));
      return;
    }
    this.resolve(this.results);
  }

  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyInResponse(): void {}
  handleCopyData(): void {}
}
