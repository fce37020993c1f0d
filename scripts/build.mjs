// Bundles the extension client, the language server, the CLI and the webview with esbuild.
// Usage: node scripts/build.mjs [--watch] [--production]
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  legalComments: 'linked',
};

// web-tree-sitter's ES module build (the one esbuild picks for `import`) reads `import.meta.url`,
// which is empty in a CommonJS bundle: give the Node bundles the bundle file's own URL instead.
const IMPORT_META_URL = "const __wslb_import_meta_url = require('node:url').pathToFileURL(__filename).href;";
const cjsImportMeta = { define: { 'import.meta.url': '__wslb_import_meta_url' } };

const targets = [
  {
    entryPoints: ['client/src/extension.ts'],
    outfile: 'dist/client/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    external: ['vscode'],
  },
  {
    entryPoints: ['server/src/server.ts'],
    outfile: 'dist/server/server.js',
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    ...cjsImportMeta,
    banner: { js: IMPORT_META_URL },
  },
  {
    entryPoints: ['server/src/cli/wslb.ts'],
    outfile: 'dist/cli/wslb.js',
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    ...cjsImportMeta,
    banner: { js: `#!/usr/bin/env node\n${IMPORT_META_URL}` },
  },
  {
    entryPoints: ['client/src/webview/main.ts'],
    outfile: 'dist/webview/main.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2020',
  },
].filter((t) => existsSync(t.entryPoints[0]));

// The Terraform parser's WebAssembly files, located at run time next to the bundles
// (server/src/service/syntax/aws/treesitter.ts looks in dist/wasm/).
const require = createRequire(import.meta.url);
mkdirSync('dist/wasm', { recursive: true });
for (const [name, module] of [
  ['tree-sitter.wasm', 'web-tree-sitter/tree-sitter.wasm'],
  ['tree-sitter-terraform.wasm', '@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm'],
])
  copyFileSync(require.resolve(module), `dist/wasm/${name}`);

if (watch) {
  for (const t of targets) {
    const ctx = await esbuild.context({ ...common, ...t });
    await ctx.watch();
  }
  console.log('watching', targets.map((t) => t.outfile).join(', '));
} else {
  await Promise.all(targets.map((t) => esbuild.build({ ...common, ...t })));
}
