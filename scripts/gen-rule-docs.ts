/**
 * Writes docs/rules.md from the rule registry (one source of truth: the same text the hovers and
 * `wslb explain` show). `--check` fails when the committed file is out of date.
 * Run: npx tsx scripts/gen-rule-docs.ts [--check]
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { renderRuleDocs } from './rule-docs';

const file = path.resolve(__dirname, '../docs/rules.md');
const text = renderRuleDocs();
if (process.argv.includes('--check')) {
  const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  if (current !== text) {
    console.error('docs/rules.md is out of date: run `npx tsx scripts/gen-rule-docs.ts`');
    process.exit(1);
  }
} else {
  fs.writeFileSync(file, text);
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}
