import type { Logger, QueryRunner } from 'typeorm';

/** Characters of a failed statement's text that are logged (its head names it; the rest is cut). */
export const LOGGED_QUERY_CHARS = 300;

/**
 * TypeORM's logger for the ledger's data sources: only failed queries, each as one bounded line,
 * the error's message and the head of the statement, and never its parameters. TypeORM's own
 * logger printed every parameter of a failed query: when PostgreSQL died under the projector, a
 * batch's read-model documents (megabytes, record and worker identifiers) went to the log, once per
 * failed statement.
 */
export class BoundedQueryLogger implements Logger {
  constructor(private readonly write: (line: string) => void = (line) => console.log(line)) {}

  logQueryError(error: string | Error, query: string, parameters?: unknown[] | object): void {
    const message = typeof error === 'string' ? error : error.message;
    const head = query.length > LOGGED_QUERY_CHARS ? `${query.slice(0, LOGGED_QUERY_CHARS)}… (${query.length} characters)` : query;
    const count = Array.isArray(parameters) ? parameters.length : parameters ? Object.keys(parameters).length : 0;
    this.write(`query failed: ${message.slice(0, LOGGED_QUERY_CHARS)} -- ${head.replace(/\s+/g, ' ')}${count > 0 ? ` -- ${count} parameter${count === 1 ? '' : 's'}, not logged` : ''}`);
  }

  logQuery(_query: string, _parameters?: unknown[], _runner?: QueryRunner): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}
