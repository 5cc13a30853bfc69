import { parseCheckpoint, type Checkpoint } from './checkpoint.js';
import { cosign, type Cosigner } from './cosignature.js';
import { HASH_SIZE, decodeBase64Strict, hashToBase64 } from './hashing.js';
import { LogKeyring } from './log-keyring.js';
import { checkConsistency } from './proof-verification.js';
import { SignedNoteError, addSignatures, splitNote } from './signed-note.js';

// C2SP tlog-witness (https://c2sp.org/tlog-witness): the add-checkpoint request body and the
// decision a witness takes on it. Pure: the witness's state and the clock are inputs, the new
// state an output; the caller persists it atomically with the answer (see libs/witness).

/** A tlog-witness client MUST NOT send more proof lines than this. */
export const MAX_PROOF_LINES = 63;
/** Content type of a 409's body: the witness's latest cosigned size and a newline. */
export const TLOG_SIZE_CONTENT_TYPE = 'text/x.tlog.size';

export interface AddCheckpointRequest {
  /** Size of the checkpoint the witness last cosigned for this log (0 for none). */
  readonly oldSize: number;
  /** RFC 6962 consistency proof from oldSize to the checkpoint's size (empty when oldSize is 0). */
  readonly proof: readonly Buffer[];
  /** The log's signed checkpoint (it may carry other signatures). */
  readonly checkpoint: string;
}

/** `old <size>\n`, one base64 hash per line, an empty line, then the checkpoint. */
export function formatAddCheckpointRequest({ oldSize, proof, checkpoint }: AddCheckpointRequest): string {
  if (!Number.isSafeInteger(oldSize) || oldSize < 0) throw new RangeError(`old size must be a non-negative integer, got ${oldSize}`);
  if (proof.length > MAX_PROOF_LINES) throw new RangeError(`a consistency proof has at most ${MAX_PROOF_LINES} hashes`);
  return `old ${oldSize}\n${proof.map((hash) => `${hashToBase64(hash)}\n`).join('')}\n${checkpoint}`;
}

/** A request the witness cannot parse: 400. */
export class WitnessRequestError extends Error {}

export function parseAddCheckpointRequest(body: string): AddCheckpointRequest {
  const blank = body.indexOf('\n\n');
  if (blank < 0) throw new WitnessRequestError('the body must be "old <size>", proof lines, an empty line, then the checkpoint');
  const head = body.slice(0, blank).split('\n');
  const checkpoint = body.slice(blank + 2);
  const match = /^old (0|[1-9][0-9]*)$/.exec(head[0]!);
  if (!match || !Number.isSafeInteger(Number(match[1]))) throw new WitnessRequestError('the first line must be "old <size>" in decimal without leading zeros');
  const lines = head.slice(1);
  if (lines.length > MAX_PROOF_LINES) throw new WitnessRequestError(`at most ${MAX_PROOF_LINES} consistency proof lines`);
  const proof = lines.map((line, i) => {
    const hash = decodeBase64Strict(line);
    if (hash === undefined || hash.length !== HASH_SIZE) throw new WitnessRequestError(`proof line ${i + 1} is not ${HASH_SIZE} bytes of standard base64`);
    return hash;
  });
  return { oldSize: Number(match[1]), proof, checkpoint };
}

/** What a witness keeps per log: its keys and the latest checkpoint it cosigned. */
export interface WitnessedLog {
  readonly origin: string;
  readonly keys: ReturnType<LogKeyring['toJSON']>;
  /** Size of the latest cosigned checkpoint (0 before the first). */
  readonly size: number;
  /** Its root hash, base64 (null before the first). */
  readonly rootHash: string | null;
  /** That checkpoint as the witness cosigned it: the log's note plus the witness's cosignature. */
  readonly checkpoint: string | null;
}

