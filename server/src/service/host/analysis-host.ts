/**
 * The analysis host: the one stateful part of the language service. It keeps the documents' edits,
 * the options (per workspace folder), the roots and the include graph (roots.ts), the parse trees,
 * each root's analysis and the incremental engines behind it (nginx.ts, haproxy.ts), the findings
 * per file, and builds fixes on demand (fixes.ts). The language server's Project is an adapter
 * over it (settings, the disk); the CLI is a host without edits (check).
 *
 * An nginx file that another analysed file includes is checked in the context of that includer
 * (its root); otherwise it is its own root. A HAProxy file is always its own root. Diagnostics of
 * a file are the findings of every root that covers it.
 */
import { awsParsersReady } from '../syntax/aws/treesitter';
import { detectConfigLanguage } from '../detect';
import {
  createLanguageService,
  type AwsAnalysis,
  type FixTiming,
  type HaproxyAnalysis,
  type LanguageService,
  type NginxAnalysis,
} from '../index';
import { dirname, isInsideRoots, type ConfigFileSystem } from '../model/fs';
import type { ServiceOptions } from '../options';
import { parseNginx, parseNginxIncremental, type NginxFile } from '../syntax/nginx';
import { parseHaproxy, type HaproxyFile } from '../syntax/haproxy';
import { versionHintFor, type DetectedVersion } from '../version-detect';
import type { ConfigLanguage, Finding, Fix } from '../types';
import { EditLogs } from './edits';
import { applySeverityOverrides } from './findings';
import { fixesOf } from './fixes';
import { HaproxyIncremental } from './haproxy';
import { NginxIncremental, type NginxIncrementalHost } from './nginx';
import { awsInputs, checkWorkspace, internalFinding, IncludeGraph, type WorkspaceResult } from './roots';

/** What the host needs of an open document. */
export interface HostDocument {
  text: string;
  languageId: string;
}

export interface AnalysisHostOptions {
  /** The files: open documents over the disk (the language server), the disk (the CLI). */
  fs: ConfigFileSystem;
  /** The open document at `path`, if any (none for the CLI). */
  openDoc?: (path: string) => HostDocument | undefined;
  /** Files longer than this are not analysed (a finding says so). */
  maxChars?: number;
  /** The options the analyses start with. */
  options?: Partial<ServiceOptions>;
}

/** One root's analysis; the files it covers are the include graph's (AnalysisHost.graph.files). */
export interface RootAnalysis {
  root: string;
  language: ConfigLanguage;
  findingsByFile: Map<string, Finding[]>;
  analysis: NginxAnalysis | HaproxyAnalysis | AwsAnalysis | null;
  ms: number;
  /** AnalysisHost.treeMoves when the analysis was made (see fixesFor). */
  treeMark?: number;
}

export class AnalysisHost {
  readonly fs: ConfigFileSystem;
  private readonly openDoc?: (path: string) => HostDocument | undefined;
  private readonly maxChars: number;
  readonly analyses = new Map<string, RootAnalysis>();
  /** Which roots cover which files. */
  readonly graph = new IncludeGraph();
  /** Candidate files of the workspace (background check), with their detected language. */
  readonly workspaceFiles = new Map<string, ConfigLanguage>();
  /** The workspace folders: where includes may lead unless followOutsideIncludes. */
  workspaceFolders: string[] = [];
  followOutsideIncludes = true;
  /** The open documents' edits since the texts the trees and engines hold. */
  readonly edits: EditLogs;
  private readonly nginxTrees = new Map<string, { text: string; tree: NginxFile }>();
  /**
   * How many times an nginx tree was moved into a new text in place (parseNginxIncremental), and
   * the count at each file's last move: an analysis made before a move of one of its files may no
   * longer build fixes from its trees (fixesFor).
   */
  private treeMoves = 0;
  private readonly movedAt = new Map<string, number>();
  private readonly haproxyTrees = new Map<string, { text: string; tree: HaproxyFile }>();
  /** Per HAProxy root, its last analysis kept for line-by-line updates. */
  readonly haproxyIncremental = new Map<string, HaproxyIncremental>();
  /** What each HAProxy root's siblings or name say about its version (read once per root; null: nothing). */
  private readonly versionHints = new Map<string, DetectedVersion | null>();
  /** Per nginx root, its last analysis kept for updates of one server block at a time. */
  readonly nginxIncremental = new Map<string, NginxIncremental>();
  /** The findings of an analysis for one file, as a set (fixesFor). */
  private readonly findingSets = new WeakMap<RootAnalysis, Map<string, Set<Finding>>>();

