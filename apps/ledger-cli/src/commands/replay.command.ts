import { REPLAY_FORMATS, renderReplay, replay, replayFromLedger, verifyBundle, type ReplayFormat, type ReplayReport } from '@ledger/audit';
import { LogProofs } from '@ledger/merkle-log';
import { ledgerConfigFromEnv, SigningKeyStore } from '@ledger/runtime';
import { EXIT, parseOptions, readInputFile, UsageError, verifierKeys, writeDocument, type CliCommand, type CliContext } from '../cli-command.js';
import { Progress } from '../progress.js';
import { auditKeys } from './audit-keys.js';
import { printBundleVerification } from './verify-bundle.command.js';

const USAGE = `usage: npx ledger replay --contract C --as-of T [--known-at T] [--tree-size N] [--format json|md|html] [--out FILE] [--key PUBKEY]
       npx ledger replay --bundle FILE --key PUBKEY [--as-of T] [--known-at T] [--format …] [--out FILE]

A contract's compliance as of T (docs/rulebook.md), article by article with each violation's and
pending obligation's evidence, in Japanese and English (md, html) or as JSON. It is judged only
from the contract's events proven against a signed checkpoint, which it names; the same ledger and
options give the same bytes on every run (pin --tree-size to keep them while the log grows).

  --contract C      against the ledger (DATABASE_URL or the embedded data directory)
  --bundle FILE     offline, from an audit bundle (verified first with --key; no database)
  --as-of T         RFC 3339: business time of the judgement (default with --bundle: the bundle's)
  --known-at T      RFC 3339: only what the ledger had recorded by T
  --tree-size N     use the checkpoint of exactly this size (default: the latest)
  --format F        json (default), md or html
  --out FILE        write there instead of standard output
  --key PUBKEY      the log's public key (required with --bundle; default: the service's key)

Not resumable: a replay recomputes everything from verified evidence each time. Exit 0: written;
1: the bundle or the log failed verification; 2: usage, an unreadable file or a malformed key.`;

export const replayCommand: CliCommand = {
  name: 'replay',
  summary: "a contract's compliance as of any moment, from verified evidence (json, md, html)",
  usage: USAGE,
  async run(args: string[], context: CliContext): Promise<number> {
    const { values, positionals } = parseOptions(args, { values: ['contract', 'bundle', 'as-of', 'known-at', 'tree-size', 'format', 'out', 'key'] });
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
    const format = (values.get('format') ?? 'json') as ReplayFormat;
    if (!REPLAY_FORMATS.includes(format)) throw new UsageError(`--format must be one of ${REPLAY_FORMATS.join(', ')}`);
    const contractId = values.get('contract');
    const bundleFile = values.get('bundle');
    if ((contractId === undefined) === (bundleFile === undefined)) throw new UsageError('give either --contract (against the ledger) or --bundle FILE (offline)');
    const asOf = values.get('as-of');
    const knownAt = values.get('known-at') ?? null;

    let report: ReplayReport;
    if (bundleFile !== undefined) {
      const key = values.get('key');
      if (!key) throw new UsageError('--key PUBKEY is required with --bundle');
      if (values.has('tree-size')) throw new UsageError('--tree-size applies to --contract; a bundle is proven against its own checkpoint');
      const verified = verifyBundle(await readInputFile(bundleFile, 'the bundle'), verifierKeys([key], '--key'));
      if (!verified.ok) {
        printBundleVerification(verified, bundleFile, context.err);
        return EXIT.failed;
      }
      report = replay(verified, { asOf: asOf ?? null, knownAt });
    } else {
      if (!asOf) throw new UsageError('--as-of is required');
      const treeSizeText = values.get('tree-size');
      const treeSize = treeSizeText === undefined ? undefined : Number(treeSizeText);
      if (treeSize !== undefined && (!Number.isSafeInteger(treeSize) || treeSize < 1)) throw new UsageError('--tree-size must be a positive integer');
      const keys = await auditKeys(ledgerConfigFromEnv(), values.get('key'));
      const runtime = await context.runtime();
      const progress: Partial<Record<'events' | 'proofs', Progress>> = {};
      report = await replayFromLedger(
        { store: runtime.eventStore, proofs: new LogProofs(runtime.pool, runtime.eventStore), keys, signingKeys: (query) => new SigningKeyStore(runtime.pool, runtime.clock).find(query) },
        { contractId: contractId!, asOf, knownAt, treeSize },
        (phase, done, total) => {
          progress[phase] ??= new Progress(phase === 'events' ? 'reading the log' : 'inclusion proofs', total, context.err);
          progress[phase]!.update(done);
        },
      );
      progress.events?.finish();
      progress.proofs?.finish();
    }
    const text = renderReplay(report, format);
    await writeDocument(values.get('out'), text, context);
    context.log(
      `${report.contractId} as of ${report.asOf}: ${report.status} (checkpoint ${report.checkpoint.treeSize} of log "${report.checkpoint.origin}", ` +
        `root ${report.checkpoint.rootHash}; ${report.evidence.events} events verified)`,
    );
    return EXIT.ok;
  },
};
