import type pg from 'pg';
import { eventNotFound } from '@ledger/domain';
import { encodeStoredEvent, type EventStore } from '@ledger/event-store';
import { HASH_SIZE, KEY_ROTATION_EXTENSION, LogKeyring, MissingTileError, TiledMerkleTree, hashToBase64, hashToHex, parseCheckpoint, parseKeyRotation, splitNote, type LogKeyEpoch } from '@ledger/integrity';
import { PostgresCheckpointStore, type StoredCheckpoint } from './checkpoint-store.js';
import { CoalescingTileReader } from './coalescing-tile-reader.js';
import { PostgresCosignatureStore } from './cosignature-store.js';
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

/** One leaf of the log for an auditor who checks them all: the exact text hashed, and its hash. */
export interface LogEntry {
  position: number;
  /** position − 1 */
  leafIndex: number;
  /** The stored event's RFC 8785 text: leafHash = SHA-256(0x00 ‖ UTF-8 of it). */
  canonical: string;
  /** Hex. */
  leafHash: string;
}

/** Proofs served from the tiles: each costs one query of O(log n) tiles. */
export class LogProofs {
  readonly checkpoints: PostgresCheckpointStore;
  readonly cosignatures: PostgresCosignatureStore;
  private readonly tiles: PostgresTileStore;

  constructor(
    private readonly pool: pg.Pool,
    private readonly store: EventStore,
  ) {
    this.checkpoints = new PostgresCheckpointStore(pool);
    this.cosignatures = new PostgresCosignatureStore(pool);
    this.tiles = new PostgresTileStore(pool);
  }

  /** The checkpoint's signed note with every witness cosignature stored for it. */
  cosignedNote(checkpoint: StoredCheckpoint): Promise<string> {
    return this.cosignatures.cosigned(checkpoint.note, checkpoint.treeSize);
  }

  /**
   * The bytes of tile (level, index) at `width` hashes (C2SP tlog-tiles), or null when the log
   * has not integrated that many yet. Hashes of a tile never change, so a narrower width is a
   * prefix of the stored tile.
   */
  async tile(level: number, index: number, width: number): Promise<Buffer | null> {
    const { rows } = await this.pool.query<{ hashes: Buffer }>('SELECT hashes FROM merkle_tiles WHERE level = $1 AND idx = $2', [level, index]);
    const hashes = rows[0]?.hashes;
    if (!hashes || hashes.length < width * HASH_SIZE) return null;
    return hashes.subarray(0, width * HASH_SIZE);
  }

  /** Leaves from position `from` on, at most `limit`, each with its stored text and leaf hash. */
  async entries(from: number, limit: number): Promise<LogEntry[]> {
    const events = await this.store.readAll({ after: from - 1, limit });
    return events.map((recorded) => {
      const { canonical, hash } = encodeStoredEvent(recorded.event, recorded);
      if (hashToHex(hash) !== recorded.hash) {
        throw new LogIntegrityError(`position ${recorded.position}: the stored event does not hash to its stored hash; run verify`, { position: recorded.position });
      }
      return { position: recorded.position, leafIndex: recorded.position - 1, canonical, leafHash: recorded.hash };
    });
  }

  /**
   * The log's keys over time, from its rotation checkpoints (docs/log-format.md "Key rotation"),
   * ending with `currentPublicKey`. Each rotation checkpoint is verified (both signatures) as it is
   * followed, starting from the key the first one hands over from.
   */
  async keyHistory(currentPublicKey: string): Promise<{ keys: readonly LogKeyEpoch[]; rotations: string[] }> {
    const { rows } = await this.pool.query<{ note: string }>(
      `SELECT note FROM log_checkpoints WHERE position($1 in note) > 0 ORDER BY seq`,
      [`\n${KEY_ROTATION_EXTENSION} `],
    );
    const rotations = rows.map((r) => r.note).filter((note) => parseKeyRotation(parseCheckpoint(splitNote(note).text)) !== null);
    if (rotations.length === 0) return { keys: new LogKeyring([currentPublicKey]).epochs, rotations };
    const first = parseKeyRotation(parseCheckpoint(splitNote(rotations[0]!).text))!;
    const ring = new LogKeyring([first.from]);
    for (const note of rotations) ring.open(note);
    if (ring.current.publicKey !== currentPublicKey.trim()) {
      throw new LogIntegrityError(`the log's rotation checkpoints end at key ${ring.current.keyId}, not at the configured key`);
    }
    return { keys: ring.epochs, rotations };
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
    const found = await this.checkpoints.atSize(size);
    const checkpoint = found ? await this.cosignedNote(found) : null;
    return {
      eventId: event.event.eventId,
      position: event.position,
      leafIndex: event.position - 1,
      treeSize: size,
      leafHash: event.hash,
      proof: proof!.map(hashToBase64),
      checkpoint,
    };
  }

  async consistencyProof(from: number, to: number): Promise<ConsistencyProofAnswer> {
    if (from < 1) throw new TreeSizeError('from', 'from must be at least 1: a proof from the empty tree proves nothing');
    if (from > to) throw new TreeSizeError('from', `from (${from}) must not be greater than to (${to})`);
    await this.assertIntegrated(to, 'to');
    const proof = await this.tree(this.tiles, (tree) => tree.consistencyProof(from, to));
    const [a, b] = await Promise.all([this.checkpoints.atSize(from), this.checkpoints.atSize(to)]);
    return { from, to, proof: proof.map(hashToBase64), checkpoints: { from: a ? await this.cosignedNote(a) : null, to: b ? await this.cosignedNote(b) : null } };
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
