/**
 * The server's view of the workspace: open documents over the disk, the analyses of every config
 * root, and the include graph they reveal (which roots pull in which files).
 *
 * An nginx file that another analysed file includes is checked in the context of that includer
 * (its root); otherwise it is its own root. A HAProxy file is always its own root. Diagnostics of
 * a file are the findings of every root that covers it.
 */
import * as nodeFs from 'node:fs';
import {
  applySeverityOverrides,
  createLanguageService,
  detectConfigLanguage,
  awsParsersReady,
  type FixTiming,
  type LanguageService,
  type NginxAnalysis,
  type HaproxyAnalysis,
  type AwsAnalysis,
} from '../service';
import { awsInputs, internalFinding } from '../service/workspace';
import { dirname, isInsideRoots, type ConfigFileSystem, type NotARegularFile } from '../service/model/fs';
import { readRegularFile, refusalOf } from '../node/nodefs';
import { pathToFileURL } from 'node:url';
import { parseNginxTime } from '../service/model/units';
import { parseNginx, parseNginxIncremental, type NginxFile } from '../service/syntax/nginx';
import { parseHaproxy, type HaproxyFile } from '../service/syntax/haproxy';
import type { ServiceOptions } from '../service/options';
import { HaproxyIncremental } from '../service/haproxy-incremental';
import { versionHintFor, type DetectedVersion } from '../service/version-detect';
import { NginxIncremental, type NginxIncrementalHost } from '../service/nginx-incremental';
import type { ConfigLanguage, Finding, Fix, Severity } from '../service/types';
import { fixesOf } from '../service/fix-recipes';
import { PathMapper } from './convert';
import { DEFAULT_SETTINGS, MAX_ANALYZED_CHARS, type WslbSettings } from './protocol';
import { CODE_LENS_MODES } from '../../../common/settings';

export interface OpenDoc {
  uri: string;
  path: string;
  text: string;
  version: number;
  languageId: string;
}

export interface RootAnalysis {
  root: string;
  language: ConfigLanguage;
  files: string[];
  findingsByFile: Map<string, Finding[]>;
  analysis: NginxAnalysis | HaproxyAnalysis | AwsAnalysis | null;
  ms: number;
  /** Project.treeMoves when the analysis was made (see fixesFor). */
  treeMark?: number;
}

const SEVERITY_NAMES: Record<string, Severity | 'off'> = {
  off: 'off',
  error: 'error',
  warning: 'warning',
  warn: 'warning',
  info: 'information',
  information: 'information',
  hint: 'hint',
};

export function settingsToOptions(s: WslbSettings): Partial<ServiceOptions> {
  const ruleSeverity: Record<string, Severity | 'off'> = {};
  for (const [id, v] of Object.entries(s.rules ?? {})) {
    const sev = typeof v === 'string' ? SEVERITY_NAMES[v.toLowerCase()] : undefined;
    if (sev) ruleSeverity[id] = sev;
  }
  const hb = typeof s.heartbeat === 'string' ? parseNginxTime(s.heartbeat) : undefined;
  const defaultHb = parseNginxTime(DEFAULT_SETTINGS.heartbeat)!;
  return {
    heartbeatMs: hb && hb > 0 ? hb : defaultHb,
    // The setting always has a value; only one other than the default counts as the user's choice.
    heartbeatSet: !!hb && hb > 0 && hb !== defaultHb,
    nginxVersion: /^\d+\.\d+(\.\d+)?$/.test(s.nginxVersion) ? s.nginxVersion : DEFAULT_SETTINGS.nginxVersion,
    nginxVersionSet: /^\d+\.\d+(\.\d+)?$/.test(s.nginxVersion) && s.nginxVersion !== DEFAULT_SETTINGS.nginxVersion,
    haproxyVersion: /^\d+\.\d+(\.\d+)?$/.test(s.haproxyVersion) ? s.haproxyVersion : DEFAULT_SETTINGS.haproxyVersion,
    haproxyVersionSet:
      /^\d+\.\d+(\.\d+)?$/.test(s.haproxyVersion) && s.haproxyVersion !== DEFAULT_SETTINGS.haproxyVersion,
    ruleSeverity,
  };
}

