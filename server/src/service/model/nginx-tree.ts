/**
 * The nginx config model's tree: one logical tree of contexts across all included files (built by
 * nginx-build.ts), its statements, and the walks over it. The questions rules ask of the tree are
 * in nginx.ts.
 */
import { NGINX_MAX_BLOCK_DEPTH, type NginxDirective, type NginxFile, type NginxNode } from '../syntax/nginx';
import type { TemplateInfo } from '../template';
import type { ModelDiagnostic, SyntaxDiagnostic } from '../types';
import { NGINX_DATA_BLOCKS } from '../knowledge/nginx-blocks';
import { change, fact } from '../host/memo';

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
  const list = ctx.statements;
  for (let i = 0; i < list.length; i++) if (list[i].name === name) (out ??= []).push(list[i]);
  return out ?? NO_STATEMENTS;
}

/** The first statement of `ctx` named `name`. */
export function firstNamed(ctx: NginxContext, name: string): NginxStatement | undefined {
  if (ctx.byName) return ctx.byName.get(name)?.[0];
  const list = ctx.statements;
  for (let i = 0; i < list.length; i++) if (list[i].name === name) return list[i];
  return undefined;
}

const NO_STATEMENTS: readonly NginxStatement[] = Object.freeze([]);

/**
 * A statement. `args` (the words' values) is read from the tree on first use and cached: most
 * statements are only looked up by name.
 */
class Statement implements NginxStatement {
  name: string;
  source: NginxSource;
  context: NginxContext;
  includedVia: NginxStatement[];
  block: NginxContext | null = null;
  #args: string[] | undefined = undefined;
  #directive: NginxDirective;
  /** The tree `#directive` is a node of (the source's tree may be newer: an incremental parse). */
  #tree: NginxFile;
  /** Where the directive is: item `#index` of `#up`'s block, or of the file when `#up` is null. */
  #up: Statement | null;
  #index: number;

  constructor(
    directive: NginxDirective,
    source: NginxSource,
    context: NginxContext,
    includedVia: NginxStatement[],
    up: Statement | null,
    index: number,
  ) {
    this.#directive = directive;
    this.#tree = source.tree;
    this.#up = up;
    this.#index = index;
    this.name = directive.name;
    this.source = source;
    this.context = context;
    this.includedVia = includedVia;
  }

