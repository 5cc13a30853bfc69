import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LedgerEvent } from '@ledger/domain';
import * as b from '../libs/handling/src/testing/builders.js';
import { docBlocks, type DocBlock } from './support/doc-blocks.js';
import { outputMismatch } from './support/doc-output.js';
import { postJson, startServiceProcess, type ServiceProcess } from './support/service-process.js';

/**
 * The docs' own commands, run as a reader runs them, so the docs cannot drift from the product.
 * The blocks are marked in the docs (`<!-- doc-test: NAME -->`, test/support/doc-blocks.ts); this
 * list says which run, in which order (walkthroughs build on each other as the docs say). Each
 * runs with bash (`set -euo pipefail`) in a folder that stands for the reader's checkout: the
 * service's data in `.ledger-data` (api-keys.env generated there, as `npm start` does), `npx
 * ledger` and `npm run demo` the built code, `localhost:3000` this service. The ledger already
 * holds another contract's events before the first block, so no command may assume a fresh one.
 */
const CURATED: ReadonlyArray<{ file: string; name: string; prelude?: string[] }> = [
  // README: the quick start and the wire contract's examples
  { file: 'README.md', name: 'readme-health' },
  { file: 'README.md', name: 'readme-register-contract' },
  { file: 'README.md', name: 'readme-post-copy' },
  { file: 'README.md', name: 'readme-extra-field-refused' },
  { file: 'README.md', name: 'readme-contract-history' },
  { file: 'README.md', name: 'readme-record-history' },
  // compliance.md on the demo contract (first, as it counts the demo's records)
  { file: 'docs/compliance.md', name: 'compliance-demo' },
  { file: 'README.md', name: 'readme-demo' }, // a second time: nothing new
  { file: 'docs/compliance.md', name: 'compliance-functions' },
  { file: 'docs/compliance.md', name: 'compliance-verdict', prelude: ['compliance-functions'] },
  { file: 'docs/compliance.md', name: 'compliance-only-what-is-wrong', prelude: ['compliance-functions'] },
  { file: 'docs/compliance.md', name: 'compliance-deadlines', prelude: ['compliance-functions'] },
  { file: 'docs/compliance.md', name: 'compliance-contract', prelude: ['compliance-functions'] },
  { file: 'docs/compliance.md', name: 'compliance-contract-filters', prelude: ['compliance-functions'] },
  { file: 'docs/compliance.md', name: 'compliance-findings-page' },
  // custody.md: a record added to the demo contract
  { file: 'docs/custody.md', name: 'custody-post-events' },
  { file: 'docs/custody.md', name: 'custody-functions' },
  { file: 'docs/custody.md', name: 'custody-holdings', prelude: ['custody-functions'] },
  { file: 'docs/custody.md', name: 'custody-holding', prelude: ['custody-functions'] },
  { file: 'docs/custody.md', name: 'custody-history', prelude: ['custody-functions'] },
  { file: 'docs/custody.md', name: 'custody-as-of', prelude: ['custody-functions'] },
  { file: 'docs/custody.md', name: 'custody-in-transit', prelude: ['custody-functions'] },
  { file: 'docs/custody.md', name: 'custody-overdue', prelude: ['custody-functions'] },
  { file: 'docs/custody.md', name: 'custody-access-log' },
  { file: 'docs/custody.md', name: 'custody-rebuild' },
  // README: feeds, reads, audit
  { file: 'README.md', name: 'readme-import' },
  { file: 'README.md', name: 'readme-import-compliance' },
  { file: 'docs/feed-import.md', name: 'feed-import-compliance' },
  { file: 'README.md', name: 'readme-compliance' },
  { file: 'README.md', name: 'readme-findings-page' },
  { file: 'README.md', name: 'readme-custody' },
  { file: 'README.md', name: 'readme-custody-history' },
  { file: 'README.md', name: 'readme-access-log' },
  { file: 'README.md', name: 'readme-rebuild' },
  { file: 'README.md', name: 'readme-log-endpoints' },
  { file: 'README.md', name: 'readme-cli-audit' },
  // security.md: the city issues a contractor its keys
  { file: 'docs/security.md', name: 'security-issue-keys' },
  // auditing.md: its own contract, proofs, bundles, replays, then a tampering (last: the log is altered)
  { file: 'docs/auditing.md', name: 'auditing-post-events' },
  { file: 'docs/auditing.md', name: 'auditing-proofs' },
  { file: 'docs/auditing.md', name: 'auditing-export' },
  { file: 'docs/auditing.md', name: 'auditing-http-bundle' },
  { file: 'docs/auditing.md', name: 'auditing-verify-bundle' },
  { file: 'docs/auditing.md', name: 'auditing-replay-before' },
  { file: 'docs/auditing.md', name: 'auditing-replay-after' },
  { file: 'docs/auditing.md', name: 'auditing-replay-http' },
  { file: 'docs/auditing.md', name: 'auditing-replay-offline' },
  { file: 'docs/auditing.md', name: 'auditing-tamper-bundle' },
  { file: 'docs/auditing.md', name: 'auditing-tamper' },
  { file: 'docs/auditing.md', name: 'auditing-verify-tampered' },
];

