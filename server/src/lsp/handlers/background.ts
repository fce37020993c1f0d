/** The background check of the workspace's config files (settings `wslb.checkWorkspace`). */
import { collectFiles } from '../../node/nodefs';
import { detectConfigLanguage } from '../../service';
import type { ServerState } from '../state';
import { afterAnalysis, publish } from './diagnostics';

export function startBackgroundCheck(s: ServerState): void {
  const generation = ++s.backgroundGeneration;
  if (!s.project.settings.checkWorkspace || s.workspaceRoots.length === 0) {
    // Forget diagnostics of files that are not open.
    for (const f of [...s.published]) if (!s.openByPath.has(f)) publish(s, f);
    return;
  }
  s.scheduler.schedule('scan', 2, 50, () => {
    if (generation !== s.backgroundGeneration) return;
    for (const [p, lang] of scanWorkspace(s)) {
      s.scheduler.schedule('bg:' + p, 2, 0, () => {
        if (generation !== s.backgroundGeneration) return;
        // Already checked in the context of an includer, or open (then it is analysed in the foreground).
        if (s.project.graph.isIncluded(p)) return;
        afterAnalysis(s, s.project.analyzeRoot(p, lang));
      });
    }
  });
}

/** The workspace's config files, nginx first (they reveal the include graph), then the others. */
function scanWorkspace(s: ServerState) {
  const { project } = s;
  const t0 = performance.now();
  const diskRoots = s.workspaceRoots.map((r) => project.paths.diskPath(r)).filter((r): r is string => !!r);
  const { files } = collectFiles(diskRoots, 5000);
  project.workspaceFiles.clear();
  for (const p of files) {
    const text = project.fs.readFile(p);
    if (text === undefined) continue;
    const lang = detectConfigLanguage(p, text);
    if (lang) project.workspaceFiles.set(p, lang);
  }
  s.log(
    `workspace: ${project.workspaceFiles.size} config files of ${files.length} candidates (${Math.round(performance.now() - t0)} ms)`,
  );
  // one task each, yielding between
  return [...project.workspaceFiles].sort((a, b) => (a[1] === b[1] ? 0 : a[1] === 'nginx' ? -1 : 1));
}
