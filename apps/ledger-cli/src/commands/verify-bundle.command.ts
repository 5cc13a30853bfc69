import { parsePinnedKeys, verifyBundle, type BundleVerification } from '@ledger/audit';
import { witnessOptions } from './witness-options.js';
import { EXIT, InputError, OUT_OPTION_HELP, parseOptions, readInputFile, UsageError, verifierKeys, writeDocument, type CliCommand, type CliContext } from '../cli-command.js';
import { Progress } from '../progress.js';

const USAGE = `usage: npx ledger verify-bundle FILE --key PUBKEY [--key …] [--witness WKEY … --quorum N] [--party-keys FILE] [--json] [--out FILE]

Verifies an audit bundle offline: no database, no network, nothing but the file and the log's
public key (<name>+<hex key id>+<base64>, from GET /v1/log/public-key or the service's start-up
line). Checks that the file is byte for byte the canonical form of its content, the checkpoint's
signature, every event's leaf hash and inclusion proof against the checkpoint's root, that every
event belongs to the bundle's contract (and was recorded by its knownAt), every stream chain from
version 0, the export statement's signature over the whole content, and every party's signature
on a signed event (the key is the acting party's, valid at the event's recordedAt, and verifies
the event's bytes), and that no event is unsigned after the contract required signatures.

  --key PUBKEY       the log's public key you trust; repeat it for several keys. After a key rotation,
                     the old key suffices: the bundle carries the rotation checkpoints (version 2).
  --witness WKEY     a witness's public key you trust (repeatable); the checkpoint must then carry
  --quorum N         N valid cosignatures of those witnesses (default: all of them)
  --party-keys FILE  the parties' signing keys you obtained from the parties themselves (a JSON
                     array of {keyId, party, publicKey}): signatures are checked with these, not
                     with the copies the bundle carries, and a carried copy that differs is a problem
  --json             print the result as JSON
${OUT_OPTION_HELP}

Exit 0: the bundle is intact; 1: it is not (the reasons are printed); 2: usage, an unreadable file
or a malformed key.`;

export function printBundleVerification(result: BundleVerification, file: string, out: NodeJS.WritableStream): void {
  out.write(bundleVerificationText(result, file));
}

export function bundleVerificationText(result: BundleVerification, file: string): string {
  if (result.ok) {
    const c = result.checkpoint!;
    return (
      `OK: ${file} holds ${result.events} events of contract ${result.contractId} in ${result.streams} streams, ` +
        `each included in checkpoint ${c.treeSize} of log "${c.origin}" (root ${c.rootHash}), signed by key ID ${c.keyId}` +
        `${result.cosigners.length > 0 ? ` and cosigned by ${result.cosigners.join(', ')}` : ''}; ` +
        `${result.signedEvents} party signature${result.signedEvents === 1 ? '' : 's'} verified with ${result.pinnedKeys ? 'the keys you pinned' : 'the keys the bundle carries'}\n`
    );
  }
  return [`FAILED: ${file}: ${result.problems[0]}\n`, ...result.problems.slice(1).map((problem) => `  also: ${problem}\n`)].join('');
}

export const verifyBundleCommand: CliCommand = {
  name: 'verify-bundle',
  summary: 'verify an audit bundle offline with only the public key (no database)',
  usage: USAGE,
  async run(args: string[], context: CliContext): Promise<number> {
    const { values, flags, positionals, repeated } = parseOptions(args, { values: ['quorum', 'party-keys', 'out'], repeatable: ['key', 'witness'], flags: ['json'] });
    if (positionals.length !== 1) throw new UsageError('give exactly one bundle FILE');
    const keyTexts = repeated.get('key') ?? [];
    if (keyTexts.length === 0) throw new UsageError('--key PUBKEY is required: the log\'s public key, obtained from the operator beforehand');
    const keys = verifierKeys(keyTexts, '--key');
    const { witnesses, quorum } = witnessOptions(repeated.get('witness'), values.get('quorum'));
    const file = positionals[0]!;
    const bytes = await readInputFile(file, 'the bundle');
    let pinnedKeys;
    if (values.has('party-keys')) {
      const partyKeys = values.get('party-keys')!;
      const text = (await readInputFile(partyKeys, '--party-keys')).toString('utf8');
      try {
        pinnedKeys = parsePinnedKeys(text);
      } catch (error) {
        throw new InputError(`cannot use --party-keys ${partyKeys}: ${(error as Error).message}`);
      }
    }
    let progress: Progress | undefined;
    const result = verifyBundle(bytes, keys, {
      witnesses,
      quorum,
      pinnedKeys,
      onProgress: (done, total) => {
        progress ??= new Progress('verify-bundle', total, context.err);
        progress.update(done);
      },
    });
    const { recorded: _recorded, ...summary } = result;
    await writeDocument(values.get('out'), flags.has('json') ? `${JSON.stringify(summary, null, 2)}\n` : bundleVerificationText(result, file), context);
    return result.ok ? EXIT.ok : EXIT.failed;
  },
};
