import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { TLOG_SIZE_CONTENT_TYPE, cosignerVerifierKey, decideAddCheckpoint, type Cosigner } from '@ledger/integrity';
import type { WitnessState } from './witness-state.js';

/** Largest add-checkpoint body accepted: a checkpoint with 100 signatures and 63 proof lines fits well below. */
const MAX_BODY_BYTES = 64 * 1024;

export interface WitnessServerOptions {
  cosigner: Cosigner;
  state: WitnessState;
  /** Milliseconds since the epoch; cosignatures carry it in seconds. */
  clock?: () => number;
  log?: (line: string) => void;
}

/**
 * A C2SP tlog-witness over HTTP, with one URL prefix for submission and monitoring:
 *
 * - `POST /add-checkpoint`: the protocol (200 cosignature lines, 400, 403, 404, 409 with
 *   `text/x.tlog.size`, 422); the check and the state update are serialized, and the state is on
 *   disk before the answer leaves.
 * - `GET /`: the witness's name, public key and, per log, the latest cosigned size (JSON).
 * - `GET /checkpoint?origin=<origin>`: the latest checkpoint it cosigned for a log, with its
 *   cosignature (text/plain): what an auditor compares with the log's.
 * - `GET /evidence`: the validly signed checkpoints it refused (split views, rewritten history).
 */
export class WitnessServer {
  private readonly server: http.Server;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly clock: () => number;
  private readonly log: (line: string) => void;

  constructor(private readonly options: WitnessServerOptions) {
    this.clock = options.clock ?? Date.now;
    this.log = options.log ?? (() => undefined);
    this.server = http.createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        this.log(`error: ${error instanceof Error ? error.message : String(error)}`);
        if (!response.headersSent) send(response, 500, 'text/plain; charset=utf-8', 'internal error: the checkpoint was not cosigned\n');
      });
    });
    this.server.keepAliveTimeout = 30_000;
  }

  get publicKey(): string {
    return cosignerVerifierKey(this.options.cosigner);
  }

  async listen(port: number, host: string): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve());
    });
    const address = this.server.address() as AddressInfo;
    return `http://${address.address.includes(':') ? `[${address.address}]` : address.address}:${address.port}`;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeIdleConnections();
    });
    await this.queue;
  }

  private async handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://witness');
    if (url.pathname === '/add-checkpoint') {
      if (request.method !== 'POST') return send(response, 405, 'text/plain; charset=utf-8', 'add-checkpoint takes POST\n', { allow: 'POST' });
      const body = await readBody(request);
      if (body === null) return send(response, 413, 'text/plain; charset=utf-8', `the body is larger than ${MAX_BODY_BYTES} bytes\n`);
      return this.serialized(() => this.addCheckpoint(body, response));
    }
    if (request.method !== 'GET') return send(response, 405, 'text/plain; charset=utf-8', 'only GET here\n', { allow: 'GET' });
    const { state } = this.options;
    if (url.pathname === '/') {
      const logs = [...state.logs().values()].map(({ origin, size, rootHash, keys }) => ({ origin, size, rootHash, keys: keys.map(({ publicKey, fromSize, untilSize }) => ({ publicKey, fromSize, untilSize })) }));
      return send(response, 200, 'application/json', `${JSON.stringify({ name: this.options.cosigner.name, publicKey: this.publicKey, logs, evidence: state.evidence().length })}\n`);
    }
    if (url.pathname === '/checkpoint') {
      const log = state.logs().get(url.searchParams.get('origin') ?? '');
      if (!log) return send(response, 404, 'text/plain; charset=utf-8', 'unknown origin: give ?origin=<the log\'s origin>\n');
      if (log.checkpoint === null) return send(response, 404, 'text/plain; charset=utf-8', `no checkpoint of ${log.origin} cosigned yet\n`);
      return send(response, 200, 'text/plain; charset=utf-8', log.checkpoint, { 'cache-control': 'no-cache' });
    }
    if (url.pathname === '/evidence') return send(response, 200, 'application/json', `${JSON.stringify({ evidence: state.evidence() })}\n`);
    return send(response, 404, 'text/plain; charset=utf-8', 'not found\n');
  }

  private async addCheckpoint(body: string, response: http.ServerResponse): Promise<void> {
    const { state, cosigner } = this.options;
    const decision = decideAddCheckpoint(body, state.logs(), cosigner, Math.floor(this.clock() / 1000));
    if (decision.status === 200) {
      await state.commit(decision.log);
      this.log(`cosigned ${decision.log.origin} at size ${decision.log.size}`);
      return send(response, 200, 'text/plain; charset=utf-8', `${decision.cosignature}\n`);
    }
    if (decision.evidence) {
      const origin = body.slice(body.indexOf('\n\n') + 2).split('\n', 1)[0] ?? '';
      await state.recordEvidence({ at: new Date(this.clock()).toISOString(), origin, status: decision.status, reason: decision.message, request: body });
      this.log(`refused a validly signed checkpoint of ${origin} (${decision.status}): ${decision.message}`);
    }
    if (decision.status === 409) return send(response, 409, TLOG_SIZE_CONTENT_TYPE, `${decision.size}\n`, { 'x-witness-reason': asciiHeader(decision.message) });
    return send(response, decision.status, 'text/plain; charset=utf-8', `${decision.message}\n`);
  }

  /** One add-checkpoint at a time: the size check and the state update are one step (tlog-witness's race). */
  private serialized(work: () => Promise<void>): Promise<void> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

function send(response: http.ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), ...headers });
  response.end(body);
}

function readBody(request: http.IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    request.on('data', (chunk: Buffer) => {
      length += chunk.length;
      if (length > MAX_BODY_BYTES) {
        resolve(null);
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function asciiHeader(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?').slice(0, 500);
}
