import { parseCosignatureVerifierKey, type CosignatureVerifier } from '@ledger/integrity';
import { UsageError } from '../cli-command.js';

/** `--witness WKEY` (repeatable) and `--quorum N` of verify and verify-bundle. */
export function witnessOptions(keys: readonly string[] | undefined, quorumText: string | undefined): { witnesses?: CosignatureVerifier[]; quorum?: number } {
  const witnesses = (keys ?? []).map((key) => {
    try {
      return parseCosignatureVerifierKey(key);
    } catch (error) {
      throw new UsageError(`--witness ${key.slice(0, 80)}: not a witness public key (<name>+<hex id>+<base64>): ${(error as Error).message}`);
    }
  });
  if (quorumText === undefined) return witnesses.length > 0 ? { witnesses } : {};
  const quorum = Number(quorumText);
  if (!Number.isInteger(quorum) || quorum < 1) throw new UsageError('--quorum must be a positive integer');
  if (quorum > witnesses.length) throw new UsageError(`--quorum ${quorum} needs at least ${quorum} --witness keys (${witnesses.length} given)`);
  return { witnesses, quorum };
}
