/**
 * The NDJSON form of POST /v1/events (Content-Type: application/x-ndjson): one event per line, an
 * unbounded stream, cut into chunks that are validated and committed one after the other. This is
 * the one place that turns the bytes of such a stream into events: line splitting with a per-line
 * size limit, UTF-8, JSON, then the same event rules as a batch.
 */
import { InvalidEventsError, type FieldProblem, type LedgerEvent } from '@ledger/domain';
import { parseEvents } from './parse-events.js';
import { MAX_JSON_DEPTH, nestingExceeds } from './json-nesting.js';

/** Events per chunk: a chunk is one all-or-nothing append. */
export const NDJSON_CHUNK_EVENTS = 1_000;
/** The longest line (one event) taken; the largest valid event is well below it. */
export const NDJSON_MAX_LINE_BYTES = 1024 * 1024;
/**
 * A chunk is also cut once its lines hold this many bytes: 1,000 lines of up to 1 MiB would
 * otherwise make a chunk of a gigabyte. The API's in-flight body budget counts a stream as this.
 */
export const NDJSON_CHUNK_BYTES = 4 * 1024 * 1024;
/** A chunk not yet full is committed once the sender has paused this long. */
export const NDJSON_IDLE_FLUSH_MS = 50;

export interface NdjsonOptions {
  chunkEvents?: number;
  maxLineBytes?: number;
  idleFlushMs?: number;
}

/** A problem of an NDJSON stream: the event's index in the stream (0-based) and its line (1-based). */
export interface NdjsonProblem extends FieldProblem {
  line: number | null;
}

/** A piece of the stream: events to append together, or the line where the stream cannot go on. */
export type NdjsonPiece =
  | { kind: 'chunk'; firstIndex: number; lines: number[]; values: unknown[] }
  | { kind: 'stop'; index: number; line: number; problem: NdjsonProblem };

const NEWLINE = 0x0a;
const IDLE = Symbol('idle');

/**
 * Reads an NDJSON byte stream into chunks of up to `chunkEvents` parsed lines. Nothing is read
 * ahead while the caller handles a chunk (backpressure reaches the sender), and at most one line
 * and one chunk are held. Blank lines are skipped. A line over the limit, not UTF-8 or not JSON
 * ends the stream with a `stop` piece after the chunk of the lines before it.
 */
export async function* readNdjson(source: AsyncIterable<Buffer | string>, options: NdjsonOptions = {}): AsyncGenerator<NdjsonPiece> {
  const chunkEvents = options.chunkEvents ?? NDJSON_CHUNK_EVENTS;
  const maxLineBytes = options.maxLineBytes ?? NDJSON_MAX_LINE_BYTES;
  const idleMs = options.idleFlushMs ?? NDJSON_IDLE_FLUSH_MS;
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const iterator = source[Symbol.asyncIterator]();
  let partial: Buffer[] = [];
  let partialBytes = 0;
  let line = 0;
  let index = 0;
  let lines: number[] = [];
  let values: unknown[] = [];
  let chunkBytes = 0;
  const chunk = (): NdjsonPiece => {
    const piece: NdjsonPiece = { kind: 'chunk', firstIndex: index - values.length, lines, values };
    lines = [];
    values = [];
    chunkBytes = 0;
    return piece;
  };
  const stop = (rule: string, message: string): NdjsonPiece => ({
    kind: 'stop', index, line, problem: { index, line, field: '', rule, message: `line ${line}: ${message}` },
  });
  /** Takes one complete line; returns a stop piece when it cannot be an event. */
  const take = (bytes: Buffer): NdjsonPiece | null => {
    line++;
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch {
      return stop('utf8', 'is not UTF-8');
    }
    if (line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (text.trim() === '') return null;
    if (nestingExceeds(bytes, MAX_JSON_DEPTH)) return stop('maxDepth', `nests objects and arrays deeper than ${MAX_JSON_DEPTH} levels`);
    chunkBytes += bytes.length;
    try {
      values.push(JSON.parse(text));
    } catch (error) {
      return stop('json', `is not JSON (${(error as Error).message})`);
    }
    lines.push(line);
    index++;
    return null;
  };

  for (;;) {
    const next = iterator.next();
    let result: IteratorResult<Buffer | string> | typeof IDLE;
    if (values.length > 0) {
      let timer: NodeJS.Timeout | undefined;
      const idle = new Promise<typeof IDLE>((resolve) => (timer = setTimeout(() => resolve(IDLE), idleMs)));
      result = await Promise.race([next, idle]);
      clearTimeout(timer);
      if (result === IDLE) {
        yield chunk();
        result = await next;
      }
    } else {
      result = await next;
    }
    if (result.done) break;
    const buffer = typeof result.value === 'string' ? Buffer.from(result.value, 'utf8') : result.value;
    let start = 0;
    for (;;) {
      const end = buffer.indexOf(NEWLINE, start);
      const piece = buffer.subarray(start, end === -1 ? buffer.length : end);
      if (partialBytes + piece.length > maxLineBytes) {
        line++;
        if (values.length > 0) yield chunk();
        yield stop('lineTooLong', `is longer than ${maxLineBytes} bytes (one event per line)`);
        return;
      }
      if (end === -1) {
        if (piece.length > 0) {
          partial.push(Buffer.from(piece)); // copied: the stream may reuse its buffer
          partialBytes += piece.length;
        }
        break;
      }
      const whole = partial.length === 0 ? piece : Buffer.concat([...partial, piece]);
      partial = [];
      partialBytes = 0;
      const stopped = take(stripCarriageReturn(whole));
      if (stopped) {
        if (values.length > 0) yield chunk();
        yield stopped;
        return;
      }
      if (values.length >= chunkEvents || chunkBytes >= NDJSON_CHUNK_BYTES) yield chunk();
      start = end + 1;
    }
  }
  if (partialBytes > 0) {
    const stopped = take(stripCarriageReturn(Buffer.concat(partial)));
    if (stopped) {
      if (values.length > 0) yield chunk();
      yield stopped;
      return;
    }
  }
  if (values.length > 0) yield chunk();
}

function stripCarriageReturn(bytes: Buffer): Buffer {
  return bytes.length > 0 && bytes[bytes.length - 1] === 0x0d ? bytes.subarray(0, bytes.length - 1) : bytes;
}

/**
 * Validates a chunk with the batch rules; problems name the event's index in the whole stream and
 * its line. Throws InvalidEventsError whose problems are NdjsonProblems.
 */
export function parseNdjsonChunk(piece: Extract<NdjsonPiece, { kind: 'chunk' }>, now: number): LedgerEvent[] {
  try {
    return parseEvents(piece.values, now);
  } catch (error) {
    if (!(error instanceof InvalidEventsError)) throw error;
    throw new InvalidEventsError(
      error.problems.map((p): NdjsonProblem => ({
        ...p,
        index: p.index === null ? null : piece.firstIndex + p.index,
        line: p.index === null ? null : piece.lines[p.index]!,
      })),
    );
  }
}
