import type { LedgerRuntime } from '@ledger/runtime';

/** Exit codes: what a script calling the CLI can rely on. */
export const EXIT = {
  ok: 0,
  /** Verification found the log, a bundle or a checkpoint not as claimed. */
  failed: 1,
  /** The command line was wrong. */
  usage: 2,
  /** The database, a file or the configuration could not be used. */
  error: 3,
} as const;

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

export class UsageError extends Error {}

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
