import { Follower, sleep, type EventStore, type LogFollower, type LogFollowerStatus } from '@ledger/event-store';
import type pg from 'pg';
import { ADVISORY_LOCKS } from '@ledger/database';
import { checkpointName, MissingTileError, TiledMerkleTree, addSignatures, checkConsistency, formatCheckpoint, keyRotationLine, openCheckpoint, signNote, splitNote } from '@ledger/integrity';
import { PostgresCheckpointStore, type StoredCheckpoint } from './checkpoint-store.js';
import { LogIntegrityError, SigningKeyError } from './errors.js';
import { hex8, keysInForce, type LogKeys } from './log-keys.js';
import { PostgresTileStore } from './postgres-tile-store.js';
import { inTransaction } from './queryable.js';
import { readTreeState } from './tree-state.js';

/** Serializes signers across processes, so two never sign the same size or race on order. */
const SIGN_LOCK = ADVISORY_LOCKS.checkpointSign;

export interface CheckpointSignerOptions {
  pool: pg.Pool;
  /** The log, whose head the signer's lag is measured against. */
  store: EventStore;
  /** The log's keys with the signer, or how to load them (on start, e.g. from the data directory). */
  keys: LogKeys | (() => Promise<LogKeys>);
  /** How often to look for growth (ms), default 2,000: "every few seconds while events arrive". */
  intervalMs?: number;
  clock?: () => number;
  log?: (line: string) => void;
  /** Called after a rotation checkpoint is stored, with the retired key's ID (the provider moves the key files). */
  onRotated?: (retiredKeyId: string, keys: LogKeys) => Promise<void>;
}

/**
 * Signs a C2SP checkpoint of the integrated tree whenever it has grown, every `intervalMs`.
 * Before signing it recomputes the root from the stored tiles (it must equal the integrator's
 * state) and checks a consistency proof from the previous checkpoint, which it reopens with its
 * own key: it never signs a tree that does not extend every earlier checkpoint. Every checkpoint
 * is kept in log_checkpoints, which refuses UPDATE and DELETE.
 */
export class CheckpointSigner implements LogFollower {
  readonly name = 'checkpoint-signer';
  private lastSigned = 0;
  private readonly checkpoints: PostgresCheckpointStore;
  private keys: LogKeys | null = null;
  private readonly follower: Follower;

