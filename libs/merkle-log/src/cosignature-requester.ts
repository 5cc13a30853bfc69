import { Follower, sleep, type EventStore, type LogFollower, type LogFollowerStatus } from '@ledger/event-store';
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
  /** The log, whose head the witness's lag is measured against. */
  store: EventStore;
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
  private witnessSize: number | null = null;
  private readonly checkpoints: PostgresCheckpointStore;
  private readonly cosignatures: PostgresCosignatureStore;
  private readonly clock: () => number;
  private readonly fetch: typeof fetch;
  private readonly follower: Follower;

  constructor(private readonly options: CosignatureRequesterOptions) {
    this.name = `witness:${options.witness.verifier.name}`;
    this.checkpoints = new PostgresCheckpointStore(options.pool);
    this.cosignatures = new PostgresCosignatureStore(options.pool);
    this.clock = options.clock ?? Date.now;
    this.fetch = options.fetch ?? fetch;
    const intervalMs = options.intervalMs ?? 1_000;
    const { verifier } = options.witness;
    // The shared follower runtime: its position is the size the witness has cosigned, so /health
    // and /metrics show, per witness, how many events no cosigned checkpoint covers yet; a witness
    // that is down shows as `retrying` with its error, and is retried with backoff.
    this.follower = new Follower(
      {
        name: this.name,
        resume: async () => {
          this.witnessSize ??= await this.cosignatures.latestSize(verifier.name, verifier.keyId.toString(16).padStart(8, '0'));
          return this.witnessSize;
        },
        follow: async (_after, { signal, progress }) => {
          while (!signal.aborted) {
            progress(await this.requestOnce());
            await sleep(intervalMs, signal);
          }
        },
        reportedPosition: async () => this.witnessSize ?? 0,
      },
      { store: options.store, clock: options.clock, log: options.log },
    );
  }

  start(): Promise<void> {
    return this.follower.start();
  }

  stop(): Promise<void> {
    return this.follower.stop();
  }

  status(): Promise<LogFollowerStatus> {
    return this.follower.status();
  }

  /** Resolves once the witness has cosigned a checkpoint of at least `size` (tests, the CLI). */
  waitFor(size: number, timeoutMs?: number): Promise<void> {
    return this.follower.waitFor(size, timeoutMs);
  }

  /**
   * Brings the witness up to the latest checkpoint: returns the size it has cosigned afterwards.
   * Throws when the witness is unreachable or refuses (the runtime retries with backoff).
   */
  async requestOnce(): Promise<number> {
    return this.bringUpToDate();
  }

  private async bringUpToDate(): Promise<number> {
    const { verifier } = this.options.witness;
    const latest = await this.checkpoints.latest();
    this.witnessSize ??= await this.cosignatures.latestSize(verifier.name, verifier.keyId.toString(16).padStart(8, '0'));
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
