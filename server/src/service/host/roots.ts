/**
 * Roots and the include graph. An nginx file that another analysed file includes is checked in
 * the context of that includer (its root); otherwise it is its own root. A HAProxy file is its own
 * root (with the sibling files that define the backends it uses, when checking many files at once);
 * an AWS file is checked with its Terraform module. IncludeGraph records which roots cover which
 * files, for the language server's analyses (analysis-host.ts) as for a check of many files at once
 * (checkWorkspace: the CLI over a folder), which reports every file's findings exactly once.
 */
import { versionHintFor } from '../version-detect';
import { detectConfigLanguage, detectLanguage } from '../detect';
import { backendReferences, buildHaproxyConfig, type HaproxyConfig } from '../model/haproxy';
import { awsFormatOf } from '../model/aws-build';
import { dirname, type ConfigFileSystem } from '../model/fs';
import type { LanguageService, NginxAnalysis, HaproxyAnalysis, AwsAnalysis } from '../index';
import { parseNginx, type NginxFile } from '../syntax/nginx';
import type { ConfigLanguage, Finding } from '../types';
import { clipWord } from '../words';

/** Which roots' analyses cover which files (a root covers itself and what it includes). */
export class IncludeGraph {
  /** file → roots whose analysis includes it. */
  readonly coveredBy = new Map<string, Set<string>>();
  private readonly filesOf = new Map<string, readonly string[]>();

  /** The files `root` covers, when it is a root. */
  files(root: string): readonly string[] | undefined {
    return this.filesOf.get(root);
  }

  /** Record what `root` covers now (what it covered before is forgotten). */
  cover(root: string, files: readonly string[]): void {
    this.uncover(root);
    this.filesOf.set(root, files);
    for (const f of files) {
      let set = this.coveredBy.get(f);
      if (!set) this.coveredBy.set(f, (set = new Set()));
      set.add(root);
    }
  }

  uncover(root: string): void {
    const old = this.filesOf.get(root);
    if (!old) return;
    this.filesOf.delete(root);
    for (const f of old) {
      const set = this.coveredBy.get(f);
      if (!set) continue;
      set.delete(root);
      if (set.size === 0) this.coveredBy.delete(f);
    }
  }

  /** Does a root other than `path` itself cover it? */
  isIncluded(path: string): boolean {
    for (const r of this.coveredBy.get(path) ?? []) if (r !== path) return true;
    return false;
  }

  /**
   * The entry points among `candidates` (each covered as a root first): those no other root
   * includes, in order; then, of files that all include each other (a cycle), each one no entry
   * point covers yet.
   */
  entryPoints(candidates: readonly string[]): string[] {
    const out = candidates.filter((p) => this.filesOf.has(p) && !this.isIncluded(p));
    const covered = new Set(out.flatMap((r) => this.filesOf.get(r)!));
    for (const p of candidates) {
      const files = this.filesOf.get(p);
      if (!files || covered.has(p)) continue;
      out.push(p);
      for (const s of files) covered.add(s);
    }
    return out;
  }
}

export interface WorkspaceResult {
  findings: Finding[];
  languages: Map<string, ConfigLanguage>;
  /** nginx entry points and the files each one pulls in. */
  nginxRoots: Map<string, string[]>;
  analyses: (NginxAnalysis | HaproxyAnalysis | AwsAnalysis)[];
}

type AnyAnalysis = NginxAnalysis | HaproxyAnalysis | AwsAnalysis;

/**
 * One check of many files: what each language's part reads (the service, the files asked for and
 * their languages) and what it reports (its findings, each once, and the analyses behind them).
 */
class Batch {
  readonly findings: Finding[] = [];
  readonly analyses: AnyAnalysis[] = [];
  private readonly seen = new Set<string>();
  private readonly asked: ReadonlySet<string>;

  constructor(
    readonly service: LanguageService,
    readonly fs: ConfigFileSystem,
    readonly paths: string[],
    readonly languages: Map<string, ConfigLanguage>,
  ) {
    this.asked = new Set(paths);
  }

  /** The files asked for that are in `language`, in order. */
  filesIn(language: ConfigLanguage): string[] {
    return this.paths.filter((p) => this.languages.get(p) === language);
  }

  /** `run()` for `path`; an exception becomes a finding on it (see guarded). */
  guard<T>(path: string, run: () => T): T | undefined {
    return guarded(path, this.findings, run);
  }