  /**
   * The directive, in the source's current tree: after an edit inside one block the host puts the
   * tree parseNginxIncremental made into the source, and the directives outside that block are
   * found again where they were (the same items, copied).
   */
  get directive(): NginxDirective {
    const tree = this.source.tree;
    if (this.#tree !== tree) {
      const list = this.#up ? this.#up.directive.block!.items : tree.items;
      const d = list[this.#index];
      if (d?.type !== 'directive' || d.name !== this.name) throw new Error(`nginx model: ${this.name} moved`);
      this.#directive = d;
      this.#tree = tree;
    }
    return this.#directive;
  }

  get args(): string[] {
    return (this.#args ??= this.directive.argValues as string[]);
  }

  toJSON(): object {
    return { name: this.name, args: this.args, path: this.source.path, start: this.directive.start };
  }
}

/**
 * A test of whether an argument value of a statement can hold `needle`: false only when the text
 * of its arguments does not, so that a rule looking for a rare string need not build every word
 * of a large config. The needle must hold none of `"'\\`, tab, CR, LF: an escape makes one of
 * those out of two characters, so any other string in a value is in the text as it is. Made for
 * a walk in source order: each file's text is searched forward once (a statement before the last
 * one asked in its file starts a new search).
 */
export function argsMayHold(needle: string): (stmt: NginxStatement) => boolean {
  // per file: where the last search started, and the first occurrence from there (or -1)
  const searches = new Map<NginxSource, { from: number; next: number }>();
  // the file of the last statement asked about, and its search (most walks stay in one file)
  let lastSource: NginxSource | null = null;
  let last: { from: number; next: number } | undefined;
  return (stmt) => {
    const d = stmt.directive;
    // (the name's text is at least as long as its value)
    const from = d.start + d.name.length;
    let at = stmt.source === lastSource ? last : searches.get(stmt.source);
    lastSource = stmt.source;
    last = at;
    if (!at) searches.set(stmt.source, (last = at = { from, next: stmt.source.tree.text.indexOf(needle, from) }));
    else if (from < at.from || (at.next >= 0 && at.next < from)) {
      at.from = from;
      at.next = stmt.source.tree.text.indexOf(needle, from);
    }
    return at.next >= 0 && at.next + needle.length <= (d.block ? d.block.open : d.end);
  };
}

export function newContext(
  kind: NginxContextKind,
  family: NginxFamily,
  statement: NginxStatement | null,
  parent: NginxContext | null,
): NginxContext {
  return { kind, family, statement, parent, statements: [], children: [], byName: null };
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
export function familyOf(kind: NginxContextKind, parent: NginxFamily): NginxFamily {
  if (kind === 'http' || kind === 'stream' || kind === 'mail') return kind;
  return parent;
}

// ---------------------------------------------------------------------------------------------
// Building contexts from the syntax tree

/**
 * Contexts nested deeper than this (counting the blocks of including files) are not built: the
 * model and the rules walk contexts recursively. One file alone never reaches it (the parser keeps
 * blocks deeper than NGINX_MAX_BLOCK_DEPTH unread); only includes nested inside blocks do.
 */
export const MAX_CONTEXT_DEPTH = 2 * NGINX_MAX_BLOCK_DEPTH;

/** How many directives a file holds (outside data and raw blocks, as addNodes adds them). */
export function countDirectives(tree: NginxFile): number {
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
export function addNodes(
  nodes: NginxNode[],
  src: NginxSource,
  ctx: NginxContext,
  via: NginxStatement[],
  onInclude: (stmt: NginxStatement, ctx: NginxContext) => void,
  /** How many contexts enclose `ctx`. */
  depth: number,
  /** A block too deep to walk (see NGINX_MAX_BLOCK_DEPTH): it is kept, unread. */
  onTooDeep: (stmt: NginxStatement) => void,
  /** The statement whose block `nodes` are, or null for the top level of `src`. */
  up: NginxStatement | null = null,
): void {
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i];
    if (node.type !== 'directive') continue;
    const stmt = new Statement(node, src, ctx, via, up as Statement | null, i);
    addStatement(ctx, stmt);
    if (node.block) {
      const kind = node.block.rawBody ? 'raw' : (BLOCK_KINDS[node.name] ?? 'other');
      const child: NginxContext = newContext(kind, familyOf(kind, ctx.family), stmt, ctx);
      stmt.block = child;
      ctx.children.push(child);
      if (NGINX_DATA_BLOCKS.has(node.name) || node.block.rawBody) continue;
      // Includes nest files inside blocks: bound the depth of the whole tree, not only of each file.
      if (depth + 1 >= MAX_CONTEXT_DEPTH) onTooDeep(stmt);
      else addNodes(node.block.items, src, child, via, onInclude, depth + 1, onTooDeep, stmt);
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
  addNodes(node.block.items, stmt.source, fresh, stmt.includedVia, whole, depth, whole, stmt);
  if (include) return null;
  const i = parent.children.indexOf(old);
  if (i < 0) return null;
  parent.children[i] = fresh;
  stmt.block = fresh;
  forgetWalksAbove(parent);
  return fresh;
}

// ---------------------------------------------------------------------------------------------
// Walks

/**
 * An incremental update (nginx-incremental.ts) made a new config out of an old one by rebuilding
 * one unit (`old` became `fresh`, rebuildNginxBlock) whose footprint, what the rest of the config
 * sees of it (variables, upstreams, includes), stayed the same: the facts about the whole config
 * that only depend on that footprint hold for the new config too.
 */
export const nginxFootprintKept = change<{ old: NginxContext; fresh: NginxContext }>(
  'nginx: a server block rebuilt, what the rest of the config sees of it unchanged',
);

/** `ctx` and every context under it, depth first (computed once per context; do not modify). */
export const walkContexts = fact('nginx.walkContexts', (ctx: NginxContext): readonly NginxContext[] => {
  const out: NginxContext[] = [];
  const visit = (c: NginxContext) => {
    out.push(c);
    for (let ki = 0; ki < c.children.length; ki++) visit(c.children[ki]);
  };
  visit(ctx);
  return out;
});

/** Every statement under `ctx` in source order, blocks right after their statement (computed once; do not modify). */
export const walkStatements = fact('nginx.walkStatements', (ctx: NginxContext): readonly NginxStatement[] => {
  const out: NginxStatement[] = [];
  const visit = (c: NginxContext) => {
    for (let si = 0; si < c.statements.length; si++) {
      const s = c.statements[si];
      out.push(s);
      if (s.block) visit(s.block);
    }
    // the synthetic contexts a fragment is analysed in hang off the root without a statement
    for (let ki = 0; ki < c.children.length; ki++) if (!c.children[ki].statement) visit(c.children[ki]);
  };
  visit(ctx);
  return out;
});

/**
 * The statements of a walk (statementsIn, walkStatements) by name, in the walk's order, once per
 * walk: a rule that looks for one directive reads its list instead of walking every statement. A
 * walk is a new list whenever what it covers changes.
 */
const walkByName = fact('nginx.walkByName', (walk: readonly NginxStatement[]) => {
  const out = new Map<string, NginxStatement[]>();
  for (let i = 0; i < walk.length; i++) {
    const s = walk[i];
    const same = out.get(s.name);
    if (same) same.push(s);
    else out.set(s.name, [s]);
  }
  return out;
});

/** The statements named `name` of a walk, in its order (shared: do not modify). */
export function namedIn(walk: readonly NginxStatement[], name: string): readonly NginxStatement[] {
  return walkByName(walk).get(name) ?? NO_STATEMENTS;
}

/** The contexts under a root, by kind (read through contextsOfKind). */
const contextsByKind = fact('nginx.contextsByKind', (root: NginxContext) => {
  const byKind = new Map<string, NginxContext[]>();
  const contexts = walkContexts(root);
  for (let ci = 0; ci < contexts.length; ci++) {
    const c = contexts[ci];
    const list = byKind.get(c.kind);
    if (list) list.push(c);
    else byKind.set(c.kind, [c]);
  }
  return byKind;
});

export function contextsOfKind(config: NginxConfig, kind: NginxContextKind, family?: NginxFamily): NginxContext[] {
  const all = contextsByKind(config.root).get(kind) ?? [];
  return family ? all.filter((c) => c.family === family) : [...all];
}

/** `ctx`'s children were replaced in place (rebuildNginxBlock): forget the walks of it and of the contexts above it. */
export function forgetWalksAbove(ctx: NginxContext): void {
  for (let c: NginxContext | null = ctx; c; c = c.parent) {
    walkContexts.forget(c);
    walkStatements.forget(c);
    contextsByKind.forget(c);
  }
}
