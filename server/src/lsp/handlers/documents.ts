/** Documents opened, edited and closed in the editor, and files changed on disk. */
import { FileChangeType, type DidChangeWatchedFilesParams } from 'vscode-languageserver/node';
import { detectConfigLanguage } from '../../service';
import type { ServerState } from '../state';
import { publishAll, scheduleDocument, scheduleRoot, afterAnalysis } from './diagnostics';

export function registerDocuments(s: ServerState): void {
  const { documents, project } = s;
  documents.onDidOpen((e) => {
    const lang = s.languageOf(e.document);
    const path = project.paths.toPath(e.document.uri);
    s.openByPath.set(path, e.document);
    project.forgetEdits(path);
    if (!lang) return;
    project.forgetDisk(path);
    scheduleDocument(s, path, 0);
  });

  documents.onDidChangeContent((e) => {
    const path = project.paths.toPath(e.document.uri);
    s.openByPath.set(path, e.document);
    // Not ours itself, but part of an analysed Terraform module (its variables): re-check the module.
    if (!s.ourLanguage(e.document) && !project.coveredBy.has(path)) return;
    scheduleDocument(s, path, project.settings.debounceMs);
  });

  documents.onDidClose((e) => closed(s, project.paths.toPath(e.document.uri)));
  s.connection.onDidChangeWatchedFiles((p) => watchedFilesChanged(s, p));
}

function closed(s: ServerState, path: string): void {
  const { project } = s;
  s.openByPath.delete(path);
  project.forgetEdits(path);
  s.scheduler.cancel('doc:' + path);
  project.forgetDisk(path);
  // Re-read from disk (the editor may have discarded changes), or forget it.
  const keepOnDisk = project.settings.checkWorkspace && project.workspaceFiles.has(path);
  const roots = project.rootsFor(path);
  if (keepOnDisk || roots.some((r) => r !== path)) {
    for (const r of roots) scheduleRoot(s, r, 1, 0);
  } else {
    publishAll(s, project.removeRoot(path));
  }
  s.lastCost.delete(path);
  project.prune();
}

function watchedFilesChanged(s: ServerState, params: DidChangeWatchedFilesParams): void {
  const { project } = s;
  for (const change of params.changes) {
    const path = project.paths.toPath(change.uri);
    project.forgetDisk(path);
    if (s.openByPath.has(path)) continue;
    if (change.type === FileChangeType.Deleted) {
      project.workspaceFiles.delete(path);
      const roots = [...(project.coveredBy.get(path) ?? [])];
      publishAll(s, project.removeRoot(path));
      for (const r of roots) if (r !== path) scheduleRoot(s, r, 1, 50);
      continue;
    }
    const text = project.fs.readFile(path);
    const lang = text === undefined ? undefined : detectConfigLanguage(path, text);
    if (lang && project.settings.checkWorkspace) project.workspaceFiles.set(path, lang);
    if (project.coveredBy.has(path)) {
      for (const r of project.rootsFor(path)) scheduleRoot(s, r, 1, 50);
      continue;
    }
    if (!lang) continue;
    // A new nginx file may be pulled in by an existing include glob: re-check the nginx roots
    // first; the file becomes a root of its own only if none of them includes it.
    if (lang === 'nginx') for (const [r, a] of project.analyses) if (a.language === 'nginx') scheduleRoot(s, r, 1, 50);
    if (project.settings.checkWorkspace) {
      s.scheduler.schedule('bg:' + path, 2, 100, () => {
        if (project.graph.isIncluded(path)) return;
        afterAnalysis(s, project.analyzeRoot(path, lang));
      });
    }
  }
}
