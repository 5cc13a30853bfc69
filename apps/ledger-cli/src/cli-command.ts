import fs from 'node:fs/promises';
import path from 'node:path';
import { parseVerifierKey, type NoteVerifier } from '@ledger/integrity';
import type { LedgerRuntime } from '@ledger/runtime';

/** Exit codes: what a script calling the CLI can rely on (EXIT_CODES_HELP says the same). */
export const EXIT = {
  ok: 0,
  /** Verification found the log, a bundle, a checkpoint or imported rows not as claimed. */
  failed: 1,
  /** The command line was wrong, or an input it names (a file, a key) cannot be read or parsed. */
  usage: 2,
  /** The ledger could not be used: its database, the service or the configuration. */
  error: 3,
} as const;

export const EXIT_CODES_HELP = `Exit codes (every command):
  0    done; for a verification: verified
  1    verification failed: the log, a bundle, a checkpoint or imported rows are not as claimed
  2    usage or input error: the command line, or a file or key it names, cannot be used
       (never a verdict on the evidence: a malformed --key is 2, not FAILED)
  3    the ledger could not be used: its database, the service or the configuration
  130  interrupted (a resumable command continues when run again)`;

export interface CliContext {
  /** Opens the service's runtime (DATABASE_URL or the embedded data directory) on first use. */
  runtime(): Promise<LedgerRuntime>;
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
  log(line: string): void;
}

export interface CliCommand {
  name: string;
  summary: string;
  usage: string;
  /** Returns the exit code. */
  run(args: string[], context: CliContext): Promise<number>;
}

/** The command line is wrong: exit 2 with the command's usage. */
export class UsageError extends Error {}

/** An input the command line names (a file, a key) cannot be read or parsed: exit 2, message only. */
export class InputError extends Error {}

/** The bytes of a file named on the command line; unreadable is an input error. */
export async function readInputFile(file: string, what: string): Promise<Buffer> {
  try {
    return await fs.readFile(file);
  } catch (error) {
    throw new InputError(`cannot read ${what} ${file}: ${(error as Error).message}`);
  }
}

/** The `--out FILE` line every command that writes a document shows in its usage. */
export const OUT_OPTION_HELP = '  --out FILE         write there instead of standard output (- for standard output); written whole or not at all';

/**
 * Writes a command's document to `--out FILE` (whole or nothing: a temporary file renamed into
 * place; its folder created), or to standard output without it or with `-`. An unwritable FILE is
 * an input error.
 */
export async function writeDocument(out: string | undefined, content: string | Uint8Array, context: Pick<CliContext, 'out'>): Promise<void> {
  if (out === undefined || out === '-') {
    context.out.write(content);
    return;
  }
  const folder = path.dirname(path.resolve(out));
  const temporary = path.join(folder, `.${path.basename(out)}.${process.pid}.partial`);
  try {
    await fs.mkdir(folder, { recursive: true });
    await fs.writeFile(temporary, content);
    await fs.rename(temporary, out);
  } catch (error) {
    await fs.rm(temporary, { force: true });
    throw new InputError(`cannot write --out ${out}: ${(error as Error).message}`);
  }
}

/** Public keys given with an option (the log's, a witness's): each must parse, or it is an input error. */
export function verifierKeys(keys: readonly string[], option: string): NoteVerifier[] {
  return keys.map((key) => {
    try {
      return parseVerifierKey(key.trim());
    } catch (error) {
      throw new InputError(`${option} ${key.slice(0, 80)}: not a public key (<name>+<hex key id>+<base64>): ${(error as Error).message}`);
    }
  });
}

/**
 * `--name value` and `--flag` options plus positionals; unknown options are usage errors. Options
 * named in `repeatable` may be given several times (their values in `repeated`, in order).
 */
export function parseOptions(
  args: readonly string[],
  spec: { values?: readonly string[]; flags?: readonly string[]; repeatable?: readonly string[] },
): { values: Map<string, string>; flags: Set<string>; positionals: string[]; repeated: Map<string, string[]> } {
  const values = new Map<string, string>();
  const repeated = new Map<string, string[]>();
  const flags = new Set<string>();
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    if (spec.flags?.includes(name)) {
      flags.add(name);
    } else if (spec.values?.includes(name) || spec.repeatable?.includes(name)) {
      const value = inline ?? args[++i];
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      if (spec.repeatable?.includes(name)) repeated.set(name, [...(repeated.get(name) ?? []), value]);
      else values.set(name, value);
    } else {
      throw new UsageError(`unknown option --${name}`);
    }
  }
  return { values, flags, positionals, repeated };
}
