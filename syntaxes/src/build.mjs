// Writes syntaxes/*.tmLanguage.json from the grammar sources in this folder.
//   node syntaxes/src/build.mjs          write the JSON files
//   node syntaxes/src/build.mjs --check  exit 1 if a JSON file differs from its source
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..');
const check = process.argv.includes('--check');

const sources = [
  ['nginx.mjs', 'nginx.tmLanguage.json'],
  ['haproxy.mjs', 'haproxy.tmLanguage.json'],
  ['markdown-injection.mjs', 'markdown-codeblock.tmLanguage.json'],
];

let stale = 0;
for (const [src, json] of sources) {
  const grammar = (await import(join(here, src))).default;
  const text = JSON.stringify(grammar, null, 2) + '\n';
  const target = join(out, json);
  const current = existsSync(target) ? readFileSync(target, 'utf8') : '';
  if (check) {
    if (current !== text) {
      console.error(`${json} is out of date with syntaxes/src/${src}; run node syntaxes/src/build.mjs`);
      stale++;
    }
  } else if (current !== text) {
    writeFileSync(target, text);
    console.log(`wrote syntaxes/${json}`);
  }
}
process.exit(stale ? 1 : 0);