const REPO = process.cwd();
const DOC_FILES = ['README.md', ...fs.readdirSync(path.join(REPO, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
/** Between two commands of a block, so each command's output is compared on its own. */
const SEPARATOR = '\u001edoc-test-command';
const BLOCK_TIMEOUT_MS = 45_000;

interface BlockRun {
  code: number | null;
  /** Output of each command that ran (stdout and stderr, in order). */
  outputs: string[];
  all: string;
}

/** What the docs' commands use besides Node (Debian: curl jq postgresql-client xxd; .ci/run installs them). */
const TOOLS = ['bash', 'curl', 'jq', 'psql', 'xxd'];
const missingTools = TOOLS.filter((tool) => onPath(tool) === undefined);
const TITLE = 'the commands of the README and docs/, run as written on a ledger that holds other data';
if (missingTools.length > 0) {
  // A suite skipped whole is not listed by name: say it where the run is read.
  console.warn(`[tests] ${TITLE} (skipped: ${missingTools.join(', ')} not on PATH). Install them: apt-get install -y curl jq postgresql-client xxd (.ci/run does).`);
}

(missingTools.length > 0 ? describe.skip : describe)(`${TITLE}${missingTools.length > 0 ? ` (skipped: ${missingTools.join(', ')} not on PATH)` : ''}`, () => {
  const blocks = new Map<string, DocBlock>();
  const markedNames: string[] = [];
  let work: string;
  let service: ServiceProcess;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    for (const file of DOC_FILES) {
      for (const block of docBlocks(file, fs.readFileSync(path.join(REPO, file), 'utf8'))) {
        markedNames.push(block.name);
        blocks.set(block.name, block);
      }
    }
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'ledger-docs-'));
    fs.chmodSync(work, 0o755); // the embedded PostgreSQL runs as `postgres` when the tests run as root
    fs.symlinkSync(path.join(REPO, 'examples'), path.join(work, 'examples'));
    const bin = path.join(work, 'bin');
    fs.mkdirSync(bin);
    const cli = path.join(REPO, 'dist/apps/ledger-cli/src/main.js');
    const script = (name: string, body: string): void => fs.writeFileSync(path.join(bin, name), `#!/usr/bin/env bash\n${body}\n`, { mode: 0o755 });
    script('ledger', `exec node ${JSON.stringify(cli)} "$@"`);
    // No npx or npm of the registry: only what the docs run, on the built code.
    script('npx', 'if [ "$1" = ledger ]; then shift; exec ledger "$@"; fi\necho "doc test: npx $1 is not provided here" >&2; exit 127');
    // curl as written, but an error answer fails the command (`curl -s` would not), unless the doc
    // shows that command answering a 4xx on purpose (DOC_TEST_SHOWS_4XX, set per command).
    script('curl', [
      `{ written=$(${JSON.stringify(onPath('curl'))} "$@" --write-out '%{stderr}%{http_code}' 2>&1 >&3 3>&-); } 3>&1`,
      'code=$?; status=${written: -3}; [ ${#written} -gt 3 ] && printf "%s\\n" "${written:0:-3}" >&2',
      '[ $code -ne 0 ] && exit $code',
      'case $status in 4??) [ "${DOC_TEST_SHOWS_4XX:-0}" = 1 ] && exit 0;; [123]??) exit 0;; esac',
      'printf "\\ndoc test: HTTP %s from curl %s\\n" "$status" "$*" >&2; exit 22',
    ].join('\n'));
    script('npm', `if [ "$1 $2" = "run demo" ]; then shift 2; [ "\${1:-}" = -- ] && shift; exec node ${JSON.stringify(path.join(REPO, 'scripts/demo.mjs'))} "$@"; fi\necho "doc test: npm $* is not provided here" >&2; exit 127`);

    // As `npm start` runs it: under its supervisor, the keys generated into .ledger-data/api-keys.env.
    service = await startServiceProcess(path.join(work, '.ledger-data'), { LEDGER_API_KEYS: '', LEDGER_WORKERS: 'inline', LEDGER_CHECKPOINT_INTERVAL_MS: '200' }, { entry: 'supervise' });
    const keys = Object.fromEntries(
      [...fs.readFileSync(path.join(work, '.ledger-data/api-keys.env'), 'utf8').matchAll(/^(?:export )?(LEDGER_[A-Z]+_KEY)=(\S+)$/gm)].map((m) => [m[1]!, m[2]!]),
    );
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('LEDGER_') && k !== 'DATABASE_URL' && k !== 'PORT'));
    // The reader's terminal after `source .ledger-data/api-keys.env`, as the README's first block has it.
    env = { ...inherited, ...keys, PATH: `${bin}:${process.env.PATH}`, NODE_OPTIONS: '', LEDGER_URL: service.url, PORT: new URL(service.url).port };
    expect((await postJson(service.url, '/v1/events', { events: otherData() }, keys.LEDGER_FEED_KEY)).status).toBe(201);
  }, 60_000);

  afterAll(async () => {
    await service?.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('finds every curated block in its file, and every marked block is curated', () => {
    expect(CURATED.map(({ file, name }) => `${file} ${name}${blocks.get(name)?.file === file ? '' : ' (not found)'}`)).toEqual(CURATED.map(({ file, name }) => `${file} ${name}`));
    expect(markedNames.filter((n, i) => markedNames.indexOf(n) !== i)).toEqual([]); // names are unique
    expect(markedNames.filter((n) => !CURATED.some((c) => c.name === n)).map((n) => `${blocks.get(n)!.file} ${n} is marked but not curated`)).toEqual([]);
  });

  for (const { file, name, prelude = [] } of CURATED) {
    it(`${file}: ${name}`, async () => {
      const block = blocks.get(name);
      if (!block) throw new Error(`doc-test ${name} is not marked in ${file}`);
      await settled(service);
      const setup = prelude.flatMap((p) => blocks.get(p)!.commands.map((c) => c.text));
      const port = new URL(service.url).port;
      const run = await runBlock(block, setup, work, env, port);
      const problems: string[] = [];
      const ran = run.outputs.length;
      if (run.code !== 0) {
        const failed = block.commands[Math.max(0, ran - 1)]!;
        problems.push(`${run.code === null ? `killed after ${BLOCK_TIMEOUT_MS / 1000} s` : `exited ${run.code}`} in command ${ran}:\n$ ${failed.text}\n${run.outputs.at(-1) ?? run.all}`);
      }
      block.commands.forEach((command, i) => {
        if (command.expected === null || i >= ran) return;
        const mismatch = outputMismatch(here(command.expected, port), run.outputs[i]!);
        if (mismatch) problems.push(`command ${i + 1}'s output differs from the doc's:\n$ ${command.text}\n${mismatch}\n--- the doc shows:\n${command.expected}\n--- the command printed:\n${run.outputs[i]}`);
      });
      if (problems.length > 0) throw new Error(`${block.file}:${block.line} doc-test ${name}\n${problems.join('\n\n')}`);
    }, 60_000);
  }
});

