/**
 * Generates libs/client/src/generated/ledger-types.ts: the event catalogue (every type exported by
 * the file that declares `LedgerEvent`), the answers the client reads, and every type they refer
 * to, copied declaration by declaration out of the service's own sources with the TypeScript
 * compiler, plus the catalogue's `EVENT_SPECS` as a constant. The client package thus carries the
 * contract without depending on the service, and a change of the catalogue shows up as a stale
 * file (libs/client/codegen/generate-client-types.spec.ts) until `npm run generate:client` is run.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { EVENT_SPECS } from '@ledger/domain';

/** The catalogue is found by the type it must declare; the answers by name, wherever they live. */
const CATALOGUE_ANCHOR = 'LedgerEvent';
export const ANSWER_TYPES = [
  'AppendedEvent',
  'FieldProblem',
  'RecordComplianceAnswer',
  'ContractComplianceAnswer',
  'RecordCustodyAnswer',
  'HoldingsAnswer',
  'HistoryPage',
  'InclusionProofAnswer',
  'ConsistencyProofAnswer',
  'CheckpointAnswer',
  'PublicKeyAnswer',
  'NdjsonAck',
  'NdjsonDone',
  'NdjsonStopped',
] as const;

export const GENERATED_FILE = 'libs/client/src/generated/ledger-types.ts';

type Declaration = ts.InterfaceDeclaration | ts.TypeAliasDeclaration | ts.EnumDeclaration;

function isDeclaration(node: ts.Node): node is Declaration {
  return ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node) || ts.isEnumDeclaration(node);
}

function isExported(node: Declaration): boolean {
  return (ts.getCombinedModifierFlags(node) & ts.ModifierFlags.Export) !== 0;
}

/** The project's own source files (no tests, no client): where the types are declared. */
function sourceFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        const skipped = ['libs/client', 'libs/feed-import', 'apps/ledger-cli'].some((p) => full === path.join(root, p));
        if (!['node_modules', 'dist', 'test-fixtures', 'testing'].includes(entry.name) && !skipped) walk(full);
      } else if (/(?<!\.(spec|int-spec|e2e-spec))\.ts$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
        out.push(full);
      }
    }
  };
  walk(path.join(root, 'libs'));
  walk(path.join(root, 'apps'));
  return out.sort();
}

