import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';

/**
 * The client as its own npm package: built by its own script into a folder outside the monorepo,
 * installed into a consumer project, type-checked there with tsc, and run there with node.
 */
describe('libs/client as an npm package', () => {
  let consumer: string;

  beforeAll(() => {
    consumer = fs.mkdtempSync(path.join(os.tmpdir(), 'ledger-client-consumer-'));
    const pkg = path.join(consumer, 'node_modules/@okayama-ledger/client');
    const built = spawnSync(process.execPath, ['libs/client/build.mjs', '--out', path.join(pkg, 'dist')], { encoding: 'utf8' });
    if (built.status !== 0) throw new Error(`the package build failed:\n${built.stdout}\n${built.stderr}`);
    fs.copyFileSync('libs/client/package.json', path.join(pkg, 'package.json'));
    fs.writeFileSync(path.join(consumer, 'package.json'), JSON.stringify({ name: 'a-feed', type: 'module', private: true }));
    fs.copyFileSync('libs/client/test-fixtures/wrong-fields.ts', path.join(consumer, 'wrong-fields.ts'));
    // @types/node comes from the repo, as a consumer's own devDependency would.
    fs.symlinkSync(path.resolve('node_modules/@types'), path.join(consumer, 'node_modules/@types'));
  }, 120_000);

  afterAll(() => fs.rmSync(consumer, { recursive: true, force: true }));

  it('gives compile-time errors for a wrong field, value or event shape, and only there', () => {
    const file = path.join(consumer, 'wrong-fields.ts');
    const program = ts.createProgram([file], {
      module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022,
      strict: true, noEmit: true, types: ['node'], typeRoots: [path.join(consumer, 'node_modules/@types')], skipLibCheck: false,
    });
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => {
      const where = d.file ? `${path.basename(d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start!).line + 1}` : '?';
      return `${where} TS${d.code}`;
    });
    const expected = fs.readFileSync(file, 'utf8').split('\n').flatMap((line, i) => {
      const m = /expect-error (TS\d+)/.exec(line);
      return m ? [`wrong-fields.ts:${i + 1} ${m[1]}`] : [];
    });
    expect(expected).toHaveLength(5);
    expect(diagnostics.sort()).toEqual(expected.sort());
  });

  it('runs without the monorepo: signs an event with the ledger\'s signature code, bundled in', () => {
    const script = `
      import { eventSigner, generateSigningKey, verifySignedEvent, LedgerClient, EVENT_SPECS } from '@okayama-ledger/client';
      const key = generateSigningKey();
      const signed = eventSigner({ keyId: 'k1', privateKey: key.privateKey })({ eventId: 'e', type: 'RecordUsed', data: { purpose: 'p' } });
      new LedgerClient({ baseUrl: 'http://localhost:1', apiKey: 'x' });
      console.log(JSON.stringify({ verified: verifySignedEvent(signed, key.publicKey), kind: EVENT_SPECS.RecordCopied.kind }));`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: consumer, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({ verified: true, kind: 'record' });
    const bundle = fs.readFileSync(path.join(consumer, 'node_modules/@okayama-ledger/client/dist/index.js'), 'utf8');
    expect(bundle).not.toMatch(/from ['"]@ledger\//);
  });
});
