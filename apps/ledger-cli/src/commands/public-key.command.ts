import { ledgerConfigFromEnv } from '@ledger/runtime';
import { EXIT, OUT_OPTION_HELP, parseOptions, UsageError, writeDocument, type CliCommand, type CliContext } from '../cli-command.js';
import { auditKeys } from './audit-keys.js';

const USAGE = `usage: npx ledger public-key [--out FILE]

Prints the log's public key (the note verifier key auditors pass to verify-bundle --key), its note
key ID and the log's origin, from the service's configuration (LEDGER_SIGNING_KEY, or the key the
service generated into LEDGER_DATA_DIR on first start). Reads no database.

${OUT_OPTION_HELP}`;

export const publicKeyCommand: CliCommand = {
  name: 'public-key',
  summary: "print the log's public key and key ID (what auditors verify bundles with)",
  usage: USAGE,
  async run(args: string[], context: CliContext): Promise<number> {
    const { values, positionals } = parseOptions(args, { values: ['out'] });
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
    const keys = await auditKeys(ledgerConfigFromEnv(), undefined);
    await writeDocument(values.get('out'), `${keys.publicKey}\n`, context);
    context.log(`key ID ${keys.keyId}, log origin "${keys.origin}"`);
    return EXIT.ok;
  },
};
