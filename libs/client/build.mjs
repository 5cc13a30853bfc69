#!/usr/bin/env node
// Builds the client as its own npm package into ./dist (or --out DIR): one ES module bundled by
// esbuild — with the signing code of libs/integrity taken from its one source at build time — and
// its type declarations from tsc, which must not refer to anything outside the package.
//   cd libs/client && npm run build && npm pack
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const require = createRequire(path.join(repo, 'package.json'));
const outIndex = process.argv.indexOf('--out');
const out = path.resolve(outIndex === -1 ? path.join(here, 'dist') : process.argv[outIndex + 1]);
const { build } = await import(require.resolve('esbuild'));

fs.rmSync(out, { recursive: true, force: true });
await build({
  entryPoints: [path.join(here, 'src/index.ts')],
  outfile: path.join(out, 'index.js'),
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  tsconfig: path.join(repo, 'tsconfig.json'),
  sourcemap: true,
  legalComments: 'inline',
  logLevel: 'warning',
});

const types = path.join(out, '.types');
const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(here, 'tsconfig.build.json'), '--outDir', types], { stdio: 'inherit' });
if (tsc.status !== 0) process.exit(tsc.status ?? 1);
const emitted = path.join(types, 'libs/client/src');
for (const file of fs.readdirSync(emitted, { recursive: true })) {
  const from = path.join(emitted, file);
  if (!fs.statSync(from).isFile()) continue;
  const text = fs.readFileSync(from, 'utf8');
  if (/from ['"](@ledger\/|\.\.\/\.\.\/)/.test(text)) {
    console.error(`client build: ${file} refers to code outside the package; keep the public types inside libs/client`);
    process.exit(1);
  }
  fs.mkdirSync(path.dirname(path.join(out, file)), { recursive: true });
  fs.writeFileSync(path.join(out, file), text);
}
fs.rmSync(types, { recursive: true, force: true });
fs.copyFileSync(path.join(repo, 'LICENSE'), path.join(out, 'LICENSE'));
console.log(`client package built in ${path.relative(process.cwd(), out) || '.'}`);
