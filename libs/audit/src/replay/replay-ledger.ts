import { exportBundle, type ExportProgress, type ExportSources } from '../bundle/export-bundle.js';
import { verifyBundle } from '../bundle/verify-bundle.js';
import { LogIntegrityError } from '@ledger/merkle-log';
import { replay, type ReplayReport } from './replay.js';

export interface LedgerReplay {
  contractId: string;
  asOf: string;
  knownAt?: string | null;
  treeSize?: number;
}

/**
 * Replay against the running ledger: exports the contract's bundle in memory, verifies it exactly
 * as an auditor would offline (signatures, every proof, every chain), and judges only from that.
 */
export async function replayFromLedger(sources: ExportSources, request: LedgerReplay, onProgress?: ExportProgress): Promise<ReplayReport> {
  const { bytes } = await exportBundle(sources, { contractId: request.contractId, asOf: request.asOf, knownAt: request.knownAt ?? null, treeSize: request.treeSize }, onProgress);
  const verified = verifyBundle(bytes, sources.keys.verifier);
  if (!verified.ok) throw new LogIntegrityError(`the contract's events do not verify against the log: ${verified.problems.join('; ')}`);
  return replay(verified, { asOf: request.asOf, knownAt: request.knownAt ?? null });
}
