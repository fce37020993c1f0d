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

/** The size limits of server/src and client/src (generated data is ignored above). */
export const SIZE_LIMITS = {
  file: { max: 600, skipBlankLines: false, skipComments: false },
  function: { max: 100, skipBlankLines: false, skipComments: false },
};

/*
 * The files still over a limit (issue 21). These lists may only shrink: split a file, then take it
 * off. test/architecture/size.test.ts fails when a listed file already meets the limit, or no
 * longer exists, so an entry cannot outlive the problem it excuses.
 */
export const OVER_FILE_LIMIT = [];
export const OVER_FUNCTION_LIMIT = [];

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
    // Sources stay split into modules a newcomer can read (issue 21): no file over 600 lines and no
    // function over 100, blank lines and comments counted (so a file's limit is what `wc -l` says).
    files: ['server/src/**/*.ts', 'client/src/**/*.ts'],
    rules: {
      'max-lines': ['error', SIZE_LIMITS.file],
      'max-lines-per-function': ['error', SIZE_LIMITS.function],
    },
  },
  // Files still over the file limit, each waiting for its split (issue 21); none today.
  ...(OVER_FILE_LIMIT.length ? [{ files: OVER_FILE_LIMIT, rules: { 'max-lines': 'off' } }] : []),
  // Files that still hold a function over the function limit (issue 21); none today.
  ...(OVER_FUNCTION_LIMIT.length ? [{ files: OVER_FUNCTION_LIMIT, rules: { 'max-lines-per-function': 'off' } }] : []),
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
