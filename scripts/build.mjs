// Bundles the extension client, the language server, the CLI and the webview with esbuild.
// Usage: node scripts/build.mjs [--watch] [--production]
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import cliTables from './cli-tables.cjs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  legalComments: 'linked',
  // The long explanations of rules and checks (server/src/service/{rules,checks}/*/*.md, read by
  // rules/long-docs.ts).
  loader: { '.md': 'text' },
};

// web-tree-sitter's ES module build (the one esbuild picks for `import`) reads `import.meta.url`,
// which is empty in a CommonJS bundle: give the Node bundles the bundle file's own URL instead.
const IMPORT_META_URL = "const __wslb_import_meta_url = require('node:url').pathToFileURL(__filename).href;";
const cjsImportMeta = { define: { 'import.meta.url': '__wslb_import_meta_url' } };

// Big generated tables (knowledge/generated/*.json) as `JSON.parse('…')` rather than the object
// literals esbuild writes for JSON: V8 scans a string much faster than it compiles a literal, and
// every run of the CLI and every start of the server pays that compilation.
const jsonAsParse = {
  name: 'json-as-parse',
  setup(b) {
    b.onLoad({ filter: /[\\/]knowledge[\\/]generated[\\/][^\\/]+\.json$/ }, (a) => ({
      contents: `module.exports = JSON.parse(${JSON.stringify(JSON.stringify(JSON.parse(readFileSync(a.path, 'utf8'))))});`,
      loader: 'js',
    }));
  },
};

// Packages the CLI requires only for some runs, each in a file of its own next to dist/cli/wslb-main.js
// (so that a `wslb check` of nginx files neither compiles nor loads them): the nginx documentation
// text (hovers and `explain` only), YAML (CloudFormation) and web-tree-sitter (Terraform). The
// sources `require()` them inside the function that needs them; here that require is pointed at
// the file. The language server keeps them in its one bundle (what the .vsix ships).
const CLI_LAZY = {
  '@nginx/reference-lib': 'nginx-reference.js',
  yaml: 'yaml.js',
  'web-tree-sitter': 'web-tree-sitter.js',
};
const lazyPackages = {
  name: 'lazy-packages',
  setup(b) {
    const names = Object.keys(CLI_LAZY).map((n) => n.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'));
    b.onResolve({ filter: new RegExp(`^(${names.join('|')})$`) }, (a) => {
      if (a.kind !== 'require-call') return undefined; // a static import stays in the bundle
      return { path: `./${CLI_LAZY[a.path]}`, external: true };
    });
  },
};
// Packages the sources import at the top of a module but call only now and then (picomatch: the
// glob of an nginx include): for the CLI, the import is a function that requires the package on
// its first call, so that a run without a glob never initialises it (esbuild runs a CommonJS
// package's top-level code where it is imported, at start-up).
const CLI_LAZY_IMPORTS = ['picomatch'];
const lazyImports = {
  name: 'lazy-imports',
  setup(b) {
    const names = CLI_LAZY_IMPORTS.map((n) => n.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'));
    b.onResolve({ filter: new RegExp(`^(${names.join('|')})$`) }, (a) =>
      a.kind === 'import-statement' ? { path: a.path, namespace: 'lazy-import' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy-import' }, (a) => ({
      contents: `module.exports = function (...args) { return require(${JSON.stringify(a.path)})(...args); };`,
      loader: 'js',
      resolveDir: process.cwd(),
    }));
  },
};
// The knowledge tables the sources require on first use (nginx's directives and documentation
// facts, HAProxy's keywords: 580 KB): for the CLI, JSON files next to wslb-main.js, read only by a
// run that looks one up (`wslb --version` reads none, a check of nginx files no HAProxy table).
const CLI_LAZY_DATA = ['nginx-commands.json', 'nginx-reference.json', 'haproxy-2.6.json', 'haproxy-versions.json'];
const lazyData = {
  name: 'lazy-data',
  setup(b) {
    // nginx-commands.json is written in a compact form (scripts/cli-tables.cjs): what the sources
    // require is a module of the bundle that reads that file and gives back the table as they know it.
    b.onResolve({ filter: /^\.\/generated\/nginx-commands\.json$/ }, (a) =>
      a.kind === 'require-call' ? { path: 'nginx-commands', namespace: 'compact-table' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'compact-table' }, () => ({
      contents: `module.exports = (${cliTables.expandCommands})(require("./nginx-commands.json"));`,
      loader: 'js',
    }));
    b.onResolve({ filter: /^\.\/nginx-commands\.json$/ }, (a) =>
      a.namespace === 'compact-table' ? { path: a.path, external: true } : undefined,
    );
    const names = CLI_LAZY_DATA.map((n) => n.replace(/[.]/g, '\\.'));
    b.onResolve({ filter: new RegExp(`^\\./generated/(${names.join('|')})$`) }, (a) => {
      if (a.kind !== 'require-call') return undefined;
      return { path: `./${a.path.slice('./generated/'.length)}`, external: true };
    });
  },
};
// The `simulate` command (server/src/cli/simulate-command.ts, which wslb.ts requires when run) in
// a file of its own, with its own copy of what it needs: other runs neither read nor compile the
// simulator.
const lazyCommands = {
  name: 'lazy-commands',
  setup(b) {
    b.onResolve({ filter: /^\.\/simulate-command$/ }, (a) =>
      a.kind === 'require-call' ? { path: './wslb-simulate.js', external: true } : undefined,
    );
  },
};
// The long explanations of rules and checks ({rules,checks}/<system>/<name>.md, required by
// rules/long-docs.ts when a text is asked for): for the CLI, one JSON file beside wslb-main.js,
// keyed `rules/nginx/ws-http-version`, `checks/nginx/syntax`, read by `wslb explain` and SARIF.
const DOCS_DIRS = ['rules', 'checks'];
const ruleDocsFile = {
  name: 'rule-docs-file',
  setup(b) {
    b.onLoad({ filter: /[\\/]service[\\/](rules|checks)[\\/][^\\/]+[\\/][^\\/]+\.md$/ }, (a) => ({
      contents: `module.exports = require("./rule-docs.json")[${JSON.stringify(a.path.split(/[\\/]/).slice(-3).join('/').slice(0, -3))}];`,
      loader: 'js',
    }));
    b.onResolve({ filter: /^\.\/rule-docs\.json$/ }, (a) => ({ path: a.path, external: true }));
  },
};
function writeRuleDocs() {
  const docs = {};
  for (const kind of DOCS_DIRS) {
    const dir = `server/src/service/${kind}`;
    for (const system of readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()))
      for (const f of readdirSync(`${dir}/${system.name}`).filter((n) => n.endsWith('.md')))
        docs[`${kind}/${system.name}/${f.slice(0, -3)}`] = readFileSync(`${dir}/${system.name}/${f}`, 'utf8');
  }
  writeFileSync('dist/cli/rule-docs.json', JSON.stringify(docs));
}
function writeLazyData() {
  mkdirSync('dist/cli', { recursive: true });
  for (const f of CLI_LAZY_DATA) {
    const json = JSON.parse(readFileSync(`server/src/service/knowledge/generated/${f}`, 'utf8'));
    writeFileSync(
      `dist/cli/${f}`,
      JSON.stringify(f === 'nginx-commands.json' ? cliTables.compactCommands(json) : json),
    );
  }
  // Node reads the nearest package.json of the executable for its module type: this one, not the
  // whole manifest of the package (50 KB) at every run.
  writeFileSync('dist/cli/package.json', '{"type":"commonjs"}\n');
}

