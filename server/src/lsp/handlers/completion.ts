/** Completion of directives, keywords, variables and pool names, and the documentation of an item. */
import type { CompletionItem, CompletionParams } from 'vscode-languageserver/node';
import { featuresOf, resolveCompletion, type CompletionData } from '../../service/api';
import { LineIndex } from '../../service/text';
import { toCompletionKind } from '../convert';
import { MAX_ANALYZED_CHARS } from '../protocol';
import type { ServerState } from '../state';

export function registerCompletion(s: ServerState): void {
  s.connection.onCompletion(s.guard('completion', [], (p: CompletionParams) => complete(s, p)));
  s.connection.onCompletionResolve(
    s.guard('completionResolve', null as unknown as CompletionItem, (item: CompletionItem) => resolve(s, item)),
  );
}

function complete(s: ServerState, p: CompletionParams): CompletionItem[] {
  const uri = p.textDocument.uri;
  const d = s.openFeatureDoc(uri);
  if (!d || d.text.length > MAX_ANALYZED_CHARS) return [];
  const idx = new LineIndex(d.text);
  return featuresOf(d.language)
    .complete(d, idx.offsetAt(p.position))
    .map((it) => ({
      label: it.label,
      kind: toCompletionKind(it.kind),
      detail: it.detail,
      documentation: it.documentation ? { kind: 'markdown', value: it.documentation } : undefined,
      sortText: it.sortText,
      textEdit: { range: idx.rangeOf(it.replace), newText: it.insertText ?? it.label },
      data: it.data ? { nginxDirective: it.data.nginxDirective, uri, offset: it.data.offset } : undefined,
    }));
}

function resolve(s: ServerState, item: CompletionItem): CompletionItem {
  const data = item.data as (Partial<CompletionData> & { uri?: string }) | undefined;
  if (!data?.nginxDirective) return item;
  const { project } = s;
  const path = data.uri ? project.paths.toPath(data.uri) : undefined;
  const doc = path ? s.openByPath.get(path) : undefined;
  const a = path ? project.analysisFor(path) : undefined;
  const at =
    path && doc && data.offset !== undefined
      ? { ...s.sourceDoc(path, doc.getText()), analysis: a?.analysis ?? undefined }
      : undefined;
  const options = (path ? project.serviceFor(a?.root ?? path) : project.service).options;
  const md = resolveCompletion({ nginxDirective: data.nginxDirective, offset: data.offset ?? 0 }, at, options);
  if (md) item.documentation = { kind: 'markdown', value: md };
  return item;
}
