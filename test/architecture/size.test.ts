/**
 * The size limits of server/src and client/src (issue 21), as eslint.config.mjs sets them: ESLint
 * enforces them on every file; this checks the other side, that each file the config still excuses
 * (OVER_FILE_LIMIT, OVER_FUNCTION_LIMIT) exists and is still over its limit. A file split below the
 * limit must come off its list, so the lists only shrink.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Linter } from 'eslint';
import tseslint from 'typescript-eslint';

const REPO = path.resolve(__dirname, '..', '..');

interface SizeConfig {
  SIZE_LIMITS: { file: object; function: object };
  OVER_FILE_LIMIT: string[];
  OVER_FUNCTION_LIMIT: string[];
}

/** The rule's reports on `file` (nothing but that rule is run). */
function reports(file: string, rule: 'max-lines' | 'max-lines-per-function', options: object): Linter.LintMessage[] {
  const linter = new Linter({ configType: 'flat' });
  const text = fs.readFileSync(path.join(REPO, file), 'utf8');
  return linter.verify(
    text,
    [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser }, rules: { [rule]: ['error', options] } }],
    path.join(REPO, file),
  );
}

describe('architecture: file and function sizes', function () {
  this.timeout(120_000);
  let config: SizeConfig;

  before(async () => {
    config = (await import(path.join(REPO, 'eslint.config.mjs'))) as SizeConfig;
  });

  it('excuses only files that exist and are still over the file limit', () => {
    const stale: string[] = [];
    for (const file of config.OVER_FILE_LIMIT) {
      if (!fs.existsSync(path.join(REPO, file))) stale.push(`${file} (gone)`);
      else if (reports(file, 'max-lines', config.SIZE_LIMITS.file).length === 0) stale.push(file);
    }
    assert.deepEqual(stale, [], 'these files meet the file limit now: take them off OVER_FILE_LIMIT');
  });

  it('excuses only files that exist and still hold a function over the limit', () => {
    const stale: string[] = [];
    for (const file of config.OVER_FUNCTION_LIMIT) {
      if (!fs.existsSync(path.join(REPO, file))) stale.push(`${file} (gone)`);
      else if (reports(file, 'max-lines-per-function', config.SIZE_LIMITS.function).length === 0) stale.push(file);
    }
    assert.deepEqual(stale, [], 'these files meet the function limit now: take them off OVER_FUNCTION_LIMIT');
  });

  it('counts what `wc -l` counts: blank lines and comments included', () => {
    // A made-up file of 601 lines, most of them blank or comments, is over the limit.
    const linter = new Linter({ configType: 'flat' });
    const text = '// a comment\n\n'.repeat(300) + 'export const x = 1;\n';
    assert.equal(text.split('\n').length - 1, 601);
    const messages = linter.verify(text, [{ rules: { 'max-lines': ['error', config.SIZE_LIMITS.file] } }]);
    assert.equal(messages.length, 1);
  });
});