  constructor(private readonly options: CheckpointSignerOptions) {
    if (typeof options.keys !== 'function') this.keys = checkSigner(options.keys);
    this.checkpoints = new PostgresCheckpointStore(options.pool);
    const intervalMs = options.intervalMs ?? 2_000;
    this.follower = new Follower(
      {
        name: this.name,
        resume: async () => {
          await this.loadKeys();
          this.lastSigned = (await this.checkpoints.latest())?.treeSize ?? 0;
          return this.lastSigned;
        },
        follow: async (_after, { signal, progress }) => {
          progress(this.lastSigned);
          while (!signal.aborted) {
            await sleep(intervalMs, signal);
            if (signal.aborted) return;
            await this.signIfGrown();
            progress(this.lastSigned);
          }
        },
        isFatal: (error) => error instanceof LogIntegrityError || error instanceof SigningKeyError,
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

  /** How far the signed checkpoints are behind the log. */
  status(): Promise<LogFollowerStatus> {
    return this.follower.status();
  }

  /**
   * Signs a checkpoint of the current integrated tree if it is larger than the latest one;
   * returns it, or null when there is nothing new. Throws LogIntegrityError (and marks the worker
   * failed) when the tree does not extend the previous checkpoint.
   */
  async signIfGrown(): Promise<StoredCheckpoint | null> {
    const keys = await this.loadKeys();
    const signed = await inTransaction(this.options.pool, (client) => this.signIn(client, keys));
    if (signed) this.lastSigned = signed.treeSize;
    if (signed && keys.next) {
      const now = keysInForce(keys, signed.note);
      if (now !== keys) {
        if (typeof this.options.keys !== 'function') this.keys = now;
        this.options.log?.(`the log's key is now ${now.keyId} (rotation checkpoint of tree size ${signed.treeSize}; key ${keys.keyId} retired)`);
        await this.options.onRotated?.(keys.keyId, now);
      }
    }
    return signed;
  }

  /**
   * Keys given as a loader are loaded again before every signing (a few file reads): a next key
   * prepared by `rotate-key` while the service runs is picked up at the next checkpoint.
   */
  private async loadKeys(): Promise<LogKeys> {
    if (typeof this.options.keys === 'function') return checkSigner(await this.options.keys());
    this.keys ??= checkSigner(this.options.keys);
    return this.keys;
  }

  private async signIn(client: pg.PoolClient, configured: LogKeys): Promise<StoredCheckpoint | null> {
    await client.query('SELECT pg_advisory_xact_lock($1)', [SIGN_LOCK]);
    const tree = await readTreeState(client);
    const latest = await this.checkpoints.latest(client);
    // Another process may have rotated the key since this one loaded it.
    const keys = keysInForce(configured, latest?.note ?? null);
    if (latest && tree.size < latest.treeSize) {
      throw new LogIntegrityError(`the integrated tree has ${tree.size} leaves but ${checkpointName(latest.treeSize, latest.seq)} already signed ${latest.treeSize}`);
    }
    if (tree.size === 0 || (latest && tree.size === latest.treeSize)) return null;

    const tiles = new TiledMerkleTree(new PostgresTileStore(client));
    let root: Buffer;
    try {
      root = await tiles.computeRoot(tree.size);
    } catch (error) {
      if (error instanceof MissingTileError) throw new LogIntegrityError(`the tiles do not cover the integrated tree of ${tree.size}: ${error.message}`);
      throw error;
    }
    if (!root.equals(tree.rootHash)) {
      throw new LogIntegrityError(`the root computed from the tiles differs from the integrator's root at tree size ${tree.size}`);
    }
    if (latest) {
      let previous;
      try {
        previous = openCheckpoint(latest.note, keys.verifier, keys.origin);
      } catch (error) {
        throw new SigningKeyError(
          `the latest checkpoint (${checkpointName(latest.treeSize, latest.seq)}) does not open with this log's key ${keys.keyId} ` +
            `and origin "${keys.origin}": ${(error as Error).message}. Restore the log's key and origin (a new key is introduced with npm run cli -- rotate-key)`,
        );
      }
      if (previous.size !== latest.treeSize || !previous.rootHash.equals(latest.rootHash)) {
        throw new LogIntegrityError(`${checkpointName(latest.treeSize, latest.seq)}: its columns differ from its signed text`);
      }
      const proof = await tiles.consistencyProof(previous.size, tree.size);
      const check = checkConsistency(previous.size, tree.size, proof, previous.rootHash, root);
      if (!check.valid) {
        throw new LogIntegrityError(`the tree of ${tree.size} leaves is not consistent with ${checkpointName(latest.treeSize, latest.seq)}: ${check.reason}`);
      }
    }
    // A configured next key is introduced here: the checkpoint names both keys and both sign it.
    const next = keys.next ?? null;
    const body = formatCheckpoint({ origin: keys.origin, size: tree.size, rootHash: root, ...(next ? { extensions: [keyRotationLine(keys.signer!, next)] } : {}) });
    let note = signNote(body, keys.signer!);
    if (next) note = addSignatures(note, [splitNote(signNote(body, next)).signatures[0]!.line]);
    return this.checkpoints.append(client, {
      treeSize: tree.size,
      rootHash: root,
      keyId: next ? hex8(next.keyId) : keys.keyId,
      note,
      signedAt: new Date((this.options.clock ?? Date.now)()).toISOString(),
    });
  }
}

function checkSigner(keys: LogKeys): LogKeys {
  if (keys.signer === null) throw new SigningKeyError('the checkpoint signer needs the private key');
  return keys;
}
