/** Analyses scheduled (debounced, superseded runs dropped, background last) and diagnostics published. */
import type { ServerState } from '../state';

export function scheduleDocument(s: ServerState, path: string, delay: number): void {
  // Adaptive debounce: a document whose analysis is slow waits longer after a keystroke, so a
  // burst of typing costs one analysis, not one per pause. 0 means "always at once".
  const cost = s.lastCost.get(path) ?? 0;
  const wait = delay === 0 ? 0 : Math.max(delay, Math.min(1000, cost));
  s.scheduler.schedule('doc:' + path, 0, wait, () => {
    const t0 = performance.now();
    const roots = s.project.rootsFor(path);
    const affected = new Set<string>();
    for (const r of roots)
      for (const f of s.project.analyzeRoot(r, r === path ? s.languageOfOpen(path) : undefined)) affected.add(f);
    afterAnalysis(s, affected);
    const ms = performance.now() - t0;
    s.lastCost.set(path, ms);
    if (ms > 500)
      s.log(`checking ${path} took ${Math.round(ms)} ms (${roots.length} root${roots.length === 1 ? '' : 's'})`);
  });
}

export function scheduleRoot(s: ServerState, root: string, priority: 0 | 1 | 2, delay: number): void {
  s.scheduler.schedule('root:' + root, priority, delay, () => afterAnalysis(s, s.project.analyzeRoot(root)));
}

/** Publish what changed; open files that lost their includer get their own analysis. */
export function afterAnalysis(s: ServerState, affected: Set<string>): void {
  for (const f of affected) {
    if (!s.project.coveredBy.has(f) && s.openByPath.has(f) && s.languageOfOpen(f)) scheduleDocument(s, f, 0);
  }
  publishAll(s, affected);
}

export function publishAll(s: ServerState, files: Iterable<string>): void {
  for (const f of files) publish(s, f);
}

export function publish(s: ServerState, path: string): void {
  if (!s.settingsRead) return;
  const doc = s.openByPath.get(path);
  const visible = !!doc || (s.project.settings.checkWorkspace && s.project.coveredBy.has(path));
  const findings = visible ? s.project.findingsFor(path) : [];
  if (findings.length === 0 && !s.published.has(path) && !doc) return;
  if (findings.length) s.published.add(path);
  else s.published.delete(path);
  const uri = doc?.uri ?? s.project.paths.toUri(path);
  const diagnostics = findings.map((f) => s.diagnosticOf(f));
  void s.connection.sendDiagnostics({ uri, version: doc?.version, diagnostics });
}

/** Re-check every analysed root (and open document) after a change of settings or folders. */
export function recheckAll(s: ServerState, withOpen: boolean): void {
  const roots = new Set<string>([...s.project.analyses.keys()]);
  if (withOpen) for (const d of s.documents.all()) roots.add(s.project.paths.toPath(d.uri));
  for (const r of roots) scheduleRoot(s, r, s.openByPath.has(r) ? 0 : 1, 0);
}