  /**
   * The analyses behind diagnostics build no fixes: a code action builds those it shows
   * (fixesFor, fixes.ts; issue 23).
   */
  service: LanguageService;
  /** Analyses whose findings carry their fixes (fix-all's rounds, analyzeWith, check). */
  private fixingService: LanguageService;
  /**
   * The options of each workspace folder whose own settings give other versions (undefined: the
   * same as the window's), and one service per such folder and fix timing (made on first use).
   */
  private readonly folderOptions = new Map<string, Partial<ServiceOptions> | undefined>();
  private readonly folderServices = new Map<string, LanguageService>();

  /** What an nginx analysis reads through the host: files, the tree cache, the edit log. */
  private readonly nginxHost: NginxIncrementalHost;

  constructor(o: AnalysisHostOptions) {
    this.fs = o.fs;
    this.openDoc = o.openDoc;
    this.maxChars = o.maxChars ?? Infinity;
    this.edits = new EditLogs((p) => this.openDoc?.(p) !== undefined);
    this.service = createLanguageService(o.options, 'later');
    this.fixingService = createLanguageService(o.options);
    this.nginxHost = {
      fs: this.fs,
      parse: (p, t) => this.nginxTree(p, t),
      cachedTree: (p) => this.nginxTrees.get(p)?.tree,
      storeTree: (p, text, tree) => {
        this.movedAt.set(p, ++this.treeMoves);
        this.nginxTrees.set(p, { text, tree });
      },
      edits: (p, from, to) => this.edits.take(p, from, to),
      includeRoots: (root) => this.includeRootsFor(root),
    };
  }

  /** The options of the window (all folders without their own). */
  setOptions(options: Partial<ServiceOptions>): void {
    this.service = createLanguageService(options, 'later');
    this.fixingService = createLanguageService(options);
    this.folderServices.clear();
  }

  /** Replace the per-folder options (undefined for a folder: the window's); undefined drops them all. */
  setFolderOptions(folders: ReadonlyMap<string, Partial<ServiceOptions> | undefined> | undefined): void {
    this.folderOptions.clear();
    this.folderServices.clear();
    for (const [folder, o] of folders ?? []) this.folderOptions.set(folder, o);
  }

  /**
   * The service that checks `path`: the one of its workspace folder (the innermost that holds it)
   * when that folder's options differ from the window's, else the window's. `timing`: 'later' for
   * the analyses behind diagnostics (no fix built), 'now' for fix-all's (analyzeWith).
   */
  serviceFor(path: string, timing: FixTiming = 'later'): LanguageService {
    const windowService = timing === 'later' ? this.service : this.fixingService;
    if (this.folderOptions.size === 0) return windowService;
    let folder: string | undefined;
    for (const f of this.folderOptions.keys())
      if (isInsideRoots(path, [f]) && (folder === undefined || f.length > folder.length)) folder = f;
    const o = folder === undefined ? undefined : this.folderOptions.get(folder);
    if (!o) return windowService;
    const key = `${folder!}\0${timing}`;
    let service = this.folderServices.get(key);
    if (!service) this.folderServices.set(key, (service = createLanguageService(o, timing)));
    return service;
  }

  /**
   * Check many files at once, as the CLI does (roots.ts checkWorkspace): findings carry their
   * fixes, nginx trees come from the host's cache.
   */
  check(paths: string[], forced?: ConfigLanguage, includeRoots?: readonly string[]): WorkspaceResult {
    return checkWorkspace(this.fixingService, this.fs, paths, forced, includeRoots, (p, t) => this.nginxTree(p, t));
  }

  /** The coverage of files by roots (see IncludeGraph). */
  get coveredBy(): ReadonlyMap<string, ReadonlySet<string>> {
    return this.graph.coveredBy;
  }

  /**
   * Where the includes of `root` may lead: anywhere when the settings allow it; else the
   * workspace folders, and the root's own folder when it lies outside them (a file opened on its
   * own), each by its name and by where its symbolic links lead.
   */
  includeRootsFor(root: string): string[] | undefined {
    if (this.followOutsideIncludes) return undefined;
    const folders = this.workspaceFolders.filter((f) => isInsideRoots(root, [f]));
    const roots = folders.length ? this.workspaceFolders : [...this.workspaceFolders, dirname(root)];
    const out = new Set<string>();
    for (const r of roots) {
      out.add(r);
      const real = this.fs.realPath?.(r);
      if (real) out.add(real);
    }
    return [...out];
  }

