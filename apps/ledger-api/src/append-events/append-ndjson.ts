import type { ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ContractAlreadyRegisteredError,
  EventIdConflictError,
  ForbiddenError,
  InvalidEventsError,
  UnknownContractError,
  type FieldProblem,
  type LedgerEvent,
} from '@ledger/domain';
import type { AppendedEvent } from '@ledger/event-store';
import { parseNdjsonChunk, readNdjson, type NdjsonPiece, type NdjsonProblem } from '@ledger/wire';
import { errorAnswer, type ErrorAnswer } from '../http/ledger-exception.filter.js';
import { LEDGER_RUNTIME, type LedgerRuntime } from '@ledger/runtime';
import type { Principal } from '../auth/api-keys.js';
import { AppendAuthority } from '../authority/append-authority.js';
import { AppendEventsCommand } from './append-events.command.js';

/** One line of the NDJSON answer per acknowledged event: its batch answer, its index in the stream and its line. */
export type NdjsonAck = AppendedEvent & { index: number; line: number };

/** The last line when the whole stream was appended. */
export interface NdjsonDone {
  done: { events: number; appended: number; duplicate: number; lines: number };
}

/**
 * The last line when the stream stopped: the error (as a batch would have had it, problems naming
 * the stream index and line), how many events were acknowledged before, and the first line not
 * written — send the stream again from there (or whole: what was written answers duplicate).
 */
export interface NdjsonStopped {
  error: ErrorAnswer & { errors?: NdjsonProblem[]; acknowledged: number; stoppedAt: { index: number; line: number } };
}

export type NdjsonAnswerLine = NdjsonAck | NdjsonDone | NdjsonStopped;

type Chunk = Extract<NdjsonPiece, { kind: 'chunk' }>;
type StreamError = ErrorAnswer & { errors?: NdjsonProblem[] };

/**
 * POST /v1/events as application/x-ndjson: chunks are validated and appended one after the other
 * (each all or nothing, in order), and every event is acknowledged by a line as soon as its chunk
 * is committed. The next chunk is read only once the answer lines of the last one were taken by
 * the connection, so a slow reader or a fast sender is held back by TCP, and memory holds one chunk.
 */
@Injectable()
export class NdjsonIngest {
  constructor(
    private readonly commandBus: CommandBus,
    @Inject(LEDGER_RUNTIME) private readonly runtime: LedgerRuntime,
    private readonly authority: AppendAuthority,
  ) {}

