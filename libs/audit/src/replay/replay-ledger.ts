import { LogIntegrityError, type LogKeys } from '@ledger/merkle-log';
import { serializeBundle } from '../bundle/bundle-format.js';
import { collectBundleBody, type ExportProgress, type ExportSources } from '../bundle/export-bundle.js';
import { verifyBundle } from '../bundle/verify-bundle.js';
import { replay, type ReplayReport } from './replay.js';

export interface LedgerReplay {
  contractId: string;
  asOf: string;
  knownAt?: string | null;
  treeSize?: number;
}

/**
 * Replay against the running ledger: collects the contract's events and inclusion proofs against
 * a signed checkpoint, exactly as an export does, verifies them as an auditor would offline
 * (checkpoint signature with the public key, every proof, every chain), and judges only from that.
 * Needs only the public key.
 */
export async function replayFromLedger(
  sources: Omit<ExportSources, 'keys'> & { keys: Pick<LogKeys, 'verifier' | 'origin' | 'publicKey'> },
  request: LedgerReplay,
  onProgress?: ExportProgress,
): Promise<ReplayReport> {
  const cut = { contractId: request.contractId, asOf: request.asOf, knownAt: request.knownAt ?? null, treeSize: request.treeSize };
  const { body } = await collectBundleBody(sources, cut, onProgress);
  // Trust the log's first key: the rotation checkpoints in the body lead from it to the key of the checkpoint.
  const { keys } = await sources.proofs.keyHistory(sources.keys.publicKey);
  const verified = verifyBundle(serializeBundle({ ...body, statement: '' }), keys[0]!.verifier, { statement: 'skip' });
  if (!verified.ok) throw new LogIntegrityError(`the contract's events do not verify against the log: ${verified.problems.join('; ')}`);
  return replay(verified, { asOf: request.asOf, knownAt: request.knownAt ?? null });
}