/** Merge whatever a client sent with the defaults; wrong types fall back to defaults. */
export function normalizeSettings(raw: unknown): WslbSettings {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const str = (v: unknown, d: string) => (typeof v === 'string' && v.trim() ? v.trim() : d);
  const trace = (r.trace && typeof r.trace === 'object' ? (r.trace as Record<string, unknown>).server : undefined) as
    string | undefined;
  return {
    heartbeat: str(r.heartbeat, DEFAULT_SETTINGS.heartbeat),
    nginxVersion: str(r.nginxVersion, DEFAULT_SETTINGS.nginxVersion),
    haproxyVersion: str(r.haproxyVersion, DEFAULT_SETTINGS.haproxyVersion),
    rules: r.rules && typeof r.rules === 'object' ? (r.rules as Record<string, string>) : {},
    checkWorkspace: typeof r.checkWorkspace === 'boolean' ? r.checkWorkspace : DEFAULT_SETTINGS.checkWorkspace,
    debounceMs:
      typeof r.debounceMs === 'number' && r.debounceMs >= 0 && r.debounceMs <= 10_000
        ? r.debounceMs
        : DEFAULT_SETTINGS.debounceMs,
    followOutsideIncludes:
      typeof r.followOutsideIncludes === 'boolean' ? r.followOutsideIncludes : DEFAULT_SETTINGS.followOutsideIncludes,
    codeLens: CODE_LENS_MODES.find((m) => m === r.codeLens) ?? DEFAULT_SETTINGS.codeLens,
    trace: { server: trace === 'messages' || trace === 'verbose' ? trace : 'off' },
  };
}

/**
 * One change of a document, in UTF-16 offsets of the text it applies to: `deleted` code units
 * from `offset` were replaced by `inserted`. A list of them applies in order, each to the text the
 * previous one produced (as LSP's contentChanges do).
 */
export interface TextEditRecord {
  offset: number;
  deleted: number;
  inserted: string;
}

/** The edits made to a document since `base` (its text when the log started). */
export interface EditLog {
  base: string;
  edits: TextEditRecord[];
  /** The text the edits produced, when the document that applied them said so (see noteEdits). */
  after?: string;
}

/**
 * Past this many pending edits a log is dropped (the next analysis parses from scratch): checking
 * and applying a long list costs about as much as a fresh parse.
 */
const MAX_PENDING_EDITS = 64;

/** Apply edits in order (see TextEditRecord). */
export function applyEditRecords(text: string, edits: readonly TextEditRecord[]): string {
  let t = text;
  for (const e of edits) t = t.slice(0, e.offset) + e.inserted + t.slice(e.offset + e.deleted);
  return t;
}

interface DiskEntry {
  mtimeMs: number;
  size: number;
  text: string | undefined;
}

export class Project {
  readonly paths = new PathMapper();
  settings: WslbSettings = DEFAULT_SETTINGS;
  /**
   * The analyses behind diagnostics build no fixes: a code action builds those it shows
   * (fixesFor, service/fix-recipes.ts; issue 23).
   */
  service: LanguageService = createLanguageService(settingsToOptions(DEFAULT_SETTINGS), 'later');
  /** Analyses whose findings carry their fixes (fix-all's rounds, analyzeWith). */
  private fixingService: LanguageService = createLanguageService(settingsToOptions(DEFAULT_SETTINGS));
  readonly analyses = new Map<string, RootAnalysis>();
  /** file → roots whose analysis includes it. */
  readonly coveredBy = new Map<string, Set<string>>();
  /** Candidate files of the workspace (background check), with their detected language. */
  readonly workspaceFiles = new Map<string, ConfigLanguage>();
  private readonly disk = new Map<string, DiskEntry>();
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
  /** Per open document, the edits since the text its cached tree was parsed from (see takeEdits). */
  private readonly editLogs = new Map<string, EditLog>();

  /** The workspace folders (model paths): where includes may lead unless followOutsideIncludes. */
  workspaceFolders: string[] = [];

  constructor(private readonly openDoc: (path: string) => OpenDoc | undefined) {}