  /**
   * The language of a file: the editor's language id when it is ours, else content detection
   * (AWS: a Terraform/CloudFormation file that declares ALB/NLB resources).
   */
  languageOf(path: string): ConfigLanguage | undefined {
    const open = this.openDoc?.(path);
    if (open && (open.languageId === 'nginx' || open.languageId === 'haproxy')) return open.languageId;
    const known = this.workspaceFiles.get(path);
    if (known) return known;
    const text = this.fs.readFile(path);
    return text === undefined ? undefined : detectConfigLanguage(path, text);
  }

  nginxTree(path: string, text: string): NginxFile {
    const hit = this.nginxTrees.get(path);
    if (hit && hit.text === text) return hit.tree;
    // An edited open document: re-read only the block its edits fall in (the old tree is reused).
    const edits = hit ? this.edits.take(path, hit.text, text) : undefined;
    const tree = hit && edits ? parseNginxIncremental(hit.tree, text, edits) : parseNginx(text);
    if (hit && edits) this.movedAt.set(path, ++this.treeMoves);
    this.nginxTrees.set(path, { text, tree });
    return tree;
  }

  haproxyTree(path: string, text: string): HaproxyFile {
    // The tree of the file's own analysis, when it is of this text (no second parse per keystroke
    // for symbols, folding and completion).
    if (this.haproxyIncremental.get(path)?.text === text) {
      const a = this.analyses.get(path)?.analysis;
      const src = a?.language === 'haproxy' ? a.config.sources.find((s) => s.path === path) : undefined;
      if (src && src.text === text) return src.tree;
    }
    const hit = this.haproxyTrees.get(path);
    if (hit && hit.text === text) return hit.tree;
    const tree = parseHaproxy(text);
    this.haproxyTrees.set(path, { text, tree });
    return tree;
  }

  /** The roots to analyse so that `path` is checked: its includers, else itself. */
  rootsFor(path: string): string[] {
    const roots = [...(this.coveredBy.get(path) ?? [])].filter((r) => r !== path && this.analyses.has(r));
    return roots.length ? roots : [path];
  }

  /** The analysis that gives `path` its context (first includer, else its own). */
  analysisFor(path: string): RootAnalysis | undefined {
    for (const r of this.rootsFor(path)) {
      const a = this.analyses.get(r);
      if (a && this.graph.files(r)?.includes(path)) return a;
    }
    return undefined;
  }

  /** Analyse one root; returns every file whose diagnostics may have changed. */
  analyzeRoot(root: string, language?: ConfigLanguage): Set<string> {
    const affected = new Set<string>();
    const old = this.analyses.get(root);
    for (const f of this.graph.files(root) ?? []) affected.add(f);
    affected.add(root);
    const lang = language ?? old?.language ?? this.languageOf(root);
    const text = this.fs.readFile(root);
    this.graph.uncover(root);
    if (!lang || (text === undefined && !this.openDoc?.(root))) {
      this.analyses.delete(root);
      return affected;
    }
    const t0 = performance.now();
    const result: RootAnalysis = {
      root,
      language: lang,
      findingsByFile: new Map(),
      analysis: null,
      ms: 0,
    };
    const raw = text ?? this.openDoc?.(root)?.text ?? '';
    // The files this root covers (the include graph keeps the list: graph.files).
    let files: readonly string[] = [root];
    if (raw.length > this.maxChars) {
      result.findingsByFile.set(
        root,
        applySeverityOverrides(
          [
            {
              file: root,
              range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
              severity: 'information',
              code: 'wslb/too-large',
              message: `wslb skips files larger than ${Math.round(this.maxChars / 1024 / 1024)} MB (this one has ${(raw.length / 1024 / 1024).toFixed(1)} M characters)`,
              fixes: [],
            },
          ],
          this.service.options.ruleSeverity,
        ),
      );
    } else
      try {
        const read = this.analyzeInto(result, root, lang, raw);
        if (!read) {
          this.analyses.delete(root);
          return affected;
        }
        files = read;
      } catch (e) {
        // A failure (a wslb bug, input past its limits) is reported on the file, not only logged.
        this.nginxIncremental.delete(root);
        this.haproxyIncremental.delete(root);
        result.analysis = null;
        result.findingsByFile = new Map([
          [root, applySeverityOverrides([internalFinding(root, e)], this.service.options.ruleSeverity)],
        ]);
      }
    result.ms = performance.now() - t0;
    result.treeMark = this.treeMoves;
    this.analyses.set(root, result);
    this.graph.cover(root, files);
    for (const f of files) {
      affected.add(f);
      // A file this root includes is no longer a root of its own.
      if (f !== root && this.analyses.has(f)) {
        for (const g of this.graph.files(f) ?? []) affected.add(g);
        this.graph.uncover(f);
        this.analyses.delete(f);
        this.nginxIncremental.delete(f);
      }
    }
    return affected;
  }