  /**
   * Answers on `response` (the key already authenticated; the caller has hijacked the reply).
   * Each chunk passes the append authority as a batch would (party, scope, signatures, budget).
   */
  async answer(principal: Principal, source: AsyncIterable<Buffer>, response: ServerResponse): Promise<void> {
    response.writeHead(200, { 'content-type': 'application/x-ndjson; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
    response.flushHeaders();
    const totals = { events: 0, appended: 0, duplicate: 0, lines: 0 };
    try {
      for await (const piece of readNdjson(source)) {
        if (piece.kind === 'stop') {
          await write(response, stopped({ statusCode: 400, code: 'LEDGER.MALFORMED_NDJSON', message: piece.problem.message, errors: [piece.problem] }, totals.events, piece));
          return;
        }
        let appended: AppendedEvent[];
        try {
          const events: LedgerEvent[] = parseNdjsonChunk(piece, this.runtime.clock());
          try {
            await this.authority.admit(principal, events);
          } catch (refusal) {
            throw inStream(refusal, piece);
          }
          appended = await this.commandBus.execute(new AppendEventsCommand(events));
          this.authority.appended(events);
        } catch (error) {
          await write(response, stopped(chunkError(error, piece), totals.events, { index: piece.firstIndex, line: piece.lines[0]! }));
          return;
        }
        let text = '';
        appended.forEach((event, i) => {
          const ack: NdjsonAck = { ...event, index: piece.firstIndex + i, line: piece.lines[i]! };
          text += `${JSON.stringify(ack)}\n`;
          if (event.status === 'appended') totals.appended++;
          else totals.duplicate++;
        });
        totals.events += appended.length;
        totals.lines = piece.lines.at(-1)!;
        await write(response, text);
      }
      await write(response, `${JSON.stringify({ done: totals } satisfies NdjsonDone)}\n`);
    } catch {
      // The sender went away (or the connection broke) mid-stream: every chunk acknowledged is
      // committed, the chunk being read is dropped whole, and there is no one left to answer.
    } finally {
      if (!response.destroyed) response.end();
      discardRest(source);
    }
  }
}

/** What is read and thrown away of a stream's unread rest after it stopped, before the connection is closed instead. */
const DISCARD_BYTES = 16 * 1024 * 1024;
const DISCARD_MS = 10_000;

/**
 * A stream that stopped before its end leaves the rest of the body unread, and a kept-alive
 * connection would wait on it for ever before reading the sender's next request. The rest is read
 * and thrown away, up to a bound; a sender that goes on beyond it loses the connection.
 */
function discardRest(source: AsyncIterable<Buffer>): void {
  if (!(source instanceof Readable) || source.readableEnded || source.destroyed) return;
  let bytes = 0;
  const stop = (): void => {
    clearTimeout(timer);
    source.removeListener('data', count);
  };
  const count = (piece: Buffer): void => {
    bytes += piece.length;
    if (bytes > DISCARD_BYTES) {
      stop();
      source.destroy();
    }
  };
  const timer = setTimeout(() => {
    stop();
    source.destroy();
  }, DISCARD_MS);
  timer.unref();
  // The stream's reader (an async iterator) may still listen for 'readable', which would keep the
  // stream from flowing; it is done with the stream.
  source.removeAllListeners('readable');
  source.on('data', count);
  source.once('end', stop);
  source.once('close', stop);
  source.resume();
}

function stopped(error: StreamError, acknowledged: number, at: { index: number; line: number }): string {
  const line: NdjsonStopped = { error: { ...error, acknowledged, stoppedAt: { index: at.index, line: at.line } } };
  return `${JSON.stringify(line)}\n`;
}

/** The error answer of a refused chunk, its problems naming stream indexes and lines. */
function chunkError(error: unknown, chunk: Chunk): StreamError {
  const answer = errorAnswer(error) as StreamError;
  const at = (i: number): { index: number; line: number } => ({ index: chunk.firstIndex + i, line: chunk.lines[i]! });
  // parseNdjsonChunk and inStream already named stream indexes and lines.
  if (error instanceof InvalidEventsError || error instanceof ForbiddenError) return answer;
  const problem = (i: number, field: string): NdjsonProblem => ({ ...at(i), field, rule: answer.code, message: answer.message });
  // The error's own indexes count within the chunk; `errors` names the stream's index and line instead.
  delete answer.details;
  if (error instanceof EventIdConflictError) return { ...answer, errors: [problem(error.index, 'eventId')] };
  if (error instanceof ContractAlreadyRegisteredError) return { ...answer, errors: [problem(error.index, 'type')] };
  if (error instanceof UnknownContractError) return { ...answer, errors: error.indexes.map((i) => problem(i, 'contractId')) };
  return answer;
}

/**
 * The append authority names events by their index in the chunk; in a stream they are named by
 * their index in the stream and their line, as parse problems are.
 */
function inStream(error: unknown, chunk: Chunk): unknown {
  const rename = (problems: readonly FieldProblem[]): NdjsonProblem[] =>
    problems.map((p) => (p.index === null ? { ...p, line: null } : { ...p, index: chunk.firstIndex + p.index, line: chunk.lines[p.index] ?? null }));
  if (error instanceof InvalidEventsError) return new InvalidEventsError(rename(error.problems));
  if (error instanceof ForbiddenError) return new ForbiddenError(error.message, rename(error.problems));
  return error;
}

/** Writes and waits until the connection has taken it (backpressure); fails if the connection is gone. */
function write(response: ServerResponse, text: string): Promise<void> {
  if (response.destroyed) return Promise.reject(new Error('connection closed'));
  if (response.write(text)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const done = (error?: Error): void => {
      response.off('drain', onDrain);
      response.off('close', onClose);
      if (error) reject(error);
      else resolve();
    };
    const onDrain = (): void => done();
    const onClose = (): void => done(new Error('connection closed'));
    response.on('drain', onDrain);
    response.on('close', onClose);
  });
}