  /**
   * Where the includes of `root` may lead: anywhere when the settings allow it; else the
   * workspace folders, and the root's own folder when it lies outside them (a file opened on its
   * own), each by its name and by where its symbolic links lead.
   */
  includeRootsFor(root: string): string[] | undefined {
    if (this.settings.followOutsideIncludes) return undefined;
    const folders = this.workspaceFolders.filter((f) => isInsideRoots(root, [f]));
    const roots = folders.length ? this.workspaceFolders : [...this.workspaceFolders, dirname(root)];
    const out = new Set<string>();
    for (const r of roots) {
      out.add(r);
      const real = this.realPathOf(r);
      if (real) out.add(real);
    }
    return [...out];
  }

  setSettings(s: WslbSettings): void {
    this.settings = s;
    this.service = createLanguageService(settingsToOptions(s), 'later');
    this.fixingService = createLanguageService(settingsToOptions(s));
    this.folderServices.clear();
  }

  /**
   * The nginx/HAProxy versions each workspace folder's own settings give (`wslb.nginxVersion` and
   * `wslb.haproxyVersion` are resource-scoped: a folder of a multi-root workspace may set its own).
   * Keyed by the folder's model path; a folder missing here uses `settings`.
   */
  private readonly folderVersions = new Map<string, Pick<WslbSettings, 'nginxVersion' | 'haproxyVersion'>>();
  /** One service per folder whose versions differ from `settings` (made on first use). */
  private readonly folderServices = new Map<string, LanguageService>();

  /** Replace the per-folder versions (read from each folder's settings); undefined drops them all. */
  setFolderVersions(
    versions: ReadonlyMap<string, Pick<WslbSettings, 'nginxVersion' | 'haproxyVersion'>> | undefined,
  ): void {
    this.folderVersions.clear();
    this.folderServices.clear();
    for (const [folder, v] of versions ?? []) this.folderVersions.set(folder, v);
  }

  /**
   * The service that checks `path`: the one of its workspace folder (the innermost that holds it)
   * when that folder's versions differ from the window's settings, else the window's. `timing`:
   * 'later' for the analyses behind diagnostics (no fix built), 'now' for fix-all's (analyzeWith).
   */
  serviceFor(path: string, timing: FixTiming = 'later'): LanguageService {
    const windowService = timing === 'later' ? this.service : this.fixingService;
    if (this.folderVersions.size === 0) return windowService;
    let folder: string | undefined;
    for (const f of this.folderVersions.keys())
      if (isInsideRoots(path, [f]) && (folder === undefined || f.length > folder.length)) folder = f;
    const v = folder === undefined ? undefined : this.folderVersions.get(folder)!;
    if (!v || (v.nginxVersion === this.settings.nginxVersion && v.haproxyVersion === this.settings.haproxyVersion))
      return windowService;
    const key = `${folder!}\0${timing}`;
    let service = this.folderServices.get(key);
    if (!service)
      this.folderServices.set(
        key,
        (service = createLanguageService(settingsToOptions({ ...this.settings, ...v }), timing)),
      );
    return service;
  }

  /** Open documents over the disk. Files above the size limit read as absent. */
  readonly fs: ConfigFileSystem = {
    readFile: (path) => {
      const open = this.openDoc(path);
      if (open) return open.text;
      return this.readDisk(path);
    },
    refusal: (path) => this.refusalOf(path),
    realPath: (path) => this.realPathOf(path),
    size: (path) => {
      const open = this.openDoc(path);
      if (open) return open.text.length;
      const os = this.paths.diskPath(path);
      if (!os) return undefined;
      try {
        const real = nodeFs.realpathSync(os);
        const st = nodeFs.statSync(real);
        return refusalOf(st, real) || st.size > MAX_ANALYZED_CHARS ? undefined : st.size;
      } catch {
        return undefined;
      }
    },
    readDir: (path) => {
      const os = this.paths.diskPath(path);
      if (!os) return undefined;
      try {
        return nodeFs.readdirSync(os);
      } catch {
        return undefined;
      }
    },
  };