  /**
   * The analysis of one root into `result`; returns the files it covers, or null: not possible yet
   * (the Terraform grammar is loading).
   */
  private analyzeInto(result: RootAnalysis, root: string, lang: ConfigLanguage, raw: string): string[] | null {
    if (lang === 'nginx') {
      let inc = this.nginxIncremental.get(root);
      if (!inc) this.nginxIncremental.set(root, (inc = new NginxIncremental()));
      const a = inc.analyze(this.serviceFor(root), root, this.nginxHost);
      result.analysis = a;
      this.group(result, a.findings);
      return [...a.config.sources.keys()];
    } else if (lang === 'aws') {
      // Terraform needs the WebAssembly grammar; until it is loaded the file waits (the server
      // re-checks open AWS documents once initAwsParsers() resolves).
      if (root.toLowerCase().endsWith('.tf') && !awsParsersReady()) {
        return null;
      }
      // A Terraform module is its directory: the sibling .tf files come along (variables).
      const a = this.service.analyzeAws(awsInputs(this.fs, [root]));
      result.analysis = a;
      // The siblings are context; their own findings belong to their own analysis.
      this.group(
        result,
        a.findings.filter((f) => !f.file || f.file === root),
      );
      return [root, ...a.config.files.map((f) => f.path).filter((f) => f !== root)];
    } else {
      const a = this.analyzeHaproxyRoot(root, raw);
      result.analysis = a;
      this.group(result, a.findings);
      return [root];
    }
  }

  private group(result: RootAnalysis, findings: Finding[]): void {
    for (const f of findings) {
      const file = f.file || result.root;
      const list = result.findingsByFile.get(file);
      if (list) list.push(f.file ? f : { ...f, file });
      else result.findingsByFile.set(file, [f.file ? f : { ...f, file }]);
    }
  }

  /**
   * A HAProxy root: edited line by line from its last analysis when the document's edit log
   * allows it (haproxy.ts), else from scratch.
   */
  private analyzeHaproxyRoot(root: string, text: string): HaproxyAnalysis {
    let inc = this.haproxyIncremental.get(root);
    if (!inc) this.haproxyIncremental.set(root, (inc = new HaproxyIncremental()));
    const before = inc.text;
    // takeEdits also restarts the log at `text`, which the next analysis starts from.
    const edits = this.edits.take(root, before ?? '', text);
    let hint = this.versionHints.get(root);
    if (hint === undefined) this.versionHints.set(root, (hint = versionHintFor(this.fs, root, 'haproxy') ?? null));
    return inc.analyze(this.serviceFor(root), root, text, before === undefined ? undefined : edits, hint ?? undefined);
  }

  /** Does an open document or an analysis need what is kept about `path`? */
  isNeeded(path: string): boolean {
    return this.coveredBy.has(path) || this.openDoc?.(path) !== undefined;
  }

  /**
   * Forget what is kept about files that no open document and no analysis needs any more: their
   * parse trees and edit logs (issue 23: a long session kept every file it had seen).
   * Called when a document closes; a file read again later is simply parsed again.
   */
  prune(): void {
    const needed = (p: string) => this.isNeeded(p);
    for (const cache of [this.nginxTrees, this.haproxyTrees] as Map<string, unknown>[])
      for (const p of [...cache.keys()]) if (!needed(p)) cache.delete(p);
    this.edits.prune(needed);
    for (const cache of [this.nginxIncremental, this.haproxyIncremental] as Map<string, unknown>[])
      for (const p of [...cache.keys()]) if (!this.analyses.has(p)) cache.delete(p);
  }

  /** Drop a root's analysis (file deleted, closed and not in the workspace...). */
  removeRoot(root: string): Set<string> {
    this.haproxyIncremental.delete(root);
    this.versionHints.delete(root);
    this.nginxIncremental.delete(root);
    const affected = new Set<string>([root]);
    for (const f of this.graph.files(root) ?? []) affected.add(f);
    this.graph.uncover(root);
    this.analyses.delete(root);
    return affected;
  }

