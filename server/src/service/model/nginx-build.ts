/**
 * Building the nginx config model from a root file: reading it and the files it includes (within
 * the limits of BuildOptions), into one tree of contexts (nginx-tree.ts).
 */
import { recogniseTemplate } from '../template';
import { parseNginx, type NginxFile, type NginxNode } from '../syntax/nginx';
import type { ModelDiagnostic, SyntaxDiagnostic } from '../types';
import type { CheckId } from '../checks';
import { clipWord } from '../words';
import {
  type ConfigFileSystem,
  type NotARegularFile,
  dirname,
  expandGlob,
  fileSize,
  globBase,
  isGlob,
  isInsideRoots,
  joinPath,
} from './fs';
import {
  baseName,
  fragmentPrefix,
  generatedFromTemplate,
  guessFragmentContext,
  inCopyOfInstallPrefix,
  includesOnlySnippet,
  shippedWithNginx,
} from './nginx-includes';
import {
  addNodes,
  countDirectives,
  familyOf,
  MAX_CONTEXT_DEPTH,
  newContext,
  type NginxConfig,
  type NginxContext,
  type NginxContextKind,
  type NginxSource,
  type NginxStatement,
} from './nginx-tree';

export interface BuildOptions {
  /** Parse cache shared across builds (path+text → tree). */
  parse?: (path: string, text: string) => NginxFile;
  /** Where the main nginx.conf lives; relative includes resolve against it first. Default: the root file's directory. */
  prefixDir?: string;
  /** The context chain a fragment is analysed in, e.g. ['http','server']. Default: guessed from content. */
  rootContext?: NginxContextKind[];
  maxIncludeDepth?: number;
  /** Distinct files read per config (default 2000). */
  maxFiles?: number;
  /** Files one include glob may bring in (default 2000). */
  maxGlobMatches?: number;
  /** Bytes of distinct files read per config (default 32 MB). */
  maxReadBytes?: number;
  /**
   * Statements the config may hold with its includes expanded: the larger of this (default
   * 100,000) and 8 times the statements of the distinct files read. Files included over and over
   * (each including the next several times) would otherwise expand exponentially.
   */
  maxStatements?: number;
  /**
   * The folders (or files) the user asked to check. When given, an include that resolves outside
   * them is not followed (nothing there is read or listed) and a finding says so; when absent,
   * includes go anywhere.
   */
  includeRoots?: readonly string[];
}

export function defaultParse(_path: string, text: string): NginxFile {
  return parseNginx(text);
}

/** Build the logical config from a root file. Never throws on bad input; problems become diagnostics. */
export function buildNginxConfig(rootPath: string, fs: ConfigFileSystem, options: BuildOptions = {}): NginxConfig {
  return new ConfigBuilder(rootPath, fs, options).build();
}

/** Where an include leads: the files to read, or why there are none. */
interface IncludeTarget {
  /** The pattern resolved against the prefix (or the copy of the install folder). */
  resolved: string;
  paths: string[];
  /** A path it leads to outside the checked roots. */
  outside?: string;
  /** It names something that is not a regular file. */
  refused?: { path: string; what: NotARegularFile };
}

/** One build: the files read so far, the findings, and the work budget (see BuildOptions). */
class ConfigBuilder {
  private readonly parse: (path: string, text: string) => NginxFile;
  private readonly maxDepth: number;
  private readonly maxFiles: number;
  private readonly maxGlobMatches: number;
  private readonly maxReadBytes: number;
  private readonly minStatements: number;
  private readonly sources = new Map<string, NginxSource>();
  private readonly syntax = new Map<string, SyntaxDiagnostic[]>();
  private readonly diagnostics: ModelDiagnostic[] = [];
  private readonly includedAt = new Map<string, NginxContext>();
  private prefixDir: string;
  // What was read, what the includes expanded to.
  private readBytes = 0;
  // (counted when an include is first expanded: a config without includes needs no count)
  private distinctStatements = 0;
  private expandedStatements = 0;
  private readonly statementsOf = new Map<string, number>();
  private readonly uncounted: NginxSource[] = [];
  private rootCounted = false;
  /** Set when a limit stopped the reading: the first include it stopped is reported, no later one. */
  private stopped = false;
  private unseen = 0;

  constructor(
    private readonly rootPath: string,
    private readonly fs: ConfigFileSystem,
    private readonly options: BuildOptions,
  ) {
    this.parse = options.parse ?? defaultParse;
    this.maxDepth = options.maxIncludeDepth ?? 32;
    this.maxFiles = options.maxFiles ?? 2000;
    this.maxGlobMatches = options.maxGlobMatches ?? 2000;
    this.maxReadBytes = options.maxReadBytes ?? 32 * 1024 * 1024;
    this.minStatements = options.maxStatements ?? 100_000;
    this.prefixDir = options.prefixDir ?? dirname(rootPath);
  }

