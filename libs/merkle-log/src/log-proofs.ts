import type pg from 'pg';
import { eventNotFound } from '@ledger/domain';
import type { EventStore } from '@ledger/event-store';
import { MissingTileError, TiledMerkleTree, hashToBase64 } from '@ledger/integrity';
import { PostgresCheckpointStore, type StoredCheckpoint } from './checkpoint-store.js';
import { CoalescingTileReader } from './coalescing-tile-reader.js';
import { LogIntegrityError, NoCheckpointError, TreeSizeError } from './errors.js';
import { PostgresTileStore } from './postgres-tile-store.js';
import { readTreeState } from './tree-state.js';

export interface InclusionProofAnswer {
  eventId: string;
  position: number;
  /** position − 1 */
  leafIndex: number;
  treeSize: number;
  /** Hex leaf hash, SHA-256(0x00 ‖ canonical stored event). */
  leafHash: string;
  /** Base64 hashes, deepest first (RFC 9162 §2.1.3.1). */
  proof: string[];
  /** The signed checkpoint of this tree size, when one was signed (null otherwise). */
  checkpoint: string | null;
}

export interface ConsistencyProofAnswer {
  from: number;
  to: number;
  /** Base64 hashes (RFC 9162 §2.1.4.1). */
  proof: string[];
  checkpoints: { from: string | null; to: string | null };
}

/** Proofs served from the tiles: each costs one query of O(log n) tiles. */
export class LogProofs {
  readonly checkpoints: PostgresCheckpointStore;
  private readonly tiles: PostgresTileStore;

  constructor(
    private readonly pool: pg.Pool,
    private readonly store: EventStore,
  ) {
    this.checkpoints = new PostgresCheckpointStore(pool);
    this.tiles = new PostgresTileStore(pool);
  }

  /** Leaves integrated into the tree so far (may be ahead of the latest checkpoint). */
  async integratedSize(): Promise<number> {
    return (await readTreeState(this.pool)).size;
  }

  async latestCheckpoint(): Promise<StoredCheckpoint> {
    const latest = await this.checkpoints.latest();
    if (!latest) throw new NoCheckpointError('no checkpoint has been signed yet: the log is empty or its signer has not run');
    return latest;
  }

  /** The checkpoint of exactly this size, or the latest one when `treeSize` is undefined. */
  async checkpoint(treeSize: number | undefined, field = 'treeSize'): Promise<StoredCheckpoint> {
    if (treeSize === undefined) return this.latestCheckpoint();
    const found = await this.checkpoints.atSize(treeSize);
    if (!found) throw new TreeSizeError(field, `no checkpoint was signed at tree size ${treeSize}`);
    return found;
  }

  async inclusionProof(eventId: string, treeSize?: number): Promise<InclusionProofAnswer> {
    const [event] = await this.store.readByEventIds([eventId]);
    if (!event) throw eventNotFound(eventId);
    const size = treeSize ?? (await this.latestCheckpoint()).treeSize;
    if (size < event.position) {
      throw new TreeSizeError('treeSize', `treeSize must be at least ${event.position}, the position of event ${eventId}` +
        (treeSize === undefined ? ' (the latest checkpoint does not cover it yet: retry in a few seconds)' : ''));
    }
    await this.assertIntegrated(size, 'treeSize');
    const [proof] = await this.inclusionProofs([event.position - 1], size);
    const checkpoint = await this.checkpoints.atSize(size);
    return {
      eventId: event.event.eventId,
      position: event.position,
      leafIndex: event.position - 1,
      treeSize: size,
      leafHash: event.hash,
      proof: proof!.map(hashToBase64),
      checkpoint: checkpoint?.note ?? null,
    };
  }

  async consistencyProof(from: number, to: number): Promise<ConsistencyProofAnswer> {
    if (from < 1) throw new TreeSizeError('from', 'from must be at least 1: a proof from the empty tree proves nothing');
    if (from > to) throw new TreeSizeError('from', `from (${from}) must not be greater than to (${to})`);
    await this.assertIntegrated(to, 'to');
    const proof = await this.tree(this.tiles, (tree) => tree.consistencyProof(from, to));
    const [a, b] = await Promise.all([this.checkpoints.atSize(from), this.checkpoints.atSize(to)]);
    return { from, to, proof: proof.map(hashToBase64), checkpoints: { from: a?.note ?? null, to: b?.note ?? null } };
  }

  /**
   * Inclusion proofs of many leaves in one tree, batched: every `chunk` proofs share one query,
   * and full tiles are cached for the call. For exports of a whole contract.
   */
  async inclusionProofs(leafIndexes: readonly number[], treeSize: number, chunk = 1_000): Promise<Buffer[][]> {
    const reader = new CoalescingTileReader(this.tiles);
    const proofs: Buffer[][] = [];
    for (let i = 0; i < leafIndexes.length; i += chunk) {
      const part = leafIndexes.slice(i, i + chunk);
      proofs.push(...(await this.tree(reader, (tree) => Promise.all(part.map((index) => tree.inclusionProof(index, treeSize))))));
    }
    return proofs;
  }

  private async assertIntegrated(size: number, field: string): Promise<void> {
    const integrated = await this.integratedSize();
    if (size > integrated) throw new TreeSizeError(field, `${field} ${size} is beyond the Merkle log, which holds ${integrated} events so far`);
  }

  private async tree<T>(reader: PostgresTileStore | CoalescingTileReader, run: (tree: TiledMerkleTree) => Promise<T>): Promise<T> {
    try {
      return await run(new TiledMerkleTree(reader));
    } catch (error) {
      if (error instanceof MissingTileError) throw new LogIntegrityError(`the Merkle log's tiles are incomplete: ${error.message}`);
      throw error;
    }
  }
}