const lazyChunks = Object.entries(CLI_LAZY).map(([pkg, file]) => ({
  stdin: { contents: `module.exports = require(${JSON.stringify(pkg)});`, resolveDir: '.', loader: 'js' },
  outfile: `dist/cli/${file}`,
  platform: 'node',
  format: 'cjs',
  target: 'node18',
  ...cjsImportMeta,
  banner: { js: IMPORT_META_URL },
}));

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
    plugins: [jsonAsParse],
  },
  {
    // The executable: turns on Node's compile cache where there is one, then loads wslb-main.js.
    entryPoints: ['server/src/cli/bin.ts'],
    outfile: 'dist/cli/wslb.js',
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    external: ['./wslb-main.js'],
    banner: { js: '#!/usr/bin/env node' },
  },
  {
    entryPoints: ['server/src/cli/wslb.ts'],
    outfile: 'dist/cli/wslb-main.js',
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    // (no import.meta.url: web-tree-sitter, its one reader, is in a file of its own)
    plugins: [jsonAsParse, lazyPackages, lazyImports, lazyData, lazyCommands, ruleDocsFile],
    // Every run reads and compiles the whole file: without comments it is a sixth smaller and
    // plain ASCII (one non-ASCII character in a comment made Node decode all of it as UTF-8 and
    // V8 keep it as a two-byte string). Names stay, so that stack traces remain readable.
    minifyWhitespace: true,
    minifySyntax: true,
  },
  {
    entryPoints: ['server/src/cli/simulate-command.ts'],
    outfile: 'dist/cli/wslb-simulate.js',
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    plugins: [jsonAsParse, lazyPackages, lazyData, ruleDocsFile],
    minifyWhitespace: true,
    minifySyntax: true,
  },
  ...lazyChunks,
  {
    entryPoints: ['client/src/webview/main.ts'],
    outfile: 'dist/webview/main.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2020',
  },
].filter((t) => !t.entryPoints || existsSync(t.entryPoints[0]));

// The Terraform parser's WebAssembly files, located at run time next to the bundles
// (server/src/service/syntax/aws/treesitter.ts looks in dist/wasm/).
const require = createRequire(import.meta.url);
mkdirSync('dist/wasm', { recursive: true });
for (const [name, module] of [
  ['tree-sitter.wasm', 'web-tree-sitter/tree-sitter.wasm'],
  ['tree-sitter-terraform.wasm', '@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm'],
])
  copyFileSync(require.resolve(module), `dist/wasm/${name}`);
writeLazyData();
writeRuleDocs();

if (watch) {
  for (const t of targets) {
    const ctx = await esbuild.context({ ...common, ...t });
    await ctx.watch();
  }
  console.log('watching', targets.map((t) => t.outfile).join(', '));
} else {
  await Promise.all(targets.map((t) => esbuild.build({ ...common, ...t })));
}
