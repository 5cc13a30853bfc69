/**
 * The client side of the NDJSON stream: writes events as lines while it reads the acknowledgements,
 * over node:http so that both directions flow at once, with backpressure on the writing side.
 */
import http from 'node:http';
import https from 'node:https';
import type { NdjsonAck, NdjsonDone, NdjsonStopped } from './generated/ledger-types.js';
import { LedgerHttpError, LedgerStreamStoppedError, LedgerUnavailableError } from './errors.js';

export type { NdjsonAck };
export type NdjsonSummary = NdjsonDone['done'];

/** Lines are written in pieces of about this size (one chunked-encoding frame each). */
const WRITE_BYTES = 64 * 1024;

export function appendNdjson(
  url: string,
  apiKey: string,
  events: Iterable<object> | AsyncIterable<object>,
  options: { onAck?: (ack: NdjsonAck) => void; signal?: AbortSignal },
): Promise<NdjsonSummary> {
  const target = new URL(url);
  const transport = target.protocol === 'https:' ? https : http;
  return new Promise<NdjsonSummary>((resolve, reject) => {
    let settled = false;
    const settle = (error: Error | null, summary?: NdjsonSummary): void => {
      if (settled) return;
      settled = true;
      if (error) reject(error);
      else resolve(summary!);
      if (!request.writableFinished) request.destroy();
    };
    const request = transport.request(target, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/x-ndjson', accept: 'application/x-ndjson' },
      signal: options.signal,
      // A stream gets a connection of its own: a pooled one may have been closed by the server meanwhile.
      agent: false,
    });
    request.on('error', (error) => settle(new LedgerUnavailableError(`the NDJSON stream broke: ${error.message}`, 1, error)));
    request.on('response', (response) => {
      response.setEncoding('utf8');
      if (response.statusCode !== 200) {
        let text = '';
        response.on('data', (piece: string) => (text = (text + piece).slice(0, 65_536)));
        response.on('end', () => {
          let answer: { code?: string; message?: string; errors?: [] } = {};
          try {
            answer = JSON.parse(text) as typeof answer;
          } catch {
            // not the ledger's JSON
          }
          settle(new LedgerHttpError(response.statusCode ?? 0, answer.code ?? `HTTP.${response.statusCode}`, answer.message ?? text.slice(0, 200), answer.errors ?? []));
        });
        return;
      }
      let rest = '';
      const onLine = (line: string): void => {
        if (line.trim() === '') return;
        const parsed = JSON.parse(line) as NdjsonAck | NdjsonDone | NdjsonStopped;
        if ('done' in parsed) settle(null, parsed.done);
        else if ('error' in parsed) {
          const e = parsed.error;
          settle(new LedgerStreamStoppedError(e.statusCode, e.code, e.message, e.errors ?? [], e.acknowledged, e.stoppedAt));
        } else options.onAck?.(parsed);
      };
      response.on('data', (piece: string) => {
        rest += piece;
        let end: number;
        while ((end = rest.indexOf('\n')) !== -1) {
          const line = rest.slice(0, end);
          rest = rest.slice(end + 1);
          try {
            onLine(line);
          } catch (error) {
            settle(error as Error);
          }
        }
      });
      response.on('end', () => settle(new LedgerUnavailableError('the ledger closed the stream before its last line; send the stream again (what was acknowledged answers duplicate)', 1)));
      response.on('error', (error) => settle(new LedgerUnavailableError(`the NDJSON answer broke: ${error.message}`, 1, error)));
    });
    void (async () => {
      let buffered = '';
      const flush = async (): Promise<void> => {
        if (buffered === '' || settled) return;
        const ok = request.write(buffered);
        buffered = '';
        if (!ok) await new Promise<void>((resolve) => {
          const done = (): void => {
            request.off('drain', done);
            request.off('close', done);
            resolve();
          };
          request.on('drain', done);
          request.on('close', done);
        });
      };
      for await (const event of events) {
        if (settled) return;
        buffered += `${JSON.stringify(event)}\n`;
        if (buffered.length >= WRITE_BYTES) await flush();
      }
      await flush();
      if (!settled) request.end();
    })().catch((error: unknown) => settle(error instanceof Error ? error : new Error(String(error))));
  });
}