export function generateClientTypes(root: string = process.cwd()): string {
  const config = ts.readConfigFile(path.join(root, 'tsconfig.json'), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
  const program = ts.createProgram(sourceFiles(root), { ...parsed.options, noEmit: true });
  const checker = program.getTypeChecker();
  const clientDir = path.join(root, 'libs/client') + path.sep;
  const own = program.getSourceFiles().filter((sf) => !sf.isDeclarationFile && !sf.fileName.includes('/node_modules/') && !path.resolve(sf.fileName).startsWith(clientDir));

  const exportedByName = new Map<string, Declaration[]>();
  for (const sf of own) {
    for (const statement of sf.statements) {
      if (isDeclaration(statement) && isExported(statement)) {
        const list = exportedByName.get(statement.name.text) ?? [];
        list.push(statement);
        exportedByName.set(statement.name.text, list);
      }
    }
  }
  const unique = (name: string): Declaration => {
    const found = exportedByName.get(name) ?? [];
    if (found.length !== 1) {
      throw new Error(`generate-client-types: expected one exported type ${name}, found ${found.length} (${found.map((d) => d.getSourceFile().fileName).join(', ')})`);
    }
    return found[0]!;
  };

  const catalogue = unique(CATALOGUE_ANCHOR).getSourceFile();
  const roots: Declaration[] = [
    ...catalogue.statements.filter((s): s is Declaration => isDeclaration(s) && isExported(s)),
    ...ANSWER_TYPES.map(unique),
  ];

  // Every declaration the roots refer to, transitively, as long as it is the project's own.
  const included = new Map<string, Declaration>();
  const queue = [...roots];
  while (queue.length > 0) {
    const declaration = queue.shift()!;
    const name = declaration.name.text;
    const existing = included.get(name);
    if (existing === declaration) continue;
    if (existing) {
      throw new Error(`generate-client-types: two types named ${name} (${existing.getSourceFile().fileName}, ${declaration.getSourceFile().fileName}); rename one`);
    }
    included.set(name, declaration);
    const visit = (node: ts.Node): void => {
      if (ts.isTypeReferenceNode(node) || ts.isExpressionWithTypeArguments(node) || ts.isTypeQueryNode(node)) {
        const target = ts.isTypeReferenceNode(node) ? node.typeName : ts.isTypeQueryNode(node) ? node.exprName : node.expression;
        let symbol = checker.getSymbolAtLocation(target);
        if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
        for (const found of symbol?.declarations ?? []) {
          const file = found.getSourceFile();
          if (file.isDeclarationFile || file.fileName.includes('/node_modules/')) continue;
          if (ts.isTypeParameterDeclaration(found)) continue;
          if (!isDeclaration(found)) {
            throw new Error(`generate-client-types: ${name} refers to ${symbol!.name}, which is not a type declaration (${file.fileName}); the client can only carry types`);
          }
          queue.push(found);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(declaration);
  }

  const catalogueFirst = [...included.values()].sort((a, b) => {
    const fa = a.getSourceFile().fileName;
    const fb = b.getSourceFile().fileName;
    if (fa !== fb) {
      if (fa === catalogue.fileName) return -1;
      if (fb === catalogue.fileName) return 1;
      return fa < fb ? -1 : 1;
    }
    return a.pos - b.pos;
  });

  const lines: string[] = [
    '// Generated by libs/client/codegen/generate-client-types.ts (npm run generate:client): do not edit.',
    '// The event catalogue and the answer types of the ledger, copied from the service\'s sources.',
    '/* eslint-disable */',
    '',
  ];
  let lastFile = '';
  for (const declaration of catalogueFirst) {
    const sf = declaration.getSourceFile();
    if (sf.fileName !== lastFile) {
      lines.push(`// --- from ${path.relative(root, sf.fileName)}`, '');
      lastFile = sf.fileName;
    }
    let text = sf.text.slice(declaration.getStart(sf, true), declaration.end);
    if (!isExported(declaration)) text = text.replace(/^((?:\/\*\*[\s\S]*?\*\/\s*)?)/, '$1export ');
    lines.push(text, '');
  }
  // The data fields of each event type, required or optional, read off the catalogue's types.
  const dataFields: Record<string, Record<string, 'required' | 'optional'>> = {};
  for (const holder of ['ContractEventData', 'RecordEventData']) {
    const declaration = catalogue.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === holder);
    if (!declaration) throw new Error(`generate-client-types: the catalogue has no interface ${holder}`);
    for (const member of declaration.members) {
      if (!ts.isPropertySignature(member) || !member.type) continue;
      const fields: Record<string, 'required' | 'optional'> = {};
      for (const property of checker.getTypeFromTypeNode(member.type).getProperties()) {
        fields[property.name] = property.flags & ts.SymbolFlags.Optional ? 'optional' : 'required';
      }
      dataFields[(member.name as ts.Identifier).text] = fields;
    }
  }
  const specs = Object.fromEntries(Object.entries(EVENT_SPECS).map(([type, spec]) => [type, { kind: spec.kind, article: spec.article, by: [...spec.by] }]));
  lines.push(
    '// --- from the catalogue\'s EVENT_SPECS: record or contract event, article, who records it',
    '',
    'export const EVENT_SPECS = ' + literal(specs) + ' as const;',
    '',
    '// --- the data fields of each event type, from the catalogue\'s ContractEventData and RecordEventData',
    '',
    'export const EVENT_DATA_FIELDS = ' + literal(dataFields) + ' as const;',
    '',
  );
  return lines.join('\n');
}

function literal(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/"([A-Za-z]+)":/g, '$1:').replace(/"/g, "'");
}

/** `node dist/libs/client/codegen/generate-client-types.js [--check]`: writes the file, or fails when it is stale. */
export function main(argv: readonly string[]): number {
  const root = process.cwd();
  const text = generateClientTypes(root);
  const file = path.join(root, GENERATED_FILE);
  const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  if (argv.includes('--check')) {
    if (current === text) return 0;
    process.stderr.write(`${GENERATED_FILE} is stale: run npm run generate:client\n`);
    return 1;
  }
  if (current !== text) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    process.stdout.write(`wrote ${GENERATED_FILE}\n`);
  } else {
    process.stdout.write(`${GENERATED_FILE} is current\n`);
  }
  return 0;
}
