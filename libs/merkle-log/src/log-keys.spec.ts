import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { generateSignerKey, leafHash, openCheckpoint, signCheckpoint, verifierKeyOf } from '@ledger/integrity';
import { SigningKeyError } from './errors.js';
import { DEFAULT_LOG_ORIGIN, SIGNING_KEY_FILE, describeLogKeys, keyNameFor, loadLogKeys, publicLogKeys } from './log-keys.js';

describe('the checkpoint signing key', () => {
  let dataDir: string;

  beforeEach(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'ledger-keys-'));
  });

  afterEach(async () => {
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('is generated once into the data directory with mode 600, then read back unchanged', async () => {
    const first = await loadLogKeys({ dataDir }, { create: true });
    expect(first.source).toBe('generated');
    expect(first.origin).toBe(DEFAULT_LOG_ORIGIN);
    const stat = await fs.stat(path.join(dataDir, SIGNING_KEY_FILE));
    expect(stat.mode & 0o777).toBe(0o600);
    const again = await loadLogKeys({ dataDir }, { create: true });
    expect(again.source).toBe('data directory');
    expect(again.publicKey).toBe(first.publicKey);
    expect(again.publicKey).toMatch(new RegExp(`^${DEFAULT_LOG_ORIGIN}\\+${first.keyId}\\+[A-Za-z0-9+/]+=*$`));
    expect(describeLogKeys(again)).toContain(first.publicKey);
  });

  it('gives the same key to processes that start at the same time', async () => {
    const keys = await Promise.all(Array.from({ length: 5 }, () => loadLogKeys({ dataDir }, { create: true })));
    expect(new Set(keys.map((k) => k.publicKey)).size).toBe(1);
  });

  it('prefers LEDGER_SIGNING_KEY and never writes a file then', async () => {
    const configured = generateSignerKey('city.example/ledger');
    const keys = await loadLogKeys({ dataDir, signingKey: configured, logOrigin: 'city.example/ledger' }, { create: true });
    expect(keys.source).toBe('LEDGER_SIGNING_KEY');
    expect(keys.origin).toBe('city.example/ledger');
    await expect(fs.access(path.join(dataDir, SIGNING_KEY_FILE))).rejects.toThrow();
    const note = signCheckpoint({ origin: keys.origin, size: 1, rootHash: leafHash('x') }, keys.signer!);
    expect(openCheckpoint(note, keys.publicKey).size).toBe(1);
  });

  it('refuses a malformed configured key without echoing it', async () => {
    const secret = 'PRIVATE+KEY+x+00000000+not-base64';
    const error = await loadLogKeys({ dataDir, signingKey: secret }, { create: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SigningKeyError);
    expect((error as Error).message).toMatch(/LEDGER_SIGNING_KEY is not a note signer key/);
    expect((error as Error).message).not.toContain('not-base64');
  });

  it('is never invented by the CLI: without create, a missing key is an error that says what to set', async () => {
    await expect(loadLogKeys({ dataDir }, { create: false })).rejects.toThrow(/set LEDGER_SIGNING_KEY/);
  });

  it('accepts a public key alone for checking, and rejects one that is not a verifier key', () => {
    const signer = generateSignerKey('city.example/ledger');
    const publicKey = verifierKeyOf(signer);
    const keys = publicLogKeys(`${publicKey}\n`);
    expect(keys).toMatchObject({ origin: 'city.example/ledger', signer: null, publicKey, source: 'public key' });
    expect(() => publicLogKeys('okayama+12345678+AQ==')).toThrow(SigningKeyError);
    expect(() => publicLogKeys(signer)).toThrow(/not a note verifier key/);
  });

  it('names a generated key after the origin when the origin is a valid key name', () => {
    expect(keyNameFor('city.example/ledger')).toBe('city.example/ledger');
    expect(keyNameFor('Okayama ledger+1')).toBe('Okayama-ledger-1');
  });
});
