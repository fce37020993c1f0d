// One ESLint config for the whole repository: typed rules from typescript-eslint on the TypeScript
// sources and tests, the recommended JavaScript rules on the build and setup scripts.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const UNUSED = {
  argsIgnorePattern: '^_',
  varsIgnorePattern: '^_',
  caughtErrorsIgnorePattern: '^_',
  destructuredArrayIgnorePattern: '^_',
};

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'out/',
      '.cache/',
      'test-artifacts/',
      'scripts/exymat-reference/',
      'test/fixtures/',
      'test/e2e/workspace/',
      'server/src/service/knowledge/generated/',
    ],
  },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // `_`-prefixed names are deliberately unused (interface parameters, rest-destructuring
      // omissions), as tsc's noUnusedParameters already allows.
      '@typescript-eslint/no-unused-vars': ['error', UNUSED],
    },
  },
  {
    // The simulator webview stays split into small modules (issue 21): no file over 600 lines, no
    // function over 100.
    files: ['client/src/webview/**/*.ts'],
    rules: {
      'max-lines': ['error', { max: 600 }],
      'max-lines-per-function': ['error', { max: 100 }],
    },
  },
  {
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    languageOptions: { globals: { ...globals.node } },
    rules: { 'no-unused-vars': ['error', UNUSED] },
  },
  {
    // The VS Code runner extension's suite runs under mocha's BDD interface (describe/it globals).
    files: ['test/**/*.js'],
    languageOptions: { globals: { ...globals.mocha } },
  },
);
