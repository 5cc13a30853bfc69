import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isDatabaseUnavailable } from '@ledger/database';
import {
  ForbiddenError,
  InvalidEventsError,
  InvalidRequestError,
  LedgerError,
  MAX_LISTED_PROBLEMS,
  RateLimitedError,
  type FieldProblem,
  type LedgerErrorCode,
} from '@ledger/domain';
import { prefersJapanese, withJapanese } from './messages-ja.js';

export class MalformedJsonError extends LedgerError {
  readonly code = 'LEDGER.MALFORMED_JSON';
}

/** The body's bytes are not UTF-8: refused rather than read with U+FFFD in place of what was sent. */
export class InvalidUtf8Error extends LedgerError {
  readonly code = 'LEDGER.INVALID_UTF8';
}

export class JsonTooDeepError extends LedgerError {
  readonly code = 'LEDGER.JSON_TOO_DEEP';
}

export class UnsupportedMediaTypeError extends LedgerError {
  readonly code = 'LEDGER.UNSUPPORTED_MEDIA_TYPE';
}

/** A Content-Encoding the service does not decode (it decodes none). */
export class UnsupportedEncodingError extends LedgerError {
  readonly code = 'LEDGER.UNSUPPORTED_ENCODING';
}

/** A body announced larger than LEDGER_BODY_LIMIT_BYTES (refused before it is read). */
export class BodyTooLargeError extends LedgerError {
  readonly code = 'LEDGER.BODY_TOO_LARGE';
}

/** Too many bodies are being received at once (LEDGER_INFLIGHT_BODY_BYTES): try again shortly. */
export class BusyError extends LedgerError {
  readonly code = 'LEDGER.BUSY';
}

/** Seconds a client is told to wait after a 503 (a restarting PostgreSQL is back within a few). */
export const RETRY_AFTER_SECONDS = 2;

/** The one place where error codes become HTTP statuses. */
const STATUS_BY_CODE: { readonly [C in LedgerErrorCode]: number } = {
  'LEDGER.INVALID_EVENTS': 400,
  'LEDGER.INVALID_REQUEST': 400,
  'LEDGER.MALFORMED_JSON': 400,
  'LEDGER.INVALID_UTF8': 400,
  'LEDGER.JSON_TOO_DEEP': 400,
  'LEDGER.UNSUPPORTED_MEDIA_TYPE': 415,
  'LEDGER.UNSUPPORTED_ENCODING': 415,
  'LEDGER.BUSY': 503,
  'LEDGER.UNAUTHENTICATED': 401,
  'LEDGER.FORBIDDEN': 403,
  'LEDGER.NOT_FOUND': 404,
  'LEDGER.EVENT_ID_CONFLICT': 409,
  'LEDGER.STREAM_VERSION_CONFLICT': 409,
  'LEDGER.CONTRACT_ALREADY_REGISTERED': 409,
  'LEDGER.BOOTSTRAP_KEY': 409,
  'LEDGER.BATCH_TOO_LARGE': 413,
  'LEDGER.BODY_TOO_LARGE': 413,
  'LEDGER.RATE_LIMITED': 429,
  'LEDGER.UNKNOWN_CONTRACT': 422,
  'LEDGER.STORE_UNAVAILABLE': 503,
  'LEDGER.TREE_SIZE_UNAVAILABLE': 400,
  'LEDGER.NO_CHECKPOINT': 404,
  'LEDGER.SIGNING_KEY': 503,
  'LEDGER.LOG_INTEGRITY': 500,
};

/** Fastify's own request errors (raised before a route runs): bad JSON, too large, wrong media type. */
const FASTIFY_CODES: Record<string, { status: number; code: string; message: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'LEDGER.BODY_TOO_LARGE', message: 'the body is larger than the service accepts (LEDGER_BODY_LIMIT_BYTES)' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'LEDGER.UNSUPPORTED_MEDIA_TYPE', message: 'send Content-Type: application/json' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'LEDGER.BAD_CONTENT_LENGTH', message: 'Content-Length does not match the body' },
};

