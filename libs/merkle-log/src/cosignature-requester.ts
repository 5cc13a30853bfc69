import type { LogFollower, LogFollowerStatus } from '@ledger/event-store';
import type pg from 'pg';
import {
  MissingTileError,
  TLOG_SIZE_CONTENT_TYPE,
  TiledMerkleTree,
  addSignatures,
  formatAddCheckpointRequest,
  verifyCosignatures,
} from '@ledger/integrity';
import { PostgresCheckpointStore, type StoredCheckpoint } from './checkpoint-store.js';
import { PostgresCosignatureStore } from './cosignature-store.js';
import { PostgresTileStore } from './postgres-tile-store.js';
import type { WitnessEndpoint } from './witness-config.js';

export interface CosignatureRequesterOptions {
  pool: pg.Pool;
  witness: WitnessEndpoint;
  /** How often to look for a checkpoint the witness has not cosigned (ms), default 1,000. */
  intervalMs?: number;
  /** One request's time limit (ms), default 10,000. */
  timeoutMs?: number;
  clock?: () => number;
  log?: (line: string) => void;
  /** The HTTP client (tests inject failures); default global fetch. */
  fetch?: typeof fetch;
}

/**
 * Asks one witness (C2SP tlog-witness) to cosign the log's latest checkpoint, with a consistency
 * proof from the last size it cosigned, and stores the cosignature once it verifies against the
 * witness's key. One requester per witness, each a background worker of its own: a witness that is
 * down or refuses delays nothing but its own cosignature, and /health and /metrics show its lag
 * (checkpointed events it has not cosigned yet). A 409 tells the witness's real size; the requester
 * adopts it and asks again with the matching proof.
 */
export class CosignatureRequester implements LogFollower {
  readonly name: string;
  private state: LogFollowerStatus['state'] = 'stopped';
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<unknown> = Promise.resolve();
  private witnessSize: number | null = null;
  private latest: StoredCheckpoint | null = null;
  private lastError: string | undefined;
  private readonly checkpoints: PostgresCheckpointStore;
  private readonly cosignatures: PostgresCosignatureStore;
  private readonly clock: () => number;
  private readonly log: (line: string) => void;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: CosignatureRequesterOptions) {
    this.name = `witness:${options.witness.verifier.name}`;
    this.checkpoints = new PostgresCheckpointStore(options.pool);
    this.cosignatures = new PostgresCosignatureStore(options.pool);
    this.clock = options.clock ?? Date.now;
    this.log = options.log ?? (() => undefined);
    this.fetch = options.fetch ?? fetch;
  }

  async start(): Promise<void> {
    if (this.timer) return;
    this.state = 'running';
    const tick = (): void => {
      this.inFlight = this.requestOnce()
        .catch(() => undefined)
        .finally(() => {
          if (this.timer) this.timer = setTimeout(tick, this.options.intervalMs ?? 1_000);
        });
    };
    this.timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    const timer = this.timer;
    this.timer = null;
    if (timer) clearTimeout(timer);
    await this.inFlight;
    this.state = 'stopped';
  }

  async status(): Promise<LogFollowerStatus> {
    const cosigned = this.witnessSize ?? 0;
    const latest = this.latest;
    const lagging = latest !== null && latest.treeSize > cosigned;
    const status: LogFollowerStatus = {
      name: this.name,
      state: this.state,
      position: cosigned,
      lagEvents: lagging ? latest.treeSize - cosigned : 0,
      lagSeconds: lagging ? Math.max(0, (this.clock() - Date.parse(latest.signedAt)) / 1000) : 0,
    };
    if (this.lastError !== undefined) status.error = this.lastError;
    return status;
  }

  /**
   * Brings the witness up to the latest checkpoint: returns the size it has cosigned afterwards.
   * Throws (and reports the error on /health) when the witness is unreachable or refuses.
   */
  async requestOnce(): Promise<number> {
    try {
      const size = await this.bringUpToDate();
      this.lastError = undefined;
      return size;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (message !== this.lastError) this.log(`${this.name}: ${message}`);
      this.lastError = message;
      throw error;
    }
  }

  private async bringUpToDate(): Promise<number> {
    const { verifier } = this.options.witness;
    this.latest = await this.checkpoints.latest();
    this.witnessSize ??= await this.cosignatures.latestSize(verifier.name, verifier.keyId.toString(16).padStart(8, '0'));
    const latest = this.latest;
    if (latest === null || this.witnessSize === latest.treeSize) return this.witnessSize;
    // At most two rounds: a 409 corrects the size the witness last cosigned, then we retry once.
    for (let round = 0; round < 2; round++) {
      const oldSize: number = this.witnessSize;
      if (oldSize > latest.treeSize) {
        throw new Error(`the witness has cosigned size ${oldSize}, larger than the log's latest checkpoint (${latest.treeSize}): the log was rolled back, or the witness saw another log under this name`);
      }
      const body = formatAddCheckpointRequest({ oldSize, proof: await this.proof(oldSize, latest.treeSize), checkpoint: latest.note });
      const response = await this.post(body);
      const text = await response.text();
      if (response.status === 200) {
        await this.store(latest, text);
        this.witnessSize = latest.treeSize;
        return latest.treeSize;
      }
      if (response.status === 409 && (response.headers.get('content-type') ?? '').startsWith(TLOG_SIZE_CONTENT_TYPE) && /^(0|[1-9][0-9]*)\n$/.test(text)) {
        const theirs = Number(text.trim());
        if (theirs === oldSize) {
          throw new Error(`the witness refuses checkpoint ${latest.treeSize} (409): ${response.headers.get('x-witness-reason') ?? 'it cosigned another root for this size'}`);
        }
        this.witnessSize = theirs;
        continue;
      }
      throw new Error(`the witness answered ${response.status} to checkpoint ${latest.treeSize}: ${text.trim().slice(0, 300)}`);
    }
    throw new Error(`the witness keeps changing its size (now ${this.witnessSize})`);
  }

  private async proof(from: number, to: number): Promise<Buffer[]> {
    if (from === 0 || from === to) return [];
    try {
      return await new TiledMerkleTree(new PostgresTileStore(this.options.pool)).consistencyProof(from, to);
    } catch (error) {
      if (error instanceof MissingTileError) throw new Error(`cannot prove ${from} → ${to} from the tiles: ${error.message}`, { cause: error });
      throw error;
    }
  }

  private async post(body: string): Promise<Response> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.options.timeoutMs ?? 10_000);
    try {
      return await this.fetch(`${this.options.witness.url}/add-checkpoint`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain; charset=utf-8' },
        body,
        signal: controller.signal,
      });
    } catch (error) {
      throw new Error(`the witness at ${this.options.witness.url} is unreachable: ${(error as Error).message}`, { cause: error });
    } finally {
      clearTimeout(timer);
    }
  }

  /** Keeps only a cosignature that verifies on this very checkpoint with the configured key. */
  private async store(checkpoint: StoredCheckpoint, responseBody: string): Promise<void> {
    const lines = responseBody.split('\n').filter((line) => line.length > 0);
    let found;
    try {
      found = verifyCosignatures(addSignatures(checkpoint.note, lines), [this.options.witness.verifier]).valid[0];
    } catch (error) {
      throw new Error(`the witness's answer is not note signature lines: ${(error as Error).message}`, { cause: error });
    }
    if (!found) throw new Error(`the witness answered 200 but without a valid cosignature by ${this.options.witness.verifier.vkey.split('+').slice(0, 2).join('+')}`);
    await this.cosignatures.add(checkpoint.treeSize, found, new Date(this.clock()));
  }
}
