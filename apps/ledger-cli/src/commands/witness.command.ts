import os from 'node:os';
import { cosignerVerifierKey, parseVerifierKey } from '@ledger/integrity';
import { WitnessServer, WitnessState, loadWitnessKey, type WitnessedLogConfig } from '@ledger/witness';
import { EXIT, parseOptions, UsageError, type CliCommand, type CliContext } from '../cli-command.js';

const USAGE = `usage: npx ledger witness --log PUBKEY [--log …] [--port P] [--host H]
                              [--key-file FILE] [--name NAME] [--state FILE] [--public-key]

Runs a transparency-log witness (C2SP tlog-witness) as its own process, with its own key and its own
state: the city, or anyone, cosigns the ledger's checkpoints only when each one extends the last
checkpoint it cosigned (a consistency proof that verifies), and refuses any other history with 409
or 422, keeping the refused checkpoint as evidence. Needs no database and no ledger credentials.

  --log PUBKEY        a log to witness: its public key (GET /v1/log/public-key), its origin being the
                      key's name; or ORIGIN=PUBKEY when they differ. Repeatable. Optional once the
                      state file knows the log.
  --port P            listen port (default 7380); --host H listen address (default 127.0.0.1)
  --key-file FILE     the witness's private key (default ./.witness/witness-key), generated on first
                      start (mode 600) when --name is given or defaulted
  --name NAME         the key's name for a new key, a schema-less URL (default witness.<hostname>/ledger)
  --state FILE        the last checkpoint cosigned per log, and the evidence (default ./.witness/state.json)
  --public-key        print the witness's public key (what the ledger's LEDGER_WITNESSES takes) and exit

Endpoints: POST /add-checkpoint; GET / (status), GET /checkpoint?origin=… (the latest cosigned
checkpoint), GET /evidence. Stops on SIGINT/SIGTERM; the state is written before every answer.`;

function parseLog(spec: string): WitnessedLogConfig {
  const at = spec.indexOf('=');
  const publicKey = (at >= 0 ? spec.slice(at + 1) : spec).trim();
  let name: string;
  try {
    name = parseVerifierKey(publicKey).name;
  } catch (error) {
    throw new UsageError(`--log ${spec.slice(0, 80)}: not a log public key (<name>+<hex id>+<base64>): ${(error as Error).message}`);
  }
  return { origin: at >= 0 ? spec.slice(0, at) : name, publicKey };
}

export const witnessCommand: CliCommand = {
  name: 'witness',
  summary: 'run a witness (C2SP tlog-witness) that cosigns consistent checkpoints, with its own key and state',
  usage: USAGE,
  async run(args: string[], context: CliContext): Promise<number> {
    const { values, flags, positionals, repeated } = parseOptions(args, { values: ['port', 'host', 'key-file', 'name', 'state'], repeatable: ['log'], flags: ['public-key'] });
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
    const port = Number(values.get('port') ?? '7380');
    if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new UsageError('--port must be a port number');
    const keyFile = values.get('key-file') ?? '.witness/witness-key';
    const name = values.get('name') ?? `witness.${os.hostname().toLowerCase().replace(/[^a-z0-9.-]/g, '-')}/ledger`;
    const { cosigner, generated } = await loadWitnessKey(keyFile, name);
    if (flags.has('public-key')) {
      context.out.write(`${cosignerVerifierKey(cosigner)}\n`);
      return EXIT.ok;
    }
    const logs = (repeated.get('log') ?? []).map(parseLog);
    const state = await WitnessState.open(values.get('state') ?? '.witness/state.json', logs);
    if (state.logs().size === 0) throw new UsageError('give at least one --log PUBKEY: the log this witness cosigns');

    process.removeAllListeners('SIGINT');
    process.removeAllListeners('SIGTERM');
    const stopped = new Promise<string>((resolve) => {
      process.once('SIGINT', () => resolve('SIGINT'));
      process.once('SIGTERM', () => resolve('SIGTERM'));
    });
    const log = (line: string): void => context.log(`[witness] ${line}`);
    const server = new WitnessServer({ cosigner, state, log });
    const url = await server.listen(port, values.get('host') ?? '127.0.0.1');
    log(`key ${cosigner.name} ${generated ? `generated now into ${keyFile} (back it up)` : `from ${keyFile}`}; state in ${state.file}`);
    for (const witnessed of state.logs().values()) {
      log(`witnessing log "${witnessed.origin}" (keys ${witnessed.keys.map((k) => k.publicKey.split('+').slice(0, 2).join('+')).join(', ')}), last cosigned size ${witnessed.size}`);
    }
    log(`public key: ${server.publicKey}`);
    log(`listening on ${url} (POST ${url}/add-checkpoint)`);
    const signal = await stopped;
    log(`${signal}: stopping`);
    await server.close();
    return EXIT.ok;
  },
};