  build(): NginxConfig {
    const { rootPath, fs, options, sources, syntax } = this;
    const loadedRoot = this.load(rootPath);
    const rootSource = (typeof loadedRoot === 'object' ? loadedRoot : undefined) ?? {
      path: rootPath,
      text: '',
      tree: this.parse(rootPath, ''),
    };
    if (!sources.has(rootPath)) {
      sources.set(rootPath, rootSource);
      syntax.set(rootPath, []);
    }
    let assumed = options.rootContext ?? guessFragmentContext(rootSource.tree);
    if (options.prefixDir === undefined && assumed) this.prefixDir = fragmentPrefix(fs, rootPath);
    else if (options.prefixDir === undefined && !options.rootContext) {
      const snippet = includesOnlySnippet(fs, rootPath, rootSource.tree, this.parse, options.includeRoots);
      if (snippet) ({ prefix: this.prefixDir, context: assumed } = snippet);
    }
    const root: NginxContext = newContext('main', 'main', null, null);
    // A fragment gets synthetic enclosing contexts so that inheritance and context checks work.
    let top = root;
    for (const kind of assumed ?? []) {
      const ctx: NginxContext = newContext(kind, familyOf(kind, top.family), null, top);
      top.children.push(ctx);
      top = ctx;
    }
    this.addIncluded(rootSource.tree.items, rootSource, top, [], [rootPath]);
    const { diagnostics, includedAt, unseen } = this;
    return {
      rootPath,
      root,
      sources,
      diagnostics,
      syntax,
      assumedContext: assumed,
      includedAt,
      unseenIncludes: unseen,
    };
  }

  /** A file's source, or why it was not loaded (a limit, or it cannot be read). */
  private load(path: string): NginxSource | 'limit' | undefined {
    const cached = this.sources.get(path);
    if (cached) return cached;
    if (this.stopped) return 'limit';
    const size = fileSize(this.fs, path);
    if (size === undefined) return undefined;
    if (this.sources.size >= this.maxFiles || this.readBytes + size > this.maxReadBytes) return 'limit';
    const text = this.fs.readFile(path);
    if (text === undefined) return undefined;
    this.readBytes += text.length;
    const template = recogniseTemplate(text) ?? undefined;
    const tree = this.parse(path, template ? template.text : text);
    const src: NginxSource = template ? { path, text, tree, template } : { path, text, tree };
    this.sources.set(path, src);
    this.syntax.set(path, tree.diagnostics);
    this.uncounted.push(src);
    return src;
  }

  /** How many directives a loaded file holds (see countDirectives). */
  private countOf(src: NginxSource): number {
    let n = this.statementsOf.get(src.path);
    if (n === undefined) this.statementsOf.set(src.path, (n = countDirectives(src.tree)));
    return n;
  }

  /** Bring the directive totals up to date with the files loaded so far. */
  private countLoaded(): void {
    for (const src of this.uncounted) this.distinctStatements += this.countOf(src);
    this.uncounted.length = 0;
    if (!this.rootCounted) {
      // The root's own directives count toward the expanded total.
      const root = this.sources.get(this.rootPath);
      if (root) this.expandedStatements += this.countOf(root);
      this.rootCounted = true;
    }
  }

  private report(
    stmt: NginxStatement,
    src: NginxSource,
    code: CheckId,
    message: string,
    severity: ModelDiagnostic['severity'],
  ): void {
    this.diagnostics.push({
      path: src.path,
      start: stmt.directive.start,
      end: stmt.directive.end,
      code,
      message,
      severity,
    });
  }

  private addIncluded(
    nodes: NginxNode[],
    src: NginxSource,
    ctx: NginxContext,
    via: NginxStatement[],
    stack: string[],
  ): void {
    let depth = 0;
    for (let c = ctx.parent; c; c = c.parent) depth++;
    addNodes(
      nodes,
      src,
      ctx,
      via,
      (stmt, at) => this.expandInclude(stmt, src, at, via, stack),
      depth,
      (stmt) =>
        this.report(
          stmt,
          src,
          'nginx/nesting-too-deep',
          `blocks nested deeper than ${MAX_CONTEXT_DEPTH} levels across includes: wslb does not read this block, so nothing inside it is checked`,
          'error',
        ),
    );
  }

  private expandInclude(
    stmt: NginxStatement,
    src: NginxSource,
    ctx: NginxContext,
    via: NginxStatement[],
    stack: string[],
  ): void {
    const pattern = stmt.args[0];
    if (pattern.includes('$')) return; // variables are not expanded by nginx's include either
    if (this.stopped) return;
    if (stack.length > this.maxDepth) {
      this.report(
        stmt,
        src,
        'nginx/include-depth',
        `include nesting deeper than ${this.maxDepth} levels; stopped here`,
        'error',
      );
      return;
    }
    const target = this.resolveInclude(stmt, src, pattern);
    if (target.paths.length === 0) {
      this.reportUnread(stmt, src, pattern, target);
      return;
    }
    for (const p of target.paths) {
      if (stack.includes(p)) {
        this.report(
          stmt,
          src,
          'nginx/include-cycle',
          `include cycle: ${[...stack.slice(stack.indexOf(p)), p].map((x) => clipWord(baseName(x))).join(' → ')}`,
          'error',
        );
        continue;
      }
      const inc = this.load(p);
      if (inc === undefined) continue;
      this.countLoaded();
      const limit = Math.max(this.minStatements, 8 * this.distinctStatements);
      if (inc === 'limit' || this.expandedStatements + this.countOf(inc) > limit) {
        this.stopped = true;
        this.report(stmt, src, 'nginx/include-limit', this.limitMessage(inc, limit), 'error');
        return;
      }
      this.expandedStatements += this.countOf(inc);
      if (!this.includedAt.has(p)) this.includedAt.set(p, ctx);
      this.addIncluded(inc.tree.items, inc, ctx, [...via, stmt], [...stack, p]);
    }
  }

