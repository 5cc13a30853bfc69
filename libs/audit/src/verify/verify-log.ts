import os from 'node:os';
import { contractorParty } from '@ledger/domain';
import {
  CompactRange,
  LogKeyring,
  MissingTileError,
  TiledMerkleTree,
  addSignatures,
  checkConsistency,
  checkpointName,
  checkQuorum,
  hashFromHex,
  hashToBase64,
  nodeHash,
  type CosignatureVerifier,
  type NoteVerifier,
} from '@ledger/integrity';
import type pg from 'pg';
import { CoalescingTileReader, PostgresCheckpointStore, PostgresCosignatureStore, PostgresTileStore, type Queryable } from '@ledger/merkle-log';
import { inlineRunner, workerRunner, type ChunkRunner } from './chunk-runner.js';
import { logExtent } from './log-rows.js';
import { byPosition, type LogProblem } from './problems.js';
import type { ChunkTask } from './verify-chunk.js';
import type { PartyKey } from '../signatures/party-keys.js';

export interface VerifyLogOptions {
  /** The ledger's PostgreSQL. */
  db: pg.Pool;
  /** The same database's URL, for worker threads (each opens its own connection). */
  databaseUrl?: string;
  /**
   * The log's public key: every checkpoint must be signed by it, or by a key it handed the log
   * over to in a rotation checkpoint (each key only for the tree sizes of its time).
   */
  verifier: NoteVerifier;
  /** Witness keys the auditor trusts (`--witness`); with them, checkpoints are checked for a quorum of cosignatures. */
  witnesses?: readonly CosignatureVerifier[];
  /** Valid cosignatures required (`--quorum`), default: as many as witnesses given. */
  quorum?: number;
  /** When given, every checkpoint must name this origin; otherwise they must all name the same one. */
  origin?: string;
  /** Checkpoints the auditor holds from elsewhere (signed notes): the stored log must match them too. */
  trustedCheckpoints?: readonly string[];
  /**
   * The parties' signing keys (the registry's, or the ones the auditor pinned): every signed event
   * must verify with its acting party's key, valid at its recordedAt. Default: none.
   */
  partyKeys?: readonly PartyKey[];
  /**
   * Threads verifying chunks: this one and jobs − 1 worker threads; 0 or 1 verifies in this
   * thread alone. Default: one per core, at most 4.
   */
  jobs?: number;
  /** Chunk width 2^chunkBits positions (default 16, i.e. 65,536). */
  chunkBits?: number;
  /** Stop after this many problems (default 20). */
  maxProblems?: number;
  onProgress?: (done: number, total: number) => void;
  /** The compiled verify-worker.js (default: next to this module). */
  workerUrl?: URL;
}

export interface CheckpointSummary {
  seq: number;
  treeSize: number;
  /** Base64, as in the checkpoint text. */
  rootHash: string;
}

export interface VerifyLogReport {
  ok: boolean;
  /** Highest stored position. */
  head: number;
  /** Rows read and checked. */
  events: number;
  streams: number;
  /** Events carrying a party's signature, each checked. */
  signedEvents: number;
  /** Checkpoints stored (valid or not). */
  checkpoints: number;
  /** The largest validly signed checkpoint, whose root was recomputed from the events. */
  latest: CheckpointSummary | null;
  /** Events after the latest checkpoint: checked for hashes, columns and chains, not yet signed. */
  uncheckpointed: number;
  firstBadPosition: number | null;
  /** In position order, at most maxProblems. */
  problems: LogProblem[];
  /** Whether it stopped before the end because maxProblems were found. */
  stoppedEarly: boolean;
  /** With witnesses: the largest verified checkpoint carrying the quorum, and who cosigned it. */
  witnessed: { treeSize: number; cosigners: string[] } | null;
}

interface ValidCheckpoint {
  label: string;
  size: number;
  root: Buffer;
  seq: number;
}

/**
 * The full-log verifier: recomputes every leaf hash from the stored row (its text, and for a
 * compact text the metadata columns spliced in), checks the other stored columns against it, positions 1, 2, 3 … without gaps, every stream chain, and the Merkle
 * root at every signed checkpoint; checks each checkpoint's signature and the consistency proof
 * between consecutive checkpoints. Reports problems in position order, the first bad position
 * first. Trusts nothing in the database: not the stored hashes, not the tiles, not the state.
 */
