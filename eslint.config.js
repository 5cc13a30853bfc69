// Lint: typescript-eslint's recommended rules over apps/, libs/, test/, bench/.
// Layer rules (what may import what) are checked by dependency-cruiser: .dependency-cruiser.cjs.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.scratch/**', 'coverage/**', '**/*.mjs', '**/*.cjs', 'libs/integrity/test-fixtures/**', 'libs/client/dist/**', 'libs/client/src/generated/**', 'libs/client/test-fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'off',
      // A ledger refuses control characters on purpose: its patterns name them.
      'no-control-regex': 'off',
    },
  },
  {
    // The console's script runs in the browser (apps/ledger-api/src/console/assets), as a classic script.
    files: ['apps/ledger-api/src/console/assets/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: { window: 'readonly', document: 'readonly', fetch: 'readonly', DOMParser: 'readonly', TextEncoder: 'readonly', crypto: 'readonly', atob: 'readonly' },
    },
  },
  {
    // Tests read JSON answers whose shapes the assertions spell out.
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', 'test/support/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
