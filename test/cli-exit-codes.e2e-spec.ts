import 'reflect-metadata';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { generateSignerKey, verifierKeyOf } from '@ledger/integrity';
import { Writable } from 'node:stream';
import { runCli as runCliProcess } from './support/cli-process.js';
import { runCli as runCliInProcess } from '../apps/ledger-cli/src/cli.js';

/** The command line run in this process (a CLI process costs seconds of start-up on a busy machine). */
async function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const chunks = { stdout: '', stderr: '' };
  const sink = (name: keyof typeof chunks): Writable =>
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks[name] += chunk.toString();
        done();
      },
    });
  const code = await runCliInProcess(args, { out: sink('stdout'), err: sink('stderr') });
  return { code, ...chunks };
}

/**
 * Exit codes of every CLI command: 2 for a wrong command line or an unusable input, never the
 * verdict 1. Success and verification failure of the commands that verify are shown where their
 * evidence is built (audit, witness, feed-import, signed-events, projector-crash tests); here the
 * codes that need no ledger.
 */
describe('CLI exit codes: 0 done, 1 verification failed, 2 usage or input error', () => {
  let work: string;
  let ledgerDir: string;
  const saved = { LEDGER_DATA_DIR: process.env.LEDGER_DATA_DIR, DATABASE_URL: process.env.DATABASE_URL };

  beforeAll(async () => {
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'ledger-cli-exit-'));
    // No ledger at all: a command that opened one would create this folder.
    ledgerDir = path.join(work, 'no-ledger');
    process.env.LEDGER_DATA_DIR = ledgerDir;
    delete process.env.DATABASE_URL;
  });

  afterAll(async () => {
    Object.assign(process.env, saved);
    if (saved.DATABASE_URL === undefined) delete process.env.DATABASE_URL;
    if (saved.LEDGER_DATA_DIR === undefined) delete process.env.LEDGER_DATA_DIR;
    await fs.rm(work, { recursive: true, force: true });
  });

  it('given --help, then it lists every command and the exit codes (exit 0); no command is exit 2 with the list', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Exit codes[\s\S]*0 +done[\s\S]*1 +verification failed[\s\S]*2 +usage or input error/);
    expect((await runCli([])).code).toBe(2);
  });

  it('given an unknown option, when any command runs, then it exits 2 with its usage, before touching a ledger', async () => {
    const help = (await runCli(['--help'])).stdout;
    const commands = [...help.matchAll(/^ {2}([a-z-]+) {2,}/gm)].map((m) => m[1]!);
    expect(commands.length).toBeGreaterThanOrEqual(13);
    const results = [];
    for (const command of commands) results.push({ command, ...(await runCli([command, '--no-such-option'])) });
    expect(results.map(({ command, code, stderr }) => ({ command, code, usage: stderr.includes(`unknown option --no-such-option`) && new RegExp(`^usage: .* ${command}( |$)`, 'm').test(stderr) }))).toEqual(
      commands.map((command) => ({ command, code: 2, usage: true })),
    );
    await expect(fs.access(ledgerDir)).rejects.toThrow(); // no embedded PostgreSQL was started
  });

  it('given a command --help, then it documents the exit codes too', async () => {
    expect(await runCli(['verify-bundle', '--help'])).toMatchObject({ code: 0, stdout: expect.stringContaining('2    usage or input error') });
  });

  it('given unreadable or malformed inputs, when the offline commands run, then each exits 2 with the reason and no verdict', async () => {
    const missing = path.join(work, 'missing.json');
    const garbageKey = path.join(work, 'garbage.key');
    await fs.writeFile(garbageKey, 'not a key\n');
    const cases: Array<[string, string[], RegExp]> = [
      ['verify-bundle: unreadable bundle', ['verify-bundle', missing, '--key', verifierKeyOf(generateSignerKey('test.invalid/log'))], /cannot read the bundle .*missing\.json/],
      ['verify-bundle: malformed key', ['verify-bundle', garbageKey, '--key', 'not-a-key'], /--key not-a-key: not a public key/],
      ['replay: malformed key', ['replay', '--bundle', garbageKey, '--key', 'not-a-key'], /--key not-a-key: not a public key/],
      ['verify: malformed key', ['verify', '--key', 'not-a-key'], /--key not-a-key: not a public key/],
      ['verify: unreadable checkpoint', ['verify', '--checkpoint', missing], /cannot read --checkpoint .*missing\.json/],
      ['sign-events: not a private key', ['sign-events', '--key', garbageKey, '--key-id', '0123456789abcdef'], /is not a private key written by new-signing-key/],
    ];
    for (const [label, args, reason] of cases) {
      const result = await runCli(args);
      expect({ label, code: result.code, stdout: result.stdout, reason: reason.test(result.stderr) ? 'named' : result.stderr }).toEqual({ label, code: 2, stdout: '', reason: 'named' });
    }
    await expect(fs.access(ledgerDir)).rejects.toThrow();
  });

  it('given a malformed key, when the real CLI process runs, then the process exits 2 (the code reaches the shell)', async () => {
    const result = await runCliProcess(['verify-bundle', path.join(work, 'any.json'), '--key', 'not-a-key'], { LEDGER_DATA_DIR: ledgerDir, DATABASE_URL: '' });
    expect({ code: result.code, stdout: result.stdout }).toEqual({ code: 2, stdout: '' });
  });

  it('given a key file, new-signing-key writes it (0) and never overwrites it (2); sign-events signs with it (0) and refuses input that is not JSON (2)', async () => {
    const keyFile = path.join(work, 'party.key');
    expect(await runCli(['new-signing-key', '--out', keyFile])).toMatchObject({ code: 0, stdout: expect.stringMatching(/^[A-Za-z0-9+/]{43}=\n$/) });
    expect(await runCli(['new-signing-key', '--out', keyFile])).toMatchObject({ code: 2, stderr: expect.stringContaining('never overwritten') });
    const events = path.join(work, 'events.ndjson');
    await fs.writeFile(events, '{"eventId":"5B0C7C1E-8A39-4D2E-9A51-0F3C1F1F6A10","type":"RecordUsed"}\n');
    const signed = await runCli(['sign-events', '--key', keyFile, '--key-id', '0123456789abcdef', events]);
    expect({ code: signed.code, eventId: JSON.parse(signed.stdout).events[0].eventId }).toEqual({ code: 0, eventId: '5b0c7c1e-8a39-4d2e-9a51-0f3c1f1f6a10' });
    await fs.writeFile(events, 'not json\n');
    expect(await runCli(['sign-events', '--key', keyFile, '--key-id', '0123456789abcdef', events])).toMatchObject({ code: 2, stderr: expect.stringContaining('line 1 is not JSON') });
  });
});
