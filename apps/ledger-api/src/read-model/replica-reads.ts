import { applyDecorators, Inject, Injectable, UseInterceptors, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { catchError, Observable, throwError } from 'rxjs';
import { isDatabaseUnavailable } from '@ledger/database';
import { InvalidRequestError, LedgerError, StoreUnavailableError } from '@ledger/domain';
import { LEDGER_RUNTIME, withReadTarget, type LedgerRuntime, type ReadTarget } from '@ledger/runtime';

/** The log position the client has seen (e.g. the `position` its append was answered with): the answer includes it. */
export const MIN_POSITION_HEADER = 'x-ledger-min-position';
/** Which server answered: `replica` or `primary`. */
export const READ_FROM_HEADER = 'x-ledger-read-from';

/** Parses X-Ledger-Min-Position: absent → 0 (no wait); anything but one non-negative integer → 400 naming the header. */
export function minPositionOf(value: string | string[] | undefined): number {
  if (value === undefined) return 0;
  if (typeof value !== 'string' || !/^\d{1,15}$/.test(value.trim())) {
    throw new InvalidRequestError([
      { index: null, field: 'X-Ledger-Min-Position', rule: 'integerRange', message: `X-Ledger-Min-Position must be one integer from 0 to ${Number.MAX_SAFE_INTEGER}` },
    ]);
  }
  return Number(value.trim());
}

/** An answer the primary may give instead: the standby was unreachable, cancelled a query (recovery conflict), or its read model was not ready. */
function primaryMayAnswer(error: unknown): boolean {
  return !(error instanceof LedgerError) || error instanceof StoreUnavailableError;
}

/**
 * Reads of the route may be answered by the streaming standby (DATABASE_READ_URL, docs/replicas.md):
 * when the client sent X-Ledger-Min-Position, only once the standby has replayed that position
 * (waiting up to LEDGER_REPLICA_WAIT_MS), else from the primary; a standby that is down or fails
 * mid-answer hands the whole answer to the primary, never a 500. Put it ABOVE `@AccessLogged()`, so
 * that a read retried on the primary is recorded once.
 */
export function ReplicaReads(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    UseInterceptors(ReplicaReadInterceptor),
    ApiHeader({
      name: 'X-Ledger-Min-Position',
      required: false,
      description: 'the log position the client has seen (its append\'s `position`): the answer includes it (read-your-writes on a standby; docs/replicas.md)',
    }),
  );
}

@Injectable()
export class ReplicaReadInterceptor implements NestInterceptor {
  constructor(@Inject(LEDGER_RUNTIME) private readonly runtime: LedgerRuntime) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const http = context.switchToHttp();
    const minPosition = minPositionOf(http.getRequest<FastifyRequest>().headers[MIN_POSITION_HEADER]);
    const reply = http.getResponse<FastifyReply>();
    const answer = (target: ReadTarget): Observable<unknown> => {
      void reply.header(READ_FROM_HEADER, target);
      // Subscribed inside the target's context, so the handler and all it awaits read from there.
      return new Observable((subscriber) => withReadTarget(target, () => next.handle().subscribe(subscriber)));
    };
    const replica = this.runtime.readReplica;
    if (!replica || !(await replica.ready(minPosition, this.runtime.config.replicaWaitMs))) return answer('primary');
    return answer('replica').pipe(
      catchError((error: unknown) => {
        if (!primaryMayAnswer(error)) return throwError(() => error);
        if (isDatabaseUnavailable(error)) replica.markDown(error);
        return answer('primary');
      }),
    );
  }
}
