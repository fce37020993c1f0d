/**
 * The nginx config model: one logical tree of contexts across all included files, and the
 * questions rules ask of it (effective values with their origin, upstream lookups, variables).
 *
 * Inheritance follows nginx's merge functions (e.g. ngx_http_proxy_merge_loc_conf in
 * src/http/modules/ngx_http_proxy_module.c): a scalar takes the nearest enclosing level that sets
 * it, else the default; an array directive such as proxy_set_header is taken from the nearest
 * level that sets ANY of it, as a whole (https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_set_header).
 */
import { recogniseTemplate, type TemplateInfo } from '../template';
import {
  NGINX_MAX_BLOCK_DEPTH,
  parseNginx,
  type NginxDirective,
  type NginxFile,
  type NginxNode,
} from '../syntax/nginx';
import type { SyntaxDiagnostic } from '../types';
import type { CheckId } from '../checks';
import { registerNginxCarry } from './nginx-carry';
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
import { clipWord } from '../words';
import { nginxCommands, nginxDirectivesForContext } from '../knowledge/nginx';

export type NginxContextKind =
  | 'main'
  | 'events'
  | 'http'
  | 'server'
  | 'location'
  | 'if'
  | 'limit_except'
  | 'upstream'
  | 'stream'
  | 'mail'
  | 'map'
  | 'geo'
  | 'types'
  | 'split_clients'
  | 'match'
  | 'charset_map'
  | 'raw'
  | 'other';

export type NginxFamily = 'main' | 'http' | 'stream' | 'mail';

/** Blocks whose bodies are data (keys and values), not directives. */
export const NGINX_DATA_BLOCKS: ReadonlySet<string> = new Set([
  'map',
  'geo',
  'types',
  'split_clients',
  'match',
  'charset_map',
]);

const BLOCK_KINDS: Record<string, NginxContextKind> = {
  events: 'events',
  http: 'http',
  server: 'server',
  location: 'location',
  if: 'if',
  limit_except: 'limit_except',
  upstream: 'upstream',
  stream: 'stream',
  mail: 'mail',
  map: 'map',
  geo: 'geo',
  types: 'types',
  split_clients: 'split_clients',
  match: 'match',
  charset_map: 'charset_map',
};

export interface NginxSource {
  path: string;
  text: string;
  /** Parsed from the text with its template placeholders neutralised (template.ts), when it has any. */
  tree: NginxFile;
  template?: TemplateInfo;
}

/** A directive as it stands in the logical config (after include expansion). */
export interface NginxStatement {
  directive: NginxDirective;
  name: string;
  args: string[];
  source: NginxSource;
  context: NginxContext;
  /** The include directives that brought this statement in, outermost first. */
  includedVia: NginxStatement[];
  /** The context this statement opens, if it has a block. */
  block: NginxContext | null;
}

export interface NginxContext {
  kind: NginxContextKind;
  family: NginxFamily;
  statement: NginxStatement | null;
  parent: NginxContext | null;
  statements: NginxStatement[];
  children: NginxContext[];
  /**
   * The statements by name, in order, for a block of more than INDEX_FROM statements (null for
   * smaller ones, where a scan is as fast as a hash lookup and costs no memory). Read it through
   * statementsNamed / firstNamed.
   */
  byName: Map<string, NginxStatement[]> | null;
}

/** Blocks with more statements than this get a name index (see NginxContext.byName). */
const INDEX_FROM = 8;

/** Add a statement to a context and its name index. */
function addStatement(ctx: NginxContext, stmt: NginxStatement): void {
  const list = ctx.statements;
  list.push(stmt);
  if (ctx.byName) {
    const same = ctx.byName.get(stmt.name);
    if (same) same.push(stmt);
    else ctx.byName.set(stmt.name, [stmt]);
  } else if (list.length > INDEX_FROM) {
    const index = new Map<string, NginxStatement[]>();
    for (const s of list) {
      const same = index.get(s.name);
      if (same) same.push(s);
      else index.set(s.name, [s]);
    }
    ctx.byName = index;
  }
}

/** The statements of `ctx` named `name`, in order (a shared list or a fresh one: do not modify). */
export function statementsNamed(ctx: NginxContext, name: string): readonly NginxStatement[] {
  if (ctx.byName) return ctx.byName.get(name) ?? NO_STATEMENTS;
  let out: NginxStatement[] | null = null;
  for (const s of ctx.statements) if (s.name === name) (out ??= []).push(s);
  return out ?? NO_STATEMENTS;
}

/** The first statement of `ctx` named `name`. */
export function firstNamed(ctx: NginxContext, name: string): NginxStatement | undefined {
  if (ctx.byName) return ctx.byName.get(name)?.[0];
  for (const s of ctx.statements) if (s.name === name) return s;
  return undefined;
}

const NO_STATEMENTS: readonly NginxStatement[] = Object.freeze([]);

/**
 * A statement. `args` (the words' values) is read from the tree on first use and cached: most
 * statements are only looked up by name.
 */
class Statement implements NginxStatement {
  directive: NginxDirective;
  name: string;
  source: NginxSource;
  context: NginxContext;
  includedVia: NginxStatement[];
  block: NginxContext | null = null;
  #args: string[] | undefined = undefined;