export async function verifyLog(options: VerifyLogOptions): Promise<VerifyLogReport> {
  const maxProblems = options.maxProblems ?? 20;
  const chunkBits = options.chunkBits ?? 16;
  const width = 2 ** chunkBits;
  const problems: LogProblem[] = [];
  const report = (position: number, kind: LogProblem['kind'], message: string): void => {
    problems.push({ position, kind, message });
  };

  const stored = await new PostgresCheckpointStore(options.db).all();
  const valid = checkCheckpoints(stored, options, report);
  const witnessed = await checkWitnesses(options, stored, valid, report);
  const { head, integrated } = await logExtent(options.db);
  const bySize = new Map<number, ValidCheckpoint>();
  for (const checkpoint of valid) if (!bySize.has(checkpoint.size)) bySize.set(checkpoint.size, checkpoint);
  const sizes = [...bySize.keys()].sort((a, b) => a - b);
  const total = Math.max(head, sizes.at(-1) ?? 0);

  if (head > 0 && stored.length === 0) {
    report(1, 'root-unverifiable', `the log holds ${head} events but no signed checkpoint: nothing vouches for them yet (the signer signs within a few seconds of new events)`);
  }

  const tasks: ChunkTask[] = [];
  for (let first = 1; first <= total; first += width) {
    const last = Math.min(first + width - 1, total);
    tasks.push({ first, last, integrated, maxProblems, checkpointSizes: sizes.filter((s) => s >= first && s <= last), partyKeys: options.partyKeys ?? [] });
  }

  const jobs = Math.min(options.jobs ?? Math.min(os.availableParallelism(), 4), tasks.length);
  const runner: ChunkRunner =
    jobs > 1 && options.databaseUrl
      ? workerRunner(options.databaseUrl, jobs, options.workerUrl ?? new URL('./verify-worker.js', import.meta.url), options.db)
      : inlineRunner(options.db);

  let events = 0;
  let signedEvents = 0;
  const contractors = new Map<string, string>();
  const contractorSignatures: Array<[string, string, number, string]> = [];
  let done = 0;
  let stoppedEarly = false;
  const heads = new Map<string, { version: number; hash: string }>();
  const chunkLevel = CompactRange.empty();
  let firstMissing: number | null = null;
  let lastGood = 0;
  try {
    const results = runner.run(
      tasks,
      (rows) => {
        done += rows;
        options.onProgress?.(Math.min(done, total), total);
      },
      () => problems.length >= maxProblems,
    );
    for await (const result of results) {
      events += result.rows;
      signedEvents += result.signedEvents;
      problems.push(...result.problems);
      for (let i = 0; i < result.contractors.length; i += 2) if (!contractors.has(result.contractors[i]!)) contractors.set(result.contractors[i]!, result.contractors[i + 1]!);
      for (let i = 0; i < result.contractorSignatures.length; i += 4) {
        const s = result.contractorSignatures;
        contractorSignatures.push([s[i] as string, s[i + 1] as string, s[i + 2] as number, s[i + 3] as string]);
      }
      const ends = result.streams;
      for (let i = 0; i < ends.length; i += 6) {
        const id = ends[i] as string;
        const firstVersion = ends[i + 1] as number;
        const firstPrevHash = ends[i + 2] as string | null;
        const firstPosition = ends[i + 3] as number;
        const previous = heads.get(id);
        if (previous === undefined) {
          if (firstVersion !== 0) report(firstPosition, 'stream-chain', `stream ${id} starts at version ${firstVersion}: its earlier versions are missing`);
          else if (firstPrevHash !== null) report(firstPosition, 'stream-chain', `stream ${id} version 0 has prevHash ${firstPrevHash}, but the first event of a stream has none`);
        } else if (firstVersion !== previous.version + 1) {
          report(firstPosition, 'stream-chain', `stream ${id}: version ${firstVersion} follows version ${previous.version}`);
        } else if (firstPrevHash !== previous.hash) {
          report(firstPosition, 'stream-chain', `stream ${id} version ${firstVersion}: prevHash ${String(firstPrevHash)} is not the hash of version ${previous.version} (${previous.hash})`);
        }
        if (previous === undefined) heads.set(id, { version: ends[i + 4] as number, hash: ends[i + 5] as string });
        else {
          previous.version = ends[i + 4] as number;
          previous.hash = ends[i + 5] as string;
        }
      }
      for (const { size, hashes } of result.frontiers) {
        const checkpoint = bySize.get(size)!;
        if (firstMissing !== null || hashes === null) {
          const missing = firstMissing ?? result.firstMissing;
          report(size, missing !== null && missing > head ? 'log-cut' : 'root-unverifiable',
            missing !== null && missing > head
              ? `${checkpoint.label} signs ${size} events but the log ends at position ${head}: the log was cut`
              : `${checkpoint.label} cannot be recomputed: position ${String(missing)} is missing`);
          continue;
        }
        const root = fold([...chunkLevel.hashes(), ...hashes.map(hashFromHex)]);
        if (root.equals(checkpoint.root)) {
          lastGood = size;
        } else {
          problems.push({
            position: lastGood + 1,
            through: size,
            kind: 'root-mismatch',
            message:
              `the root of positions 1–${size} recomputed from the stored events differs from the root signed in ${checkpoint.label}: ` +
              `an event in positions ${lastGood + 1}–${size} was changed, added, removed or reordered`,
          });
        }
      }
      if (result.firstMissing !== null) firstMissing ??= result.firstMissing;
      else if (result.last - result.first + 1 === width) chunkLevel.append(hashFromHex(result.root!));
      if (problems.length >= maxProblems) {
        stoppedEarly = result.last < total;
        break;
      }
    }
  } finally {
    await runner.close();
  }

  // A contractor's signature must be of the contract's own contractor (named by its registration).
  for (const [contractId, party, position, eventId] of contractorSignatures) {
    const contractorId = contractors.get(contractId);
    if (contractorId === undefined || contractorParty(contractorId) !== party) {
      report(position, 'event-signature', `event ${eventId} of contract ${contractId} is signed by ${party}, but the contract's contractor is ${contractorId === undefined ? 'not registered' : contractorParty(contractorId)}`);
    }
  }

  if (!stoppedEarly) await checkConsistencies(options.db, [...bySize.values()].sort((a, b) => a.size - b.size), integrated, report);

  const sorted = byPosition(problems).slice(0, maxProblems);
  const latestValid = sizes.length > 0 ? bySize.get(sizes[sizes.length - 1]!)! : null;
  return {
    ok: sorted.length === 0,
    head,
    events,
    streams: heads.size,
    signedEvents,
    checkpoints: stored.length,
    latest: latestValid ? { seq: latestValid.seq, treeSize: latestValid.size, rootHash: hashToBase64(latestValid.root) } : null,
    uncheckpointed: Math.max(0, head - (latestValid?.size ?? 0)),
    firstBadPosition: sorted[0]?.position ?? null,
    problems: sorted,
    stoppedEarly,
    witnessed,
  };
}