  /** Findings for one file from every root covering it, without duplicates. */
  findingsFor(path: string): Finding[] {
    const roots = this.coveredBy.get(path);
    if (!roots) return [];
    const all: Finding[] = [];
    for (const r of roots) for (const f of this.analyses.get(r)?.findingsByFile.get(path) ?? []) all.push(f);
    all.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
    // Drop repeats (a file included twice, several roots): equal findings start at the same place,
    // so after the sort they stand together.
    const out: Finding[] = [];
    let from = 0;
    for (const f of all) {
      const last = out[out.length - 1];
      if (
        !last ||
        last.range.start.line !== f.range.start.line ||
        last.range.start.character !== f.range.start.character
      )
        from = out.length;
      let dup = false;
      for (let i = from; i < out.length && !dup; i++) {
        const g = out[i];
        dup =
          g.range.end.line === f.range.end.line &&
          g.range.end.character === f.range.end.character &&
          g.code === f.code &&
          g.message === f.message;
      }
      if (!dup) out.push(f);
    }
    return out;
  }

  /**
   * Is a root's analysis of the texts as they are now, its trees as it saw them? Only then may
   * fixes be built from it (fixes.ts): the texts it read are the current ones, and
   * no tree of its files was moved into another text since (an nginx tree moves in place).
   */
  isCurrent(ra: RootAnalysis): boolean {
    const a = ra.analysis;
    if (!a) return false;
    const mark = ra.treeMark ?? -1;
    const same = (p: string, text: string) => this.fs.readFile(p) === text && (this.movedAt.get(p) ?? 0) <= mark;
    if (a.language === 'nginx') {
      for (const [p, src] of a.config.sources) if (!same(p, src.text)) return false;
    } else if (a.language === 'haproxy') {
      for (const src of a.config.sources) if (!same(src.path, src.text)) return false;
    } else for (const f of a.config.files) if (!same(f.path, f.text)) return false;
    return true;
  }

  /** The roots behind `path` whose analysis is not of the current texts (see isCurrent). */
  staleRootsOf(path: string): string[] {
    return [...(this.coveredBy.get(path) ?? [])].filter((r) => {
      const ra = this.analyses.get(r);
      return !!ra && !!ra.analysis && !this.isCurrent(ra);
    });
  }

  /**
   * The fixes of some of `path`'s findings (from findingsFor), built now from the analysis that
   * made each; none for a finding whose analysis is not of the current texts (re-analyse first:
   * staleRootsOf). Diagnostics carry no fixes (issue 23): a code action builds only these.
   */
  fixesFor(path: string, findings: readonly Finding[]): Map<Finding, Fix[]> {
    const out = new Map<Finding, Fix[]>();
    for (const r of this.coveredBy.get(path) ?? []) {
      const ra = this.analyses.get(r);
      if (!ra || !ra.analysis) continue;
      let byPath = this.findingSets.get(ra);
      if (!byPath) this.findingSets.set(ra, (byPath = new Map<string, Set<Finding>>()));
      let set = byPath.get(path);
      if (!set) byPath.set(path, (set = new Set(ra.findingsByFile.get(path) ?? [])));
      const has = set;
      const mine = findings.filter((f) => has.has(f) && !out.has(f));
      if (mine.length === 0 || !this.isCurrent(ra)) continue;
      const fixes = fixesOf(ra.analysis, mine);
      mine.forEach((f, i) => out.set(f, fixes[i]));
    }
    return out;
  }

  /**
   * Re-run the analysis behind `path` with some texts replaced (fix-all), returning all findings.
   * The project's state is not touched.
   */
  analyzeWith(path: string, overrides: Map<string, string>): Finding[] {
    const fs: ConfigFileSystem = {
      readFile: (p) => overrides.get(p) ?? this.fs.readFile(p),
      readDir: (p) => this.fs.readDir(p),
      refusal: (p) => (overrides.has(p) ? undefined : this.fs.refusal?.(p)),
      realPath: (p) => this.fs.realPath?.(p),
    };
    const a = this.analysisFor(path);
    const lang = a?.language ?? this.languageOf(path);
    const service = this.serviceFor(a?.root ?? path, 'now');
    if (lang === 'haproxy') {
      const text = fs.readFile(path);
      return text === undefined
        ? []
        : service.analyzeHaproxy([{ path, text, versionHint: versionHintFor(fs, path, 'haproxy') }]).findings;
    }
    if (lang === 'aws') {
      if (path.toLowerCase().endsWith('.tf') && !awsParsersReady()) return [];
      const root = a?.root ?? path;
      return service.analyzeAws(awsInputs(fs, [root])).findings.filter((f) => !f.file || f.file === root);
    }
    if (lang !== 'nginx') return [];
    const root = a?.root ?? path;
    return service.analyzeNginx(root, fs, { includeRoots: this.includeRootsFor(root) }).findings;
  }
}
