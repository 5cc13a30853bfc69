import fs from 'node:fs/promises';
import path from 'node:path';
import {
  SignedNoteError,
  openNote,
  generateSignerKey,
  isValidKeyName,
  parseSignerKey,
  parseVerifierKey,
  verifierKeyOf,
  type NoteSigner,
  type NoteVerifier,
} from '@ledger/integrity';
import { SigningKeyError } from './errors.js';

/** The log's name in every checkpoint when LEDGER_LOG_ORIGIN is not set (set it per deployment). */
export const DEFAULT_LOG_ORIGIN = 'okayama-handling-ledger/log';
/** Where the service keeps the key it generated on first start (mode 600). */
export const SIGNING_KEY_FILE = 'checkpoint-signing-key';
/** The next key, written by `npm run cli -- rotate-key`; the signer introduces it at its next checkpoint. */
export const NEXT_SIGNING_KEY_FILE = 'checkpoint-signing-key.next';

export interface LogKeyConfig {
  /** LEDGER_SIGNING_KEY: `PRIVATE+KEY+<name>+<id>+<base64>` (golang.org/x/mod/sumdb/note format). */
  signingKey?: string;
  /** LEDGER_NEXT_SIGNING_KEY: the key to rotate to at the next checkpoint (else <dataDir>/checkpoint-signing-key.next). */
  nextSigningKey?: string;
  /** LEDGER_LOG_ORIGIN: the first line of every checkpoint. */
  logOrigin?: string;
  /** LEDGER_DATA_DIR: holds checkpoint-signing-key when LEDGER_SIGNING_KEY is not set. */
  dataDir: string;
}

/** The log's identity: origin and key pair (the signer only where the private key is available). */
export interface LogKeys {
  readonly origin: string;
  /** Null when only the public key is known (an auditor's CLI given --key). */
  readonly signer: NoteSigner | null;
  /** The key the log rotates to at its next checkpoint (docs/log-format.md "Key rotation"), if any. */
  readonly next?: NoteSigner | null;
  readonly verifier: NoteVerifier;
  /** `<name>+<hex id>+<base64 key>`: what auditors pass to verify-bundle --key. */
  readonly publicKey: string;
  /** The note key ID as 8 hex digits. */
  readonly keyId: string;
  /** Where the key came from, for the start-up banner. */
  readonly source: 'LEDGER_SIGNING_KEY' | 'generated' | 'data directory' | 'public key';
}

export function hex8(keyId: number): string {
  return keyId.toString(16).padStart(8, '0');
}

/**
 * Loads the checkpoint signing key: LEDGER_SIGNING_KEY when set, else `<dataDir>/checkpoint-signing-key`.
 * With `create`, a missing key file is generated once (the service does this on first start);
 * without it (the CLI), a missing key is a SigningKeyError: the CLI never invents a log identity.
 */
export async function loadLogKeys(config: LogKeyConfig, options: { create: boolean }): Promise<LogKeys> {
  const keys = await loadCurrentKey(config, options);
  const nextText = config.nextSigningKey?.trim() || (config.signingKey ? null : await readKeyFile(path.join(config.dataDir, NEXT_SIGNING_KEY_FILE)));
  if (!nextText) return keys;
  const next = parseSigner(nextText, config.nextSigningKey ? 'LEDGER_NEXT_SIGNING_KEY' : NEXT_SIGNING_KEY_FILE);
  return next.keyId === keys.signer?.keyId ? keys : { ...keys, next };
}

/**
 * The keys in force after the latest checkpoint: when that checkpoint handed the log over to the
 * configured next key (a rotation checkpoint), the next key is the current one. So a process that
 * loaded its keys before a rotation, or runs with LEDGER_SIGNING_KEY still set to the old key,
 * signs with the right one.
 */
export function keysInForce(keys: LogKeys, latestNote: string | null): LogKeys {
  const next = keys.next;
  if (!next || latestNote === null) return keys;
  // The next key signed the latest checkpoint: the rotation checkpoint, or one after it.
  try {
    openNote(latestNote, parseVerifierKey(verifierKeyOf(next)));
  } catch {
    return keys;
  }
  return { ...keysFrom(next, keys.origin, keys.source), next: null };
}

/**
 * After a rotation checkpoint is stored: the data directory's key files follow (the current key is
 * kept as checkpoint-signing-key.retired-<id>, the next one becomes the current one). With
 * LEDGER_SIGNING_KEY the operator moves LEDGER_NEXT_SIGNING_KEY there (keysInForce bridges it).
 */