/**
 * With witness keys: every checkpoint the auditor gave must carry the quorum (it is what makes a
 * kept checkpoint evidence beyond the operator's key), and some stored checkpoint must too; the
 * largest stored one that does is reported. Newer checkpoints may still await their cosignatures.
 */
async function checkWitnesses(
  options: VerifyLogOptions,
  stored: Awaited<ReturnType<PostgresCheckpointStore['all']>>,
  valid: readonly ValidCheckpoint[],
  report: (position: number, kind: LogProblem['kind'], message: string) => void,
): Promise<{ treeSize: number; cosigners: string[] } | null> {
  const witnesses = options.witnesses ?? [];
  if (witnesses.length === 0 && options.quorum === undefined) return null;
  const quorum = options.quorum ?? witnesses.length;
  for (const [i, note] of (options.trustedCheckpoints ?? []).entries()) {
    const check = checkQuorum(note, witnesses, quorum);
    const mine = valid.find((c) => c.seq === 0 && c.label.startsWith(`your checkpoint ${i + 1} `));
    if (!check.ok) report(Math.max(1, mine?.size ?? 1), 'witness-quorum', `your checkpoint ${i + 1} lacks the witnesses' quorum: ${check.reason}`);
  }
  const sizes = new Set(valid.filter((c) => c.seq > 0).map((c) => c.size));
  const rows = stored.filter((row) => sizes.has(row.treeSize));
  const cosignatures = await new PostgresCosignatureStore(options.db).forSizes(rows.map((r) => r.treeSize));
  for (const row of [...rows].reverse()) {
    const lines = (cosignatures.get(row.treeSize) ?? []).map((c) => c.line);
    const check = checkQuorum(lines.length === 0 ? row.note : addSignatures(row.note, lines), witnesses, quorum);
    if (check.ok) return { treeSize: row.treeSize, cosigners: check.cosigners.map((c) => c.name) };
  }
  const latest = rows.at(-1);
  report(Math.max(1, latest?.treeSize ?? 1), 'witness-quorum', `no stored checkpoint carries ${quorum} valid cosignature${quorum === 1 ? '' : 's'} of the witnesses you trust: nobody but the operator vouches for this log`);
  return null;
}

