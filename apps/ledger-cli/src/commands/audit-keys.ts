import { loadLogKeys, publicLogKeys, type LogKeys } from '@ledger/merkle-log';
import { type LedgerConfig, logKeyConfig } from '@ledger/runtime';
import { verifierKeys } from '../cli-command.js';

/**
 * The log's keys for an auditor's command: the public key given with --key (trust your own copy,
 * not the operator's configuration), else the service's configuration (LEDGER_SIGNING_KEY or the
 * key file in LEDGER_DATA_DIR). The CLI never generates a key.
 */
export async function auditKeys(config: LedgerConfig, publicKey: string | undefined): Promise<LogKeys> {
  if (publicKey !== undefined) {
    verifierKeys([publicKey], '--key');
    return publicLogKeys(publicKey, config.logOrigin);
  }
  return loadLogKeys(logKeyConfig(config), { create: false });
}
