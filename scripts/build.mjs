// Compiles apps/ and libs/ to dist/ with swc (type-checking is `npm run typecheck`, part of `npm test`).
import { spawnSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const swc = path.join(path.dirname(require.resolve('@swc/cli/package.json')), 'bin', 'swc.js');
rmSync('dist', { recursive: true, force: true });
const result = spawnSync(
  process.execPath,
  [swc, 'apps', 'libs', 'test/support', 'test/generators', 'bench', '-d', 'dist', '--quiet', '--ignore', '**/*.spec.ts,**/*.int-spec.ts,**/*.e2e-spec.ts,libs/client/dist/**,libs/client/test-fixtures/**,apps/ledger-api/src/console/assets/**'],
  { stdio: 'inherit' },
);
// The console's stylesheet and script are served as they are (docs/console.md): copied, not compiled.
if (result.status === 0) cpSync('apps/ledger-api/src/console/assets', 'dist/apps/ledger-api/src/console/assets', { recursive: true });
process.exit(result.status ?? 1);
