import { Inject, Injectable, Logger } from '@nestjs/common';
import { isoUtc } from '@ledger/domain';
import { LEDGER_RUNTIME, type LedgerRuntime } from '@ledger/runtime';
import { MetricsRegistry } from '../metrics/metrics.registry.js';

export interface AccessLogEntry {
  keyId: string;
  role: string;
  method: string;
  route: string;
  contractId: string | null;
  recordId: string | null;
  asOf: string | null;
  knownAt: string | null;
  /** Other query parameters; null for a value not kept (the request was refused for its parameters). */
  query: Record<string, string | string[] | null>;
  status: number;
}

export interface AccessLogFilter {
  contractId?: string;
  recordId?: string;
  keyId?: string;
  role?: string;
  from?: number;
  to?: number;
  after: number;
  limit: number;
}

export interface AccessLogRecord extends AccessLogEntry {
  id: number;
  at: string;
}

/** Writes and lists the access log (table `access_log`, in `public`: not a read model, never rebuilt). */
@Injectable()
export class AccessLogWriter {
  private readonly logger = new Logger('access-log');

  constructor(
    @Inject(LEDGER_RUNTIME) private readonly runtime: LedgerRuntime,
    private readonly metrics: MetricsRegistry,
  ) {}

  /** Records one read; throws when it cannot (the caller decides what the client sees). */
  async write(entry: AccessLogEntry): Promise<void> {
    try {
      await this.runtime.pool.query(
        `INSERT INTO public.access_log (at, key_id, role, method, route, contract_id, record_id, as_of, known_at, query, status)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11)`,
        [
          isoUtc(this.runtime.clock()),
          entry.keyId,
          entry.role,
          entry.method,
          entry.route,
          entry.contractId,
          entry.recordId,
          entry.asOf,
          entry.knownAt,
          JSON.stringify(entry.query),
          entry.status,
        ],
      );
      this.metrics.accessLogWritten += 1;
    } catch (error) {
      this.metrics.accessLogFailures += 1;
      // The operator's log gets who and which route, never the answer.
      this.logger.error(`could not record a read of ${entry.route} by key ${entry.keyId}: ${error instanceof Error ? error.message : String(error)}`);
      throw error;
    }
  }

  async list(filter: AccessLogFilter): Promise<{ entries: AccessLogRecord[]; next: number | null }> {
    const where: string[] = ['id > $1'];
    const params: unknown[] = [filter.after];
    const add = (sql: string, value: unknown): void => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.contractId !== undefined) add('contract_id = ?', filter.contractId);
    if (filter.recordId !== undefined) add('record_id = ?', filter.recordId);
    if (filter.keyId !== undefined) add('key_id = ?', filter.keyId);
    if (filter.role !== undefined) add('role = ?', filter.role);
    if (filter.from !== undefined) add('at >= ?', isoUtc(filter.from));
    if (filter.to !== undefined) add('at <= ?', isoUtc(filter.to));
    params.push(filter.limit);
    const { rows } = await this.runtime.pool.query<{
      id: string; at: Date; key_id: string; role: string; method: string; route: string; contract_id: string | null;
      record_id: string | null; as_of: string | null; known_at: string | null; query: Record<string, string | string[] | null>; status: number;
    }>(
      `SELECT id, at, key_id, role, method, route, contract_id, record_id, as_of, known_at, query, status
         FROM public.access_log WHERE ${where.join(' AND ')} ORDER BY id LIMIT $${params.length}`,
      params,
    );
    const entries = rows.map((r) => ({
      id: Number(r.id),
      at: r.at.toISOString(),
      keyId: r.key_id,
      role: r.role,
      method: r.method,
      route: r.route,
      contractId: r.contract_id,
      recordId: r.record_id,
      asOf: r.as_of,
      knownAt: r.known_at,
      query: r.query,
      status: r.status,
    }));
    return { entries, next: entries.length === filter.limit ? entries[entries.length - 1]!.id : null };
  }
}
