import { parsePinnedKeys, pinnedKeyring, type PartyKey, verifyLog, type VerifyLogReport } from '@ledger/audit';
import { checkpointName } from '@ledger/integrity';
import { ledgerConfigFromEnv, SigningKeyStore } from '@ledger/runtime';
import { EXIT, InputError, OUT_OPTION_HELP, parseOptions, readInputFile, UsageError, writeDocument, type CliCommand, type CliContext } from '../cli-command.js';
import { Progress } from '../progress.js';
import { auditKeys } from './audit-keys.js';
import { witnessOptions } from './witness-options.js';

const USAGE = `usage: npx ledger verify [--key PUBKEY] [--checkpoint FILE] [--witness WKEY … --quorum N] [--party-keys FILE] [--jobs N] [--max-problems N] [--json] [--out FILE]

Verifies the whole stored log against its signed checkpoints, trusting nothing in the database:
recomputes every leaf hash from the stored event text, checks every stored column against it,
positions 1, 2, 3 … without gaps, every stream's chain of prevHash links, the Merkle root at every
checkpoint, each checkpoint's signature and the consistency proof between consecutive ones, and
every party's signature on a signed event (its acting party's key, valid at its recordedAt).
On a change to the stored log it names the first bad position and what is wrong.

  --key PUBKEY        the log's public key (<name>+<id>+<base64>); default: the service's key
                      (LEDGER_SIGNING_KEY or LEDGER_DATA_DIR/checkpoint-signing-key)
  --checkpoint FILE   a signed checkpoint you kept (GET /v1/log/checkpoint, or a witness's
                      GET /checkpoint?origin=…): the log must still match it, which also catches a
                      log cut (rolled back) together with its checkpoints
  --witness WKEY      a witness's public key you trust (repeatable); then the checkpoints you give
  --quorum N          and the log's latest witnessed one must carry N valid cosignatures of those
                      witnesses (default: all of them)
  --party-keys FILE   the parties' signing keys you obtained from the parties (JSON array of
                      {keyId, party, publicKey}); default: the ledger's key registry
  --jobs N            threads verifying, this one included (default: one per core, at most 4)
  --max-problems N    stop after N problems (default 20)
  --json              print the report as JSON
${OUT_OPTION_HELP}

Not resumable on purpose: a run trusts nothing a previous run left behind. Exit 0: every check
holds; 1: the log is not as signed (problems listed); 2: usage, an unreadable file or a malformed
key; 3: the database or the service's own key unusable.`;

export function verifyReportText(report: VerifyLogReport): string {
  const lines: string[] = [];
  if (report.ok && report.latest === null) {
    lines.push('OK: the log is empty');
  } else if (report.ok) {
    const latest = report.latest!;
    lines.push(
      `OK: ${count(report.events, 'event')}, ${count(report.streams, 'stream chain')} and ${count(report.checkpoints, 'signed checkpoint')} verified`,
      `the Merkle root of positions 1–${latest.treeSize} is ${latest.rootHash}, as signed in ${checkpointName(latest.treeSize, latest.seq)}`,
    );
    if (report.signedEvents > 0) lines.push(`${count(report.signedEvents, 'party signature')} verified`);
    if (report.witnessed) {
      lines.push(`checkpoint ${report.witnessed.treeSize} is cosigned by ${report.witnessed.cosigners.join(', ')}`);
    }
    if (report.uncheckpointed > 0) {
      lines.push(`${report.uncheckpointed} newer events are checked for hashes, columns and chains but not yet covered by a checkpoint`);
    }
  } else {
    lines.push(`FAILED: first bad position ${report.firstBadPosition}`);
    for (const problem of report.problems) {
      const where = problem.through !== undefined ? `positions ${problem.position}–${problem.through}` : `position ${problem.position}`;
      lines.push(`  ${where} [${problem.kind}]: ${problem.message}`);
    }
    if (report.stoppedEarly) lines.push(`  (stopped after ${report.problems.length} problems; later positions were not checked)`);
  }
  return `${lines.join('\n')}\n`;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** A saved checkpoint: the signed note itself, or GET /v1/log/checkpoint's JSON answer. */
function checkpointNote(text: string): string {
  if (!text.trimStart().startsWith('{')) return text;
  let note: unknown;
  try {
    note = (JSON.parse(text) as { note?: unknown }).note;
  } catch (error) {
    throw new InputError(`--checkpoint: not JSON: ${(error as Error).message}`);
  }
  if (typeof note !== 'string') throw new InputError('--checkpoint: the JSON has no "note"');
  return note;
}

function parsePinnedKeysOption(text: string): ReturnType<typeof parsePinnedKeys> {
  try {
    return parsePinnedKeys(text);
  } catch (error) {
    throw new InputError(`--party-keys: ${(error as Error).message}`);
  }
}

function positiveInt(text: string | undefined, name: string, fallback: number | undefined): number | undefined {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 1_000_000) throw new UsageError(`--${name} must be a positive integer`);
  return n;
}