export type WitnessDecision =
  | { status: 200; cosignature: string; log: WitnessedLog; checkpoint: Checkpoint }
  | { status: 409; size: number; message: string; evidence: boolean }
  | { status: 400 | 403 | 404 | 422; message: string; evidence: boolean };

/**
 * The witness's answer to an add-checkpoint body, in the order tlog-witness prescribes: 400 for a
 * malformed body, 404 for an unknown origin, 403 when no trusted key of the log signed it, 400 when
 * old size > checkpoint size, 409 (with the latest cosigned size) when old size is not the size
 * the witness last cosigned or when the sizes match but the roots differ, 422 when the consistency
 * proof does not verify; otherwise 200 with a cosignature and the log's new state. `evidence` marks
 * a refusal of a validly signed checkpoint: proof of the log's misbehaviour, worth keeping.
 */
export function decideAddCheckpoint(
  body: string,
  logs: ReadonlyMap<string, WitnessedLog>,
  cosigner: Cosigner,
  nowSeconds: number,
): WitnessDecision {
  let request: AddCheckpointRequest;
  let claimed: Checkpoint;
  try {
    request = parseAddCheckpointRequest(body);
    claimed = parseCheckpoint(splitNote(request.checkpoint).text);
  } catch (error) {
    return { status: 400, message: (error as Error).message, evidence: false };
  }
  const log = logs.get(claimed.origin);
  if (!log) return { status: 404, message: `this witness does not witness the log ${JSON.stringify(claimed.origin)}`, evidence: false };
  const keyring = LogKeyring.fromJSON(log.keys, log.origin);
  let checkpoint: Checkpoint;
  try {
    checkpoint = keyring.open(request.checkpoint, { learn: false }).checkpoint;
  } catch (error) {
    const status = error instanceof SignedNoteError && error.code.startsWith('malformed') ? 400 : 403;
    return { status, message: `the checkpoint is not signed by a key this witness trusts for ${log.origin}: ${(error as Error).message}`, evidence: false };
  }
  const { oldSize, proof } = request;
  if (oldSize > checkpoint.size) return { status: 400, message: `old size ${oldSize} is larger than the checkpoint's size ${checkpoint.size}`, evidence: false };
  if (oldSize !== log.size) {
    return { status: 409, size: log.size, message: `old size ${oldSize} is not the size this witness last cosigned (${log.size})`, evidence: false };
  }
  const root = log.rootHash === null ? null : decodeBase64Strict(log.rootHash)!;
  if (oldSize === 0) {
    if (proof.length !== 0) return { status: 400, message: 'the consistency proof must be empty when old size is 0', evidence: false };
  } else if (oldSize === checkpoint.size) {
    if (!root!.equals(checkpoint.rootHash)) {
      return {
        status: 409,
        size: log.size,
        message: `the checkpoint of size ${checkpoint.size} has root ${hashToBase64(checkpoint.rootHash)}, but this witness cosigned root ${log.rootHash} for that size: the log forked (split view)`,
        evidence: true,
      };
    }
    if (proof.length !== 0) return { status: 422, message: 'the consistency proof between equal sizes must be empty', evidence: true };
  } else {
    const check = checkConsistency(oldSize, checkpoint.size, proof, root!, checkpoint.rootHash);
    if (!check.valid) {
      return {
        status: 422,
        message: `the checkpoint of size ${checkpoint.size} is not consistent with the one of size ${oldSize} this witness cosigned (${check.reason}): the log was rewritten or forked`,
        evidence: true,
      };
    }
  }
  const { text } = splitNote(request.checkpoint);
  const cosignature = cosign(text, cosigner, nowSeconds);
  keyring.open(request.checkpoint); // learns a rotation it announces
  const own = addSignatures(request.checkpoint, [cosignature]);
  return {
    status: 200,
    cosignature,
    checkpoint,
    log: { origin: log.origin, keys: keyring.toJSON(), size: checkpoint.size, rootHash: hashToBase64(checkpoint.rootHash), checkpoint: own },
  };
}