/** The docs' service, `localhost:3000`, is this test's. */
function here(text: string, port: string): string {
  return text.replaceAll('localhost:3000', `127.0.0.1:${port}`);
}

/** Runs a block as a reader would, in `cwd`, each command's output cut apart. */
async function runBlock(block: DocBlock, setup: string[], cwd: string, env: NodeJS.ProcessEnv, port: string): Promise<BlockRun> {
  const lines = [`set -uo pipefail${block.errexit ? ' -e' : ''}`, 'exec 2>&1', ...setup.map((c) => here(c, port))];
  block.commands.forEach((command, i) => {
    const shows4xx = /"statusCode":4\d\d/.test(command.expected ?? '');
    lines.push(`printf '\\n${SEPARATOR} ${i}\\n'`, `export DOC_TEST_SHOWS_4XX=${shows4xx ? 1 : 0}`, here(command.text, port));
  });
  lines.push(`printf '\\n${SEPARATOR} end\\n'`);
  const child = spawn('bash', ['-c', lines.join('\n')], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let all = '';
  for (const stream of [child.stdout, child.stderr]) stream.setEncoding('utf8').on('data', (c: string) => (all += c));
  const timer = setTimeout(() => child.kill('SIGKILL'), BLOCK_TIMEOUT_MS);
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  clearTimeout(timer);
  const parts = all.split(new RegExp(`\\n${SEPARATOR} (?:\\d+|end)\\n`));
  // parts[0] is the setup's; after the end separator, nothing; a block that stopped ends with its failing command's output
  return { code, outputs: all.includes(`\n${SEPARATOR} end\n`) ? parts.slice(1, -1) : parts.slice(1), all };
}

function onPath(command: string): string | undefined {
  return (process.env.PATH ?? '').split(':').map((dir) => path.join(dir, command)).find((file) => fs.existsSync(file));
}

interface Health {
  headPosition: number;
  workers: Array<{ name: string; position: number }>;
}

/** Waits until the workers caught up with the log (a reader types slower than they work). */
async function settled(service: ServiceProcess): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (service.exited()) throw new Error(`the service exited:\n${service.output().slice(-4000)}`);
    // (a restart by the supervisor, as under `npm start`, is waited for)
    const health = await fetch(`${service.url}/health`).then((r) => r.json() as Promise<Health>, () => null);
    const behind = health?.workers.filter((w) => w.name !== 'integrity-scrubber' && w.position < health.headPosition);
    if (behind?.length === 0) return;
    if (Date.now() > deadline) throw new Error(`the workers did not catch up with the log: ${JSON.stringify(health)}\n${service.output().slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Another contract's events, posted before any doc command runs: the docs' positions and tree sizes are then not those of a fresh ledger. */
function otherData(): LedgerEvent[] {
  const contract = 'docs-test-other-contract';
  const at = '2026-04-01T09:00';
  return b.flatten([
    b.contract({ contract, at: '2026-03-01T09:00' }),
    b.staffed('W-1', { contract, at }),
    Array.from({ length: 20 }, (_, i) => [b.collected({ contract, record: `R-9${i}`, at }), b.copied('C-1', { contract, record: `R-9${i}`, at })]),
  ]).map((d) => d.event);
}