  readDisk(path: string): string | undefined {
    const os = this.paths.diskPath(path);
    if (!os) return undefined;
    try {
      const st = nodeFs.statSync(os);
      const hit = this.disk.get(path);
      if (hit && st.isFile() && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit.text;
    } catch {
      this.disk.delete(path);
      return undefined;
    }
    // Regular files only (not /proc, /dev, FIFOs, directories), opened without blocking.
    const r = readRegularFile(os, MAX_ANALYZED_CHARS);
    if ('text' in r) {
      this.disk.set(path, { mtimeMs: r.mtimeMs, size: r.size, text: r.text });
      return r.text;
    }
    this.disk.delete(path);
    return undefined;
  }

  /** What a path is when it exists on disk but is not read (a directory, a device...). */
  refusalOf(path: string): NotARegularFile | undefined {
    if (this.openDoc(path)) return undefined;
    const os = this.paths.diskPath(path);
    if (!os) return undefined;
    const r = readRegularFile(os, 0);
    return 'refused' in r ? r.refused : undefined;
  }

  realPathOf(path: string): string | undefined {
    const os = this.paths.diskPath(path);
    if (!os) return undefined;
    try {
      return this.paths.toPath(pathToFileURL(nodeFs.realpathSync(os)).href);
    } catch {
      return undefined;
    }
  }

  /**
   * Record edits of an open document (the server calls this from didChange, before the text
   * changes): `before` is the text the first edit applies to. Language-neutral; a parse cache
   * reads them with takeEdits. `after`, when given, is the text the document made by applying
   * exactly these edits (ServerDocument.apply reports each edit it made; test/lsp/document.test.ts
   * checks that the reported edits give its text): takeEdits then hands them for that text without
   * comparing the two texts again (a 1 MB compare per keystroke).
   */
  noteEdits(path: string, before: string, edits: readonly TextEditRecord[], after?: string): void {
    let log = this.editLogs.get(path);
    if (!log) this.editLogs.set(path, (log = { base: before, edits: [] }));
    for (const e of edits) log.edits.push(e);
    log.after = after;
    if (log.edits.length > MAX_PENDING_EDITS) this.editLogs.delete(path);
  }

  /** Forget the edit log of a document (closed, or its text replaced behind our back). */
  forgetEdits(path: string): void {
    this.editLogs.delete(path);
  }

  /**
   * The edits that turn `from` (the text a cache holds for `path`) into `to`, or undefined when
   * they are not known (no log, the log starts elsewhere, or it does not give `to`). The log
   * restarts at `to`, so the caller should now cache its result for `to`.
   */
  takeEdits(path: string, from: string, to: string): TextEditRecord[] | undefined {
    const log = this.editLogs.get(path);
    if (log) this.editLogs.set(path, { base: to, edits: [] });
    else if (this.openDoc(path)) this.editLogs.set(path, { base: to, edits: [] });
    if (!log || log.base !== from) return undefined;
    // The whole text replaced (a reload, a full-sync client): nothing to re-read in place.
    if (log.edits.length === 1 && log.edits[0].offset === 0 && log.edits[0].deleted === from.length) return undefined;
    // Guard against a missed change: the edits must give exactly the new text.
    let len = from.length;
    for (const e of log.edits) len += e.inserted.length - e.deleted;
    if (len !== to.length) return undefined;
    // The document applied these very edits and `to` is the text it made (the same string: no compare).
    if (log.after !== undefined && to === log.after) return log.edits;
    if (log.edits.length === 1) {
      // One edit (typing): compare the unchanged head and tail in place, without building the text.
      const e = log.edits[0];
      const tail = e.offset + e.inserted.length;
      if (
        !to.startsWith(e.inserted, e.offset) ||
        from.slice(0, e.offset) !== to.slice(0, e.offset) ||
        from.slice(e.offset + e.deleted) !== to.slice(tail)
      )
        return undefined;
      return log.edits;
    }
    if (applyEditRecords(from, log.edits) !== to) return undefined;
    return log.edits;
  }

  forgetDisk(path: string): void {
    this.disk.delete(path);
  }

  /**
   * The language of a file: the editor's language id when it is ours, else content detection
   * (AWS: a Terraform/CloudFormation file that declares ALB/NLB resources).
   */
  languageOf(path: string): ConfigLanguage | undefined {
    const open = this.openDoc(path);
    if (open && (open.languageId === 'nginx' || open.languageId === 'haproxy')) return open.languageId;
    const known = this.workspaceFiles.get(path);
    if (known) return known;
    const text = this.fs.readFile(path);
    return text === undefined ? undefined : detectConfigLanguage(path, text);
  }

  /** What an nginx analysis reads through the project: files, the tree cache, the edit log. */
  private readonly nginxHost: NginxIncrementalHost = {
    fs: this.fs,
    parse: (p, t) => this.nginxTree(p, t),
    cachedTree: (p) => this.nginxTrees.get(p)?.tree,
    storeTree: (p, text, tree) => {
      this.movedAt.set(p, ++this.treeMoves);
      this.nginxTrees.set(p, { text, tree });
    },
    edits: (p, from, to) => this.takeEdits(p, from, to),
    includeRoots: (root) => this.includeRootsFor(root),
  };

  nginxTree(path: string, text: string): NginxFile {
    const hit = this.nginxTrees.get(path);
    if (hit && hit.text === text) return hit.tree;
    // An edited open document: re-read only the block its edits fall in (the old tree is reused).
    const edits = hit ? this.takeEdits(path, hit.text, text) : undefined;
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
      if (a && a.files.includes(path)) return a;
    }
    return undefined;
  }