  private limitMessage(inc: NginxSource | 'limit', limit: number): string {
    const { maxFiles, maxReadBytes } = this;
    return inc !== 'limit'
      ? `include: with its includes expanded this config would hold more than ${limit} directives (the same files included over and over); wslb stops expanding here and at every later include`
      : this.sources.size >= maxFiles
        ? `include: this config includes more than ${maxFiles} files; wslb stops reading here and at every later include`
        : `include: the files of this config exceed ${maxReadBytes % (1024 * 1024) ? `${maxReadBytes} bytes` : `${maxReadBytes / 1024 / 1024} MB`} in all; wslb stops reading here and at every later include`;
  }

  /** The files an include reads (a glob: those it matches), inside the checked roots. */
  private resolveInclude(stmt: NginxStatement, src: NginxSource, pattern: string): IncludeTarget {
    const { fs, prefixDir } = this;
    // nginx resolves a relative include against the configuration prefix, the main config's
    // directory, never against the including file's (ngx_conf_include() -> ngx_conf_full_name()
    // with cycle->conf_prefix; crossplane's includes-regular fixture shows it).
    // An absolute /etc/nginx/… include, checked in a copy of /etc/nginx, reads the copy's file.
    const c = pattern.startsWith('/')
      ? (inCopyOfInstallPrefix(fs, pattern, prefixDir) ?? pattern)
      : joinPath(prefixDir, pattern);
    const roots = this.options.includeRoots;
    // Inside the roots by name and, for a path that exists, by where its symbolic links lead.
    const inside = (p: string) => !roots || (isInsideRoots(p, roots) && isInsideRoots(fs.realPath?.(p) ?? p, roots));
    const target: IncludeTarget = { resolved: c, paths: [] };
    // A glob is listed only from its fixed leading folders, and only when they are inside.
    if (!inside(isGlob(c) ? globBase(c) : c)) {
      target.outside = c;
      return target;
    }
    let matched: string[];
    if (!isGlob(c)) matched = fileSize(fs, c) !== undefined ? [c] : [];
    else {
      const g = expandGlob(fs, c, this.maxGlobMatches);
      matched = g.paths;
      if (g.more)
        this.report(
          stmt,
          src,
          'nginx/include-limit',
          `include: "${clipWord(pattern)}" matches more than ${this.maxGlobMatches} files; wslb reads the first ${this.maxGlobMatches} (in name order) and not the rest`,
          'error',
        );
    }
    target.paths = matched.filter((p) => {
      if (inside(p)) return true;
      target.outside ??= p;
      return false;
    });
    const what = target.paths.length || isGlob(c) ? undefined : fs.refusal?.(c);
    if (what) target.refused = { path: c, what };
    return target;
  }

  /** An include that reads no file: a finding, or nothing when the file is only unseen from here. */
  private reportUnread(stmt: NginxStatement, src: NginxSource, pattern: string, target: IncludeTarget): void {
    const { resolved: c, outside, refused } = target;
    const prefixDir = this.prefixDir;
    // An absolute path outside the configuration's folder names a file of the machine the config
    // is deployed on (a repository's /etc/nginx/proxy.conf, a container's /config/nginx/ssl.conf):
    // it cannot be checked from here, so its absence is no finding (configSeenWhole() knows).
    const elsewhere = pattern.startsWith('/') && !c.startsWith(prefixDir === '/' ? '/' : `${prefixDir}/`);
    if (refused)
      this.report(
        stmt,
        src,
        'nginx/include-not-file',
        `include: "${clipWord(pattern)}" is a ${refused.what}, not a config file; not read`,
        'warning',
      );
    else if (outside !== undefined)
      this.report(
        stmt,
        src,
        'nginx/include-outside-root',
        `include: "${clipWord(pattern)}" leads outside the checked folders (to ${clipWord(outside, 80)}); not followed. ` +
          'Allow it with `wslb check --follow-outside-includes` or the wslb.followOutsideIncludes setting',
        'warning',
      );
    // (a glob there matching nothing here, /data/nginx/proxy_host/*.conf, is the same: unseen)
    else if (elsewhere) this.unseen++;
    // written at deploy time from a template the project keeps beside it: unseen, not missing
    else if (!isGlob(pattern) && generatedFromTemplate(this.fs, c, this.options.includeRoots)) this.unseen++;
    else if (!isGlob(pattern) && !shippedWithNginx(pattern))
      this.report(
        stmt,
        src,
        'nginx/include-not-found',
        `include: "${clipWord(pattern)}" was not found (looked in ${clipWord(dirname(c), 80)})`,
        'warning',
      );
  }
}
