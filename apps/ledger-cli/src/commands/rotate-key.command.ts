import fs from 'node:fs/promises';
import path from 'node:path';
import { generateSignerKey, parseSignerKey, verifierKeyOf } from '@ledger/integrity';
import { NEXT_SIGNING_KEY_FILE, keyNameFor, loadLogKeys } from '@ledger/merkle-log';
import { ledgerConfigFromEnv, logKeyConfig } from '@ledger/runtime';
import { EXIT, parseOptions, UsageError, type CliCommand, type CliContext } from '../cli-command.js';

const USAGE = `usage: npx ledger rotate-key [--out FILE]

Prepares a new signing key for the log. The service's checkpoint signer introduces it at its next
checkpoint (as soon as the log grows): a rotation checkpoint naming the old and the new key, signed
by both (docs/log-format.md "Key rotation"). From that tree size on only the new key signs; the old
key stays valid for everything signed before, so old checkpoints, proofs and bundles keep verifying.

Without LEDGER_SIGNING_KEY: writes the new key into LEDGER_DATA_DIR/${NEXT_SIGNING_KEY_FILE}
(mode 600); after the rotation the signer moves it into place and keeps the old one as
checkpoint-signing-key.retired-<id>.
With LEDGER_SIGNING_KEY: give --out FILE; put that key into LEDGER_NEXT_SIGNING_KEY for the service,
and into LEDGER_SIGNING_KEY once the rotation checkpoint is signed.

Prints the new public key: give it to the auditors and witnesses along with the old one.`;

export const rotateKeyCommand: CliCommand = {
  name: 'rotate-key',
  summary: "prepare a new log signing key, introduced at the next checkpoint (signed by old and new key)",
  usage: USAGE,
  async run(args: string[], context: CliContext): Promise<number> {
    const { values, positionals } = parseOptions(args, { values: ['out'] });
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
    const config = ledgerConfigFromEnv();
    const keys = await loadLogKeys(logKeyConfig(config), { create: false });
    if (keys.next) {
      context.err.write(`a next key is already waiting to be introduced: ${verifierKeyOf(keys.next)}\n`);
      return EXIT.error;
    }
    const out = values.get('out') ?? (config.signingKey ? undefined : path.join(config.dataDir, NEXT_SIGNING_KEY_FILE));
    if (out === undefined) throw new UsageError('LEDGER_SIGNING_KEY is set: give --out FILE for the new key, then set LEDGER_NEXT_SIGNING_KEY from it');
    const key = generateSignerKey(keyNameFor(keys.origin));
    await fs.writeFile(out, `${key}\n`, { mode: 0o600, flag: 'wx' });
    context.out.write(`${verifierKeyOf(parseSignerKey(key))}\n`);
    context.log(`wrote the new signing key to ${out} (mode 600); the log's key ${keys.keyId} hands over to it at the next checkpoint`);
    return EXIT.ok;
  },
};