  /** Analyse one root; returns every file whose diagnostics may have changed. */
  analyzeRoot(root: string, language?: ConfigLanguage): Set<string> {
    const affected = new Set<string>();
    const old = this.analyses.get(root);
    if (old) for (const f of old.files) affected.add(f);
    affected.add(root);
    const lang = language ?? old?.language ?? this.languageOf(root);
    const text = this.fs.readFile(root);
    this.uncover(root);
    if (!lang || (text === undefined && !this.openDoc(root))) {
      this.analyses.delete(root);
      return affected;
    }
    const t0 = performance.now();
    const result: RootAnalysis = {
      root,
      language: lang,
      files: [root],
      findingsByFile: new Map(),
      analysis: null,
      ms: 0,
    };
    const raw = text ?? this.openDoc(root)?.text ?? '';
    if (raw.length > MAX_ANALYZED_CHARS) {
      result.findingsByFile.set(
        root,
        applySeverityOverrides(
          [
            {
              file: root,
              range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
              severity: 'information',
              code: 'wslb/too-large',
              message: `wslb skips files larger than ${Math.round(MAX_ANALYZED_CHARS / 1024 / 1024)} MB (this one has ${(raw.length / 1024 / 1024).toFixed(1)} M characters)`,
              fixes: [],
            },
          ],
          this.service.options.ruleSeverity,
        ),
      );
    } else
      try {
        if (!this.analyzeInto(result, root, lang, raw)) {
          this.analyses.delete(root);
          return affected;
        }
      } catch (e) {
        // A failure (a wslb bug, input past its limits) is reported on the file, not only logged.
        this.nginxIncremental.delete(root);
        this.haproxyIncremental.delete(root);
        result.analysis = null;
        result.files = [root];
        result.findingsByFile = new Map([
          [root, applySeverityOverrides([internalFinding(root, e)], this.service.options.ruleSeverity)],
        ]);
      }
    result.ms = performance.now() - t0;
    result.treeMark = this.treeMoves;
    this.analyses.set(root, result);
    for (const f of result.files) {
      affected.add(f);
      let set = this.coveredBy.get(f);
      if (!set) this.coveredBy.set(f, (set = new Set()));
      set.add(root);
      // A file this root includes is no longer a root of its own.
      if (f !== root && this.analyses.has(f)) {
        const pruned = this.analyses.get(f)!;
        this.uncover(f);
        this.analyses.delete(f);
        this.nginxIncremental.delete(f);
        for (const g of pruned.files) affected.add(g);
      }
    }
    return affected;
  }

