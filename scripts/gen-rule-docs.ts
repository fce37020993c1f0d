/**
 * Writes docs/rules.md from the rule registry (one source of truth: the same text the hovers and
 * `wslb explain` show), and package.json's settings (common/settings.ts and the rule ids that
 * `wslb.rules` offers, scripts/manifest.ts). `--check` fails when a committed file is out of date.
 * Run: npx tsx scripts/gen-rule-docs.ts [--check]
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { renderRuleDocs } from './rule-docs';
import { renderManifest } from './manifest';

const docs = path.resolve(__dirname, '../docs/rules.md');
const manifest = path.resolve(__dirname, '../package.json');
const outputs: [string, string][] = [
  [docs, renderRuleDocs()],
  [manifest, renderManifest(fs.readFileSync(manifest, 'utf8'))],
];
let stale = false;
for (const [file, text] of outputs) {
  const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  if (current === text) continue;
  if (process.argv.includes('--check')) {
    console.error(`${path.relative(process.cwd(), file)} is out of date: run \`npx tsx scripts/gen-rule-docs.ts\``);
    stale = true;
  } else {
    fs.writeFileSync(file, text);
    console.log(`wrote ${path.relative(process.cwd(), file)}`);
  }
}
if (stale) process.exit(1);
