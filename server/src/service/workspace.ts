/**
 * Checking many files at once (the CLI over a folder, the server's background pass): decide each
 * file's language by content, find the nginx entry points (files no other file includes), analyse
 * each once, and report every file's findings exactly once — included fragments in the context of
 * the file that includes them.
 */
import { versionHintFor } from './version-detect';
import { detectConfigLanguage, detectLanguage } from './detect';
import { backendReferences, buildHaproxyConfig, type HaproxyConfig } from './model/haproxy';
import { awsFormatOf } from './model/aws-build';
import { dirname, type ConfigFileSystem } from './model/fs';
import type { LanguageService, NginxAnalysis, HaproxyAnalysis, AwsAnalysis } from './index';
import { parseNginx, type NginxFile } from './syntax/nginx';
import type { ConfigLanguage, Finding } from './types';
import { clipWord } from './words';

export interface WorkspaceResult {
  findings: Finding[];
  languages: Map<string, ConfigLanguage>;
  /** nginx entry points and the files each one pulls in. */
  nginxRoots: Map<string, string[]>;
  analyses: (NginxAnalysis | HaproxyAnalysis | AwsAnalysis)[];
}

export function checkWorkspace(
  service: LanguageService,
  fs: ConfigFileSystem,
  paths: string[],
  forced?: ConfigLanguage,
  /** Where nginx includes may lead (BuildOptions.includeRoots); undefined: anywhere. */
  includeRoots?: readonly string[],
): WorkspaceResult {
  const languages = new Map<string, ConfigLanguage>();
  for (const p of paths) {
    const text = fs.readFile(p);
    if (text === undefined) continue;
    // A forced language still needs AWS files to declare load-balancer resources.
    const lang =
      forced === 'aws' ? (awsFormatOf(p, text) ? 'aws' : undefined) : (forced ?? detectConfigLanguage(p, text));
    if (lang) languages.set(p, lang);
  }
  const treeCache = new Map<string, { text: string; tree: NginxFile }>();
  const parse = (path: string, text: string): NginxFile => {
    const hit = treeCache.get(path);
    if (hit && hit.text === text) return hit.tree;
    const tree = parseNginx(text);
    treeCache.set(path, { text, tree });
    return tree;
  };
  const nginxFiles = paths.filter((p) => languages.get(p) === 'nginx');
  // First pass: every nginx file as a potential root; collect who includes whom.
  const included = new Set<string>();
  const first = new Map<string, NginxAnalysis>();
  const findings: Finding[] = [];
  for (const p of nginxFiles) {
    const a = guarded(p, findings, () => service.analyzeNginx(p, fs, { parse, includeRoots }));
    if (!a) continue;
    first.set(p, a);
    for (const src of a.config.sources.keys()) if (src !== p) included.add(src);
  }
  const analyses: (NginxAnalysis | HaproxyAnalysis | AwsAnalysis)[] = [];
  const nginxRoots = new Map<string, string[]>();
  const seen = new Set<string>();
  const push = (f: Finding) => {
    const key = `${f.file}\0${f.range.start.line}:${f.range.start.character}-${f.range.end.line}:${f.range.end.character}\0${f.code}\0${f.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      findings.push(f);
    }
  };
  for (const p of nginxFiles) {
    if (included.has(p)) continue;
    const a = first.get(p);
    if (!a) continue;
    analyses.push(a);
    nginxRoots.set(p, [...a.config.sources.keys()]);
    for (const f of a.findings) push(f);
  }
  // A cycle can leave files that are all included by each other: analyse them on their own.
  const covered = new Set([...nginxRoots.values()].flat());
  for (const p of nginxFiles) {
    if (covered.has(p)) continue;
    const a = first.get(p);
    if (!a) continue;
    analyses.push(a);
    nginxRoots.set(p, [...a.config.sources.keys()]);
    for (const s of a.config.sources.keys()) covered.add(s);
    for (const f of a.findings) push(f);
  }
  // HAProxy: a file that routes to backends it does not define is analysed together with the
  // sibling .cfg files of its folder that define them (haproxy -f a.cfg -f b.cfg, or -f dir/:
  // one configuration, files in name order); the report covers the files asked for.
  const asked = new Set(paths);
  const grouped = new Set<string>();
  for (const p of paths) {
    if (languages.get(p) !== 'haproxy' || grouped.has(p)) continue;
    const text = fs.readFile(p)!;
    const versionHint = versionHintFor(fs, p, 'haproxy');
    let a = guarded(p, findings, () => service.analyzeHaproxy([{ path: p, text, versionHint }]));
    if (!a) continue;
    const group = guarded(p, findings, () => haproxySiblingGroup(fs, p, a!.config)) ?? [];
    if (group.length > 1) {
      a = guarded(p, findings, () => service.analyzeHaproxy(group.map((g) => ({ ...g, versionHint }))));
      if (!a) continue;
      for (const g of group) grouped.add(g.path);
    }
    analyses.push(a);
    for (const f of a.findings) if (!f.file || asked.has(f.file)) push(f);
  }
  const aws = paths.filter((p) => languages.get(p) === 'aws');
  if (aws.length) {
    // Sibling .tf files give context (variables: a module is a folder); the report covers the files asked for.
    const asked = new Set(paths);
    const whole = guarded(aws[0], [], () => service.analyzeAws(awsInputs(fs, aws)));
    // When the set fails, each file (with its module) alone, so that the failure names its file.
    const results = whole
      ? [whole]
      : aws.map((p) => guarded(p, findings, () => service.analyzeAws(awsInputs(fs, [p]))));
    for (const r of results) {
      if (!r) continue;
      analyses.push(r);
      for (const f of r.findings) if (!f.file || asked.has(f.file)) push(f);
    }
  }
  return { findings, languages, nginxRoots, analyses };
}

/**
 * The files of the configuration `path` belongs to: itself, plus the HAProxy .cfg files of its
 * folder that define a backend it routes to and does not define (Percona's haproxy-global.cfg
 * holds the frontends, its haproxy.cfg the backends; they are loaded with `-f haproxy-global.cfg
 * -f haproxy.cfg`). In file name order, as `haproxy -f <dir>` loads them (HAProxy 2.6 management
 * guide, "-f <cfgfile|cfgdir>": the files of a directory in lexical order). Just `path` when it
 * misses no backend or no sibling has them.
 */
export function haproxySiblingGroup(
  fs: ConfigFileSystem,
  path: string,
  config: HaproxyConfig,
): { path: string; text: string }[] {
  const own = config.sources.filter((s) => s.path === path).map((s) => ({ path: s.path, text: s.text }));
  const missing = new Set(
    backendReferences(config)
      .filter((r) => !r.target && !r.word.value.includes('%['))
      .map((r) => r.word.value),
  );
  if (missing.size === 0) return own;
  const dir = dirname(path);
  const picked = new Map<string, string>();
  for (const name of (fs.readDir(dir) ?? []).slice().sort()) {
    if (!name.toLowerCase().endsWith('.cfg')) continue;
    const sib = `${dir === '/' ? '' : dir}/${name}`;
    if (sib === path) continue;
    const text = fs.readFile(sib);
    if (text === undefined || detectLanguage(sib, text) !== 'haproxy') continue;
    const defines = buildHaproxyConfig([{ path: sib, text }]).proxies.some(
      (p) => (p.kind === 'backend' || p.kind === 'listen') && p.name !== null && missing.has(p.name),
    );
    if (defines) picked.set(sib, text);
  }
  if (picked.size === 0) return own;
  picked.set(path, own[0]?.text ?? '');
  return [...picked.keys()].sort().map((p) => ({ path: p, text: picked.get(p)! }));
}

/**
 * Run one file's analysis; an exception (a bug in wslb, or input beyond its limits) becomes a
 * `wslb/internal` finding on that file, so that one file never costs the others their findings.
 */
function guarded<T>(path: string, findings: Finding[], run: () => T): T | undefined {
  try {
    return run();
  } catch (e) {
    findings.push(internalFinding(path, e));
    return undefined;
  }
}

/** The finding that reports a failed analysis of `path`. */
export function internalFinding(path: string, e: unknown): Finding {
  const what = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return {
    file: path,
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: 'error',
    code: 'wslb/internal',
    message: `wslb could not analyse this file (${clipWord(what, 120)}); the other files' findings are complete. Please report it with the file`,
    fixes: [],
  };
}

/**
 * The files to analyse for these AWS files: themselves, plus the other `.tf` files of each
 * Terraform module (its directory), which may declare the variables they use.
 */
export function awsInputs(fs: ConfigFileSystem, paths: string[]): { path: string; text: string }[] {
  const out = new Map<string, string>();
  for (const p of paths) {
    const t = fs.readFile(p);
    if (t !== undefined) out.set(p, t);
    if (!p.toLowerCase().endsWith('.tf')) continue;
    const dir = dirname(p);
    for (const name of fs.readDir(dir) ?? []) {
      if (!name.toLowerCase().endsWith('.tf')) continue;
      const sib = `${dir === '/' ? '' : dir}/${name}`;
      if (out.has(sib)) continue;
      const st = fs.readFile(sib);
      if (st !== undefined) out.set(sib, st);
    }
  }
  return [...out].map(([path, text]) => ({ path, text }));
}