  /** An analysis and its findings: all of them, or only those on the files asked for (or on none). */
  add(a: AnyAnalysis, onlyAsked: boolean): void {
    this.analyses.push(a);
    for (const f of a.findings) if (!onlyAsked || !f.file || this.asked.has(f.file)) this.push(f);
  }

  private push(f: Finding): void {
    const key = `${f.file}\0${f.range.start.line}:${f.range.start.character}-${f.range.end.line}:${f.range.end.character}\0${f.code}\0${f.message}`;
    if (!this.seen.has(key)) {
      this.seen.add(key);
      this.findings.push(f);
    }
  }
}

/** The parse of an nginx file, kept per text (a file included by many roots is parsed once). */
export type NginxParse = (path: string, text: string) => NginxFile;

function parseCache(): NginxParse {
  const treeCache = new Map<string, { text: string; tree: NginxFile }>();
  return (path, text) => {
    const hit = treeCache.get(path);
    if (hit && hit.text === text) return hit.tree;
    const tree = parseNginx(text);
    treeCache.set(path, { text, tree });
    return tree;
  };
}

/**
 * Check many files at once (the CLI over a folder): decide each file's language by content, find
 * the nginx entry points, analyse each once, and report every file's findings exactly once.
 * One pass: the analyses keep nothing for a later one (analyzeNginx's oneShot).
 */
export function checkWorkspace(
  service: LanguageService,
  fs: ConfigFileSystem,
  paths: string[],
  forced?: ConfigLanguage,
  /** Where nginx includes may lead (BuildOptions.includeRoots); undefined: anywhere. */
  includeRoots?: readonly string[],
  parse: NginxParse = parseCache(),
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
  const batch = new Batch(service, fs, paths, languages);
  const nginxRoots = checkNginx(batch, includeRoots, parse);
  checkHaproxy(batch);
  checkAws(batch);
  return { findings: batch.findings, languages, nginxRoots, analyses: batch.analyses };
}

/** Every nginx file analysed as a root once; the entry points' findings reported. */
function checkNginx(b: Batch, includeRoots: readonly string[] | undefined, parse: NginxParse): Map<string, string[]> {
  const nginxFiles = b.filesIn('nginx');
  const graph = new IncludeGraph();
  const first = new Map<string, NginxAnalysis>();
  for (const p of nginxFiles) {
    const a = b.guard(p, () => b.service.analyzeNginx(p, b.fs, { parse, includeRoots }, true));
    if (!a) continue;
    first.set(p, a);
    graph.cover(p, [...a.config.sources.keys()]);
  }
  const nginxRoots = new Map<string, string[]>();
  for (const p of graph.entryPoints(nginxFiles)) {
    const a = first.get(p)!;
    b.add(a, false);
    nginxRoots.set(p, [...a.config.sources.keys()]);
  }
  return nginxRoots;
}

/**
 * HAProxy: a file that routes to backends it does not define is analysed together with the
 * sibling .cfg files of its folder that define them (haproxy -f a.cfg -f b.cfg, or -f dir/: one
 * configuration, files in name order); the report covers the files asked for.
 */
function checkHaproxy(b: Batch): void {
  const { service, fs } = b;
  const grouped = new Set<string>();
  for (const p of b.filesIn('haproxy')) {
    if (grouped.has(p)) continue;
    const text = fs.readFile(p)!;
    const versionHint = versionHintFor(fs, p, 'haproxy');
    let a = b.guard(p, () => service.analyzeHaproxy([{ path: p, text, versionHint }]));
    if (!a) continue;
    const group = b.guard(p, () => haproxySiblingGroup(fs, p, a!.config)) ?? [];
    if (group.length > 1) {
      a = b.guard(p, () => service.analyzeHaproxy(group.map((g) => ({ ...g, versionHint }))));
      if (!a) continue;
      for (const g of group) grouped.add(g.path);
    }
    b.add(a, true);
  }
}

/** AWS: sibling .tf files give context (a module is a folder); the report covers the files asked for. */
function checkAws(b: Batch): void {
  const { service, fs } = b;
  const aws = b.filesIn('aws');
  if (!aws.length) return;
  const whole = guarded(aws[0], [], () => service.analyzeAws(awsInputs(fs, aws)));
  // When the set fails, each file (with its module) alone, so that the failure names its file.
  const results = whole ? [whole] : aws.map((p) => b.guard(p, () => service.analyzeAws(awsInputs(fs, [p]))));
  for (const r of results) if (r) b.add(r, true);
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
