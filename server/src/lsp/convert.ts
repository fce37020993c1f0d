/** Mapping between the language service's plain data and LSP types, and between URIs and model paths. */
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as nodePath from 'node:path';
import {
  CompletionItemKind,
  DiagnosticSeverity,
  DiagnosticTag,
  SymbolKind,
  type Diagnostic,
  type DocumentSymbol,
} from 'vscode-languageserver/node';
import type { Finding, Severity } from '../service/types';
import type { OutlineKind, OutlineSymbol } from '../service/features/symbols';
import type { CompletionKindName } from '../service/features/completion';
import { knownCode } from '../service/codes';
import { codeDocsUrl } from '../service/docs/links';
import { ruleUri } from './protocol';

/** Model paths are absolute with "/" separators; non-file documents get a synthetic path. */
export class PathMapper {
  private readonly synthetic = new Map<string, string>();
  /**
   * The conversions of file URIs and paths made so far, both ways (each keystroke converts its
   * document's URI, and each new diagnostic the paths it refers to: 20-60 µs apiece).
   */
  private readonly paths = new Map<string, string>();
  private readonly uris = new Map<string, string>();

  toPath(uri: string): string {
    const known = this.paths.get(uri);
    if (known !== undefined) return known;
    if (uri.startsWith('file:')) {
      try {
        let p = fileURLToPath(uri);
        if (nodePath.sep === '\\') p = p.split('\\').join('/');
        p = p.startsWith('/') ? p : '/' + p;
        this.paths.set(uri, p);
        return p;
      } catch {
        // fall through to a synthetic path
      }
    }
    const p = '/__wslb__/' + encodeURIComponent(uri);
    this.synthetic.set(p, uri);
    return p;
  }

  toUri(path: string): string {
    const s = this.synthetic.get(path);
    if (s) return s;
    let uri = this.uris.get(path);
    if (uri === undefined) {
      const os = /^\/[A-Za-z]:\//.test(path) ? path.slice(1) : path;
      this.uris.set(path, (uri = pathToFileURL(os).href));
    }
    return uri;
  }

  /** The path to read from disk, or undefined for a synthetic document. */
  diskPath(path: string): string | undefined {
    if (this.synthetic.has(path) || path.startsWith('/__wslb__/')) return undefined;
    return /^\/[A-Za-z]:\//.test(path) ? path.slice(1) : path;
  }
}

export function toSeverity(s: Severity): DiagnosticSeverity {
  switch (s) {
    case 'error':
      return DiagnosticSeverity.Error;
    case 'warning':
      return DiagnosticSeverity.Warning;
    case 'information':
      return DiagnosticSeverity.Information;
    default:
      return DiagnosticSeverity.Hint;
  }
}

/**
 * Where a diagnostic's code links: the rule's page in the editor (`wslb-rule:` URI, for clients
 * that open it: initializationOptions.ruleLinks 'editor') or its section of docs/rules.md.
 */
export type RuleLinks = 'editor' | 'web';

export function toDiagnostic(f: Finding, paths: PathMapper, ruleLinks: RuleLinks = 'web'): Diagnostic {
  const d: Diagnostic = {
    range: f.range,
    severity: toSeverity(f.severity),
    code: f.code,
    source: 'wslb',
    message: f.message,
  };
  // The code links to the rule's page: what, why, fix, versions, proof, how to turn it off.
  if (knownCode(f.code)) d.codeDescription = { href: ruleLinks === 'editor' ? ruleUri(f.code) : codeDocsUrl(f.code) };
  if (f.related?.length) {
    d.relatedInformation = f.related.map((r) => ({
      location: { uri: paths.toUri(r.file), range: r.range },
      message: r.message,
    }));
  }
  if (/deprecated/.test(f.code)) d.tags = [DiagnosticTag.Deprecated];
  return d;
}

const SYMBOL_KINDS: Record<OutlineKind, SymbolKind> = {
  module: SymbolKind.Module,
  namespace: SymbolKind.Namespace,
  class: SymbolKind.Class,
  struct: SymbolKind.Struct,
  object: SymbolKind.Object,
  field: SymbolKind.Field,
  function: SymbolKind.Function,
  variable: SymbolKind.Variable,
  property: SymbolKind.Property,
  event: SymbolKind.Event,
  key: SymbolKind.Key,
};

export function toDocumentSymbol(s: OutlineSymbol): DocumentSymbol {
  return {
    name: s.name || '(unnamed)',
    detail: s.detail,
    kind: SYMBOL_KINDS[s.kind],
    range: s.range,
    selectionRange: s.selectionRange,
    children: s.children.map(toDocumentSymbol),
  };
}

export function symbolKind(k: OutlineKind): SymbolKind {
  return SYMBOL_KINDS[k];
}

export function toCompletionKind(k: CompletionKindName): CompletionItemKind {
  switch (k) {
    case 'keyword':
      return CompletionItemKind.Keyword;
    case 'module':
      return CompletionItemKind.Module;
    case 'class':
      return CompletionItemKind.Class;
    case 'variable':
      return CompletionItemKind.Variable;
    case 'reference':
      return CompletionItemKind.Reference;
    default:
      return CompletionItemKind.Snippet;
  }
}

/** Do two ranges intersect (touching counts, so a cursor at a diagnostic's edge finds it)? */
export function rangesTouch(
  a: { start: { line: number; character: number }; end: { line: number; character: number } },
  b: typeof a,
): boolean {
  const lt = (x: typeof a.start, y: typeof a.start) =>
    x.line < y.line || (x.line === y.line && x.character < y.character);
  return !lt(a.end, b.start) && !lt(b.end, a.start);
}
