import { bundleFileName, exportBundle } from '@ledger/audit';
import { LogProofs, keysInForce } from '@ledger/merkle-log';
import { ledgerConfigFromEnv, SigningKeyStore } from '@ledger/runtime';
import { EXIT, parseOptions, UsageError, writeDocument, type CliCommand, type CliContext } from '../cli-command.js';
import { Progress } from '../progress.js';
import { auditKeys } from './audit-keys.js';

const USAGE = `usage: npx ledger export --contract C [--as-of T] [--known-at T] [--tree-size N] --out FILE

Writes the audit bundle of one contract: every event of its contract stream and record streams
(none of any other contract), each with its inclusion proof in the whole log, the signed checkpoint
they are proven against, the log's public key, and an export statement signed with the log's key.
Verify it anywhere, with no database: npx ledger verify-bundle FILE --key PUBKEY

  --contract C     the contract ID
  --as-of T        RFC 3339: the moment replay of the bundle looks at (no event is left out for it:
                   stream chains must stay whole)
  --known-at T     RFC 3339: only events the ledger had recorded by T
  --tree-size N    prove against the checkpoint of exactly this size (default: the latest)
  --out FILE       where to write (- for standard output); written whole or not at all

Needs the service's signing key (LEDGER_SIGNING_KEY or LEDGER_DATA_DIR). The same ledger and
options give the same bytes as GET /v1/contracts/C/audit-bundle. Interrupted, it leaves no file:
run it again.`;

export const exportCommand: CliCommand = {
  name: 'export',
  summary: "write a contract's audit bundle (events, inclusion proofs, signed checkpoint, public key)",
  usage: USAGE,
  async run(args: string[], context: CliContext): Promise<number> {
    const { values, positionals } = parseOptions(args, { values: ['contract', 'as-of', 'known-at', 'tree-size', 'out'] });
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
    const contractId = values.get('contract');
    const out = values.get('out');
    if (!contractId) throw new UsageError('--contract is required');
    if (!out) throw new UsageError('--out is required (a file, or - for standard output)');
    const treeSizeText = values.get('tree-size');
    const treeSize = treeSizeText === undefined ? undefined : Number(treeSizeText);
    if (treeSize !== undefined && (!Number.isSafeInteger(treeSize) || treeSize < 1)) throw new UsageError('--tree-size must be a positive integer');
    const runtime = await context.runtime();
    const proofs = new LogProofs(runtime.pool, runtime.eventStore);
    // After a rotation by the service, the key in force may be the configured next one.
    const keys = keysInForce(await auditKeys(ledgerConfigFromEnv(), undefined), (await proofs.checkpoints.latest())?.note ?? null);
    const progress: Partial<Record<'events' | 'proofs', Progress>> = {};
    const exported = await exportBundle(
      { store: runtime.eventStore, proofs, keys, signingKeys: (query) => new SigningKeyStore(runtime.pool, runtime.clock).find(query) },
      { contractId, asOf: values.get('as-of') ?? null, knownAt: values.get('known-at') ?? null, treeSize },
      (phase, done, total) => {
        progress[phase] ??= new Progress(phase === 'events' ? 'reading the log' : 'inclusion proofs', total, context.err);
        progress[phase]!.update(done);
      },
    );
    progress.events?.finish();
    progress.proofs?.finish();
    await writeDocument(out, exported.bytes, context);
    context.log(
      `${out === '-' ? 'wrote' : `wrote ${out}:`} ${exported.bundle.events.length} events of contract ${contractId} in ${exported.streams} streams, ` +
        `proven against checkpoint ${exported.treeSize} of log "${keys.origin}" (suggested name ${bundleFileName(contractId, exported.treeSize)})`,
    );
    context.log(`verify it offline: npx ledger verify-bundle ${out === '-' ? 'FILE' : out} --key ${keys.publicKey}`);
    return EXIT.ok;
  },
};
