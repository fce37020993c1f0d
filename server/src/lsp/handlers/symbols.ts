/** The outline of a document, its folding ranges, and the symbols of the workspace. */
import type { SymbolInformation, WorkspaceSymbolParams } from 'vscode-languageserver/node';
import { featuresOf } from '../../service/api';
import type { OutlineSymbol } from '../../service/features/symbols';
import { symbolKind, toDocumentSymbol } from '../convert';
import { MAX_ANALYZED_CHARS } from '../protocol';
import type { ServerState } from '../state';

export function registerSymbols(s: ServerState): void {
  const { connection } = s;
  connection.onDocumentSymbol(
    s.guard('documentSymbol', [], (p) => {
      const d = s.featureDoc(p.textDocument.uri);
      if (!d || d.text.length > MAX_ANALYZED_CHARS) return [];
      return featuresOf(d.language).symbols(d).map(toDocumentSymbol);
    }),
  );
  connection.onFoldingRanges(
    s.guard('foldingRange', [], (p) => {
      const d = s.featureDoc(p.textDocument.uri);
      if (!d || d.text.length > MAX_ANALYZED_CHARS) return [];
      return featuresOf(d.language)
        .folding(d)
        .map((r) => ({ startLine: r.startLine, endLine: r.endLine, kind: r.kind }));
    }),
  );
  connection.onWorkspaceSymbol(s.guard('workspaceSymbol', [], (p) => workspaceSymbols(s, p)));
}

/** Does `name` hold the query's letters in order (case aside)? */
function fuzzyMatch(query: string, name: string): boolean {
  if (!query) return true;
  let i = 0;
  for (const c of name.toLowerCase()) if (c === query[i]) i++;
  return i === query.length;
}

function workspaceSymbols(s: ServerState, p: WorkspaceSymbolParams): SymbolInformation[] {
  const { project } = s;
  const q = p.query.toLowerCase();
  const out: SymbolInformation[] = [];
  const files = new Set<string>([...project.coveredBy.keys()]);
  for (const d of s.documents.all()) files.add(project.paths.toPath(d.uri));
  for (const f of files) {
    const lang = project.languageOf(f);
    const text = project.fs.readFile(f);
    if (!lang || text === undefined) continue;
    const uri = s.uriOf(f);
    const visit = (sym: OutlineSymbol, container?: string) => {
      if (sym.kind !== 'field' && fuzzyMatch(q, sym.name))
        out.push({
          name: sym.name,
          kind: symbolKind(sym.kind),
          location: { uri, range: sym.selectionRange },
          containerName: container,
        });
      for (const c of sym.children) visit(c, sym.name);
    };
    if (text.length <= MAX_ANALYZED_CHARS) for (const sym of featuresOf(lang).symbols(s.sourceDoc(f, text))) visit(sym);
    if (out.length > 1000) break;
  }
  return out.slice(0, 1000);
}
