import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs/promises';
import ts from 'typescript';
import { validate } from '@readme/openapi-parser';
import openapiTS, { astToString } from 'openapi-typescript';
import { startTestApp, type TestApp } from './support/test-app.js';

/** What a feed would write against types generated from /docs/openapi.json: it must compile. */
const CLIENT_SOURCE = `
import type { components, paths } from './openapi.js';

type Schemas = components['schemas'];
type AppendBody = NonNullable<paths['/v1/events']['post']['requestBody']>['content']['application/json'];

const actor: Schemas['ActorDto'] = { org: 'contractor', workerId: 'W-1' };
const event: Schemas['EventEnvelopeDto'] = {
  eventId: '5b0c7c1e-8a39-4d2e-9a51-0f3c1f1f6a10',
  type: 'RecordCopied',
  contractId: 'okayama-kaigo-2025',
  occurredAt: '2026-03-10T12:00:00+09:00',
  actor,
  data: { copyId: 'C-1' },
};
const term: Schemas['ContractRegisteredData']['term'] = { start: '2025-04-01T00:00:00+09:00', end: '2026-03-31T23:59:59+09:00' };
const problems: Schemas['ErrorAnswerDto']['errors'] = [{ index: 0, field: 'data.copyId', rule: 'matches', message: '…' }];
export const used: unknown[] = [event, term, problems, {} as AppendBody];
`;

/** The type errors of each file, by file name (one program for both files: a check takes seconds). */
function typeCheck(dir: string, files: string[]): Record<string, string[]> {
  const program = ts.createProgram(
    files.map((file) => path.join(dir, file)),
    { strict: true, noEmit: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, types: [] },
  );
  const errors: Record<string, string[]> = Object.fromEntries(files.map((file) => [file, []]));
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const file = diagnostic.file ? path.basename(diagnostic.file.fileName) : 'options';
    (errors[file] ??= []).push(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
  }
  return errors;
}

describe('/docs/openapi.json, as tools read it', () => {
  let app: TestApp;
  let document: Record<string, any>;
  let dir: string;

  beforeAll(async () => {
    app = await startTestApp('openapi');
    document = (await app.request('GET', '/docs/openapi.json')).body;
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ledger-openapi-'));
  });

  afterAll(async () => {
    await app.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('given the served document, when a maintained OpenAPI validator reads it, then it is valid and every schema reference has a name', async () => {
    const result = await validate(structuredClone(document) as never);
    expect(result.valid ? [] : result.errors).toEqual([]);
    const refs = JSON.stringify(document).match(/"\$ref":"[^"]*"/g) ?? [];
    expect(refs.filter((ref) => !/"#\/components\/schemas\/[A-Za-z0-9]+"/.test(ref))).toEqual([]);
  });

  it('given the bearer scheme, then it names an opaque API key, not a JWT', () => {
    expect(document.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(document.components.securitySchemes.bearer.bearerFormat).not.toMatch(/jwt/i);
  });

  it('given types generated from it by openapi-typescript, when a client uses them, then it type-checks, and a misuse does not', async () => {
    await fs.writeFile(path.join(dir, 'openapi.ts'), astToString(await openapiTS(structuredClone(document) as never)));
    await fs.writeFile(path.join(dir, 'client.ts'), CLIENT_SOURCE);
    await fs.writeFile(path.join(dir, 'misuse.ts'), "import type { components } from './openapi.js';\nexport const actor: components['schemas']['ActorDto'] = { org: 7 };\n");
    const errors = typeCheck(dir, ['client.ts', 'misuse.ts']);
    expect(errors).toEqual({ 'client.ts': [], 'misuse.ts': [expect.stringMatching(/not assignable to type 'string'/)] });
  });
});
