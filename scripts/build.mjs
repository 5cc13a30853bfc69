// Compiles apps/ and libs/ to dist/ with swc (type-checking is `npm run typecheck`, part of `npm test`).
// Skipped when no source changed since the last build (the CLI and `npm start` build before they run,
// `npm ci` builds through `prepare`); `--force` builds anyway.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const SOURCES = ['apps', 'libs', 'test/support', 'test/generators', 'bench'];
const IGNORE = ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', 'libs/client/dist/**', 'libs/client/test-fixtures/**', 'apps/ledger-api/src/console/assets/**'];
const SKIPPED_FOLDERS = new Set(['node_modules', 'dist', 'test-fixtures']);
const STAMP = path.join('dist', '.sources');
/** The built CLI, the package's `bin`: executable. */
const CLI = path.join('dist', 'apps', 'ledger-cli', 'src', 'main.js');

/** Path, size and modification time of every file swc reads, and the build settings: changes when a source does. */
function fingerprint() {
  const hash = createHash('sha256');
  for (const file of ['.swcrc', 'scripts/build.mjs', 'package-lock.json']) hash.update(`${file}:${statSync(file).mtimeMs}\n`);
  const walk = (folder) => {
    for (const entry of readdirSync(folder, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(entry.name)) walk(full);
      } else if (entry.isFile() && !/\.(int-|e2e-)?spec\.ts$/.test(entry.name)) {
        const { size, mtimeMs } = statSync(full);
        hash.update(`${full}:${size}:${mtimeMs}\n`);
      }
    }
  };
  for (const folder of SOURCES) if (existsSync(folder)) walk(folder);
  return hash.digest('hex');
}

const sources = fingerprint();
if (!process.argv.includes('--force') && existsSync(STAMP) && existsSync(CLI) && readFileSync(STAMP, 'utf8') === sources) process.exit(0);

const require = createRequire(import.meta.url);
const swc = path.join(path.dirname(require.resolve('@swc/cli/package.json')), 'bin', 'swc.js');
rmSync('dist', { recursive: true, force: true });
const result = spawnSync(process.execPath, [swc, ...SOURCES, '-d', 'dist', '--quiet', '--ignore', IGNORE.join(',')], { stdio: 'inherit' });
if (result.status === 0) {
  // The console's stylesheet and script are served as they are (docs/console.md): copied, not compiled.
  cpSync('apps/ledger-api/src/console/assets', 'dist/apps/ledger-api/src/console/assets', { recursive: true });
  chmodSync(CLI, 0o755);
  writeFileSync(STAMP, sources);
}
process.exit(result.status ?? 1);
