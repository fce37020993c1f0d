// Small helper around the TextMate engine that vscode-tmgrammar-test bundles (vscode-textmate +
// vscode-oniguruma), used by the grammar tests and handy while editing a grammar:
//   npx tsx test/grammar/tokenize.ts nginx path/to/file.conf
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRegistry } from 'vscode-tmgrammar-test/dist/common/index';

export const ROOT = join(__dirname, '..', '..');

export const GRAMMARS = {
  nginx: { path: join(ROOT, 'syntaxes', 'nginx.tmLanguage.json'), scopeName: 'source.wslb.nginx' },
  haproxy: { path: join(ROOT, 'syntaxes', 'haproxy.tmLanguage.json'), scopeName: 'source.wslb.haproxy' },
} as const;

export interface Tok {
  line: number;
  text: string;
  scopes: string[];
}

/**
 * Tokenises `text` with the grammar `scopeName`; `extra` grammar files (for example a stand-in
 * `source.lua`) are registered too. Returns every token with its full scope stack.
 */
export async function tokenize(
  text: string,
  scopeName: string,
  extra: { path: string; scopeName: string; injectTo?: string[] }[] = [],
): Promise<Tok[]> {
  const registry = createRegistry([...Object.values(GRAMMARS), ...extra].map((g) => ({ ...g })));
  const grammar = await registry.loadGrammar(scopeName);
  if (!grammar) throw new Error(`grammar ${scopeName} not found`);
  // A null state is vscode-textmate's initial state.
  let state: Parameters<typeof grammar.tokenizeLine>[1] = null;
  const out: Tok[] = [];
  text.split(/\r?\n/).forEach((lineText, line) => {
    const r = grammar.tokenizeLine(lineText, state);
    for (const t of r.tokens) {
      out.push({ line, text: lineText.slice(t.startIndex, t.endIndex), scopes: t.scopes });
    }
    state = r.ruleStack;
  });
  return out;
}

/** The scopes of the first token whose text is `needle` (optionally on a given line). */
export function scopesOf(toks: Tok[], needle: string, line?: number): string[] | undefined {
  return toks.find((t) => t.text === needle && (line === undefined || t.line === line))?.scopes;
}

if (require.main === module) {
  const [lang, file] = process.argv.slice(2);
  const g = GRAMMARS[lang as keyof typeof GRAMMARS];
  if (!g || !file) {
    console.error('usage: tsx test/grammar/tokenize.ts nginx|haproxy FILE');
    process.exit(2);
  }
  void tokenize(readFileSync(file, 'utf8'), g.scopeName).then((toks) => {
    let last = -1;
    for (const t of toks) {
      if (t.line !== last) {
        process.stdout.write(`--- line ${t.line + 1}\n`);
        last = t.line;
      }
      process.stdout.write(`${JSON.stringify(t.text).padEnd(32)} ${t.scopes.slice(1).join(' ')}\n`);
    }
  });
}