function checkCheckpoints(
  stored: Awaited<ReturnType<PostgresCheckpointStore['all']>>,
  options: VerifyLogOptions,
  report: (position: number, kind: LogProblem['kind'], message: string) => void,
): ValidCheckpoint[] {
  const valid: ValidCheckpoint[] = [];
  let origin = options.origin;
  // Rotation checkpoints among the stored ones teach it the log's later keys, in signing order.
  const keyring = new LogKeyring([options.verifier]);
  let previous: ValidCheckpoint | null = null;
  let expectedSeq = 1;
  stored.forEach((row) => {
    const label = checkpointName(row.treeSize, row.seq);
    if (row.seq !== expectedSeq) {
      const missing = row.seq === expectedSeq + 1 ? `checkpoint #${expectedSeq} is` : `checkpoints #${expectedSeq}–#${row.seq - 1} are`;
      report(row.treeSize, 'checkpoint-order', `${label}: ${missing} missing (checkpoints are numbered 1, 2, 3 …): a checkpoint was deleted`);
    }
    expectedSeq = row.seq + 1;
    let opened;
    try {
      opened = keyring.open(row.note).checkpoint;
    } catch (error) {
      report(row.treeSize, 'checkpoint-signature', `${label}: ${(error as Error).message}`);
      return;
    }
    origin ??= opened.origin;
    if (opened.origin !== origin) {
      report(row.treeSize, 'checkpoint-signature', `${label} is for log "${opened.origin}", not "${origin}"`);
      return;
    }
    if (opened.size !== row.treeSize || !opened.rootHash.equals(row.rootHash)) {
      report(row.treeSize, 'checkpoint-columns',
        `${label}: its tree_size and root_hash columns (${row.treeSize}, ${hashToBase64(row.rootHash)}) differ from its signed text (${opened.size}, ${hashToBase64(opened.rootHash)})`);
    }
    const checkpoint: ValidCheckpoint = { label: checkpointName(opened.size, row.seq), seq: row.seq, size: opened.size, root: opened.rootHash };
    if (previous && opened.size <= previous.size) {
      report(opened.size, 'checkpoint-order', `${checkpoint.label} does not sign more events than ${previous.label}: checkpoints were reordered or forked`);
      return;
    }
    valid.push(checkpoint);
    previous = checkpoint;
  });
  (options.trustedCheckpoints ?? []).forEach((note, i) => {
    try {
      const opened = keyring.open(note, { learn: false }).checkpoint;
      if (origin !== undefined && opened.origin !== origin) throw new Error(`it is for log "${opened.origin}", not "${origin}"`);
      valid.push({ label: `your checkpoint ${i + 1} (tree size ${opened.size})`, seq: 0, size: opened.size, root: opened.rootHash });
    } catch (error) {
      throw new Error(`the checkpoint you gave (${i + 1}) does not open with the log's key: ${(error as Error).message}`, { cause: error });
    }
  });
  // A checkpoint the auditor holds and a stored one of the same size must agree.
  const seen = new Map<number, ValidCheckpoint>();
  for (const checkpoint of valid) {
    const other = seen.get(checkpoint.size);
    if (other && !other.root.equals(checkpoint.root)) {
      report(checkpoint.size, 'checkpoint-consistency', `${checkpoint.label} and ${other.label} sign different roots for the same size: the log forked`);
    }
    seen.set(checkpoint.size, checkpoint);
  }
  return valid;
}

async function checkConsistencies(
  db: Queryable,
  checkpoints: readonly ValidCheckpoint[],
  integrated: number,
  report: (position: number, kind: LogProblem['kind'], message: string) => void,
): Promise<void> {
  const tree = new TiledMerkleTree(new CoalescingTileReader(new PostgresTileStore(db)));
  const pairs = checkpoints.slice(1).map((b, i) => [checkpoints[i]!, b] as const);
  for (let i = 0; i < pairs.length; i += 500) {
    await Promise.all(
      pairs.slice(i, i + 500).map(async ([a, b]) => {
        const where = `${a.label} → ${b.label}`;
        if (b.size > integrated) {
          report(b.size, 'checkpoint-consistency', `${where}: the Merkle log's tiles cover only ${integrated} leaves`);
          return;
        }
        try {
          const proof = await tree.consistencyProof(a.size, b.size);
          const check = checkConsistency(a.size, b.size, proof, a.root, b.root);
          if (!check.valid) report(b.size, 'checkpoint-consistency', `${where}: no valid consistency proof from the stored tiles: ${check.reason}`);
        } catch (error) {
          if (!(error instanceof MissingTileError)) throw error;
          report(b.size, 'checkpoint-consistency', `${where}: ${error.message}`);
        }
      }),
    );
  }
}

/** RFC 6962 root from the right-edge perfect subtrees, largest first: folded from the right. */
function fold(hashes: readonly Buffer[]): Buffer {
  let root = hashes[hashes.length - 1]!;
  for (let i = hashes.length - 2; i >= 0; i--) root = nodeHash(hashes[i]!, root);
  return root;
}