  constructor(directive: NginxDirective, source: NginxSource, context: NginxContext, includedVia: NginxStatement[]) {
    this.directive = directive;
    this.name = directive.name;
    this.source = source;
    this.context = context;
    this.includedVia = includedVia;
  }

  get args(): string[] {
    if (this.#args === undefined) {
      const words = this.directive.args;
      const out = new Array<string>(words.length);
      for (let i = 0; i < words.length; i++) out[i] = words[i].value;
      this.#args = out;
    }
    return this.#args;
  }

  toJSON(): object {
    return { name: this.name, args: this.args, path: this.source.path, start: this.directive.start };
  }
}

function newContext(
  kind: NginxContextKind,
  family: NginxFamily,
  statement: NginxStatement | null,
  parent: NginxContext | null,
): NginxContext {
  return { kind, family, statement, parent, statements: [], children: [], byName: null };
}

export interface ModelDiagnostic {
  path: string;
  start: number;
  end: number;
  code: string;
  message: string;
  severity: 'error' | 'warning' | 'information' | 'hint';
}

export interface NginxConfig {
  rootPath: string;
  root: NginxContext;
  /** Every file of the graph, root first. */
  sources: Map<string, NginxSource>;
  diagnostics: ModelDiagnostic[];
  /** Syntax diagnostics of every file, by path. */
  syntax: Map<string, SyntaxDiagnostic[]>;
  /** True when the root file is a fragment analysed in an assumed context. */
  assumedContext: NginxContextKind[] | null;
  /** For each included file, the context of the first include that brought it in. */
  includedAt: Map<string, NginxContext>;
  /**
   * Includes of files that are not here and not reported (absolute paths of the deployment host,
   * outside the configuration's folder): what they define is unknown. See configSeenWhole().
   */
  unseenIncludes?: number;
}

/** Is every included file of the config read (no include missing, reported or not)? */
export function configSeenWhole(config: NginxConfig): boolean {
  return !config.unseenIncludes && !config.diagnostics.some((d) => UNREAD_INCLUDE_CODES.has(d.code));
}

/**
 * Codes of an include whose files were not read (missing, not a regular file, or outside the
 * checked roots): what they define is unknown, so rules that need the whole config stay silent.
 */
export const UNREAD_INCLUDE_CODES: ReadonlySet<string> = new Set([
  'nginx/include-not-found',
  'nginx/include-not-file',
  'nginx/include-outside-root',
  'nginx/include-limit',
]);

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
/**
 * Files that nginx packages install beside nginx.conf: an include of one of them is taken as
 * present when the checked folder lacks it (a copied site file, a container's config folder).
 * nginx's own tarball (conf/): fastcgi.conf, fastcgi_params, koi-utf, koi-win, mime.types,
 * scgi_params, uwsgi_params, win-utf; Debian/Ubuntu's nginx-common adds proxy_params and
 * snippets/fastcgi-php.conf, snippets/snakeoil.conf.
 */
const NGINX_PACKAGE_FILES = [
  'fastcgi.conf',
  'fastcgi_params',
  'koi-utf',
  'koi-win',
  'mime.types',
  'scgi_params',
  'uwsgi_params',
  'win-utf',
  'proxy_params',
  'snippets/fastcgi-php.conf',
  'snippets/snakeoil.conf',
];

/** Is this include (relative, or absolute under an nginx folder) one of the files packages ship? */
/**
 * Where nginx packages put the configuration (its `--conf-path` folder): Debian/Ubuntu and most
 * distributions, the default `./configure` prefix, FreeBSD and Homebrew.
 */
const INSTALL_PREFIXES = ['/etc/nginx/', '/usr/local/nginx/conf/', '/usr/local/etc/nginx/', '/opt/homebrew/etc/nginx/'];

/**
 * An absolute include into the installed configuration folder, read in a copy of that folder (a
 * repository's `deploy/nginx/`, a fixture): the same file of the copy, when the copy has it (a glob:
 * always, as a glob that matches nothing is no error for nginx). Undefined when it does not apply.
 */
export function inCopyOfInstallPrefix(fs: ConfigFileSystem, pattern: string, prefixDir: string): string | undefined {
  const installed = INSTALL_PREFIXES.find((p) => pattern.startsWith(p));
  if (!installed || `${prefixDir}/` === installed) return undefined;
  const copy = joinPath(prefixDir, pattern.slice(installed.length));
  if (isGlob(copy)) return copy;
  return fileSize(fs, copy) !== undefined ? copy : undefined;
}

