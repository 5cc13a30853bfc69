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

/** What a request asked for, as sent (the answer is never recorded). */
export function describeRead(request: FastifyRequest & { principal?: Principal }): Omit<AccessLogEntry, 'status'> {
  const params = (request.params ?? {}) as Record<string, unknown>;
  const query = { ...((request.query ?? {}) as Record<string, unknown>) };
  const asOf = cut(query.asOf);
  const knownAt = cut(query.knownAt);
  delete query.asOf;
  delete query.knownAt;
  const rest: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(query).slice(0, 20)) {
    if (Array.isArray(value)) rest[key.slice(0, 64)] = value.slice(0, 10).map((v) => cut(v) ?? '');
    else rest[key.slice(0, 64)] = cut(value) ?? '';
  }
  return {
    keyId: request.principal?.keyId ?? 'anonymous',
    role: request.principal?.role ?? 'none',
    method: request.method,
    route: request.routeOptions?.url ?? request.url.split('?')[0]!.slice(0, MAX_VALUE),
    contractId: cut(params.contractId) ?? cut(query.contractId),
    recordId: cut(params.recordId) ?? cut(query.recordId),
    asOf,
    knownAt,
    query: rest,
  };
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
        from(this.writer.write({ ...entry, status: errorAnswer(error).statusCode }).catch(() => undefined)).pipe(
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