export const verifyCommand: CliCommand = {
  name: 'verify',
  summary: 'verify the whole log: leaf hashes, columns, stream chains, Merkle roots, signed checkpoints',
  usage: USAGE,
  async run(args: string[], context: CliContext): Promise<number> {
    const { values, flags, positionals, repeated } = parseOptions(args, { values: ['key', 'checkpoint', 'party-keys', 'jobs', 'max-problems', 'quorum', 'out'], repeatable: ['witness'], flags: ['json'] });
    const { witnesses, quorum } = witnessOptions(repeated.get('witness'), values.get('quorum'));
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
    const jobs = positiveInt(values.get('jobs'), 'jobs', undefined);
    const maxProblems = positiveInt(values.get('max-problems'), 'max-problems', 20);
    const trusted = values.has('checkpoint') ? [checkpointNote((await readInputFile(values.get('checkpoint')!, '--checkpoint')).toString('utf8'))] : [];
    const keys = await auditKeys(ledgerConfigFromEnv(), values.get('key'));
    const runtime = await context.runtime();
    if (runtime.config.eventStoreUrl) {
      context.err.write(
        'verify checks the event table of PostgreSQL; this ledger keeps its log in EventStoreDB (EVENTSTORE_URL). ' +
          'Copy the log into a PostgreSQL first (npx ledger copy-log --to postgres …) and verify that copy.\n',
      );
      return EXIT.error;
    }
    const registered = await new SigningKeyStore(runtime.pool, runtime.clock).all();
    let partyKeys: PartyKey[] = registered;
    let pinProblems: string[] = [];
    if (values.has('party-keys')) {
      const pins = parsePinnedKeysOption((await readInputFile(values.get('party-keys')!, '--party-keys')).toString('utf8'));
      const pinned = pinnedKeyring(registered, pins);
      pinProblems = pinned.problems;
      partyKeys = pins.map((pin) => pinned.keyring.get(pin.keyId)!);
    }
    context.log(`verifying the log against key ${keys.publicKey}${partyKeys.length > 0 ? ` and ${partyKeys.length} party signing keys` : ''}`);
    let progress: Progress | undefined;
    const report = await verifyLog({
      db: runtime.pool,
      databaseUrl: runtime.database.url,
      verifier: keys.verifier,
      origin: values.has('key') && !runtime.config.logOrigin ? undefined : keys.origin,
      trustedCheckpoints: trusted,
      partyKeys,
      witnesses,
      quorum,
      jobs,
      maxProblems,
      onProgress: (done, total) => {
        progress ??= new Progress('verify', total, context.err);
        progress.update(done);
      },
    });
    progress?.finish();
    // The registry differs from the keys the auditor got from the parties: someone re-registered a party's key.
    const text = flags.has('json')
      ? `${JSON.stringify({ ...report, ok: report.ok && pinProblems.length === 0, keyRegistryProblems: pinProblems }, null, 2)}\n`
      : verifyReportText(report) + pinProblems.map((problem) => `FAILED: ${problem}\n`).join('');
    await writeDocument(values.get('out'), text, context);
    return report.ok && pinProblems.length === 0 ? EXIT.ok : EXIT.failed;
  },
};
