/**
 * Loading the Terraform grammar: `web-tree-sitter` (the WebAssembly build of tree-sitter) with the
 * Terraform grammar that `@tree-sitter-grammars/tree-sitter-hcl` ships as `tree-sitter-terraform.wasm`.
 * No native module is built or loaded.
 *
 * Loading WebAssembly is asynchronous, the analysis is synchronous: call `initAwsParsers()` once
 * (the CLI and the language server await it at startup); parsing before that throws a clear error.
 *
 * The .wasm files are looked up next to the bundle (`dist/wasm/`, copied there by scripts/build.mjs)
 * and, when running from sources (tsx, tests), in node_modules.
 */
import { existsSync } from 'node:fs';
import * as nodePath from 'node:path';
import type { Parser as ParserType, Tree } from 'web-tree-sitter';

/** The files the build copies into dist/wasm/. */
export const AWS_WASM_FILES = {
  runtime: { name: 'tree-sitter.wasm', module: 'web-tree-sitter/tree-sitter.wasm' },
  terraform: {
    name: 'tree-sitter-terraform.wasm',
    module: '@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm',
  },
} as const;

let parser: ParserType | null = null;
let loading: Promise<void> | null = null;

function locate(file: { name: string; module: string }): string {
  const here = typeof __dirname === 'string' ? __dirname : process.cwd();
  const candidates = [nodePath.join(here, '..', 'wasm', file.name), nodePath.join(here, 'wasm', file.name)];
  for (const c of candidates) if (existsSync(c)) return c;
  try {
    return require.resolve(file.module);
  } catch {
    throw new Error(`wslb: cannot find ${file.name} (looked in ${candidates.join(', ')} and node_modules)`);
  }
}

/** Load the Terraform parser. Idempotent: later calls return the same promise. */
export function initAwsParsers(): Promise<void> {
  if (!loading) {
    loading = (async () => {
      // `require` (not `import`) so that bundlers pick the package's CommonJS build: its ES module
      // build needs `import.meta.url`, which a CommonJS bundle does not have. Required here, on
      // the first call, so that a run that reads no Terraform does not load it.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { Language, Parser } = require('web-tree-sitter') as typeof import('web-tree-sitter');
      const runtime = locate(AWS_WASM_FILES.runtime);
      await Parser.init({ locateFile: () => runtime });
      const language = await Language.load(locate(AWS_WASM_FILES.terraform));
      const p = new Parser();
      p.setLanguage(language);
      parser = p;
    })();
    loading.catch(() => {
      loading = null;
    });
  }
  return loading;
}

export function awsParsersReady(): boolean {
  return parser !== null;
}

/** Parse Terraform source. Throws when `initAwsParsers()` has not completed. */
export function parseTerraformTree(text: string): Tree {
  if (!parser)
    throw new Error(
      'wslb: the Terraform parser is not initialised; await initAwsParsers() before analysing AWS configs',
    );
  const tree = parser.parse(text);
  if (!tree) throw new Error('wslb: the Terraform parser returned no tree');
  return tree;
}
