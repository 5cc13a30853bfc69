import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { ledgerConfigFromEnv } from '@ledger/runtime';
import { EXAMPLE_EVENTS } from '@ledger/wire';
import { rawExchange, type RawAnswer } from './support/raw-http.js';
import { startTestApp, TEST_KEYS, type TestApp } from './support/test-app.js';

/**
 * Short limits, so that what the defaults do in seconds happens here in fractions of one. No
 * timing is asserted: what matters is that the server, not the client, ends each exchange, and
 * that it does so long before the client would have finished.
 */
const LIMITS = { headersTimeoutMs: 600, bodyTimeoutMs: 1_500, idleTimeoutMs: 500, maxConnectionsPerSource: 4, inflightBodyBytes: 100 * 1024 };
const BODY_LIMIT = 64 * 1024;
const GUARD_MS = 15_000;

const head = (lines: string[]): string => `${lines.join('\r\n')}\r\n\r\n`;
const feed = `Authorization: Bearer ${TEST_KEYS.feed}`;

describe('slow and greedy clients are cut at the documented limits', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp('slow_clients', { config: { limits: LIMITS, bodyLimitBytes: BODY_LIMIT } });
  });

  afterAll(async () => {
    await app.close();
  });

  it('has defaults a client can live with (README "Limits and timeouts")', () => {
    expect(ledgerConfigFromEnv({}).limits).toEqual({
      headersTimeoutMs: 10_000, bodyTimeoutMs: 30_000, idleTimeoutMs: 5_000, maxConnectionsPerSource: 256, inflightBodyBytes: 20 * 1024 * 1024,
    });
  });

  it('answers 408 and closes a connection whose body trickles in slower than the body timeout allows', async () => {
    // 10,000 bytes at 10 bytes every 100 ms would take 100 s.
    const answer = await rawExchange(app.url, {
      send: head(['POST /v1/events HTTP/1.1', 'Host: t', 'Content-Type: application/json', 'Content-Length: 10000', feed]),
      trickle: { chunk: '{"events":', everyMs: 100, max: 1_000 },
      timeoutMs: GUARD_MS,
    });
    expect(answer).toMatchObject({ status: 408, closedByServer: true });
  });

  it('lets a streamed (NDJSON) body last longer than the body timeout while it keeps sending', async () => {
    expect((await app.request('POST', '/v1/events', { role: 'feed', body: { ...EXAMPLE_EVENTS.ContractRegistered, eventId: randomUUID() } })).status).toBe(201);
    const { port } = new URL(app.url);
    const socket = net.connect(Number(port), '127.0.0.1');
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    await new Promise<void>((resolve) => socket.on('connect', () => resolve()));
    socket.write(head(['POST /v1/events HTTP/1.1', 'Host: t', 'Content-Type: application/x-ndjson', 'Transfer-Encoding: chunked', feed]));
    // Eight events, one every 300 ms: 2.4 s, longer than the 1.5 s body timeout.
    for (let i = 0; i < 8; i++) {
      const line = `${JSON.stringify({ ...EXAMPLE_EVENTS.RecordUsed, eventId: randomUUID(), recordId: `R-S${i}` })}\n`;
      socket.write(`${Buffer.byteLength(line).toString(16)}\r\n${line}\r\n`);
      await new Promise((r) => setTimeout(r, 300));
    }
    socket.end('0\r\n\r\n');
    await closed;
    expect(text).toMatch(/^HTTP\/1\.1 200/);
    expect(text).toContain('"done":{"events":8,"appended":8');
  });

  it('closes a connection that sends nothing at all, and one whose headers trickle in', async () => {
    const silent = await rawExchange(app.url, { timeoutMs: GUARD_MS });
    expect(silent.closedByServer).toBe(true);
    const trickled = await rawExchange(app.url, { send: 'GET /health HTTP/1.1\r\n', trickle: { chunk: 'X-Slow: 1\r\n', everyMs: 100, max: 1_000 }, timeoutMs: GUARD_MS });
    expect(trickled.closedByServer).toBe(true);
    expect([0, 408]).toContain(trickled.status);
  });

  it('closes a kept-alive connection that stays idle after its answer', async () => {
    const answer = await rawExchange(app.url, { send: head(['GET /health HTTP/1.1', 'Host: t', 'Connection: keep-alive']), timeoutMs: GUARD_MS });
    expect(answer).toMatchObject({ status: 200, closedByServer: true });
  });

  it('refuses a body at the limit while it streams in (chunked, no length announced), and a longer announced length at once', async () => {
    const chunk = `400\r\n${'x'.repeat(1024)}\r\n`;
    const streamed = await rawExchange(app.url, {
      send: head(['POST /v1/events HTTP/1.1', 'Host: t', 'Content-Type: application/json', 'Transfer-Encoding: chunked', feed]),
      trickle: { chunk, everyMs: 2, max: 5_000 },
      timeoutMs: GUARD_MS,
    });
    expect(streamed.status).toBe(413);
    expect(streamed.text).toContain('LEDGER.BODY_TOO_LARGE');
    const announced = await rawExchange(app.url, {
      send: head(['POST /v1/events HTTP/1.1', 'Host: t', 'Content-Type: application/json', `Content-Length: ${BODY_LIMIT + 1}`, feed]),
      timeoutMs: GUARD_MS,
    });
    expect(announced.status).toBe(413);
  });

  it('holds a body back while the in-flight budget is taken, then answers 503 with Retry-After', async () => {
    const announce = (bytes: number): string => head(['POST /v1/events HTTP/1.1', 'Host: t', 'Content-Type: application/json', `Content-Length: ${bytes}`, feed]);
    // The first body takes 60 KiB of the 100 KiB budget and trickles until its body timeout.
    const holder = rawExchange(app.url, { send: announce(60 * 1024), trickle: { chunk: ' ', everyMs: 50, max: 1_000 }, timeoutMs: GUARD_MS });
    await new Promise((r) => setTimeout(r, 100));
    const waiting: RawAnswer = await rawExchange(app.url, { send: announce(60 * 1024), timeoutMs: GUARD_MS });
    expect(waiting.status).toBe(503);
    expect(waiting.text).toMatch(/retry-after: \d+/i);
    expect(waiting.text).toContain('LEDGER.BUSY');
    expect((await holder).status).toBe(408);
    // Once it is released, a body gets in again.
    expect((await app.request('POST', '/v1/events', { role: 'feed', body: {} })).status).toBe(400);
  });

  it(`answers the connection beyond ${LIMITS.maxConnectionsPerSource} from one address with 503 and closes it, and takes new ones once others close`, async () => {
    // Let the keep-alive connections of earlier requests close first (idle timeout).
    await new Promise((r) => setTimeout(r, LIMITS.idleTimeoutMs * 2));
    const held = Array.from({ length: LIMITS.maxConnectionsPerSource }, () =>
      rawExchange(app.url, { send: 'GET /health HTTP/1.1\r\n', trickle: { chunk: 'X-Hold: 1\r\n', everyMs: 100, max: 3 }, timeoutMs: GUARD_MS }),
    );
    await new Promise((r) => setTimeout(r, 100));
    const refused = await rawExchange(app.url, { send: head(['GET /health HTTP/1.1', 'Host: t']), timeoutMs: GUARD_MS });
    expect(refused).toMatchObject({ status: 503, closedByServer: true });
    expect(refused.text).toContain('LEDGER.TOO_MANY_CONNECTIONS');
    await Promise.all(held);
    const again = await rawExchange(app.url, { send: head(['GET /health HTTP/1.1', 'Host: t', 'Connection: close']), timeoutMs: GUARD_MS });
    expect(again.status).toBe(200);
  });
});