  /** The analysis of one root into `result`; false: not possible yet (the Terraform grammar is loading). */
  private analyzeInto(result: RootAnalysis, root: string, lang: ConfigLanguage, raw: string): boolean {
    if (lang === 'nginx') {
      let inc = this.nginxIncremental.get(root);
      if (!inc) this.nginxIncremental.set(root, (inc = new NginxIncremental()));
      const a = inc.analyze(this.serviceFor(root), root, this.nginxHost);
      result.analysis = a;
      result.files = [...a.config.sources.keys()];
      this.group(result, a.findings);
    } else if (lang === 'aws') {
      // Terraform needs the WebAssembly grammar; until it is loaded the file waits (the server
      // re-checks open AWS documents once initAwsParsers() resolves).
      if (root.toLowerCase().endsWith('.tf') && !awsParsersReady()) {
        return false;
      }
      // A Terraform module is its directory: the sibling .tf files come along (variables).
      const a = this.service.analyzeAws(awsInputs(this.fs, [root]));
      result.analysis = a;
      result.files = [root, ...a.config.files.map((f) => f.path).filter((f) => f !== root)];
      // The siblings are context; their own findings belong to their own analysis.
      this.group(
        result,
        a.findings.filter((f) => !f.file || f.file === root),
      );
    } else {
      const a = this.analyzeHaproxyRoot(root, raw);
      result.analysis = a;
      this.group(result, a.findings);
    }
    return true;
  }

  private group(result: RootAnalysis, findings: Finding[]): void {
    for (const f of findings) {
      const file = f.file || result.root;
      const list = result.findingsByFile.get(file);
      if (list) list.push(f.file ? f : { ...f, file });
      else result.findingsByFile.set(file, [f.file ? f : { ...f, file }]);
    }
  }

  private uncover(root: string): void {
    const old = this.analyses.get(root);
    if (!old) return;
    for (const f of old.files) {
      const set = this.coveredBy.get(f);
      if (!set) continue;
      set.delete(root);
      if (set.size === 0) this.coveredBy.delete(f);
    }
  }

  /**
   * A HAProxy root: edited line by line from its last analysis when the document's edit log
   * allows it (service/haproxy-incremental.ts), else from scratch.
   */
  private analyzeHaproxyRoot(root: string, text: string): HaproxyAnalysis {
    let inc = this.haproxyIncremental.get(root);
    if (!inc) this.haproxyIncremental.set(root, (inc = new HaproxyIncremental()));
    const before = inc.text;
    // takeEdits also restarts the log at `text`, which the next analysis starts from.
    const edits = this.takeEdits(root, before ?? '', text);
    let hint = this.versionHints.get(root);
    if (hint === undefined) this.versionHints.set(root, (hint = versionHintFor(this.fs, root, 'haproxy') ?? null));
    return inc.analyze(this.serviceFor(root), root, text, before === undefined ? undefined : edits, hint ?? undefined);
  }

  /**
   * Forget what is kept about files that no open document and no analysis needs any more: their
   * parse trees, disk reads and edit logs (issue 23: a long session kept every file it had seen).
   * Called when a document closes; a file read again later is simply parsed again.
   */
  prune(): void {
    const needed = (p: string) => this.coveredBy.has(p) || this.openDoc(p) !== undefined;
    for (const cache of [this.nginxTrees, this.haproxyTrees, this.disk, this.editLogs] as Map<string, unknown>[])
      for (const p of [...cache.keys()]) if (!needed(p)) cache.delete(p);
    for (const cache of [this.nginxIncremental, this.haproxyIncremental] as Map<string, unknown>[])
      for (const p of [...cache.keys()]) if (!this.analyses.has(p)) cache.delete(p);
  }

  /** Drop a root's analysis (file deleted, closed and not in the workspace...). */
  removeRoot(root: string): Set<string> {
    this.haproxyIncremental.delete(root);
    this.versionHints.delete(root);
    this.nginxIncremental.delete(root);
    const affected = new Set<string>([root]);
    const old = this.analyses.get(root);
    if (old) for (const f of old.files) affected.add(f);
    this.uncover(root);
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
   * fixes be built from it (service/fix-recipes.ts): the texts it read are the current ones, and
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

  /** The findings of an analysis for one file, as a set (fixesFor). */
  private readonly findingSets = new WeakMap<RootAnalysis, Map<string, Set<Finding>>>();

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
      refusal: (p) => (overrides.has(p) ? undefined : this.refusalOf(p)),
      realPath: (p) => this.realPathOf(p),
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
