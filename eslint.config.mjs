// One ESLint config for the whole repository: typed rules from typescript-eslint on the TypeScript
// sources and tests, the recommended JavaScript rules on the build and setup scripts.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

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
  },
  {
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    languageOptions: { globals: { ...globals.node } },
  },
);