export async function promoteNextKeyFile(config: LogKeyConfig, retiredKeyId: string): Promise<boolean> {
  if (config.signingKey || config.nextSigningKey) return false;
  const current = path.join(config.dataDir, SIGNING_KEY_FILE);
  const next = path.join(config.dataDir, NEXT_SIGNING_KEY_FILE);
  if ((await readKeyFile(next)) === null) return false;
  await fs.rename(current, `${current}.retired-${retiredKeyId}`);
  await fs.rename(next, current);
  return true;
}

async function loadCurrentKey(config: LogKeyConfig, options: { create: boolean }): Promise<LogKeys> {
  const origin = config.logOrigin || DEFAULT_LOG_ORIGIN;
  if (config.signingKey) return keysFrom(parseSigner(config.signingKey.trim(), 'LEDGER_SIGNING_KEY'), origin, 'LEDGER_SIGNING_KEY');
  const file = path.join(config.dataDir, SIGNING_KEY_FILE);
  const existing = await readKeyFile(file);
  if (existing !== null) return keysFrom(parseSigner(existing, file), origin, 'data directory');
  if (!options.create) {
    throw new SigningKeyError(
      `no checkpoint signing key: set LEDGER_SIGNING_KEY, or LEDGER_DATA_DIR to the service's data directory ` +
        `(the service writes ${SIGNING_KEY_FILE} there on first start), or pass the log's public key with --key`,
    );
  }
  await fs.mkdir(config.dataDir, { recursive: true });
  const generated = generateSignerKey(keyNameFor(origin));
  try {
    await fs.writeFile(file, `${generated}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // Another process generated it first: use theirs, so one log never has two keys.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const theirs = await readKeyFile(file);
    if (theirs === null) throw error;
    return keysFrom(parseSigner(theirs, file), origin, 'data directory');
  }
  return keysFrom(parseSigner(generated, file), origin, 'generated');
}

/** Keys of a log known only by its public key (an auditor's `--key`). */
export function publicLogKeys(publicKey: string, origin?: string): LogKeys {
  let verifier: NoteVerifier;
  try {
    verifier = parseVerifierKey(publicKey.trim());
  } catch (error) {
    throw new SigningKeyError(`the public key is not a note verifier key (<name>+<hex id>+<base64>): ${(error as Error).message}`);
  }
  return {
    origin: origin ?? verifier.name,
    signer: null,
    verifier,
    publicKey: publicKey.trim(),
    keyId: hex8(verifier.keyId),
    source: 'public key',
  };
}

/** A key name for an origin: the origin itself when it is a valid key name (C2SP recommends it). */
export function keyNameFor(origin: string): string {
  if (isValidKeyName(origin)) return origin;
  const cleaned = origin.replace(/[\s+]/gu, '-').replace(/[\u0000-\u001f]/g, '');
  return isValidKeyName(cleaned) ? cleaned : 'okayama-handling-ledger';
}

/** One line for logs: origin, public key and key ID. */
export function describeLogKeys(keys: LogKeys): string {
  const from = {
    LEDGER_SIGNING_KEY: 'from LEDGER_SIGNING_KEY',
    generated: `generated now into ${SIGNING_KEY_FILE} in the data directory: back it up`,
    'data directory': `from ${SIGNING_KEY_FILE} in the data directory`,
    'public key': 'public key only',
  }[keys.source];
  return `checkpoints of log "${keys.origin}" are signed with key ID ${keys.keyId} (${from}); public key: ${keys.publicKey}`;
}

function keysFrom(signer: NoteSigner, origin: string, source: LogKeys['source']): LogKeys {
  const publicKey = verifierKeyOf(signer);
  return { origin, signer, verifier: parseVerifierKey(publicKey), publicKey, keyId: hex8(signer.keyId), source };
}

function parseSigner(text: string, where: string): NoteSigner {
  try {
    return parseSignerKey(text);
  } catch (error) {
    // Never echo the text: it is a private key.
    const why = error instanceof SignedNoteError ? error.message : 'unreadable';
    throw new SigningKeyError(`${where} is not a note signer key (PRIVATE+KEY+<name>+<hex id>+<base64>): ${why}`);
  }
}

async function readKeyFile(file: string): Promise<string | null> {
  try {
    return (await fs.readFile(file, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new SigningKeyError(`cannot read ${file}: ${(error as Error).message}`);
  }
}