export function shippedWithNginx(pattern: string): boolean {
  const p = pattern.replace(/^\.\//, '');
  return NGINX_PACKAGE_FILES.some((f) => p === f || (p.startsWith('/') && p.endsWith(`/nginx/${f}`)));
}

/**
 * The configuration prefix for a fragment checked on its own: the nearest folder, from its own up,
 * that holds an nginx.conf (a site file in /etc/nginx/sites-enabled includes `snippets/…` from
 * /etc/nginx), else the fragment's folder.
 */
/**
 * A file of `include` lines only, not named nginx.conf, below a folder that holds one (H5BP's
 * h5bp/basic.conf, included in its server blocks) is a snippet: its includes resolve against
 * that folder (the prefix), and it stands in the deepest block its included files need (each
 * guessed like a fragment). Null when it is not such a file or no included file tells.
 */
function includesOnlySnippet(
  fs: ConfigFileSystem,
  path: string,
  tree: NginxFile,
  parse: (path: string, text: string) => NginxFile,
  roots: readonly string[] | undefined,
): { prefix: string; context: NginxContextKind[] } | null {
  if (/(^|\/)nginx\.conf$/.test(path)) return null;
  const includes = tree.items.filter((n): n is NginxDirective => n.type === 'directive');
  if (!includes.length || includes.some((d) => d.name !== 'include')) return null;
  const prefix = fragmentPrefix(fs, path);
  if (prefix === dirname(path)) return null;
  let best: NginxContextKind[] | null = null;
  for (const d of includes) {
    const pattern = d.args[0]?.value ?? '';
    if (!pattern || pattern.includes('$') || isGlob(pattern)) continue;
    const p = pattern.startsWith('/') ? pattern : joinPath(prefix, pattern);
    if (roots && !isInsideRoots(p, roots)) continue;
    const text = fs.readFile(p);
    const guess = text === undefined ? null : guessFragmentContext(parse(p, text));
    if (guess && (!best || guess.length > best.length)) best = guess;
  }
  return best ? { prefix, context: best } : null;
}

function fragmentPrefix(fs: ConfigFileSystem, path: string): string {
  for (let d = dirname(path); ;) {
    if (fs.readFile(joinPath(d, 'nginx.conf')) !== undefined) return d;
    const up = dirname(d);
    if (up === d) return dirname(path);
    d = up;
  }
}

export function buildNginxConfig(rootPath: string, fs: ConfigFileSystem, options: BuildOptions = {}): NginxConfig {
  const parse = options.parse ?? defaultParse;
  const maxDepth = options.maxIncludeDepth ?? 32;
  const maxFiles = options.maxFiles ?? 2000;
  const maxGlobMatches = options.maxGlobMatches ?? 2000;
  const maxReadBytes = options.maxReadBytes ?? 32 * 1024 * 1024;
  const minStatements = options.maxStatements ?? 100_000;
  const sources = new Map<string, NginxSource>();
  const syntax = new Map<string, SyntaxDiagnostic[]>();
  const diagnostics: ModelDiagnostic[] = [];
  let prefixDir = options.prefixDir ?? dirname(rootPath);
  const includedAt = new Map<string, NginxContext>();
  // The work budget (see BuildOptions): what was read, what the includes expanded to.
  let readBytes = 0;
  let distinctStatements = 0;
  let expandedStatements = 0;
  const statementsOf = new Map<string, number>();
  /** Set when a limit stopped the reading: the first include it stopped is reported, no later one. */
  let stopped = false;
  let unseen = 0;

  /** A file's source, or why it was not loaded (a limit, or it cannot be read). */
  const load = (path: string): NginxSource | 'limit' | undefined => {
    const cached = sources.get(path);
    if (cached) return cached;
    if (stopped) return 'limit';
    const size = fileSize(fs, path);
    if (size === undefined) return undefined;
    if (sources.size >= maxFiles || readBytes + size > maxReadBytes) return 'limit';
    const text = fs.readFile(path);
    if (text === undefined) return undefined;
    readBytes += text.length;
    const template = recogniseTemplate(text) ?? undefined;
    const tree = parse(path, template ? template.text : text);
    const src: NginxSource = template ? { path, text, tree, template } : { path, text, tree };
    sources.set(path, src);
    syntax.set(path, tree.diagnostics);
    const count = countDirectives(tree);
    statementsOf.set(path, count);
    distinctStatements += count;
    return src;
  };

  const loadedRoot = load(rootPath);
  const rootSource = (typeof loadedRoot === 'object' ? loadedRoot : undefined) ?? {
    path: rootPath,
    text: '',
    tree: parse(rootPath, ''),
  };
  if (!sources.has(rootPath)) {
    sources.set(rootPath, rootSource);
    syntax.set(rootPath, []);
  }
  // The root's own directives count toward the expanded total.
  expandedStatements = statementsOf.get(rootPath) ?? 0;

  let assumed = options.rootContext ?? guessFragmentContext(rootSource.tree);
  if (options.prefixDir === undefined && assumed) prefixDir = fragmentPrefix(fs, rootPath);
  else if (options.prefixDir === undefined && !options.rootContext) {
    const snippet = includesOnlySnippet(fs, rootPath, rootSource.tree, parse, options.includeRoots);
    if (snippet) ({ prefix: prefixDir, context: assumed } = snippet);
  }
  const root: NginxContext = newContext('main', 'main', null, null);
  // A fragment gets synthetic enclosing contexts so that inheritance and context checks work.
  let top = root;
  for (const kind of assumed ?? []) {
    const ctx: NginxContext = newContext(kind, familyOf(kind, top.family), null, top);
    top.children.push(ctx);
    top = ctx;
  }

  const expandInclude = (
    stmt: NginxStatement,
    src: NginxSource,
    ctx: NginxContext,
    via: NginxStatement[],
    stack: string[],
  ) => {
    const pattern = stmt.args[0];
    const report = (code: CheckId, message: string, severity: ModelDiagnostic['severity']) =>
      void diagnostics.push({
        path: src.path,
        start: stmt.directive.start,
        end: stmt.directive.end,
        code,
        message,
        severity,
      });
    if (pattern.includes('$')) return; // variables are not expanded by nginx's include either
    if (stopped) return;
    if (stack.length > maxDepth) {
      report('nginx/include-depth', `include nesting deeper than ${maxDepth} levels; stopped here`, 'error');
      return;
    }
    // nginx resolves a relative include against the configuration prefix, the main config's
    // directory, never against the including file's (ngx_conf_include() -> ngx_conf_full_name()
    // with cycle->conf_prefix; crossplane's includes-regular fixture shows it).
    // An absolute /etc/nginx/… include, checked in a copy of /etc/nginx, reads the copy's file.
    const c = pattern.startsWith('/')
      ? (inCopyOfInstallPrefix(fs, pattern, prefixDir) ?? pattern)
      : joinPath(prefixDir, pattern);
    const roots = options.includeRoots;
    // Inside the roots by name and, for a path that exists, by where its symbolic links lead.
    const inside = (p: string) => !roots || (isInsideRoots(p, roots) && isInsideRoots(fs.realPath?.(p) ?? p, roots));
    let paths: string[] = [];
    let outside: string | undefined;
    let refused: { path: string; what: NotARegularFile } | undefined;
    // A glob is listed only from its fixed leading folders, and only when they are inside.
    if (!inside(isGlob(c) ? globBase(c) : c)) outside = c;
    else {
      let matched: string[];
      if (!isGlob(c)) matched = fileSize(fs, c) !== undefined ? [c] : [];
      else {
        const g = expandGlob(fs, c, maxGlobMatches);
        matched = g.paths;
        if (g.more)
          report(
            'nginx/include-limit',
            `include: "${clipWord(pattern)}" matches more than ${maxGlobMatches} files; wslb reads the first ${maxGlobMatches} (in name order) and not the rest`,
            'error',
          );
      }
      paths = matched.filter((p) => {
        if (inside(p)) return true;
        outside ??= p;
        return false;
      });
      const what = paths.length || isGlob(c) ? undefined : fs.refusal?.(c);
      if (what) refused = { path: c, what };
    }
    if (paths.length === 0) {
      // An absolute path outside the configuration's folder names a file of the machine the config
      // is deployed on (a repository's /etc/nginx/proxy.conf, a container's /config/nginx/ssl.conf):
      // it cannot be checked from here, so its absence is no finding (configSeenWhole() knows).
      const elsewhere = pattern.startsWith('/') && !c.startsWith(prefixDir === '/' ? '/' : `${prefixDir}/`);
      if (refused)
        report(
          'nginx/include-not-file',
          `include: "${clipWord(pattern)}" is a ${refused.what}, not a config file; not read`,
          'warning',
        );
      else if (outside !== undefined)
        report(
          'nginx/include-outside-root',
          `include: "${clipWord(pattern)}" leads outside the checked folders (to ${clipWord(outside, 80)}); not followed. ` +
            'Allow it with `wslb check --follow-outside-includes` or the wslb.followOutsideIncludes setting',
          'warning',
        );
      // (a glob there matching nothing here, /data/nginx/proxy_host/*.conf, is the same: unseen)
      else if (elsewhere) unseen++;
      // written at deploy time from a template the project keeps beside it: unseen, not missing
      else if (!isGlob(pattern) && generatedFromTemplate(fs, c, options.includeRoots)) unseen++;
      else if (!isGlob(pattern) && !shippedWithNginx(pattern))
        report(
          'nginx/include-not-found',
          `include: "${clipWord(pattern)}" was not found (looked in ${clipWord(dirname(c), 80)})`,
          'warning',
        );
      return;
    }
    for (const p of paths) {
      if (stack.includes(p)) {
        report(
          'nginx/include-cycle',
          `include cycle: ${[...stack.slice(stack.indexOf(p)), p].map((x) => clipWord(baseName(x))).join(' → ')}`,
          'error',
        );
        continue;
      }
      const inc = load(p);
      if (inc === undefined) continue;
      const limit = Math.max(minStatements, 8 * distinctStatements);
      if (inc === 'limit' || expandedStatements + statementsOf.get(p)! > limit) {
        stopped = true;
        report(
          'nginx/include-limit',
          inc !== 'limit'
            ? `include: with its includes expanded this config would hold more than ${limit} directives (the same files included over and over); wslb stops expanding here and at every later include`
            : sources.size >= maxFiles
              ? `include: this config includes more than ${maxFiles} files; wslb stops reading here and at every later include`
              : `include: the files of this config exceed ${maxReadBytes % (1024 * 1024) ? `${maxReadBytes} bytes` : `${maxReadBytes / 1024 / 1024} MB`} in all; wslb stops reading here and at every later include`,
          'error',
        );
        return;
      }
      expandedStatements += statementsOf.get(p)!;
      if (!includedAt.has(p)) includedAt.set(p, ctx);
      addIncluded(inc.tree.items, inc, ctx, [...via, stmt], [...stack, p]);
    }
  };

  const addIncluded = (
    nodes: NginxNode[],
    src: NginxSource,
    ctx: NginxContext,
    via: NginxStatement[],
    stack: string[],
  ) => {
    let depth = 0;
    for (let c = ctx.parent; c; c = c.parent) depth++;
    addNodes(
      nodes,
      src,
      ctx,
      via,
      (stmt, at) => expandInclude(stmt, src, at, via, stack),
      depth,
      (stmt) =>
        diagnostics.push({
          path: src.path,
          start: stmt.directive.start,
          end: stmt.directive.end,
          code: 'nginx/nesting-too-deep',
          message: `blocks nested deeper than ${MAX_CONTEXT_DEPTH} levels across includes: wslb does not read this block, so nothing inside it is checked`,
          severity: 'error',
        }),
    );
  };
  addIncluded(rootSource.tree.items, rootSource, top, [], [rootPath]);
  return { rootPath, root, sources, diagnostics, syntax, assumedContext: assumed, includedAt, unseenIncludes: unseen };
}

/**
 * Contexts nested deeper than this (counting the blocks of including files) are not built: the
 * model and the rules walk contexts recursively. One file alone never reaches it (the parser keeps
 * blocks deeper than NGINX_MAX_BLOCK_DEPTH unread); only includes nested inside blocks do.
 */
const MAX_CONTEXT_DEPTH = 2 * NGINX_MAX_BLOCK_DEPTH;

/** How many directives a file holds (outside data and raw blocks, as addNodes adds them). */
function countDirectives(tree: NginxFile): number {
  let n = 0;
  const lists: NginxNode[][] = [tree.items];
  while (lists.length) {
    for (const node of lists.pop()!) {
      if (node.type !== 'directive') continue;
      n++;
      if (node.block && !node.block.rawBody && !NGINX_DATA_BLOCKS.has(node.name)) lists.push(node.block.items);
    }
  }
  return n;
}

/** Statements (and the contexts their blocks open) for `nodes` in `ctx`; includes go to `onInclude`. */
function addNodes(
  nodes: NginxNode[],
  src: NginxSource,
  ctx: NginxContext,
  via: NginxStatement[],
  onInclude: (stmt: NginxStatement, ctx: NginxContext) => void,
  /** How many contexts enclose `ctx`. */
  depth: number,
  /** A block too deep to walk (see NGINX_MAX_BLOCK_DEPTH): it is kept, unread. */
  onTooDeep: (stmt: NginxStatement) => void,
): void {
  for (const node of nodes) {
    if (node.type !== 'directive') continue;
    const stmt = new Statement(node, src, ctx, via);
    addStatement(ctx, stmt);
    if (node.block) {
      const kind = node.block.rawBody ? 'raw' : (BLOCK_KINDS[node.name] ?? 'other');
      const child: NginxContext = newContext(kind, familyOf(kind, ctx.family), stmt, ctx);
      stmt.block = child;
      ctx.children.push(child);
      if (NGINX_DATA_BLOCKS.has(node.name) || node.block.rawBody) continue;
      // Includes nest files inside blocks: bound the depth of the whole tree, not only of each file.
      if (depth + 1 >= MAX_CONTEXT_DEPTH) onTooDeep(stmt);
      else addNodes(node.block.items, src, child, via, onInclude, depth + 1, onTooDeep);
    } else if (node.name === 'include' && !NGINX_DATA_BLOCKS.has(ctx.kind) && node.args.length === 1) {
      onInclude(stmt, ctx);
    }
  }
}

/**
 * The context of `stmt`'s block built again from the tree (after an edit inside it), in place of
 * the old one among its parent's children; `stmt` is kept. Returns null, changing nothing, when the
 * block holds an `include` (those need the whole build). The walks cached for the enclosing
 * contexts are dropped; facts cached per config are the caller's business (nginx-incremental.ts).
 */
export function rebuildNginxBlock(stmt: NginxStatement): NginxContext | null {
  const node = stmt.directive;
  const old = stmt.block;
  if (!node.block || node.block.rawBody || !old || NGINX_DATA_BLOCKS.has(node.name)) return null;
  const parent = stmt.context;
  const fresh = newContext(old.kind, old.family, stmt, parent);
  let include = false;
  let depth = 0;
  for (let c: NginxContext | null = parent; c; c = c.parent) depth++;
  // An include, or a block too deep (its finding comes from the whole build): build it all again.
  const whole = () => (include = true);
  addNodes(node.block.items, stmt.source, fresh, stmt.includedVia, whole, depth, whole);
  if (include) return null;
  const i = parent.children.indexOf(old);
  if (i < 0) return null;
  parent.children[i] = fresh;
  stmt.block = fresh;
  for (let c: NginxContext | null = parent; c; c = c.parent) {
    contextLists.delete(c);
    statementLists.delete(c);
    kindLists.delete(c);
  }
  return fresh;
}

/** What template files are named with: `listen.conf.template`, `listen.gotmpl`, `listen.conf.j2`, ... */
const TEMPLATE_EXTENSIONS = [
  'template',
  'tmpl',
  'tpl',
  'gotmpl',
  'j2',
  'jinja',
  'jinja2',
  'erb',
  'mustache',
  'ctmpl',
  'in',
];

/**
 * The template a missing include is written from at deploy time, if the checked folders hold one:
 * a file named like the include plus a template extension (`default.conf.template`, the official
 * nginx image's envsubst convention; `listen.conf.j2`), or with the include's `.conf` replaced by
 * one (`listen.gotmpl`, rendered by tempio in Frigate's image), in the include's folder or in a
 * `templates` folder there or one level up (`/etc/nginx/templates`, `…/nginx/templates`).
 */
function generatedFromTemplate(
  fs: ConfigFileSystem,
  path: string,
  roots: readonly string[] | undefined,
): string | null {
  const dir = dirname(path);
  const base = baseName(path);
  const stem = base.replace(/\.conf$/, '');
  const dirs = [dir, joinPath(dir, 'templates'), joinPath(dirname(dir), 'templates')];
  for (const d of dirs) {
    if (roots && !isInsideRoots(d, roots)) continue;
    for (const ext of TEMPLATE_EXTENSIONS)
      for (const name of stem === base ? [`${base}.${ext}`] : [`${base}.${ext}`, `${stem}.${ext}`]) {
        const candidate = joinPath(d, name);
        if (fileSize(fs, candidate) !== undefined) return candidate;
      }
  }
  return null;
}

function baseName(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

function familyOf(kind: NginxContextKind, parent: NginxFamily): NginxFamily {
  if (kind === 'http' || kind === 'stream' || kind === 'mail') return kind;
  return parent;
}

/**
 * A file that is not a whole nginx.conf (it has directives that cannot stand at main level) is a
 * fragment: guess where it is included from its content. Returns null for a main config.
 */
export function guessFragmentContext(tree: NginxFile): NginxContextKind[] | null {
  const names = new Set<string>();
  for (const n of tree.items) if (n.type === 'directive') names.add(n.name);
  if (names.size === 0) return null;
  const mainish = [
    'http',
    'events',
    'stream',
    'mail',
    'worker_processes',
    'user',
    'pid',
    'load_module',
    'error_log',
    'include',
    'worker_rlimit_nofile',
    'env',
    'daemon',
    'worker_shutdown_timeout',
    'pcre_jit',
    'thread_pool',
    'master_process',
    'lock_file',
    'worker_cpu_affinity',
    'worker_priority',
    'timer_resolution',
    'working_directory',
    'ssl_engine',
    'google_perftools_profiles',
    'debug_points',
    'ssl_object_cache_inheritable', // main only, since 1.27.4
  ];
  if ([...names].every((n) => mainish.includes(n))) return null;
  const locationLevel = [
    'proxy_pass',
    'root',
    'try_files',
    'return',
    'rewrite',
    'alias',
    'fastcgi_pass',
    'uwsgi_pass',
    'grpc_pass',
    'proxy_set_header',
  ];
  // `map`, `upstream`, `log_format` belong in http only: with them a top-level `location` is the
  // stray one (a template's partials), not a sign that the whole file is a server's body
  const httpOnly = names.has('map') || names.has('upstream') || names.has('log_format');
  if (!httpOnly && (names.has('location') || names.has('listen') || names.has('server_name')))
    return ['http', 'server'];
  if (names.has('server') || names.has('upstream') || names.has('map') || names.has('log_format')) {
    // stream servers have proxy_pass without a scheme and listen with port only; look inside
    for (const n of tree.items) {
      if (n.type === 'directive' && n.name === 'server' && n.block) {
        const inner = new Set(
          n.block.items.filter((c): c is NginxDirective => c.type === 'directive').map((c) => c.name),
        );
        if (inner.has('location') || inner.has('server_name')) return ['http'];
        if (inner.has('proxy_pass') && !inner.has('location')) {
          const pp = n.block.items.find((c): c is NginxDirective => c.type === 'directive' && c.name === 'proxy_pass');
          if (pp && !/^https?:\/\//.test(pp.args[0]?.value ?? '')) return ['stream'];
        }
      }
    }
    return ['http'];
  }
  if ([...names].some((n) => locationLevel.includes(n))) return ['http', 'server', 'location'];
  // Otherwise the outermost block that accepts every directive the file holds: a snippet of
  // `set` and `if` (Nginx Proxy Manager's force-ssl.conf, block-exploits.conf) is a server's
  // body, since nginx allows neither in http (ngx_http_rewrite_module: context server, location).
  for (const ctx of FRAGMENT_CONTEXTS) {
    const allowed = directivesAllowedIn(ctx);
    if ([...names].every((n) => allowed.has(n) || nginxCommands(n).length === 0)) return ctx;
  }
  return ['http'];
}

const FRAGMENT_CONTEXTS: NginxContextKind[][] = [['http'], ['http', 'server'], ['http', 'server', 'location']];
const allowedCache = new Map<string, Set<string>>();
function directivesAllowedIn(ctx: readonly string[]): Set<string> {
  const key = ctx.join(' ');
  let set = allowedCache.get(key);
  if (!set) allowedCache.set(key, (set = new Set(nginxDirectivesForContext(ctx))));
  return set;
}

// ---------------------------------------------------------------------------------------------
// Queries

const contextLists = new WeakMap<NginxContext, readonly NginxContext[]>();
const statementLists = new WeakMap<NginxContext, readonly NginxStatement[]>();

/** `ctx` and every context under it, depth first (computed once per context; do not modify). */
export function walkContexts(ctx: NginxContext): readonly NginxContext[] {
  let list = contextLists.get(ctx);
  if (!list) {
    const out: NginxContext[] = [];
    const visit = (c: NginxContext) => {
      out.push(c);
      for (const k of c.children) visit(k);
    };
    visit(ctx);
    contextLists.set(ctx, (list = out));
  }
  return list;
}

/** Every statement under `ctx` in source order, blocks right after their statement (computed once; do not modify). */
export function walkStatements(ctx: NginxContext): readonly NginxStatement[] {
  let list = statementLists.get(ctx);
  if (!list) {
    const out: NginxStatement[] = [];
    const visit = (c: NginxContext) => {
      for (const s of c.statements) {
        out.push(s);
        if (s.block) visit(s.block);
      }
      // the synthetic contexts a fragment is analysed in hang off the root without a statement
      for (const k of c.children) if (!k.statement) visit(k);
    };
    visit(ctx);
    statementLists.set(ctx, (list = out));
  }
  return list;
}

const kindLists = new WeakMap<NginxContext, Map<string, NginxContext[]>>();

export function contextsOfKind(config: NginxConfig, kind: NginxContextKind, family?: NginxFamily): NginxContext[] {
  let byKind = kindLists.get(config.root);
  if (!byKind) {
    byKind = new Map();
    for (const c of walkContexts(config.root)) {
      const list = byKind.get(c.kind);
      if (list) list.push(c);
      else byKind.set(c.kind, [c]);
    }
    kindLists.set(config.root, byKind);
  }
  const all = byKind.get(kind) ?? [];
  return family ? all.filter((c) => c.family === family) : [...all];
}

/** The chain of contexts nginx merges from, innermost first: location → outer locations → server → http. */
export function inheritanceChain(ctx: NginxContext): NginxContext[] {
  const chain: NginxContext[] = [];
  for (let c: NginxContext | null = ctx; c; c = c.parent) {
    chain.push(c);
    if (c.kind === 'upstream' || c.kind === 'events' || NGINX_DATA_BLOCKS.has(c.kind)) break;
  }
  return chain;
}

export function findStatements(ctx: NginxContext, name: string): NginxStatement[] {
  return [...statementsNamed(ctx, name)];
}

export interface EffectiveValue {
  /** The arguments in effect, or null when nothing sets it and no default is known. */
  args: string[] | null;
  source: 'here' | 'inherited' | 'default';
  statement?: NginxStatement;
  /** Human text for the default ("nginx 1.22 default"). */
  defaultNote?: string;
}

export type DefaultLookup = (name: string, family: NginxFamily) => { value: string; note: string } | undefined;

/** The effective value of a scalar directive at `ctx`, following nginx's inheritance. */
export function effectiveValue(ctx: NginxContext, name: string, defaults?: DefaultLookup): EffectiveValue {
  for (const c of inheritanceChain(ctx)) {
    const found = firstNamed(c, name);
    if (found) return { args: found.args, source: c === ctx ? 'here' : 'inherited', statement: found };
  }
  const d = defaults?.(name, ctx.family);
  if (d) return { args: d.value.split(/\s+/).filter(Boolean), source: 'default', defaultNote: d.note };
  return { args: null, source: 'default' };
}

export interface EffectiveList {
  statements: NginxStatement[];
  /** Where the list comes from; null when nothing in the chain sets it (nginx's built-in default applies). */
  from: NginxContext | null;
  source: 'here' | 'inherited' | 'default';
}

/** An array directive (proxy_set_header, add_header...) is inherited whole, only when this level sets none. */
export function effectiveList(ctx: NginxContext, name: string): EffectiveList {
  for (const c of inheritanceChain(ctx)) {
    const found = statementsNamed(c, name);
    if (found.length) return { statements: [...found], from: c, source: c === ctx ? 'here' : 'inherited' };
  }
  return { statements: [], from: null, source: 'default' };
}

/** The effective proxy_set_header value for a header (case-insensitive), with its statement. */
export function effectiveProxyHeader(
  ctx: NginxContext,
  header: string,
): { value: string | null; statement?: NginxStatement; list: EffectiveList } {
  const list = effectiveList(ctx, 'proxy_set_header');
  const h = header.toLowerCase();
  for (let i = list.statements.length - 1; i >= 0; i--) {
    const s = list.statements[i];
    if (s.args[0]?.toLowerCase() === h) return { value: s.args[1] ?? '', statement: s, list };
  }
  return { value: null, list };
}

/** Block kinds from the top down to `ctx` (main excluded), e.g. ['http','server','location']. */
export function contextPath(ctx: NginxContext): NginxContextKind[] {
  const out: NginxContextKind[] = [];
  for (let c: NginxContext | null = ctx; c && c.kind !== 'main'; c = c.parent) out.unshift(c.kind);
  return out;
}

export function enclosing(ctx: NginxContext, kind: NginxContextKind): NginxContext | null {
  for (let c: NginxContext | null = ctx; c; c = c.parent) if (c.kind === kind) return c;
  return null;
}

const upstreamIndex = new WeakMap<NginxConfig, Map<string, NginxContext>>();
// An incremental update keeps every upstream and variable definition (nginx-incremental.ts checks it).
registerNginxCarry((from, to) => {
  const u = upstreamIndex.get(from);
  if (u) upstreamIndex.set(to, u);
  const v = variableCache.get(from);
  if (v) variableCache.set(to, v);
});

/** The `upstream` named `name` in the same family (http or stream), if any (the first one declared). */
export function findUpstream(config: NginxConfig, name: string, family: NginxFamily): NginxContext | undefined {
  let index = upstreamIndex.get(config);
  if (!index) {
    index = new Map();
    for (const u of contextsOfKind(config, 'upstream')) {
      const key = `${u.family}\0${u.statement?.args[0] ?? ''}`;
      if (!index.has(key)) index.set(key, u);
    }
    upstreamIndex.set(config, index);
  }
  return index.get(`${family}\0${name}`);
}

/** Parse `proxy_pass` / `grpc_pass` targets: scheme and host (upstream name or address). */
export function parseProxyTarget(url: string): {
  scheme: string | null;
  host: string;
  port: string | null;
  rest: string;
  hasVariables: boolean;
} {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/:?]*)(?::([^/?]*))?(.*)$/.exec(url);
  if (!m) return { scheme: null, host: url, port: null, rest: '', hasVariables: url.includes('$') };
  return { scheme: m[1].toLowerCase(), host: m[2], port: m[3] ?? null, rest: m[4], hasVariables: url.includes('$') };
}

/** Variables defined by the config: map/geo/split_clients targets, set, and module-provided setters. */
const variableCache = new WeakMap<NginxConfig, Map<string, NginxStatement>>();

/** (Computed once per config; callers must not modify the map.) */
export function definedVariables(config: NginxConfig): Map<string, NginxStatement> {
  const cached = variableCache.get(config);
  if (cached) return cached;
  const out = new Map<string, NginxStatement>();
  variableCache.set(config, out);
  for (const s of walkStatements(config.root)) {
    let v: string | undefined;
    switch (s.name) {
      case 'map':
      case 'split_clients':
        v = s.args[1];
        break;
      case 'geo':
        v = s.args.length >= 2 ? s.args[1] : s.args[0];
        break;
      case 'set':
      case 'perl_set':
      case 'js_set':
      case 'set_real_ip_from':
        v = s.name === 'set_real_ip_from' ? undefined : s.args[0];
        break;
      case 'auth_request_set':
        v = s.args[0];
        break;
    }
    if (v && v.startsWith('$')) {
      const name = v.slice(1).replace(/^\{(.*)\}$/, '$1');
      if (!out.has(name)) out.set(name, s);
    }
  }
  // Named captures in location/if/map regexes define variables too: (?<name>...) and (?P<name>...),
  // including the regex keys inside a map's body (data, so not statements of the model).
  const captures = (s: NginxStatement, a: string) => {
    if (a.indexOf('(?') < 0) return; // most words have no group at all
    for (const m of a.matchAll(/\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/g)) if (!out.has(m[1])) out.set(m[1], s);
  };
  for (const s of walkStatements(config.root)) {
    for (const a of s.args) captures(s, a);
    if (s.name === 'map' && s.directive.block)
      for (const c of s.directive.block.items) if (c.type === 'directive') captures(s, c.name);
  }
  return out;
}

/** `$name` / `${name}` references in an argument, with offsets relative to the argument value. */
export function variableRefs(arg: string): { name: string; index: number; length: number }[] {
  const out: { name: string; index: number; length: number }[] = [];
  if (arg.indexOf('$') < 0) return out;
  const re = /\$(?:\{([A-Za-z0-9_]+)\}|([A-Za-z_][A-Za-z0-9_]*))/g;
  for (const m of arg.matchAll(re)) out.push({ name: m[1] ?? m[2], index: m.index ?? 0, length: m[0].length });
  return out;
}

/** Short label for a context: "location /ws", "server (listen 80)", "upstream backend". */
export function describeContext(ctx: NginxContext): string {
  if (!ctx.statement) return ctx.kind === 'main' ? 'main context' : `${ctx.kind} (assumed: the file is a fragment)`;
  const s = ctx.statement;
  if (ctx.kind === 'server') {
    const sn = findStatements(ctx, 'server_name')[0];
    const listen = findStatements(ctx, 'listen')[0];
    return `server${sn ? ' ' + sn.args.map((a) => clipWord(a)).join(' ') : listen ? ' (listen ' + clipWord(listen.args[0]) + ')' : ''}`;
  }
  return [s.name, ...s.args].map((a) => clipWord(a)).join(' ');
}
