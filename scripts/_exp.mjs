import * as esbuild from 'esbuild';
import { readFileSync, mkdirSync, copyFileSync } from 'node:fs';
const IMPORT_META_URL = "const __wslb_import_meta_url = require('node:url').pathToFileURL(__filename).href;";
const jsonAsParse = { name: 'j', setup(b) { b.onLoad({ filter: /[\\/]knowledge[\\/]generated[\\/][^\\/]+\.json$/ }, (a) => ({ contents: `module.exports = JSON.parse(${JSON.stringify(JSON.stringify(JSON.parse(readFileSync(a.path, 'utf8'))))});`, loader: 'js' })); } };
const CLI_LAZY = { '@nginx/reference-lib': 'nginx-reference.js', yaml: 'yaml.js', 'web-tree-sitter': 'web-tree-sitter.js' };
const lazy = { name: 'l', setup(b) { b.onResolve({ filter: /^(@nginx\/reference-lib|yaml|web-tree-sitter)$/ }, (a) => a.kind !== 'require-call' ? undefined : { path: `./${CLI_LAZY[a.path]}`, external: true }); } };
const variants = { base: {}, ws: { minifyWhitespace: true }, wssyn: { minifyWhitespace: true, minifySyntax: true }, full: { minify: true } };
for (const [name, opts] of Object.entries(variants)) {
  const dir = `/tmp/perf/v-${name}`; mkdirSync(dir, { recursive: true });
  await esbuild.build({ entryPoints: ['server/src/cli/wslb.ts'], outfile: `${dir}/wslb-main.js`, bundle: true, platform: 'node', format: 'cjs', target: 'node18', define: { 'import.meta.url': '__wslb_import_meta_url' }, banner: { js: IMPORT_META_URL }, plugins: [jsonAsParse, lazy], logLevel: 'warning', legalComments: 'linked', ...opts });
  for (const f of Object.values(CLI_LAZY)) copyFileSync(`dist/cli/${f}`, `${dir}/${f}`);
  copyFileSync('dist/cli/wslb.js', `${dir}/wslb.js`);
}
