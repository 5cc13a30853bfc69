import fs from 'node:fs/promises';
import { ed25519PrivateKeyFromBase64, generateEventSigningKey, signEvent } from '@ledger/integrity';
import { KEY_ID_PATTERN, KEY_ID_RULE } from '@ledger/domain';
import { EXIT, InputError, parseOptions, UsageError, writeDocument, type CliCommand, type CliContext } from '../cli-command.js';
import { Progress } from '../progress.js';

/** The most events one POST /v1/events takes. */
const MAX_BATCH = 10_000;

const SIGN_USAGE = `usage: npx ledger sign-events --key FILE --key-id ID [--ndjson] [--out FILE] [INPUT]

Signs events as the party that states them (EVENTS.md v2 "Signed events", docs/security.md
"Signing events"): each event gets a "signature" {keyId, sig}, the Ed25519 signature of the RFC 8785
canonical JSON of the event without it. Reads INPUT (default: standard input) as one event, a JSON
array of events, {"events": [...]}, or NDJSON (one event per line); writes {"events": [...]}, ready
for POST /v1/events (--ndjson: one signed event per line). Reads no database and no network.

  --key FILE     the party's private key: the file new-signing-key wrote (base64, 32 bytes)
  --key-id ID    the keyId the ledger gave the public key when the city registered it
  --ndjson       write one event per line instead of {"events": [...]}
  --out FILE     where to write (default: standard output); written whole or not at all

An eventId is written in lower case (the ledger stores it so, and the signature covers it). An
event already signed is signed again with this key. Exit 0: written; 2: usage, an unreadable input
or key.`;

const NEW_KEY_USAGE = `usage: npx ledger new-signing-key --out FILE

Generates a party's Ed25519 key pair for signing events: writes the private key to FILE (mode 600;
keep it on the feed's machine, never send it anywhere) and prints the public key (base64). The city
registers the public key (POST /v1/admin/signing-keys {"party", "publicKey", "label"}) and tells
the party the keyId it got; the feed then signs with: npx ledger sign-events --key FILE --key-id ID`;

/** The events of an input: one event, an array, {"events": [...]}, or NDJSON. */
export function readEvents(text: string): unknown[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  try {
    const parsed: unknown = JSON.parse(trimmed);
    if (Array.isArray(parsed)) return parsed;
    if (parsed !== null && typeof parsed === 'object' && Array.isArray((parsed as { events?: unknown }).events)) return (parsed as { events: unknown[] }).events;
    return [parsed];
  } catch {
    return trimmed.split('\n').flatMap((line, i) => {
      if (line.trim() === '') return [];
      try {
        return [JSON.parse(line) as unknown];
      } catch (error) {
        throw new InputError(`the events: line ${i + 1} is not JSON: ${(error as Error).message}`);
      }
    });
  }
}

async function readInput(file: string | undefined): Promise<string> {
  if (file !== undefined && file !== '-') return fs.readFile(file, 'utf8');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export const signEventsCommand: CliCommand = {
  name: 'sign-events',
  summary: "sign events with a party's key (NDJSON or JSON in, signed JSON out; no database)",
  usage: SIGN_USAGE,
  async run(args: string[], context: CliContext): Promise<number> {
    const { values, flags, positionals } = parseOptions(args, { values: ['key', 'key-id', 'out'], flags: ['ndjson'] });
    if (positionals.length > 1) throw new UsageError(`unexpected argument ${positionals[1]}`);
    const keyFile = values.get('key');
    const keyId = values.get('key-id');
    if (!keyFile) throw new UsageError('--key FILE is required: the private key new-signing-key wrote');
    if (!keyId || !KEY_ID_PATTERN.test(keyId)) throw new UsageError(`--key-id is required: ${KEY_ID_RULE}, as the ledger named the registered public key`);
    let privateKey;
    try {
      privateKey = ed25519PrivateKeyFromBase64((await fs.readFile(keyFile, 'utf8')).trim());
    } catch (error) {
      throw new InputError(`cannot read the key ${keyFile}: ${(error as Error).message}`);
    }
    if (!privateKey) throw new InputError(`${keyFile} is not a private key written by new-signing-key (base64 of 32 bytes)`);
    let text: string;
    try {
      text = await readInput(positionals[0]);
    } catch (error) {
      throw new InputError(`cannot read the events: ${(error as Error).message}`);
    }
    const events = readEvents(text);
    const progress = events.length > 10_000 ? new Progress('sign-events', events.length, context.err) : undefined;
    const signed = events.map((event, i) => {
      if (event === null || typeof event !== 'object' || Array.isArray(event)) throw new InputError(`event ${i + 1} is not a JSON object`);
      const { eventId } = event as { eventId?: unknown };
      const lowered = typeof eventId === 'string' ? { ...event, eventId: eventId.toLowerCase() } : event;
      if (i % 1_000 === 999) progress?.update(i + 1);
      return signEvent(lowered, privateKey, keyId);
    });
    progress?.finish();
    const output = flags.has('ndjson') ? signed.map((e) => `${JSON.stringify(e)}\n`).join('') : `${JSON.stringify({ events: signed })}\n`;
    await writeDocument(values.get('out'), output, context);
    context.log(`signed ${signed.length} event${signed.length === 1 ? '' : 's'} with key ${keyId}`);
    if (!flags.has('ndjson') && signed.length > MAX_BATCH) context.log(`note: POST /v1/events takes at most ${MAX_BATCH} events at a time; use --ndjson and post them in batches`);
    return EXIT.ok;
  },
};

export const newSigningKeyCommand: CliCommand = {
  name: 'new-signing-key',
  summary: "generate a party's event-signing key pair (private key to a file, public key printed)",
  usage: NEW_KEY_USAGE,
  async run(args: string[], context: CliContext): Promise<number> {
    const { values, positionals } = parseOptions(args, { values: ['out'] });
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
    const out = values.get('out');
    if (!out) throw new UsageError('--out FILE is required: where to keep the private key');
    const { privateKey, publicKey } = generateEventSigningKey();
    try {
      await fs.writeFile(out, `${privateKey}\n`, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      throw new InputError(`cannot write ${out} (an existing key is never overwritten): ${(error as Error).message}`);
    }
    context.out.write(`${publicKey}\n`);
    context.log(`private key written to ${out} (mode 600): keep it on the signing machine only`);
    context.log(`register the public key above with the city: POST /v1/admin/signing-keys {"party": "contractor:<id>", "publicKey": "${publicKey}", "label": "…"}`);
    return EXIT.ok;
  },
};
