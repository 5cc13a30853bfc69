import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { catchError, from, mergeMap, throwError, type Observable } from 'rxjs';
import { StoreUnavailableError } from '@ledger/domain';
import type { Principal } from '../auth/api-keys.js';
import { errorAnswer } from '../http/ledger-exception.filter.js';
import { AccessLogWriter, type AccessLogEntry } from './access-log.writer.js';

const MAX_VALUE = 200;
/** @HttpCode's metadata key (HTTP_CODE_METADATA of @nestjs/common/constants). */
const HTTP_CODE_METADATA = '__httpCode__';

function cut(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  return value.length > MAX_VALUE ? value.slice(0, MAX_VALUE) : value;
}

/**
 * What a request asked for (the answer is never recorded). A request refused for its parameters
 * (400) is recorded with their names only: a rejected value may be anything a client typed, a
 * person's name included, and the access log keeps it for ever. Path IDs are kept unless they
 * are what was refused.
 */
export function describeRead(request: FastifyRequest & { principal?: Principal }, refused?: { fields: ReadonlySet<string> }): Omit<AccessLogEntry, 'status'> {
  const params = (request.params ?? {}) as Record<string, unknown>;
  const query = { ...((request.query ?? {}) as Record<string, unknown>) };
  const kept = (value: unknown): string | null => (refused ? null : cut(value));
  const asOf = kept(query.asOf);
  const knownAt = kept(query.knownAt);
  delete query.asOf;
  delete query.knownAt;
  const rest: Record<string, string | string[] | null> = {};
  for (const [key, value] of Object.entries(query).slice(0, 20)) {
    if (refused) rest[key.slice(0, 64)] = null;
    else if (Array.isArray(value)) rest[key.slice(0, 64)] = value.slice(0, 10).map((v) => cut(v) ?? '');
    else rest[key.slice(0, 64)] = cut(value) ?? '';
  }
  const pathId = (name: string): string | null => (refused?.fields.has(name) ? null : cut(params[name]));
  return {
    keyId: request.principal?.keyId ?? 'anonymous',
    role: request.principal?.role ?? 'none',
    method: request.method,
    route: request.routeOptions?.url ?? request.url.split('?')[0]!.slice(0, MAX_VALUE),
    contractId: pathId('contractId') ?? kept(query.contractId),
    recordId: pathId('recordId') ?? kept(query.recordId),
    asOf,
    knownAt,
    query: rest,
  };
}

/** The fields a 400 answer names (its problems), or null when the request was not refused for its parameters. */
function refusedFields(error: unknown): { fields: ReadonlySet<string> } | undefined {
  if (errorAnswer(error).statusCode !== 400) return undefined;
  const listed = (error as { problems?: unknown; details?: unknown }).problems ?? (error as { details?: unknown }).details;
  const fields = Array.isArray(listed) ? listed.map((p) => (p as { field?: unknown }).field).filter((f): f is string => typeof f === 'string') : [];
  return { fields: new Set(fields) };
}

/**
 * Records a read in the access log before its answer leaves (docs/custody.md "Access log").
 * The answer is computed, then the entry is written; if that write fails the answer is dropped
 * and the client gets 503 LEDGER.STORE_UNAVAILABLE with nothing of the data ("no record, no
 * read"). A request that fails anyway (400, 404 …) is recorded with its status on a best-effort
 * basis: its own error answer goes out even if the entry cannot be written (counted on /metrics).
 */
@Injectable()
export class AccessLogInterceptor implements NestInterceptor {
  constructor(
    private readonly writer: AccessLogWriter,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest & { principal?: Principal }>();
    const entry = describeRead(request);
    const status = this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler()) ?? 200;
    return next.handle().pipe(
      catchError((error: unknown) =>
        from(this.writer.write({ ...describeRead(request, refusedFields(error)), status: errorAnswer(error).statusCode }).catch(() => undefined)).pipe(
          mergeMap(() => throwError(() => error)),
        ),
      ),
      mergeMap(async (body: unknown) => {
        try {
          await this.writer.write({ ...entry, status });
        } catch {
          throw new StoreUnavailableError('the access log could not record this read, so it was not answered; try again later', {
            reason: 'access_log_unavailable',
          });
        }
        return body;
      }),
    );
  }
}