const HTTP_CODES: Record<number, string> = {
  404: 'LEDGER.NOT_FOUND',
  413: 'LEDGER.BODY_TOO_LARGE',
  415: 'LEDGER.UNSUPPORTED_MEDIA_TYPE',
};

export interface ErrorAnswer {
  statusCode: number;
  code: string;
  message: string;
  /** The code's message in Japanese: answers to Accept-Language: ja (message stays English). */
  messageJa?: string;
  /** At most the first 100 problems (MAX_LISTED_PROBLEMS) … */
  errors?: FieldProblem[];
  /** … of this many. */
  errorCount?: number;
  details?: unknown;
  /** Seconds, for the Retry-After header of a 429 or 503 (not part of the body). */
  retryAfter?: number;
}

export function errorAnswer(error: unknown): ErrorAnswer {
  if (error instanceof LedgerError) {
    const statusCode = STATUS_BY_CODE[error.code];
    const answer: ErrorAnswer = { statusCode, code: error.code, message: error.message };
    // One shape for every field-level problem, whichever error carries it: errors[] (the first 100) and errorCount.
    if (error instanceof InvalidEventsError || error instanceof InvalidRequestError) {
      answer.errors = error.problems;
      answer.errorCount = error.total;
    } else if (error instanceof ForbiddenError && error.problems.length > 0) {
      answer.errors = error.problems;
    } else if (isFieldProblems(error.details)) {
      answer.errors = error.details;
    } else if (error.details !== undefined) {
      answer.details = error.details;
    }
    if (answer.errors && answer.errors.length > MAX_LISTED_PROBLEMS) {
      answer.errorCount = answer.errors.length;
      answer.errors = answer.errors.slice(0, MAX_LISTED_PROBLEMS);
    }
    if (error instanceof RateLimitedError) answer.retryAfter = error.retryAfterSeconds;
    else if (statusCode === 503) answer.retryAfter = RETRY_AFTER_SECONDS;
    return answer;
  }
  // A lost or restarting database: the client may retry; its words never reach the client.
  if (isDatabaseUnavailable(error)) {
    return { statusCode: 503, code: 'LEDGER.STORE_UNAVAILABLE', message: 'the database is unavailable; retry later', retryAfter: RETRY_AFTER_SECONDS };
  }
  const fastifyCode = (error as { code?: string } | null)?.code;
  if (fastifyCode && FASTIFY_CODES[fastifyCode]) {
    const known = FASTIFY_CODES[fastifyCode];
    return { statusCode: known.status, code: known.code, message: known.message };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    return { statusCode: status, code: HTTP_CODES[status] ?? `HTTP.${status}`, message: error.message };
  }
  const status = (error as { statusCode?: number } | null)?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return { statusCode: status, code: HTTP_CODES[status] ?? `HTTP.${status}`, message: (error as Error).message };
  }
  return { statusCode: 500, code: 'LEDGER.INTERNAL', message: 'internal error; the request was not applied' };
}

@Catch()
export class LedgerExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ledger');

  catch(error: unknown, host: ArgumentsHost): void {
    const { retryAfter, ...answer } = errorAnswer(error);
    // A 503 is expected while the database restarts (the pools report the lost connection once).
    if (answer.statusCode >= 500 && answer.statusCode !== 503) this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const request = host.switchToHttp().getRequest<FastifyRequest | undefined>();
    if (retryAfter !== undefined) void reply.header('retry-after', String(retryAfter));
    const japanese = prefersJapanese(request?.headers?.['accept-language']);
    if (japanese) void reply.header('content-language', 'ja, en');
    void reply.header('vary', 'accept-language');
    void reply.status(answer.statusCode).send(japanese ? withJapanese(answer) : answer);
  }
}

function isFieldProblems(value: unknown): value is FieldProblem[] {
  return Array.isArray(value) && value.length > 0 && value.every((p) => p !== null && typeof p === 'object' && typeof (p as FieldProblem).field === 'string' && typeof (p as FieldProblem).rule === 'string');
}
