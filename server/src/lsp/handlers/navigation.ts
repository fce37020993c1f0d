/** Go to definition, find references, rename: over the symbol under the cursor. */
import {
  ErrorCodes,
  ResponseError,
  type Location,
  type Position,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import { docLineIndex, featuresOf, fileLineIndex, type FeatureDoc } from '../../service/api';
import { renameEdits, validateNewName, type NavSymbol } from '../../service/features/navigation';
import type { Span } from '../../service/text';
import { MAX_ANALYZED_CHARS } from '../protocol';
import type { ServerState } from '../state';

interface Hit {
  sym: NavSymbol;
  d: FeatureDoc;
}

function symbolAt(s: ServerState, uri: string, position: Position): Hit | null {
  const d = s.featureDoc(uri);
  if (!d || d.text.length > MAX_ANALYZED_CHARS) return null;
  const sym = featuresOf(d.language).symbolAt(d, docLineIndex(d).offsetAt(position));
  return sym ? { sym, d } : null;
}

function location(s: ServerState, hit: Hit, path: string, span: Span): Location {
  return { uri: s.uriOf(path), range: fileLineIndex(hit.d, path).rangeOf(span) };
}

export function registerNavigation(s: ServerState): void {
  const { connection } = s;
  connection.onDefinition(
    s.guard('definition', null, (p) => {
      const hit = symbolAt(s, p.textDocument.uri, p.position);
      const defs = hit?.sym.refs.filter((r) => r.isDefinition) ?? [];
      return hit && defs.length ? defs.map((r) => location(s, hit, r.path, r.span)) : null;
    }),
  );
  connection.onReferences(
    s.guard('references', null, (p) => {
      const hit = symbolAt(s, p.textDocument.uri, p.position);
      if (!hit) return null;
      const refs = hit.sym.refs.filter((r) => p.context.includeDeclaration || !r.isDefinition);
      return refs.map((r) => location(s, hit, r.path, r.span));
    }),
  );
  connection.onPrepareRename(
    s.guard('prepareRename', null, (p) => {
      const hit = symbolAt(s, p.textDocument.uri, p.position);
      if (!hit || !hit.sym.renamable) return null;
      return { range: fileLineIndex(hit.d, hit.sym.at.path).rangeOf(hit.sym.at.span), placeholder: hit.sym.name };
    }),
  );
  connection.onRenameRequest(s.guard('rename', null, (p) => rename(s, p.textDocument.uri, p.position, p.newName)));
}

function rename(s: ServerState, uri: string, position: Position, newName: string): WorkspaceEdit {
  const hit = symbolAt(s, uri, position);
  if (!hit || !hit.sym.renamable) throw new ResponseError(ErrorCodes.InvalidRequest, 'Nothing to rename here');
  const why = validateNewName(hit.sym.kind, newName);
  if (why) throw new ResponseError(ErrorCodes.InvalidParams, `Cannot rename to "${newName}": ${why}`);
  const changes: Record<string, TextEdit[]> = {};
  for (const e of renameEdits(hit.sym, newName) ?? [])
    (changes[s.uriOf(e.path)] ??= []).push({ range: fileLineIndex(hit.d, e.path).rangeOf(e.span), newText: e.newText });
  return { changes };
}
